// The verification result a kiosk sends to the case system (issue 7 item 4): a random transaction
// id, kiosk id, times, mode (and case number at a service point), document facts (type, issuing
// state, expiry; the document number only as a keyed pseudonym unless the case system asks for it),
// chip verdicts, face / morph scores, every step, the rule trace and the decision. No name, no date
// of birth, no images unless the configuration says so. Signing is delivery's (ResultSigner).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "portti/firmware/transaction.hpp"

namespace portti::firmware {

struct ResultOptions {
  std::string kioskId;
  std::vector<std::uint8_t> pseudonymKey;  ///< HMAC-SHA-256 key for the document number
  bool includeDocumentNumber = false;
  bool includeImages = false;
};

/// The keyed pseudonym of a document: HMAC-SHA-256(key, issuing state "/" document number), hex.
/// The same document gives the same pseudonym at one kiosk fleet (same key), nothing to anyone else.
std::string documentPseudonym(const std::vector<std::uint8_t>& key, const std::string& issuingState,
                              const std::string& documentNumber);

/// "YYMMDD" expiry to "YYYY-MM-DD" (expiry years are 20YY); empty when malformed.
std::string expiryDate(const std::string& yymmdd);

class ResultBuilder {
 public:
  explicit ResultBuilder(ResultOptions options);

  /// The result as JSON (key order fixed, so the same transaction gives the same bytes).
  Poco::JSON::Object::Ptr build(const Transaction& tx) const;
  /// build() as compact text: what is signed and stored.
  std::string buildText(const Transaction& tx) const;

 private:
  ResultOptions options_;
};

}  // namespace portti::firmware
