// Encoding SecurityInfos for the virtual chip (DG14, EF.CardAccess). DER throughout.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <string>

#include "core/openssl.hpp"
#include "lds/der.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kStep = "encode SecurityInfos";

int cipherArc(SymmetricCipher cipher) {
  switch (cipher) {
    case SymmetricCipher::Tdes: return 1;
    case SymmetricCipher::Aes128: return 2;
    case SymmetricCipher::Aes192: return 3;
    case SymmetricCipher::Aes256: return 4;
  }
  return 0;
}

Bytes sequence(std::initializer_list<ByteView> parts) { return encodeTlv(0x30, concat(parts)); }
}  // namespace

std::string paceProtocolOid(KeyAgreement ka, PaceMapping mapping, SymmetricCipher cipher) {
  int kind = 0;
  switch (mapping) {
    case PaceMapping::Generic: kind = ka == KeyAgreement::Dh ? 1 : 2; break;
    case PaceMapping::Integrated: kind = ka == KeyAgreement::Dh ? 3 : 4; break;
    case PaceMapping::ChipAuthentication:
      if (ka == KeyAgreement::Dh || cipher == SymmetricCipher::Tdes) {
        throw Error(ErrorArea::Lds, kStep, "PACE-CAM is defined for ECDH with AES only");
      }
      kind = 6;
      break;
  }
  return std::string(oids::kPace) + "." + std::to_string(kind) + "." + std::to_string(cipherArc(cipher));
}

std::string chipAuthenticationProtocolOid(KeyAgreement ka, SymmetricCipher cipher) {
  return std::string(ka == KeyAgreement::Dh ? oids::kCaDh : oids::kCaEcdh) + "." + std::to_string(cipherArc(cipher));
}

Bytes encodePaceInfo(KeyAgreement ka, PaceMapping mapping, SymmetricCipher cipher,
                     std::optional<std::int64_t> parameterId, std::int64_t version) {
  Bytes oid = encodeOid(paceProtocolOid(ka, mapping, cipher));
  Bytes v = detail::encodeDerInteger(version);
  Bytes p = parameterId ? detail::encodeDerInteger(*parameterId) : Bytes{};
  return sequence({oid, v, p});
}

Bytes encodeChipAuthenticationInfo(KeyAgreement ka, SymmetricCipher cipher, std::optional<std::int64_t> keyId,
                                   std::int64_t version) {
  Bytes oid = encodeOid(chipAuthenticationProtocolOid(ka, cipher));
  Bytes v = detail::encodeDerInteger(version);
  Bytes k = keyId ? detail::encodeDerInteger(*keyId) : Bytes{};
  return sequence({oid, v, k});
}

Bytes encodeChipAuthenticationPublicKeyInfo(KeyAgreement ka, ByteView subjectPublicKeyInfo,
                                            std::optional<std::int64_t> keyId) {
  // The SPKI must be one DER object; anything else would corrupt the SET.
  Tlv spki = decodeOne(subjectPublicKeyInfo);
  if (spki.tag != 0x30) throw Error(ErrorArea::Lds, kStep, "chip authentication public key is not an SPKI SEQUENCE");
  Bytes oid = encodeOid(ka == KeyAgreement::Dh ? oids::kPkDh : oids::kPkEcdh);
  Bytes k = keyId ? detail::encodeDerInteger(*keyId) : Bytes{};
  return sequence({oid, subjectPublicKeyInfo, k});
}

Bytes encodeChipAuthenticationPublicKeyInfo(const EVP_PKEY* publicKey, std::optional<std::int64_t> keyId) {
  if (publicKey == nullptr) throw Error(ErrorArea::Lds, kStep, "no chip authentication public key");
  KeyAgreement ka;
  if (EVP_PKEY_is_a(publicKey, "EC")) {
    ka = KeyAgreement::Ecdh;
  } else if (EVP_PKEY_is_a(publicKey, "DH") || EVP_PKEY_is_a(publicKey, "DHX")) {
    ka = KeyAgreement::Dh;
  } else {
    throw Error(ErrorArea::Lds, kStep, "chip authentication needs a DH or EC key");
  }
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(publicKey, &der);
  if (length <= 0) throw Error(ErrorArea::Crypto, kStep, "i2d_PUBKEY failed: " + ossl::opensslErrors());
  Bytes spki(der, der + length);
  OPENSSL_free(der);
  return encodeChipAuthenticationPublicKeyInfo(ka, spki, keyId);
}

Bytes encodeActiveAuthenticationInfo(const std::string& signatureAlgorithm, std::int64_t version) {
  Bytes oid = encodeOid(oids::kActiveAuthentication);
  Bytes v = detail::encodeDerInteger(version);
  Bytes alg = encodeOid(signatureAlgorithm);
  return sequence({oid, v, alg});
}

Bytes encodeTerminalAuthenticationInfo(std::int64_t version) {
  Bytes oid = encodeOid(oids::kTa);
  Bytes v = detail::encodeDerInteger(version);
  return sequence({oid, v});
}

Bytes encodeSecurityInfoSet(std::vector<Bytes> infos) {
  // X.690 11.6: the components of a DER SET OF appear in ascending order of their encodings.
  // (Compared byte by byte: GCC 12 warns falsely on std::vector's operator< here.)
  std::sort(infos.begin(), infos.end(), [](const Bytes& a, const Bytes& b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return a[i] < b[i];
    return a.size() < b.size();
  });
  Bytes content;
  for (const auto& i : infos) content.insert(content.end(), i.begin(), i.end());
  return encodeTlv(0x31, content);
}

Bytes encodeCardAccess(std::vector<Bytes> infos) { return encodeSecurityInfoSet(std::move(infos)); }

Bytes encodeDg14(std::vector<Bytes> infos) { return encodeTlv(0x6E, encodeSecurityInfoSet(std::move(infos))); }

}  // namespace portti::mrtd
