// Runs a rule set over a transaction's facts. A condition holds only when proven: a missing fact
// (or one of the wrong kind) makes its comparison unknown, and an unknown rule fails like a false
// one. The decision is the most severe outcome among the rules that did not pass (accept when all
// pass; refer when there are no rules at all), and the trace records every rule and fact used.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules.hpp"

namespace portti::firmware {

enum class RuleResult { Passed, Failed, Unknown };
/// "passed", "failed", "unknown".
const char* ruleResultName(RuleResult r);

/// What one rule did.
struct RuleTrace {
  std::string rule;
  int line = 0;
  std::string condition;  ///< the condition as text
  RuleResult result = RuleResult::Unknown;
  Outcome outcome = Outcome::Reject;  ///< the rule's outcome (applied unless it passed)
  std::string reason;
  std::map<std::string, FactValue> facts;  ///< every fact the rule read, missing ones included
  std::vector<std::string> missing;        ///< the facts that were missing
  std::vector<std::string> notes;          ///< e.g. a fact present with the wrong kind
};

struct Decision {
  Outcome outcome = Outcome::Refer;
  std::vector<std::string> reasons;  ///< reason codes of the rules that decided, in file order
  Date today;
  std::string rulesSource;
  std::string rulesDigest;
  std::vector<RuleTrace> trace;  ///< every rule, in file order
};

/// Reason code when a rule set has no rules: nothing was proven, so an officer decides.
inline constexpr const char* kNoRulesReason = "NO_RULES";

/// Evaluates every rule (no short cut: the trace is complete). `today` resolves `today`.
Decision evaluate(const RuleSet& rules, const Facts& facts, const Date& today);

}  // namespace portti::firmware
