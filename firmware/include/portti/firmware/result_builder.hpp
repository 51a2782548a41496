// The verification result a kiosk sends to the case system (issue 7 item 4): a random transaction
// id, kiosk id, times, mode (and case number at a service point), document facts (type, issuing
// state, expiry; the document number only as a keyed pseudonym unless the case system asks for it),
// chip verdicts, face / morph scores, every step, the rule trace and the decision. No name, no date
// of birth, no images unless the configuration says so. Signing is delivery's (ResultSigner).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "portti/firmware/audit_log.hpp"
#include "portti/firmware/result_signer.hpp"
#include "portti/firmware/transaction.hpp"

namespace portti::firmware {

struct ResultOptions {
  std::string kioskId;
  std::string pseudonymKey;  ///< HMAC-SHA-256 key for the document number (>= 16 bytes); empty: none
  bool includeDocumentNumber = false;
  bool includeImages = false;
};

/// The document number goes out as Pseudonymizer(key).pseudonym(issuing state "/" number): the same
/// document gives the same pseudonym across one fleet's kiosks (same key) and nothing to anyone else.
/// The expiry goes out as "YYYY-MM-DD" (facts.hpp mrzDate, the century nearest the transaction's
/// date), empty when the MRZ field is not a date.

class ResultBuilder {
 public:
  explicit ResultBuilder(ResultOptions options);

  /// The result as JSON (key order fixed, so the same transaction gives the same bytes); keys are
  /// snake_case throughout. `audit`: the anchor of the transaction's decision record in the audit
  /// log, carried as "audit": {"seq", "hash"} so a log cut off before it is detected.
  Poco::JSON::Object::Ptr build(const Transaction& tx, const std::optional<AuditAnchor>& audit = std::nullopt) const;
  /// build() as compact text: what is signed and stored.
  std::string buildText(const Transaction& tx, const std::optional<AuditAnchor>& audit = std::nullopt) const;

 private:
  ResultOptions options_;
  std::optional<Pseudonymizer> pseudonymizer_;
};

}  // namespace portti::firmware
