// Audit fields of decisions, rule reloads, the gate and the daemon's life.
#include "portti/firmware/audit_events.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "json_support.hpp"

namespace portti::firmware {

namespace {

Poco::JSON::Object ordered() {
  return Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

}  // namespace

Poco::JSON::Object decisionAuditFields(const std::string& transactionId, const Decision& d) {
  Poco::JSON::Object o = ordered();
  o.set("transaction", transactionId);
  o.set("decision", outcomeName(d.outcome));
  o.set("reasons", stringArray(d.reasons));
  o.set("rules_sha256", d.rulesDigest);
  std::vector<std::string> notPassed;
  for (const auto& t : d.trace) {
    if (t.result != RuleResult::Passed) notPassed.push_back(t.rule);
  }
  o.set("not_passed", stringArray(notPassed));
  return o;
}

Poco::JSON::Object rulesReloadedAuditFields(const RuleSet& rules) {
  Poco::JSON::Object o = ordered();
  o.set("source", rules.source);
  o.set("sha256", rules.digest);
  o.set("rules", rules.rules.size());
  return o;
}

Poco::JSON::Object rulesRefusedAuditFields(const std::string& source, const std::vector<RuleError>& errors,
                                           const std::string& inForceDigest) {
  Poco::JSON::Object o = ordered();
  o.set("source", source);
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& e : errors) {
    Poco::JSON::Object::Ptr item = newObject();
    item->set("line", e.pos.line);
    item->set("column", e.pos.column);
    item->set("message", e.message);
    list->add(item);
  }
  o.set("errors", list);
  o.set("in_force_sha256", inForceDigest);
  return o;
}

std::optional<AuditEvent> gateAuditEvent(const Transaction& tx, std::chrono::milliseconds openFor) {
  AuditEvent e{"", ordered()};
  e.fields.set("transaction", tx.id);
  if (tx.gateOpened) {
    e.event = "gate_opened";
    e.fields.set("open_for_ms", static_cast<std::int64_t>(openFor.count()));
    return e;
  }
  const auto& reasons = tx.decision ? tx.decision->reasons : std::vector<std::string>{};
  const StepRecord* actuation = tx.step(TransactionState::Actuation);
  std::string cause;
  if (std::find(reasons.begin(), reasons.end(), "RESULT_NOT_STORED") != reasons.end()) {
    cause = "result not stored";
  } else if (actuation && actuation->verdict == Verdict::Failed) {
    cause = actuation->reason;  // "gate: <device error>"
  } else {
    return std::nullopt;
  }
  e.event = "gate_fail_safe";
  e.fields.set("cause", cause);
  return e;
}

AuditEvent gateClosedAuditEvent(const std::string& transactionId, const std::string& cause) {
  AuditEvent e{"gate_closed", ordered()};
  e.fields.set("transaction", transactionId);
  e.fields.set("cause", cause);
  return e;
}

AuditEvent daemonStartedAuditEvent(const std::string& version, Mode mode, const std::string& rulesDigest) {
  AuditEvent e{"daemon_started", ordered()};
  e.fields.set("version", version);
  e.fields.set("mode", modeName(mode));
  e.fields.set("rules_sha256", rulesDigest);
  return e;
}

AuditEvent daemonStoppedAuditEvent(std::uint64_t transactions) {
  AuditEvent e{"daemon_stopped", ordered()};
  e.fields.set("transactions", transactions);
  return e;
}

}  // namespace portti::firmware
