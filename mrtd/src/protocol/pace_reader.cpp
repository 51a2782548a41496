// PACE, reader side (ICAO Doc 9303 Part 11, 4.4.4 / 4.4.5): MSE:Set AT, then a chain of four
// GENERAL AUTHENTICATE commands. Every answer is checked before use; a failure names its step.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "pki/ossl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/sm/crypto.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kMse = "MSE:Set AT (PACE)";
constexpr const char* kStep1 = "GENERAL AUTHENTICATE (encrypted nonce)";
constexpr const char* kStep2 = "GENERAL AUTHENTICATE (map nonce)";
constexpr const char* kStep3 = "GENERAL AUTHENTICATE (key agreement)";
constexpr const char* kStep4 = "GENERAL AUTHENTICATE (mutual authentication)";

[[noreturn]] void fail(const std::string& step, const std::string& reason) {
  throw Error(ErrorArea::Access, step, reason);
}

/// One GENERAL AUTHENTICATE step: 7C { objects } out, the 7C template's content back.
Bytes generalAuthenticate(ApduChannel& channel, const char* step, ByteView objects, bool last,
                          const PacePassword& password, std::size_t ne) {
  // Steps 1-3 use command chaining (CLA 10), the last one ends the chain (9303-11 4.4.4.3).
  const CommandApdu command{static_cast<std::uint8_t>(last ? 0x00 : 0x10), 0x86, 0x00, 0x00,
                            encodeTlv(0x7C, objects), ne};
  const ResponseApdu r = channel.transmit(command);
  if (last && (r.sw == sw::kAuthenticationFailed || r.sw == sw::kSecurityNotSatisfied))
    fail(step, std::string("access denied: check the ") + password.name());
  if (!r.ok()) fail(step, "the chip refused (" + describeStatus(r.sw) + ")");
  try {
    const Tlv t = decodeOne(r.data);
    if (t.tag != 0x7C) fail(step, "answer is not a dynamic authentication data object (7C)");
    decodeAll(t.value);  // well-formed inside
    return Bytes(t.value.begin(), t.value.end());
  } catch (const Error& e) {
    if (e.area() == ErrorArea::Access) throw;
    fail(step, std::string("malformed answer: ") + e.detail());
  }
}

Bytes requireObject(ByteView content, std::uint32_t tag, const char* step, const char* what) {
  const auto t = findChild(content, tag);
  if (!t) fail(step, std::string("answer lacks ") + what);
  return Bytes(t->value.begin(), t->value.end());
}

}  // namespace

