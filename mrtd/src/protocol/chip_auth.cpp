// Chip Authentication v1, reader side and chip side (Doc 9303-11 6.2, 9.7.1).
#include "portti/mrtd/protocol/chip_auth.hpp"

#include <algorithm>

#include "key_agreement.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
using detail::PkeyPtr;

constexpr const char* kStepGa = "CHIP AUTHENTICATION GENERAL AUTHENTICATE";
constexpr std::uint8_t kTagEphemeralKat = 0x91;  // MSE:Set KAT: ephemeral public key
constexpr std::uint8_t kTagProtocol = 0x80;      // MSE:Set AT: cryptographic mechanism reference
constexpr std::uint8_t kTagKeyId = 0x84;         // reference of a private key
constexpr std::uint8_t kTagEphemeralGa = 0x80;   // GENERAL AUTHENTICATE: ephemeral public key

/// A key reference as DO'84' value: the key id as an unsigned big-endian number, shortest form.
Bytes keyIdBytes(std::int64_t id) {
  Bytes out;
  auto v = static_cast<std::uint64_t>(id);
  do {
    out.insert(out.begin(), static_cast<std::uint8_t>(v & 0xFF));
    v >>= 8;
  } while (v != 0);
  return out;
}

/// The value bytes of an OBJECT IDENTIFIER (without tag and length).
Bytes oidValue(const std::string& dotted) {
  const Bytes der = pki::oidDer(dotted);
  return Bytes(decodeOne(der).value.begin(), decodeOne(der).value.end());
}

/// The chip's static key from DG14: explicit EC parameters only when they equal a named curve.
PkeyPtr staticKey(const ChipAuthParameters& p, std::vector<std::string>* tolerances) {
  std::string tolerance;
  PkeyPtr key;
  try {
    key = pki::normalisedPublicKey(p.subjectPublicKeyInfo, &tolerance);
  } catch (const Error& e) {
    throw Error(ErrorArea::Crypto, "DG14 chip authentication key", e.detail());
  }
  if (!key) throw Error(ErrorArea::Crypto, "DG14 chip authentication key", "unreadable key");
  const bool ec = EVP_PKEY_is_a(key.get(), "EC");
  if (ec != (p.keyAgreement == KeyAgreement::Ecdh))
    throw Error(ErrorArea::Crypto, "DG14 chip authentication key", "key type does not match the protocol");
  if (tolerances && !tolerance.empty()) tolerances->push_back(tolerance);
  // The chip's own key must be a valid group element too.
  detail::publicKeyOn(key.get(), detail::encodedPublicKey(key.get()), "DG14 chip authentication key");
  return key;
}

void expectOk(const ResponseApdu& r, const char* step) {
  if (!r.ok()) throw Error(ErrorArea::Access, step, "chip answered " + describeStatus(r.sw));
}
}  // namespace

std::string ChipAuthParameters::name() const {
  // Spelled like the access protocols ("PACE-ECDH-GM-AES128"): "CA-ECDH-AES128", "CA-DH-3DES".
  std::string c = cipherName(cipher);
  c.erase(std::remove(c.begin(), c.end(), '-'), c.end());
  return std::string("CA-") + keyAgreementName(keyAgreement) + "-" + c;
}

