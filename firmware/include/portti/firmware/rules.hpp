// Decision rules: a parsed rule file. Each rule is a condition on facts and the outcome (accept,
// refer to an officer, reject) with a reason code that applies when the condition does not hold.
// The language is described in docs/rules.md; rules_parser.hpp reads it, rules_eval.hpp runs it.
#pragma once

#include <string>
#include <vector>

#include "portti/firmware/facts.hpp"

namespace portti::firmware {

/// What a failed rule asks for, in increasing severity: the decision is the most severe one.
enum class Outcome { Accept = 0, Refer = 1, Reject = 2 };
/// "accept", "refer", "reject".
const char* outcomeName(Outcome outcome);

/// A place in the rule file, 1-based.
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// A constant on the right of a comparison: a value, or `today` (resolved when evaluated).
struct Literal {
  FactValue value;  ///< unused when `today` is set
  bool today = false;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, In };
/// "==", "!=", "<", "<=", ">", ">=", "in".
const char* compareOpText(CompareOp op);

/// A condition. `all(..)` / `any(..)` / `not` combine; a comparison tests one fact against a
/// literal (or a list for `in`); a bare fact name tests a bool fact for `true`.
struct Condition {
  enum class Kind { All, Any, Not, Compare, IsTrue };
  Kind kind = Kind::Compare;
  SourcePos pos;
  std::vector<Condition> children;  ///< All, Any (one or more), Not (exactly one)
  std::string fact;                 ///< Compare, IsTrue
  CompareOp op = CompareOp::Eq;     ///< Compare
  std::vector<Literal> values;      ///< Compare: one, or the list of `in`
};

/// The condition written back in the rule language (for traces and messages).
std::string conditionText(const Condition& c);

struct Rule {
  std::string name;
  SourcePos pos;
  Condition condition;
  Outcome outcome = Outcome::Reject;  ///< applies when the condition is not proven true
  std::string reason;                 ///< reason code, e.g. "FACE_MISMATCH"
};

/// A whole rule file, in file order.
struct RuleSet {
  std::vector<Rule> rules;
  std::string source;  ///< where it came from (a path, or "<text>")
  std::string digest;  ///< SHA-256 of the file's bytes, lower-case hex: which rules decided
};

}  // namespace portti::firmware