PaceResult performPace(ApduChannel& channel, const PaceInfo& info, const PacePassword& password,
                       const PaceReaderRandomForTesting& fixed) {
  if (!paceInfoSupported(info)) fail(kMse, "PACE protocol " + info.protocol + " is not supported");
  const PaceDomain domain = PaceDomain::standard(*info.parameterId);
  const SymmetricCipher cipher = info.cipher;
  const KeyAgreement ka = info.keyAgreement;
  // 2048-bit DH keys do not fit short APDUs: those steps go extended (the chip must accept it).
  const std::size_t ne = domain.elementSize() + 16 > 256 ? 65536 : 256;

  // MSE:Set AT: OID (80, value only), password reference (83), parameter id (84, always sent:
  // some chips answer 6A87 without it, QUIRKS.md).
  const Bytes setAt = concat({encodeTlv(0x80, encodeOidContent(info.protocol)),
                              encodeTlv(0x83, Bytes{static_cast<std::uint8_t>(password.kind)}),
                              encodeTlv(0x84, Bytes{static_cast<std::uint8_t>(*info.parameterId)})});
  const ResponseApdu mse = channel.transmit({0x00, 0x22, 0xC1, 0xA4, setAt, 0});
  if (!mse.ok()) fail(kMse, "the chip refused " + paceProtocolName(info) + " with the " + password.name() + " (" +
                                describeStatus(mse.sw) + ")");

  // Step 1: the encrypted nonce.
  const Bytes a1 = generalAuthenticate(channel, kStep1, {}, false, password, ne);
  const Bytes z = requireObject(a1, 0x80, kStep1, "the encrypted nonce (80)");
  const SecretBytes kpi = paceKpi(password, cipher);
  const SecretBytes s = decryptNonce(kpi.view(), z, cipher);

  // Step 2: mapping.
  PaceResult result{info, paceProtocolName(info), SecureMessaging(SmCipher::Aes, Bytes(16), Bytes(16), Bytes(16)),
                    {}, {}, {}};
  Bytes chipMapPublicKey;
  std::optional<PaceDomain> mapped;
  SecretBytes skMap;
  if (info.mapping == PaceMapping::Integrated) {
    const std::size_t tSize = integratedMappingNonceSize(cipher);
    Bytes t;
    if (fixed.integratedNonce) {
      t = *fixed.integratedNonce;
    } else {
      const SecretBytes random = crypto::randomBytes(tSize);
      t.assign(random.view().begin(), random.view().end());
    }
    const Bytes a2 = generalAuthenticate(channel, kStep2, encodeTlv(0x81, t), false, password, ne);
    if (const auto m = findChild(a2, 0x82); m && !m->value.empty())
      fail(kStep2, "chip sent mapping data in the Integrated Mapping (82 must be empty)");
    mapped.emplace(domain.mapIntegrated(integratedMappingRandom(s.view(), t, cipher, domain.fieldBits())));
  } else {
    skMap = fixed.mapPrivateKey ? SecretBytes(*fixed.mapPrivateKey) : domain.randomPrivateKey();
    const Bytes pkMap = domain.publicKey(skMap.view());
    const Bytes a2 = generalAuthenticate(channel, kStep2, encodeTlv(0x81, pkMap), false, password, ne);
    const Bytes pkMapIc = requireObject(a2, 0x82, kStep2, "the chip's mapping public key (82)");
    const Bytes h = domain.agree(skMap.view(), pkMapIc, kStep2);
    mapped.emplace(domain.mapGeneric(s.view(), h));
    chipMapPublicKey = pkMapIc;
  }

  // Step 3: ephemeral key agreement on the mapped generator.
  const SecretBytes skEph = fixed.ephemeralPrivateKey ? SecretBytes(*fixed.ephemeralPrivateKey) : mapped->randomPrivateKey();
  const Bytes pkEph = mapped->publicKey(skEph.view());
  const Bytes a3 = generalAuthenticate(channel, kStep3, encodeTlv(0x83, pkEph), false, password, ne);
  const Bytes pkEphIc = requireObject(a3, 0x84, kStep3, "the chip's ephemeral public key (84)");
  mapped->checkElement(pkEphIc, kStep3);
  if (crypto::equalConstantTime(pkEphIc, pkEph)) fail(kStep3, "the chip echoed the reader's ephemeral key");
  const SecretBytes k = mapped->sharedSecret(skEph.view(), pkEphIc, kStep3);
  PaceSessionKeys keys = derivePaceSessionKeys(k.view(), cipher);

  // Step 4: tokens both ways.
  const Bytes tPcd = authenticationToken(keys.ksMac.view(), cipher, info.protocol, ka, pkEphIc);
  const Bytes a4 = generalAuthenticate(channel, kStep4, encodeTlv(0x85, tPcd), true, password, 256);
  const Bytes tIc = requireObject(a4, 0x86, kStep4, "the chip's authentication token (86)");
  const Bytes expected = authenticationToken(keys.ksMac.view(), cipher, info.protocol, ka, pkEph);
  if (tIc.size() != expected.size() || !crypto::equalConstantTime(tIc, expected))
    fail(kStep4, "the chip's authentication token does not verify");
  const auto encryptedCa = findChild(a4, 0x8A);
  if (info.mapping == PaceMapping::ChipAuthentication) {
    if (!encryptedCa) fail(kStep4, "PACE-CAM answer lacks the encrypted chip authentication data (8A)");
    Bytes ca = decryptChipAuthenticationData(keys.ksEnc.view(), encryptedCa->value);
    if (ca.size() != domain.orderSize())
      fail(kStep4, "chip authentication data of " + std::to_string(ca.size()) + " bytes (" +
                       std::to_string(domain.orderSize()) + " expected)");
    result.cam = PaceCamEvidence{info, chipMapPublicKey, std::move(ca)};
  } else if (encryptedCa) {
    fail(kStep4, "chip sent chip authentication data (8A) outside PACE-CAM");
  }

  const SmCipher smCipher = cipher == SymmetricCipher::Tdes ? SmCipher::Des3 : SmCipher::Aes;
  const Bytes ssc(cipher == SymmetricCipher::Tdes ? 8 : 16, 0x00);
  result.sm = SecureMessaging(smCipher, keys.ksEnc.view(), keys.ksMac.view(), ssc);
  result.ksEncForTesting.assign(keys.ksEnc.view().begin(), keys.ksEnc.view().end());
  result.ksMacForTesting.assign(keys.ksMac.view().begin(), keys.ksMac.view().end());
  return result;
}