ChipAuthParameters selectChipAuthParameters(const SecurityInfos& dg14) {
  const auto keyFor = [&](KeyAgreement ka, const std::optional<std::int64_t>& keyId)
      -> const ChipAuthenticationPublicKeyInfo* {
    for (const auto& k : dg14.chipAuthenticationPublicKeys) {
      if (k.keyAgreement != ka) continue;
      // Without a key id on the info, the key must be the only one (9303-11 9.2.5).
      if (keyId ? k.keyId == keyId : dg14.chipAuthenticationPublicKeys.size() == 1) return &k;
    }
    return nullptr;
  };
  for (const auto& info : dg14.chipAuthentication) {
    if (info.version != 1) continue;
    if (const auto* key = keyFor(info.keyAgreement, info.keyId)) {
      ChipAuthParameters p;
      p.protocol = info.protocol;
      p.keyAgreement = info.keyAgreement;
      p.cipher = info.cipher;
      p.keyId = info.keyId;
      p.subjectPublicKeyInfo = key->subjectPublicKeyInfo;
      return p;
    }
  }
  if (dg14.chipAuthentication.empty() && dg14.chipAuthenticationPublicKeys.size() == 1) {
    const auto& key = dg14.chipAuthenticationPublicKeys.front();
    ChipAuthParameters p;
    p.keyAgreement = key.keyAgreement;
    p.cipher = SymmetricCipher::Tdes;
    p.protocol = chipAuthenticationProtocolOid(p.keyAgreement, p.cipher);
    p.keyId = key.keyId;
    p.subjectPublicKeyInfo = key.subjectPublicKeyInfo;
    p.tolerances.push_back("ca-info-absent-3des-assumed");
    return p;
  }
  if (dg14.chipAuthentication.empty() && dg14.chipAuthenticationPublicKeys.empty())
    throw Error(ErrorArea::Lds, "DG14", "no Chip Authentication offered");
  throw Error(ErrorArea::Lds, "DG14", "no ChipAuthenticationInfo (version 1) with a matching public key");
}

SecureMessaging chipAuthSession(SymmetricCipher cipher, ByteView sharedSecret) {
  // The same KDF as after PACE (9303-11 9.7.1): KS_enc = KDF(K, 1), KS_mac = KDF(K, 2).
  const PaceSessionKeys keys = derivePaceSessionKeys(sharedSecret, cipher);
  const bool des = cipher == SymmetricCipher::Tdes;
  const Bytes ssc(des ? 8 : 16, 0x00);
  return SecureMessaging(des ? SmCipher::Des3 : SmCipher::Aes, keys.ksEnc.view(), keys.ksMac.view(), ssc);
}

SecureMessaging performChipAuthentication(ApduChannel& channel, const ChipAuthParameters& p,
                                          ChipAuthCommands commands,
                                          const std::optional<EphemeralKeyForTesting>& ephemeral) {
  PkeyPtr chipKey = staticKey(p, nullptr);
  PkeyPtr own = ephemeral ? detail::ecKeyPairOn(chipKey.get(), ephemeral->privateKey, ephemeral->publicKey)
                          : detail::generateKeyOn(chipKey.get());
  const Bytes ownPublic = detail::encodedPublicKey(own.get());
  const Bytes keyRef = p.keyId ? encodeTlv(kTagKeyId, keyIdBytes(*p.keyId)) : Bytes{};

  if (commands == ChipAuthCommands::ByCipher)
    commands = p.cipher == SymmetricCipher::Tdes ? ChipAuthCommands::SetKat : ChipAuthCommands::SetAtGeneralAuthenticate;
  if (commands == ChipAuthCommands::SetKat) {
    const CommandApdu kat{0x00, 0x22, 0x41, 0xA6, concat({encodeTlv(kTagEphemeralKat, ownPublic), keyRef}), 0};
    expectOk(channel.transmit(kat), "CHIP AUTHENTICATION MSE:Set KAT");
  } else {
    const CommandApdu at{0x00, 0x22, 0x41, 0xA4, concat({encodeTlv(kTagProtocol, oidValue(p.protocol)), keyRef}), 0};
    expectOk(channel.transmit(at), "CHIP AUTHENTICATION MSE:Set AT");
    const CommandApdu ga{0x00, 0x86, 0x00, 0x00, encodeTlv(0x7C, encodeTlv(kTagEphemeralGa, ownPublic)), 256};
    const ResponseApdu r = channel.transmit(ga);
    expectOk(r, kStepGa);
    // CA v1 answers empty dynamic authentication data (9303-11 6.2.4.2).
    if (r.data != Bytes{0x7C, 0x00})
      throw Error(ErrorArea::Access, kStepGa, "malformed answer (expected 7C 00, got " + std::to_string(r.data.size()) + " bytes)");
  }
  const SecretBytes secret = detail::sharedSecret(own.get(), chipKey.get(), "CHIP AUTHENTICATION key agreement");
  return chipAuthSession(p.cipher, secret.view());
}

