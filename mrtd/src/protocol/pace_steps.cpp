// The symmetric steps of PACE (ICAO Doc 9303 Part 11, 4.4.3 and 9.7) and the choice of protocol.
#include <openssl/crypto.h>

#include <algorithm>
#include <array>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/sm/crypto.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {

crypto::KeyAlgorithm keyAlgorithm(SymmetricCipher cipher) {
  switch (cipher) {
    case SymmetricCipher::Tdes: return crypto::KeyAlgorithm::Des3;
    case SymmetricCipher::Aes128: return crypto::KeyAlgorithm::Aes128;
    case SymmetricCipher::Aes192: return crypto::KeyAlgorithm::Aes192;
    case SymmetricCipher::Aes256: return crypto::KeyAlgorithm::Aes256;
  }
  return crypto::KeyAlgorithm::Aes128;
}

std::size_t blockSize(SymmetricCipher cipher) {
  return cipher == SymmetricCipher::Tdes ? crypto::kDesBlock : crypto::kAesBlock;
}

/// Block cipher E() in CBC mode with IV 0 (3DES with a 16-byte key, or AES).
Bytes encryptCbc(SymmetricCipher cipher, ByteView key, ByteView data) {
  return cipher == SymmetricCipher::Tdes ? crypto::des3CbcEncrypt(key, data) : crypto::aesCbcEncrypt(key, data);
}

}  // namespace

PacePassword PacePassword::mrz(std::string_view mrzInformation) {
  return {Kind::Mrz, SecretBytes(ByteView(reinterpret_cast<const std::uint8_t*>(mrzInformation.data()),
                                          mrzInformation.size()))};
}

