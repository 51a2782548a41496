// Audit fields of decisions and rule reloads.
#include "portti/firmware/audit_events.hpp"

#include <Poco/JSON/Array.h>

namespace portti::firmware {

namespace {

Poco::JSON::Array::Ptr array(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (const auto& s : items) a->add(s);
  return a;
}

}  // namespace

Poco::JSON::Object decisionAuditFields(const std::string& transactionId, const Decision& d) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("transaction", transactionId);
  o.set("decision", outcomeName(d.outcome));
  o.set("reasons", array(d.reasons));
  o.set("rules_sha256", d.rulesDigest);
  std::vector<std::string> notPassed;
  for (const auto& t : d.trace) {
    if (t.result != RuleResult::Passed) notPassed.push_back(t.rule);
  }
  o.set("not_passed", array(notPassed));
  return o;
}

Poco::JSON::Object rulesReloadedAuditFields(const RuleSet& rules) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("source", rules.source);
  o.set("sha256", rules.digest);
  o.set("rules", rules.rules.size());
  return o;
}

Poco::JSON::Object rulesRefusedAuditFields(const std::string& source,
                                           const std::vector<std::string>& errors) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("source", source);
  o.set("errors", array(errors));
  return o;
}

}  // namespace portti::firmware
