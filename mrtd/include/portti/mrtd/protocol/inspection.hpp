// The inspection verdict: what a border inspection system concludes from a document it read
// (ICAO Doc 9303-11 5, BSI TR-03105 Part 5): Passive Authentication plus the consistency checks
// border guidelines require, each with its own result and reason code (issue 3 item 5).
//
// Checks, by name (each starts `not done` and becomes `passed` only on proof):
//   passive_auth     SOD signature, DG hashes, chain, revocation (pki/passive_auth.hpp)
//   lds_structure    every file read has its data group's tag, a length that matches the file, and
//                    parses (dgN.wrong-tag, dgN.wrong-length, dgN.malformed, com.malformed)
//   com_vs_sod       the data groups EF.COM lists equal those the SOD covers (com.dg-not-in-sod,
//                    sod.dg-not-in-com); DG3/DG4 refused or absent are "not read: EAC required"
//                    (CLARIFICATIONS 12), any other listed DG that is absent: com.listed-dg-absent
//   dg1_vs_mrz       DG1 equals the MRZ that gave access (dg1.mrz-mismatch)
//   issuing_state    DG1's issuing State equals the Document Signer's countryName (ICAO code ->
//                    ISO 3166 alpha-2: D -> DE, UTO -> UT) (dsc.country-mismatch)
//   document_expiry  DG1's date of expiry is not before the verification day (doc.expired).
//                    Not part of PA (CLARIFICATIONS 3): a separate fact with its own code.
//   chip_auth        Chip Authentication as the read did it (ca.failed), counted only on top of a
//                    valid PA that covered DG14 (authenticity.hpp); otherwise `not done`
//   active_auth      Active Authentication likewise (aa.failed), on top of PA covering DG15
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/pki/trust_store.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

namespace portti::mrtd {

/// The overall verdict. `Indeterminate`: nothing failed, but no trusted CSCA is known.
enum class VerdictStatus { Valid, Invalid, Indeterminate };
const char* toString(VerdictStatus s);  ///< "valid", "invalid", "indeterminate"

/// One check of the inspection.
struct InspectionCheck {
  std::string name;                    ///< "passive_auth", "dg1_vs_mrz", ...
  pki::CheckStatus status = pki::CheckStatus::NotDone;
  std::vector<std::string> codes;      ///< reason codes when failed (or why not done)
  std::string detail;                  ///< for a person: what was compared, what differed
};

struct DocumentVerdict {
  VerdictStatus status = VerdictStatus::Invalid;
  pki::PassiveAuthResult passiveAuth;
  std::vector<InspectionCheck> checks;  ///< in the order of the list above
  std::vector<std::string> failures;    ///< reason codes of every failed check, in check order
  std::vector<std::string> warnings;    ///< e.g. a stale CRL ("crl.past-next-update: ..."), a BAC
                                        ///< read although PACE was advertised ("access.downgrade: ...")
  std::vector<std::string> notes;       ///< e.g. "DG3 not read: EAC required"

  /// The check of this name, or nullptr.
  const InspectionCheck* check(std::string_view name) const;
};

/// What the inspection system knows besides the chip.
struct InspectionContext {
  /// The MRZ that gave access (printed MRZ from the reader or manual entry); nullopt when access
  /// was by CAN only: dg1_vs_mrz is then `not done`.
  std::optional<Mrz> accessMrz;
  pki::PaOptions options;  ///< verification time for certificates and document expiry
};

/// Inspects a document as read: runs Passive Authentication over EF.SOD and every data group read,
/// and the consistency checks. Never throws for bad documents: they give an `invalid` verdict.
DocumentVerdict inspectDocument(const DocumentRead& read, const pki::TrustStore& trust,
                                const InspectionContext& context);

/// The reason code of a read that failed before there was a document to inspect:
/// com.malformed (EF.COM broken), com.listed-dg-absent (a DG EF.COM lists is not on the chip),
/// sod.missing, dgN.wrong-length (a file shorter than its length field); PACE offered but failing:
/// pace.card-access-malformed, pace.not-available (a CAN and no PACE portti runs), pace.mse-set-at,
/// pace.access-denied (wrong MRZ / CAN), pace.chip-token-invalid, pace.general-authenticate (the
/// chip refused a step or answered badly); else read.<area>.
std::string readFailureCode(const Error& error);

/// ISO 3166-1 alpha-2 of a Doc 9303-3 issuing State / nationality code ("D" -> "DE", "FIN" ->
/// "FI", "UTO" -> "UT"); trailing fillers are ignored. nullopt for a code we do not know.
std::optional<std::string> alpha2OfIssuingState(std::string_view icaoCode);

}  // namespace portti::mrtd