PacePassword PacePassword::can(std::string_view can) {
  if (can.empty() || !std::all_of(can.begin(), can.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw Error(ErrorArea::Access, "PACE password", "a CAN is digits only");
  return {Kind::Can, SecretBytes(ByteView(reinterpret_cast<const std::uint8_t*>(can.data()), can.size()))};
}

SecretBytes pacePasswordKey(const PacePassword& password) {
  if (password.kind == PacePassword::Kind::Mrz) return SecretBytes(crypto::sha1(password.value.view()));
  return password.value;
}

SecretBytes paceKpi(const PacePassword& password, SymmetricCipher cipher) {
  const SecretBytes k = pacePasswordKey(password);
  return crypto::deriveKey(k.view(), keyAlgorithm(cipher), crypto::KdfCounter::Pace);
}

SecretBytes decryptNonce(ByteView kpi, ByteView z, SymmetricCipher cipher) {
  if (z.empty() || z.size() % blockSize(cipher) != 0)
    throw Error(ErrorArea::Access, "GENERAL AUTHENTICATE (encrypted nonce)",
                "encrypted nonce of " + std::to_string(z.size()) + " bytes (whole cipher blocks expected)");
  return SecretBytes(cipher == SymmetricCipher::Tdes ? crypto::des3CbcDecrypt(kpi, z) : crypto::aesCbcDecrypt(kpi, z));
}

Bytes encryptNonce(ByteView kpi, ByteView s, SymmetricCipher cipher) { return encryptCbc(cipher, kpi, s); }

std::size_t integratedMappingNonceSize(SymmetricCipher cipher) {
  switch (cipher) {
    case SymmetricCipher::Tdes:
    case SymmetricCipher::Aes128: return 16;
    case SymmetricCipher::Aes192: return 24;
    case SymmetricCipher::Aes256: return 32;
  }
  return 16;
}

Bytes integratedMappingRandom(ByteView s, ByteView t, SymmetricCipher cipher, std::size_t fieldBits) {
  // Constants of 4.4.3.3.2: l = 128 for 3DES and AES-128, l = 256 for AES-192/256.
  static const Bytes c0_128 = fromHex("a668892a7c41e3ca739f40b057d85904");
  static const Bytes c1_128 = fromHex("a4e136ac725f738b01c1f60217c188ad");
  static const Bytes c0_256 = fromHex("d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676");
  static const Bytes c1_256 = fromHex("54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517");
  const std::size_t k = integratedMappingNonceSize(cipher);
  const bool wide = cipher == SymmetricCipher::Aes192 || cipher == SymmetricCipher::Aes256;
  const Bytes& c0 = wide ? c0_256 : c0_128;
  const Bytes& c1 = wide ? c1_256 : c1_128;
  if (t.size() != k)
    throw Error(ErrorArea::Access, "PACE Integrated Mapping",
                "nonce t of " + std::to_string(t.size()) + " bytes (" + std::to_string(k) + " expected)");
  const std::size_t l = c0.size() * 8;
  const std::size_t n = (fieldBits + 64 + l - 1) / l;
  Bytes key = encryptCbc(cipher, t, s);
  key.resize(k);
  Bytes out;
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes x = encryptCbc(cipher, key, c1);
    out.insert(out.end(), x.begin(), x.end());
    Bytes next = encryptCbc(cipher, key, c0);
    next.resize(k);
    OPENSSL_cleanse(key.data(), key.size());
    key = std::move(next);
  }
  OPENSSL_cleanse(key.data(), key.size());
  return out;
}

PaceSessionKeys derivePaceSessionKeys(ByteView sharedSecret, SymmetricCipher cipher) {
  return {crypto::deriveKey(sharedSecret, keyAlgorithm(cipher), crypto::KdfCounter::Enc),
          crypto::deriveKey(sharedSecret, keyAlgorithm(cipher), crypto::KdfCounter::Mac)};
}

Bytes paceTokenInput(const std::string& protocolOid, KeyAgreement ka, ByteView publicKey) {
  const Bytes oid = encodeOid(protocolOid);
  const Bytes key = encodeTlv(ka == KeyAgreement::Dh ? 0x84 : 0x86, publicKey);
  return encodeTlv(0x7F49, concat({oid, key}));
}

Bytes authenticationToken(ByteView ksMac, SymmetricCipher cipher, const std::string& protocolOid, KeyAgreement ka,
                          ByteView publicKey) {
  const Bytes input = paceTokenInput(protocolOid, ka, publicKey);
  if (cipher == SymmetricCipher::Tdes) return crypto::retailMac(ksMac, input);
  Bytes mac = crypto::aesCmac(ksMac, input);
  mac.resize(8);
  return mac;
}

namespace {
Bytes camIv(ByteView ksEnc) {
  const Bytes minusOne(16, 0xFF);
  return crypto::aesEcbEncrypt(ksEnc, minusOne);
}
}  // namespace

Bytes encryptChipAuthenticationData(ByteView ksEnc, ByteView caIc) {
  return crypto::aesCbcEncrypt(ksEnc, crypto::pad(caIc, crypto::kAesBlock), camIv(ksEnc));
}

Bytes decryptChipAuthenticationData(ByteView ksEnc, ByteView aIc) {
  const char* step = "GENERAL AUTHENTICATE (chip authentication data)";
  if (aIc.empty() || aIc.size() % crypto::kAesBlock != 0)
    throw Error(ErrorArea::Access, step,
                "encrypted chip authentication data of " + std::to_string(aIc.size()) + " bytes (whole AES blocks expected)");
  Bytes plain = crypto::aesCbcDecrypt(ksEnc, aIc, camIv(ksEnc));
  auto unpadded = crypto::unpad(plain, crypto::kAesBlock);
  OPENSSL_cleanse(plain.data(), plain.size());
  if (!unpadded) throw Error(ErrorArea::Access, step, "chip authentication data badly padded");
  return std::move(*unpadded);
}

bool paceInfoSupported(const PaceInfo& info) {
  if (info.version != 2 || !info.parameterId) return false;
  const auto params = standardDomainParameters(static_cast<int>(*info.parameterId));
  if (!params || params->keyAgreement != info.keyAgreement) return false;
  if (info.mapping == PaceMapping::ChipAuthentication &&
      (info.keyAgreement != KeyAgreement::Ecdh || info.cipher == SymmetricCipher::Tdes))
    return false;
  return true;
}

std::optional<PaceInfo> choosePaceInfo(const SecurityInfos& cardAccess) {
  auto rank = [](const PaceInfo& i) {
    const int mapping = i.mapping == PaceMapping::ChipAuthentication ? 3 : i.mapping == PaceMapping::Generic ? 2 : 1;
    const int ka = i.keyAgreement == KeyAgreement::Ecdh ? 1 : 0;
    return mapping * 100 + ka * 10 + static_cast<int>(i.cipher);
  };
  std::optional<PaceInfo> best;
  for (const PaceInfo& info : cardAccess.pace) {
    if (!paceInfoSupported(info)) continue;
    if (!best || rank(info) > rank(*best)) best = info;
  }
  return best;
}

std::string paceProtocolName(const PaceInfo& info) {
  std::string cipher;
  switch (info.cipher) {
    case SymmetricCipher::Tdes: cipher = "3DES"; break;
    case SymmetricCipher::Aes128: cipher = "AES128"; break;
    case SymmetricCipher::Aes192: cipher = "AES192"; break;
    case SymmetricCipher::Aes256: cipher = "AES256"; break;
  }
  return std::string("PACE-") + keyAgreementName(info.keyAgreement) + "-" + mappingName(info.mapping) + "-" + cipher;
}

}  // namespace portti::mrtd
