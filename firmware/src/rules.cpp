// Names of outcomes and operators, and a condition written back as rule text.
#include "portti/firmware/rules.hpp"

namespace portti::firmware {

const char* outcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::Accept: return "accept";
    case Outcome::Refer: return "refer";
    case Outcome::Reject: return "reject";
  }
  return "?";
}

const char* compareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::Eq: return "==";
    case CompareOp::Ne: return "!=";
    case CompareOp::Lt: return "<";
    case CompareOp::Le: return "<=";
    case CompareOp::Gt: return ">";
    case CompareOp::Ge: return ">=";
    case CompareOp::In: return "in";
  }
  return "?";
}

namespace {

std::string literalText(const Literal& l) {
  if (l.today) return "today";
  if (auto s = std::get_if<std::string>(&l.value)) {
    std::string q = "\"";
    for (char c : *s) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  }
  return describe(l.value);
}

}  // namespace

std::string conditionText(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::All:
    case Condition::Kind::Any: {
      std::string s = c.kind == Condition::Kind::All ? "all(" : "any(";
      for (std::size_t i = 0; i < c.children.size(); ++i) s += (i ? ", " : "") + conditionText(c.children[i]);
      return s + ")";
    }
    case Condition::Kind::Not: {
      const Condition& inner = c.children.at(0);
      const bool simple = inner.kind != Condition::Kind::Compare;
      return simple ? "not " + conditionText(inner) : "not (" + conditionText(inner) + ")";
    }
    case Condition::Kind::IsTrue: return c.fact;
    case Condition::Kind::Compare: {
      std::string s = c.fact + " " + compareOpText(c.op) + " ";
      if (c.op != CompareOp::In) return s + literalText(c.values.at(0));
      s += "[";
      for (std::size_t i = 0; i < c.values.size(); ++i) s += (i ? ", " : "") + literalText(c.values[i]);
      return s + "]";
    }
  }
  return "?";
}

}  // namespace portti::firmware
