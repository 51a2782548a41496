// SignerInfo verification (RFC 5652 5.4, 5.6) done with the parsed pieces rather than CMS_verify:
// OpenSSL's signer lookup compares issuer names byte-wise in order, which real SODs defeat (MY lists
// the RDNs in another order), and its chain builder refuses explicit EC parameters.
#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include "trust_internal.hpp"

namespace portti::mrtd::pki {

std::string verifySignerInfo(const SignedData& sd, const SignerInfo& si, EVP_PKEY* key,
                             std::vector<std::string>& tolerances, std::string* code) {
  auto fail = [code](const char* c, std::string why) {
    if (code) *code = c;
    return why;
  };
  std::string digestName;
  SignatureScheme scheme;
  try {
    Tlv alg = decodeOne(si.digestAlgorithm);
    Tlv o = decodeFirst(alg.value);
    auto n = o.tag == 0x06 ? digestNameOfOid(oidToText(o.value)) : std::nullopt;
    if (!n) return fail("sod.unsupported-digest", "unsupported SignerInfo digestAlgorithm");
    digestName = *n;
    scheme = signatureScheme(si.signatureAlgorithm, digestName);
  } catch (const Error& e) {
    return fail("sod.unsupported-signature-algorithm", e.detail());
  }
  // ICAO Doc 9303-10 4.6.2.3: signedAttrs are mandatory, with contentType and messageDigest.
  if (si.signedAttributes.empty()) return fail("sod.no-signed-attributes", "SignerInfo has no signed attributes");
  if (!si.contentTypeAttribute) return fail("sod.content-type-attribute", "signed attributes lack contentType");
  if (*si.contentTypeAttribute != sd.eContentType)
    return fail("sod.content-type-attribute",
                "contentType attribute " + *si.contentTypeAttribute + " differs from eContentType " + sd.eContentType);
  if (!si.messageDigestAttribute) return fail("sod.message-digest-mismatch", "signed attributes lack messageDigest");
  Bytes md = digest(digestName, sd.eContent);
  if (md.size() != si.messageDigestAttribute->size() ||
      CRYPTO_memcmp(md.data(), si.messageDigestAttribute->data(), md.size()) != 0)
    return fail("sod.message-digest-mismatch",
                "messageDigest attribute does not match the " + digestName + " hash of the signed content");
  if (verifySignature(key, scheme, si.signedAttributes, si.signature)) return "";
  // Issuers pair a digestAlgorithm with a signatureAlgorithm naming another hash (e.g. SHA-512 with
  // sha256WithRSAEncryption). Both hashes are sound; the second is a named, recorded tolerance.
  if (!scheme.hash.empty() && scheme.hash != digestName && scheme.kind != SignatureScheme::Kind::RsaPss) {
    SignatureScheme alt = scheme;
    alt.hash = digestName;
    if (verifySignature(key, alt, si.signedAttributes, si.signature)) {
      tolerances.push_back("signature-hash-from-digest-algorithm");
      return "";
    }
  }
  return fail("sod.signature-invalid", "signature (" + scheme.name + ") over the signed attributes does not verify");
}

namespace {
bool sameSerial(const Bytes& a, const ASN1_INTEGER* b) {
  BnPtr x(BN_bin2bn(a.data(), static_cast<int>(a.size()), nullptr));
  BnPtr y(ASN1_INTEGER_to_BN(b, nullptr));
  return x && y && BN_cmp(x.get(), y.get()) == 0;
}
}  // namespace

CertPtr findSignerCertificate(const SignerInfo& si, const std::vector<CertPtr>& certs,
                              std::vector<std::string>& tolerances) {
  if (!si.subjectKeyIdentifier.empty()) {
    for (const CertPtr& c : certs) {
      const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(c->x.get());
      if (ski && Bytes(ASN1_STRING_get0_data(ski), ASN1_STRING_get0_data(ski) + ASN1_STRING_length(ski)) ==
                     si.subjectKeyIdentifier)
        return c;
    }
    return nullptr;
  }
  const unsigned char* p = si.issuer.data();
  X509NamePtr issuer(d2i_X509_NAME(nullptr, &p, static_cast<long>(si.issuer.size())));
  if (!issuer) {
    opensslErrors();
    return nullptr;
  }
  for (const CertPtr& c : certs) {
    if (!sameSerial(si.serialNumber, X509_get0_serialNumber(c->x.get()))) continue;
    const X509_NAME* ci = X509_get_issuer_name(c->x.get());
    if (!sameName(ci, issuer.get())) continue;
    if (X509_NAME_cmp(ci, issuer.get()) != 0) tolerances.push_back("signer-issuer-name-reordered");
    return c;
  }
  return nullptr;
}

}  // namespace portti::mrtd::pki
