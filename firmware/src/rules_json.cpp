// Decision and trace as JSON (Poco::JSON, keys in a fixed order so results diff cleanly).
#include "portti/firmware/rules_json.hpp"

#include <Poco/JSON/Array.h>

#include <stdexcept>

#include "json_support.hpp"

namespace portti::firmware {

Poco::Dynamic::Var factJson(const FactValue& v) {
  if (isMissing(v)) return Poco::Dynamic::Var();
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto n = std::get_if<double>(&v)) return *n;
  if (auto s = std::get_if<std::string>(&v)) return *s;
  return formatDate(std::get<Date>(v));
}

Poco::JSON::Object::Ptr decisionJson(const Decision& d) {
  auto o = newObject();
  o->set("decision", outcomeName(d.outcome));
  o->set("reasons", stringArray(d.reasons));
  o->set("today", formatDate(d.today));
  auto rules = newObject();
  rules->set("source", d.rulesSource);
  rules->set("sha256", d.rulesDigest);
  o->set("rules", rules);
  Poco::JSON::Array::Ptr trace = new Poco::JSON::Array;
  for (const RuleTrace& t : d.trace) {
    auto r = newObject();
    r->set("rule", t.rule);
    r->set("line", t.line);
    r->set("condition", t.condition);
    r->set("result", ruleResultName(t.result));
    r->set("outcome", outcomeName(t.outcome));
    r->set("reason", t.reason);
    auto facts = newObject();
    for (const auto& [name, value] : t.facts) facts->set(name, factJson(value));
    r->set("facts", facts);
    r->set("missing", stringArray(t.missing));
    if (!t.notes.empty()) r->set("notes", stringArray(t.notes));
    trace->add(r);
  }
  o->set("trace", trace);
  return o;
}

Facts factsFromJson(const Poco::JSON::Object& o, const FactCatalog& catalog) {
  Facts facts;
  for (const auto& [name, value] : o) {
    if (value.isEmpty()) continue;  // null: missing
    if (value.type() == typeid(bool)) {
      facts.set(name, value.extract<bool>());
    } else if (value.isNumeric()) {
      facts.set(name, value.convert<double>());
    } else if (value.isString()) {
      const std::string s = value.convert<std::string>();
      if (catalog.kind(name) == FactKind::Date) {
        auto d = parseDate(s);
        if (!d) throw std::invalid_argument("fact '" + name + "': '" + s + "' is not a date (YYYY-MM-DD)");
        facts.set(name, *d);
      } else {
        facts.set(name, s);
      }
    } else {
      throw std::invalid_argument("fact '" + name + "': give true/false, a number, a string or null");
    }
  }
  return facts;
}

}  // namespace portti::firmware