// ---- chip side ----

struct ChipAuthChip::Impl {
  PkeyPtr key;
  std::optional<SymmetricCipher> pendingAt;  // Set AT done, GENERAL AUTHENTICATE expected
  std::optional<SecureMessaging> ready;

  /// Checks the terminal key and readies the session; 6A80 for a bad key.
  std::uint16_t agree(ByteView terminalPublic, SymmetricCipher c) {
    try {
      PkeyPtr peer = detail::publicKeyOn(key.get(), terminalPublic, "CA terminal key");
      const SecretBytes secret = detail::sharedSecret(key.get(), peer.get(), "CA");
      ready.emplace(chipAuthSession(c, secret.view()));
      return sw::kOk;
    } catch (const Error&) {
      return sw::kWrongData;
    }
  }
};

ChipAuthChip::ChipAuthChip(const std::string& privateKeyPem) : impl_(std::make_unique<Impl>()) {
  impl_->key = ossl::privateKeyFromPem(privateKeyPem);
  if (!impl_->key) pki::throwCrypto("chip authentication key", "cannot read the chip's private key");
}
ChipAuthChip::~ChipAuthChip() = default;
ChipAuthChip::ChipAuthChip(ChipAuthChip&&) noexcept = default;
ChipAuthChip& ChipAuthChip::operator=(ChipAuthChip&&) noexcept = default;

std::uint16_t ChipAuthChip::setKeyAgreementTemplate(ByteView data) {
  impl_->pendingAt.reset();
  try {
    const auto key = findChild(data, kTagEphemeralKat);
    if (!key) return sw::kWrongData;
    return impl_->agree(key->value, SymmetricCipher::Tdes);
  } catch (const Error&) {
    return sw::kWrongData;
  }
}

std::uint16_t ChipAuthChip::setAuthenticationTemplate(ByteView data) {
  impl_->pendingAt.reset();
  try {
    const auto oid = findChild(data, kTagProtocol);
    if (!oid) return sw::kWrongData;
    const std::string dotted = pki::oidToText(oid->value);
    const KeyAgreement ka = EVP_PKEY_is_a(impl_->key.get(), "EC") ? KeyAgreement::Ecdh : KeyAgreement::Dh;
    for (SymmetricCipher c : {SymmetricCipher::Tdes, SymmetricCipher::Aes128, SymmetricCipher::Aes192, SymmetricCipher::Aes256}) {
      if (dotted == chipAuthenticationProtocolOid(ka, c)) {
        impl_->pendingAt = c;
        return sw::kOk;
      }
    }
    return sw::kWrongData;  // not a CA protocol of this key
  } catch (const Error&) {
    return sw::kWrongData;
  }
}

bool ChipAuthChip::expectsGeneralAuthenticate() const { return impl_->pendingAt.has_value(); }

std::uint16_t ChipAuthChip::generalAuthenticate(ByteView data, Bytes& responseData) {
  if (!impl_->pendingAt) return sw::kConditionsNotSatisfied;
  const SymmetricCipher c = *impl_->pendingAt;
  impl_->pendingAt.reset();
  try {
    const Tlv dad = decodeOne(data);
    if (dad.tag != 0x7C) return sw::kWrongData;
    const auto key = findChild(dad.value, kTagEphemeralGa);
    if (!key) return sw::kWrongData;
    const std::uint16_t s = impl_->agree(key->value, c);
    if (s == sw::kOk) responseData = {0x7C, 0x00};
    return s;
  } catch (const Error&) {
    return sw::kWrongData;
  }
}

std::optional<SecureMessaging> ChipAuthChip::takeSession() {
  std::optional<SecureMessaging> s = std::move(impl_->ready);
  impl_->ready.reset();
  return s;
}

}  // namespace portti::mrtd
