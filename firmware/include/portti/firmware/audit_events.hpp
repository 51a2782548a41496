// The fields the appliance records in the audit log: enough to reconstruct why a gate opened
// (decision, reasons, which rules, which failed), when the rules changed or were refused, what the
// gate did and when the daemon ran; no fact values (scores, dates, states stay in the signed result)
// and no personal data.
#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portti/firmware/rules_eval.hpp"
#include "portti/firmware/rules_parser.hpp"
#include "portti/firmware/transaction.hpp"

namespace portti::firmware {

/// One record to append: its event name and fields.
struct AuditEvent {
  std::string event;
  Poco::JSON::Object fields;
};

/// Event "decision": {"transaction", "decision", "reasons", "rules_sha256", "not_passed": [rule names]}.
Poco::JSON::Object decisionAuditFields(const std::string& transactionId, const Decision& d);

/// Event "rules_reloaded": {"source", "sha256", "rules"}.
Poco::JSON::Object rulesReloadedAuditFields(const RuleSet& rules);
/// Event "rules_refused": {"source", "errors": [{"line", "column", "message"}], "in_force_sha256"}:
/// where the new file is broken (line 0: it could not be read) and which rules stay in force.
Poco::JSON::Object rulesRefusedAuditFields(const std::string& source, const std::vector<RuleError>& errors,
                                           const std::string& inForceDigest);

/// What a finished transaction did with the gate: "gate_opened" {"transaction", "open_for_ms"};
/// "gate_fail_safe" {"transaction", "cause"} when the gate was kept closed although the rules may
/// have let the traveller through (the result could not be stored, the gate failed); nothing when
/// the decision itself kept it closed (the decision record says so).
std::optional<AuditEvent> gateAuditEvent(const Transaction& tx, std::chrono::milliseconds openFor);
/// "gate_closed" {"transaction", "cause"}: an open gate closed ("passage time over", "forced closed"
/// before that, "shutdown").
AuditEvent gateClosedAuditEvent(const std::string& transactionId, const std::string& cause);

/// "daemon_started" {"version", "mode", "rules_sha256"} and "daemon_stopped" {"transactions"}.
AuditEvent daemonStartedAuditEvent(const std::string& version, Mode mode, const std::string& rulesDigest);
AuditEvent daemonStoppedAuditEvent(std::uint64_t transactions);

}  // namespace portti::firmware
