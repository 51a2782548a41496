// Passive Authentication (ICAO Doc 9303-11 5.1, -12): is the data on the chip what the issuing State
// signed? The verdict is structured (CLARIFICATIONS 3): an overall status, per-part checks, exact
// reasons and the tolerances applied, so an officer can see why a document was accepted.
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/pki/trust_store.hpp"

namespace portti::mrtd::pki {

/// Overall verdict. `Indeterminate`: signature and hashes may be fine, but no trusted CSCA is
/// known for the document signer's issuer (an honest answer, not a reader failure).
enum class PaStatus { Valid, Invalid, Indeterminate };

/// One part of PA. Every part starts as NotDone and becomes Passed only on proof.
enum class CheckStatus { NotDone, Passed, Failed };

const char* toString(PaStatus s);     ///< "valid", "invalid", "indeterminate"
const char* toString(CheckStatus s);  ///< "passed", "failed", "not done"

struct PaOptions {
  /// Verification time for every validity check (`--at`); nullopt: now. Document expiry is not PA.
  std::optional<std::time_t> at;
};

struct PassiveAuthResult {
  PaStatus status = PaStatus::Invalid;
  std::vector<std::string> reasons;  ///< why not valid (exact: which DG, which certificate, why)
  /// One stable reason code per failure, for machines (docs/conformance.md lists them):
  ///  sod.malformed, sod.wrong-content-type, sod.unsupported-digest, sod.signer-certificate-missing,
  ///  sod.signer-key-refused, sod.no-signed-attributes, sod.content-type-attribute,
  ///  sod.message-digest-mismatch, sod.signature-invalid, dgN.not-in-sod, dgN.hash-mismatch,
  ///  trust.no-csca (indeterminate), cert.dsc-signature-invalid, cert.dsc-expired,
  ///  cert.dsc-not-yet-valid, cert.csca-expired, cert.csca-not-yet-valid, cert.csca-not-ca,
  ///  cert.csca-key-usage, cert.dsc-key-usage, cert.dsc-unknown-critical-extension,
  ///  cert.csca-unknown-critical-extension, cert.dsc-revoked, cert.csca-revoked.
  std::vector<std::string> codes;
  std::vector<std::string> notes;    ///< facts that do not change the status (e.g. revocation not checked)
  /// Warnings that do not change the status but an operator must see, each "code: text"
  /// (crl.past-next-update: a CRL used although its nextUpdate has passed).
  std::vector<std::string> warnings;
  CheckStatus signature = CheckStatus::NotDone;    ///< SOD SignerInfo under the DSC key
  CheckStatus hashes = CheckStatus::NotDone;       ///< every given DG against the SOD
  CheckStatus chain = CheckStatus::NotDone;        ///< DSC issued by a trusted CSCA, validity, usage
  CheckStatus revocation = CheckStatus::NotDone;   ///< DSC against a CRL of its CSCA
  CheckStatus trustSource = CheckStatus::NotDone;  ///< the CSCA is explicit or from a trusted master list
  std::string digestAlgorithm;           ///< LDSSecurityObject hashAlgorithm, "SHA-256"
  std::string signatureAlgorithm;        ///< the scheme of the SignerInfo, for display
  std::map<int, Bytes> dgHashes;         ///< as listed in the SOD
  std::vector<int> checkedDgs;           ///< DGs whose hash matched
  std::string signerSubject, signerIssuer;  ///< the DSC
  std::string signerCountry;                ///< countryName (C) of the DSC subject, e.g. "UT"
  std::string cscaSubject;                  ///< the anchor that issued the DSC
  std::string cscaSource;                   ///< file or master list it came from
  /// Named deviations from Doc 9303 that were accepted, each by a general rule:
  ///  "explicit-ec-parameters"      a key with explicit EC parameters equal to a named curve (AT, DE, FI)
  ///  "econtent-type-id-data"       eContentType id-data holding an LDSSecurityObject (CN)
  ///  "signer-issuer-name-reordered" SignerInfo issuer with the RDNs in another order (MY)
  ///  "signature-hash-from-digest-algorithm" the signature verifies only with the SignerInfo's
  ///                                digestAlgorithm, not the hash its signatureAlgorithm names
  std::vector<std::string> tolerances;
};

/// Verifies an EF.SOD and the data groups given (number -> raw bytes as read, tag included).
/// Never throws for a bad SOD: a malformed or wrongly signed SOD is an `invalid` verdict.
PassiveAuthResult verifyPassive(ByteView sod, const std::map<int, Bytes>& dataGroups, const TrustStore& trust,
                                const PaOptions& options = {});

/// Parses YYYY-MM-DD (00:00:00 UTC); throws std::invalid_argument.
std::time_t parseDate(const std::string& yyyyMmDd);

}  // namespace portti::mrtd::pki
