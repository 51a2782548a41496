// Private: the trust store's contents and the certificate checks shared by master lists and PA.
#pragma once

#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ossl.hpp"
#include "portti/mrtd/pki/signed_data.hpp"
#include "portti/mrtd/pki/trust_store.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::pki {

/// A parsed certificate with its normalised public key, computed once (master lists hold hundreds).
struct CertEntry {
  X509Ptr x;
  Bytes der;
  std::string source;
  /// The normalised key, or nullptr when it was refused (keyError says why).
  EVP_PKEY* publicKey() const;
  const std::string& keyError() const;
  const std::string& keyTolerance() const;  ///< "explicit-ec-parameters" or empty
  std::string subject() const;

 private:
  mutable std::once_flag once_;
  mutable PkeyPtr key_;
  mutable std::string keyError_;
  mutable std::string tolerance_;
};
using CertPtr = std::shared_ptr<CertEntry>;

CertPtr makeEntry(ByteView der, const std::string& source);

/// True when `cert` says it is a CA (basicConstraints cA TRUE).
bool isCa(X509* cert);
/// Empty when `cert` is valid at `at`, else the reason.
std::string validityProblem(X509* cert, std::time_t at);
/// "expired" / "not-yet-valid" for a certificate outside its validity at `at`, else empty.
std::string validityCode(X509* cert, std::time_t at);
/// True when `cert` has a critical extension OpenSSL does not know (RFC 5280 4.2: reject).
bool hasUnknownCriticalExtension(X509* cert);

/// Outcome of looking for the issuer of a certificate among candidates.
struct IssuerSearch {
  CertPtr issuer;              ///< set when a candidate's key verifies the certificate's signature
  bool candidatesFound = false;  ///< some candidate matched by name or key identifier
  std::string reason;          ///< why none verified
  std::vector<std::string> tolerances;
};
/// Finds the issuer by name (RDN sets compared canonically) and by AKI = SKI, and proves it by
/// verifying the certificate's signature with the candidate's normalised key. Candidates valid at
/// `preferValidAt` are tried first: one authority often has several certificates for the same key
/// (self-signed and link certificates with different validity).
IssuerSearch findIssuer(const CertEntry& cert, const std::vector<CertPtr>& candidates,
                        std::optional<std::time_t> preferValidAt = std::nullopt);

/// Checks one SignerInfo of a SignedData: contentType attribute = eContentType, messageDigest =
/// hash(eContent) with its digestAlgorithm, and the signature over the signed attributes under the
/// scheme of its signatureAlgorithm, with `key`. Empty string on success, else the reason; `code`
/// (when given) receives the reason code ("sod.message-digest-mismatch", ...).
std::string verifySignerInfo(const SignedData& sd, const SignerInfo& si, EVP_PKEY* key,
                             std::vector<std::string>& tolerances, std::string* code = nullptr);
/// The certificate a SignerInfo names (issuer + serial, names compared as RDN sets; or SKI).
CertPtr findSignerCertificate(const SignerInfo& si, const std::vector<CertPtr>& certs,
                              std::vector<std::string>& tolerances);

struct CrlEntry {
  X509CrlPtr crl;
  Bytes der;
  std::string source;
};

namespace detail {
struct TrustStoreImpl {
  struct List {
    std::string source;
    SignedData signedData;
    std::vector<CertPtr> certificates;
  };
  std::vector<CertPtr> explicitAnchors;  ///< CA certificates given as files
  std::vector<CertPtr> otherCertificates;  ///< non-CA certificates given as files (never anchors)
  std::vector<List> lists;
  std::vector<CrlEntry> crls;
  std::vector<std::string> skipped;

  /// Explicit anchors plus the CAs of master lists whose signer chains to an explicit anchor.
  std::vector<CertPtr> anchors(std::time_t at, std::vector<MasterListReport>* reports = nullptr) const;
  /// Whether `entry` is one of the explicit anchors (not from a list).
  bool isExplicit(const CertEntry* entry) const;
};
}  // namespace detail

}  // namespace portti::mrtd::pki
