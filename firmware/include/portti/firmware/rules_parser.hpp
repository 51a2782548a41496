// Reads the rule language (docs/rules.md) with a hand-written lexer and recursive-descent parser.
// Every error carries the line and column where it was found; after an error the parser skips to
// the next `rule` so one run reports every broken rule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules.hpp"

namespace portti::firmware {

/// One problem in a rule file.
struct RuleError {
  SourcePos pos;
  std::string message;
};
/// "SOURCE:LINE:COLUMN: message", the form compilers use (editors jump to it).
std::string formatRuleError(const std::string& source, const RuleError& e);

/// The outcome of parsing: the rules are usable only when there are no errors.
struct RuleParse {
  RuleSet rules;
  std::vector<RuleError> errors;
  bool ok() const { return errors.empty(); }
};

/// Parses `text`; fact names and the kinds compared with them are checked against `catalog`.
/// `source` names the text in messages and in RuleSet::source.
RuleParse parseRules(std::string_view text, const std::string& source = "<text>",
                     const FactCatalog& catalog = FactCatalog::standard());

}  // namespace portti::firmware
