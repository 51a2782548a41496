// Evaluation with three truth values: true, false and unknown (a missing fact or one of the wrong
// kind). all() is false if any part is false, else unknown if any part is unknown; any() is true if
// any part is true, else unknown if any is unknown; not(unknown) stays unknown. Only a proven
// `true` passes a rule.
#include "portti/firmware/rules_eval.hpp"

#include <algorithm>

namespace portti::firmware {

const char* ruleResultName(RuleResult r) {
  switch (r) {
    case RuleResult::Passed: return "passed";
    case RuleResult::Failed: return "failed";
    case RuleResult::Unknown: return "unknown";
  }
  return "?";
}

namespace {

enum class Truth { False, True, Unknown };

class Evaluator {
 public:
  Evaluator(const Facts& facts, const Date& today, RuleTrace& trace) : facts_(facts), today_(today), trace_(trace) {}

  Truth eval(const Condition& c) {
    switch (c.kind) {
      case Condition::Kind::All: {
        Truth t = Truth::True;
        for (const auto& child : c.children) {  // every child is evaluated: the trace lists all facts
          const Truth r = eval(child);
          if (r == Truth::False) t = Truth::False;
          if (r == Truth::Unknown && t == Truth::True) t = Truth::Unknown;
        }
        return t;
      }
      case Condition::Kind::Any: {
        Truth t = Truth::False;
        for (const auto& child : c.children) {
          const Truth r = eval(child);
          if (r == Truth::True) t = Truth::True;
          if (r == Truth::Unknown && t == Truth::False) t = Truth::Unknown;
        }
        return t;
      }
      case Condition::Kind::Not: {
        const Truth r = eval(c.children.at(0));
        return r == Truth::Unknown ? r : (r == Truth::True ? Truth::False : Truth::True);
      }
      case Condition::Kind::IsTrue: {
        const FactValue v = read(c.fact, FactKind::Bool);
        if (isMissing(v)) return Truth::Unknown;
        return std::get<bool>(v) ? Truth::True : Truth::False;
      }
      case Condition::Kind::Compare: return compare(c);
    }
    return Truth::Unknown;
  }

 private:
  // The fact's value, recorded in the trace; missing (and noted) when it has another kind.
  FactValue read(const std::string& name, FactKind expected) {
    FactValue v = facts_.get(name);
    trace_.facts[name] = v;
    if (isMissing(v)) {
      if (std::find(trace_.missing.begin(), trace_.missing.end(), name) == trace_.missing.end()) {
        trace_.missing.push_back(name);
      }
      return v;
    }
    if (kindOf(v) != expected) {
      trace_.notes.push_back("fact '" + name + "' is a " + factKindName(*kindOf(v)) + ", the rule needs a " +
                             factKindName(expected));
      return FactValue{};
    }
    return v;
  }

  FactValue resolve(const Literal& l) const { return l.today ? FactValue{today_} : l.value; }

  Truth compare(const Condition& c) {
    const FactValue lhs = resolve(c.values.at(0));
    const FactValue v = read(c.fact, *kindOf(lhs));
    if (isMissing(v)) return Truth::Unknown;
    auto result = [](bool b) { return b ? Truth::True : Truth::False; };
    switch (c.op) {
      case CompareOp::Eq: return result(v == lhs);
      case CompareOp::Ne: return result(v != lhs);
      case CompareOp::Lt: return result(v < lhs);
      case CompareOp::Le: return result(v <= lhs);
      case CompareOp::Gt: return result(v > lhs);
      case CompareOp::Ge: return result(v >= lhs);
      case CompareOp::In:
        return result(std::any_of(c.values.begin(), c.values.end(), [&](const Literal& l) { return resolve(l) == v; }));
    }
    return Truth::Unknown;
  }

  const Facts& facts_;
  const Date& today_;
  RuleTrace& trace_;
};

}  // namespace

Decision evaluate(const RuleSet& rules, const Facts& facts, const Date& today) {
  Decision d;
  d.today = today;
  d.rulesSource = rules.source;
  d.rulesDigest = rules.digest;
  d.outcome = Outcome::Accept;
  for (const Rule& rule : rules.rules) {
    RuleTrace t;
    t.rule = rule.name;
    t.line = rule.pos.line;
    t.condition = conditionText(rule.condition);
    t.outcome = rule.outcome;
    t.reason = rule.reason;
    const Truth r = Evaluator(facts, today, t).eval(rule.condition);
    t.result = r == Truth::True ? RuleResult::Passed : (r == Truth::False ? RuleResult::Failed : RuleResult::Unknown);
    if (t.result != RuleResult::Passed && rule.outcome > d.outcome) d.outcome = rule.outcome;
    d.trace.push_back(std::move(t));
  }
  for (const RuleTrace& t : d.trace) {
    if (t.result != RuleResult::Passed && t.outcome == d.outcome && d.outcome != Outcome::Accept) {
      d.reasons.push_back(t.reason);
    }
  }
  if (rules.rules.empty()) {
    d.outcome = Outcome::Refer;
    d.reasons = {kNoRulesReason};
  }
  return d;
}

}  // namespace portti::firmware
