// The fields the appliance records in the audit log for its decisions and rule changes: enough to
// reconstruct why a gate opened (decision, reasons, which rules, which failed), no fact values
// (scores, dates, states stay in the signed result) and no personal data.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "portti/firmware/rules_eval.hpp"

namespace portti::firmware {

/// Event "decision": {"transaction", "decision", "reasons", "rules_sha256", "not_passed": [rule names]}.
Poco::JSON::Object decisionAuditFields(const std::string& transactionId, const Decision& d);

/// Event "rules_reloaded" ({"source", "sha256", "rules"}) or "rules_refused" ({"source", "errors"}).
Poco::JSON::Object rulesReloadedAuditFields(const RuleSet& rules);
Poco::JSON::Object rulesRefusedAuditFields(const std::string& source, const std::vector<std::string>& errors);

}  // namespace portti::firmware