bool verifyPaceCam(const PaceCamEvidence& result, ByteView chipPublicKeyInfo) {
  const char* step = "PACE-CAM verification";
  if (result.info.mapping != PaceMapping::ChipAuthentication || result.chipAuthenticationData.empty())
    fail(step, "not a PACE-CAM run");
  const PaceDomain domain = PaceDomain::standard(*result.info.parameterId);
  const auto params = standardDomainParameters(static_cast<int>(*result.info.parameterId));
  Bytes pub;
  try {
    // SubjectPublicKeyInfo { AlgorithmIdentifier, BIT STRING }; the algorithm is id-ecPublicKey or,
    // in EF.CardSecurity, standardizedDomainParameters (0.4.0.127.0.7.1.2) with the parameter id.
    const Tlv spki = decodeOne(chipPublicKeyInfo);
    const auto parts = decodeAll(spki.value);
    if (spki.tag != 0x30 || parts.size() != 2 || parts[0].tag != 0x30 || parts[1].tag != 0x03 ||
        parts[1].value.size() < 2 || parts[1].value[0] != 0)
      fail(step, "the chip's static key is not a SubjectPublicKeyInfo");
    const auto alg = decodeAll(parts[0].value);
    if (alg.empty() || alg[0].tag != 0x06) fail(step, "the chip's static key has no algorithm");
    if (decodeOid(alg[0].value) == "0.4.0.127.0.7.1.2") {
      if (alg.size() != 2 || alg[1].tag != 0x02 || alg[1].value.size() != 1 ||
          alg[1].value[0] != static_cast<std::uint8_t>(*result.info.parameterId))
        fail(step, "the chip's static key is on other standardized domain parameters than PACE");
    } else {
      // Explicit curve parameters (Doc 9303-12) are accepted only when they equal a named curve.
      pki::PkeyPtr key = pki::normalisedPublicKey(chipPublicKeyInfo, nullptr);
      char curve[64] = {};
      std::size_t curveLen = 0;
      if (!key || !EVP_PKEY_is_a(key.get(), "EC") ||
          EVP_PKEY_get_group_name(key.get(), curve, sizeof curve, &curveLen) != 1)
        fail(step, "the chip's static key is not an EC key on a named curve");
      const std::string name(curve, curveLen);
      if (name != params->groupName)
        fail(step, "the chip's static key is on " + name + ", PACE ran on " + params->groupName);
    }
    pub.assign(parts[1].value.begin() + 1, parts[1].value.end());
  } catch (const Error& e) {
    if (e.area() == ErrorArea::Access) throw;
    fail(step, std::string("the chip's static key is unreadable: ") + e.detail());
  }
  const Bytes expected = domain.agree(result.chipAuthenticationData, pub, step);
  return crypto::equalConstantTime(expected, result.chipMapPublicKey);
}

bool verifyPaceCamWithDg14(const PaceCamEvidence& evidence, ByteView dg14) {
  const char* step = "PACE-CAM verification";
  SecurityInfos infos;
  try {
    infos = parseDg14(dg14);
  } catch (const Error& e) {
    fail(step, std::string("DG14: ") + e.detail());
  }
  const ChipAuthenticationPublicKeyInfo* chosen = nullptr;
  for (const auto& k : infos.chipAuthenticationPublicKeys) {
    if (k.keyAgreement != KeyAgreement::Ecdh) continue;
    if (k.keyId && k.keyId == evidence.info.parameterId) chosen = &k;
  }
  std::size_t ecKeys = 0;
  for (const auto& k : infos.chipAuthenticationPublicKeys)
    if (k.keyAgreement == KeyAgreement::Ecdh) {
      ++ecKeys;
      if (!chosen && ecKeys == 1) chosen = &k;
    }
  if (!chosen || (ecKeys > 1 && (!chosen->keyId || chosen->keyId != evidence.info.parameterId)))
    fail(step, "DG14 has no chip key for PACE-CAM (an ECDH ChipAuthenticationPublicKeyInfo)");
  return verifyPaceCam(evidence, chosen->subjectPublicKeyInfo);
}

}  // namespace portti::mrtd
