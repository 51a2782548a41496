#include "portti/mrtd/lds/dg15.hpp"

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "core/openssl.hpp"
#include "lds/der.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kStep = "parse DG15";
constexpr const char* kRsaEncryption = "1.2.840.113549.1.1.1";
constexpr const char* kEcPublicKey = "1.2.840.10045.2.1";


/// The named curve that explicit ECParameters equal, via OpenSSL's exact comparison of
/// (p, a, b, G, n, h) against its built-in curves; nullopt when none matches.
std::optional<std::string> namedCurveOfExplicit(ByteView parameters) {
  const unsigned char* p = parameters.data();
  ossl::EcGroupPtr group(d2i_ECPKParameters(nullptr, &p, static_cast<long>(parameters.size())));
  if (!group) {
    ossl::opensslErrors();  // clear the queue
    return std::nullopt;
  }
  const int nid = EC_GROUP_check_named_curve(group.get(), 0, nullptr);
  ossl::opensslErrors();
  if (nid <= 0) return std::nullopt;
  return std::string(OBJ_nid2sn(nid));
}
}  // namespace

Dg15 parseSubjectPublicKeyInfo(ByteView spkiBytes) {
  Dg15 out;
  // Strict: the key decides Active Authentication, so nothing may follow it unparsed.
  Tlv spki = decodeOne(spkiBytes);
  detail::expectTag(spki, 0x30, kStep, "SubjectPublicKeyInfo");
  auto parts = decodeAll(spki.value);
  if (parts.size() != 2) throw Error(ErrorArea::Lds, kStep, "SubjectPublicKeyInfo is not { algorithm, subjectPublicKey }");
  detail::expectTag(parts[0], 0x30, kStep, "SubjectPublicKeyInfo algorithm");
  detail::expectTag(parts[1], 0x03, kStep, "SubjectPublicKeyInfo subjectPublicKey");
  TlvReader alg(parts[0].value);
  Tlv oid = alg.next();
  detail::expectTag(oid, 0x06, kStep, "SubjectPublicKeyInfo algorithm OID");
  out.algorithm = decodeOid(oid.value);
  out.subjectPublicKeyInfo.assign(spki.whole.begin(), spki.whole.end());

  std::optional<Tlv> parameters;
  if (!alg.atEnd()) parameters = alg.next();
  if (out.algorithm == kRsaEncryption) {
    out.type = PublicKeyType::Rsa;
  } else if (out.algorithm == kEcPublicKey) {
    out.type = PublicKeyType::Ec;
    if (!parameters) throw Error(ErrorArea::Lds, kStep, "EC public key without domain parameters");
    if (parameters->tag == 0x30) {
      out.explicitEcParameters = true;
      out.curveName = namedCurveOfExplicit(parameters->whole);
      if (out.curveName) {
        out.deviations.push_back({"dg15.explicit-ec-parameters", "explicit EC parameters equal to " + *out.curveName});
      } else {
        out.deviations.push_back({"dg15.unnamed-ec-parameters",
                                  "explicit EC parameters equal to no known named curve: do not compute with them"});
      }
    }
  }

  const unsigned char* p = out.subjectPublicKeyInfo.data();
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(out.subjectPublicKeyInfo.size()));
  if (key == nullptr) {
    out.keyError = "OpenSSL cannot load the key: " + ossl::opensslErrors();
    out.deviations.push_back({"dg15.key-unusable", out.keyError});
    return out;
  }
  out.key = PublicKeyPtr(key, EVP_PKEY_free);
  if (out.type == PublicKeyType::Ec && !out.explicitEcParameters) {
    char name[64];
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof name, &length) == 1) out.curveName = std::string(name, length);
    ossl::opensslErrors();
  }
  return out;
}

Dg15 parseDg15(ByteView dg15) {
  TlvReader reader(dg15);
  Tlv file = reader.next();
  if (file.tag != 0x6F) {
    throw Error(ErrorArea::Lds, kStep, "not DG15: the file starts with tag " + toHex(encodeTag(file.tag)));
  }
  Dg15 out = parseSubjectPublicKeyInfo(file.value);
  if (!reader.atEnd()) {
    out.deviations.push_back({"dg15.trailing-bytes", std::to_string(reader.rest().size()) + " bytes after DG15"});
  }
  return out;
}

Bytes encodeDg15(ByteView subjectPublicKeyInfo) {
  Tlv spki = decodeOne(subjectPublicKeyInfo);
  if (spki.tag != 0x30) throw Error(ErrorArea::Lds, "encode DG15", "not a SubjectPublicKeyInfo SEQUENCE");
  return encodeTlv(0x6F, subjectPublicKeyInfo);
}

Bytes encodeDg15(const EVP_PKEY* publicKey) {
  if (publicKey == nullptr) throw Error(ErrorArea::Lds, "encode DG15", "no public key");
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(publicKey, &der);
  if (length <= 0) throw Error(ErrorArea::Crypto, "encode DG15", "i2d_PUBKEY failed: " + ossl::opensslErrors());
  Bytes spki(der, der + length);
  OPENSSL_free(der);
  return encodeTlv(0x6F, spki);
}

}  // namespace portti::mrtd
