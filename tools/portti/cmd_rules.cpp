// portti rules check FILE: validates a decision rule file (docs/rules.md); prints every error as
// FILE:LINE:COLUMN: message and exits 1 when there is one.
// portti rules eval FILE --facts FACTS.json [--today YYYY-MM-DD]: runs the rules over facts given as
// a JSON object and prints the decision with its trace (for trying a rule change before it ships).
#include <Poco/JSON/Parser.h>

#include <iostream>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "portti/firmware/rules_eval.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/rules_json.hpp"

namespace portti::cli {

namespace {

int check(const std::string& path) {
  const mrtd::Bytes bytes = readFile(path);
  const auto parse = firmware::parseRules(std::string(bytes.begin(), bytes.end()), path);
  for (const auto& e : parse.errors) std::cout << firmware::formatRuleError(path, e) << "\n";
  if (!parse.ok()) return 1;
  std::cout << path << ": ok, " << parse.rules.rules.size() << " rules, sha256 " << parse.rules.digest << "\n";
  return 0;
}

int eval(const std::string& path, const Args& args) {
  const firmware::RuleSet rules = firmware::loadRuleFile(path);
  const mrtd::Bytes factBytes = readFile(args.require("facts"));
  const auto facts = Poco::JSON::Parser()
                         .parse(std::string(factBytes.begin(), factBytes.end()))
                         .extract<Poco::JSON::Object::Ptr>();
  firmware::Date today = firmware::todayUtc();
  if (auto t = args.get("today")) {
    auto d = firmware::parseDate(*t);
    if (!d) throw UsageError("--today takes YYYY-MM-DD");
    today = *d;
  }
  const auto decision = firmware::evaluate(rules, firmware::factsFromJson(*facts), today);
  firmware::decisionJson(decision)->stringify(std::cout, 2);
  std::cout << "\n";
  return 0;
}

}  // namespace

int runRules(const Words& words) {
  Args args(words, {});
  const auto& pos = args.positional();
  if (pos.size() != 2 || (pos[0] != "check" && pos[0] != "eval")) {
    throw UsageError("expected 'rules check FILE' or 'rules eval FILE --facts FACTS.json'");
  }
  return pos[0] == "check" ? check(pos[1]) : eval(pos[1], args);
}

}  // namespace portti::cli
