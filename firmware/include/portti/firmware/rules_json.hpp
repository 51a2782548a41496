// The decision and its rule trace as JSON, for the signed result and `portti rules eval`.
#pragma once

#include <Poco/JSON/Object.h>

#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules_eval.hpp"

namespace portti::firmware {

/// A fact value as JSON: bool, number, string, date as "YYYY-MM-DD", missing as null.
Poco::Dynamic::Var factJson(const FactValue& v);

/// {"decision","reasons","today","rules":{"source","sha256"},"trace":[{"rule","line","condition",
///  "result","outcome","reason","facts":{name: value|null},"missing":[..],"notes":[..]}]}
Poco::JSON::Object::Ptr decisionJson(const Decision& d);

/// Facts from a JSON object: true/false, numbers, "YYYY-MM-DD" strings for facts the catalog
/// declares as dates, other strings; null means missing. Throws std::invalid_argument naming the
/// fact whose value does not fit.
Facts factsFromJson(const Poco::JSON::Object& o, const FactCatalog& catalog = FactCatalog::standard());

}  // namespace portti::firmware
