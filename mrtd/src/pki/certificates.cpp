// Certificate checks done with the parsed pieces instead of X509_verify_cert: OpenSSL 3 refuses keys
// with explicit EC parameters in chain building, and ICAO chains are one step (DSC -> CSCA, master-list
// signer -> CSCA), so verifying the signature of the to-be-signed bytes with the issuer's normalised
// key, plus validity, basicConstraints and keyUsage, is both simpler and more robust than
// rewriting certificates for the library's chain builder.
#include <openssl/x509v3.h>

#include <algorithm>

#include "trust_internal.hpp"

namespace portti::mrtd::pki {

EVP_PKEY* CertEntry::publicKey() const {
  std::call_once(once_, [this] {
    try {
      X509_PUBKEY* pk = X509_get_X509_PUBKEY(x.get());
      unsigned char* buf = nullptr;
      int len = i2d_X509_PUBKEY(pk, &buf);
      if (len <= 0) throwCrypto("PUBLIC KEY", "cannot encode SubjectPublicKeyInfo");
      Bytes spki(buf, buf + len);
      OPENSSL_free(buf);
      key_ = normalisedPublicKey(spki, &tolerance_);
    } catch (const Error& e) {
      keyError_ = e.detail();
    }
  });
  return key_.get();
}

const std::string& CertEntry::keyError() const {
  publicKey();
  return keyError_;
}

const std::string& CertEntry::keyTolerance() const {
  publicKey();
  return tolerance_;
}

std::string CertEntry::subject() const { return nameText(X509_get_subject_name(x.get())); }

CertPtr makeEntry(ByteView der, const std::string& source) {
  auto e = std::make_shared<CertEntry>();
  e->x = parseCertificate(der, source);
  e->der.assign(der.begin(), der.end());
  e->source = source;
  return e;
}

bool isCa(X509* cert) { return (X509_get_extension_flags(cert) & EXFLAG_CA) != 0; }

std::string validityProblem(X509* cert, std::time_t at) {
  std::time_t t = at;
  if (X509_cmp_time(X509_get0_notBefore(cert), &t) > 0) return "not yet valid at the verification time";
  if (X509_cmp_time(X509_get0_notAfter(cert), &t) < 0) return "expired at the verification time";
  return "";
}

std::string validityCode(X509* cert, std::time_t at) {
  std::time_t t = at;
  if (X509_cmp_time(X509_get0_notBefore(cert), &t) > 0) return "not-yet-valid";
  if (X509_cmp_time(X509_get0_notAfter(cert), &t) < 0) return "expired";
  return "";
}

bool hasUnknownCriticalExtension(X509* cert) { return (X509_get_extension_flags(cert) & EXFLAG_CRITICAL) != 0; }

namespace {
Bytes keyId(const ASN1_OCTET_STRING* s) {
  if (!s) return {};
  return Bytes(ASN1_STRING_get0_data(s), ASN1_STRING_get0_data(s) + ASN1_STRING_length(s));
}
}  // namespace

IssuerSearch findIssuer(const CertEntry& cert, const std::vector<CertPtr>& all,
                        std::optional<std::time_t> preferValidAt) {
  IssuerSearch out;
  std::vector<CertPtr> candidates = all;
  if (preferValidAt)
    std::stable_partition(candidates.begin(), candidates.end(),
                          [&](const CertPtr& c) { return validityProblem(c->x.get(), *preferValidAt).empty(); });
  const X509_NAME* issuerName = X509_get_issuer_name(cert.x.get());
  Bytes aki = keyId(X509_get0_authority_key_id(cert.x.get()));
  SignedX509Parts parts;
  SignatureScheme scheme;
  try {
    parts = splitSigned(cert.der);
    scheme = signatureScheme(parts.algorithm, "");
  } catch (const Error& e) {
    out.reason = "certificate " + cert.subject() + ": " + e.detail();
    return out;
  }
  for (const CertPtr& c : candidates) {
    bool byName = sameName(X509_get_subject_name(c->x.get()), issuerName);
    Bytes ski = keyId(X509_get0_subject_key_id(c->x.get()));
    bool byKey = !aki.empty() && aki == ski;
    if (!byName && !byKey) continue;
    out.candidatesFound = true;
    EVP_PKEY* key = c->publicKey();
    if (!key) {
      out.reason = "key of " + c->subject() + " refused: " + c->keyError();
      continue;
    }
    if (verifySignature(key, scheme, parts.toBeSigned, parts.signature)) {
      out.issuer = c;
      if (!c->keyTolerance().empty()) out.tolerances.push_back(c->keyTolerance());
      return out;
    }
    if (out.reason.empty())
      out.reason = "signature (" + scheme.name + ") of " + cert.subject() + " does not verify with the key of " +
                   c->subject();
  }
  if (!out.candidatesFound) out.reason = "no trusted CSCA named " + nameText(issuerName);
  return out;
}

}  // namespace portti::mrtd::pki
