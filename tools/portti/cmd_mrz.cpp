// portti mrz check MRZ: parses an MRZ (ICAO Doc 9303 Parts 3-7) and prints what it found as JSON.
// Exit code 0 when the MRZ is valid, 1 when it is not (the errors say why).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>
#include <iterator>
#include <sstream>

#include "args.hpp"
#include "commands.hpp"
#include "portti/mrtd/mrz.hpp"

namespace portti::cli {

namespace {

/// Printable ASCII only: an MRZ argument may hold any bytes, the JSON must stay valid.
std::string printable(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = '?';
  }
  return out;
}

Poco::JSON::Object::Ptr mrzJson(const mrtd::Mrz& m) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("valid", m.valid());
  const bool known = m.format != mrtd::MrzFormat::Unknown;
  auto field = [&](const char* name, const std::string& value) {
    if (known) {
      o->set(name, printable(value));
    } else {
      o->set(name, Poco::Dynamic::Var());
    }
  };
  field("format", mrtd::mrzFormatName(m.format));
  field("document_code", m.documentCode);
  field("issuing_state", m.issuingState);
  field("document_number", m.documentNumber);
  field("date_of_birth", m.dateOfBirth);
  field("date_of_expiry", m.dateOfExpiry);
  field("sex", std::string(1, m.sex));
  field("nationality", m.nationality);
  field("primary_identifier", m.primaryIdentifier);
  field("secondary_identifier", m.secondaryIdentifier);
  field("optional_data", m.optionalData);
  if (m.format == mrtd::MrzFormat::TD1) field("optional_data_2", m.optionalData2);
  if (known) {
    Poco::JSON::Object::Ptr checks = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto& v = m.validity;
    checks->set("document_code", v.documentCode);
    checks->set("issuing_state", v.issuingState);
    checks->set("document_number", v.documentNumber);
    checks->set("date_of_birth", v.dateOfBirth);
    checks->set("sex", v.sex);
    checks->set("date_of_expiry", v.dateOfExpiry);
    checks->set("nationality", v.nationality);
    checks->set("names", v.names);
    checks->set("optional_data", v.optionalData);
    if (v.composite) checks->set("composite", *v.composite);
    o->set("fields", checks);
  }
  Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
  for (const auto& e : m.errors) errors->add(printable(e));
  o->set("errors", errors);
  return o;
}

}  // namespace

int runMrz(const Words& words) {
  Args args(words, {});
  const auto& pos = args.positional();
  if (pos.empty() || pos[0] != "check") throw UsageError("unknown or missing subcommand (expected: check)");
  if (pos.size() != 2) {
    throw UsageError(
        "give the MRZ as one argument, lines joined by a newline or \\n ('-' reads standard input)");
  }
  std::string text = pos[1];
  if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  const mrtd::Mrz mrz = mrtd::parseMrz(mrzArgument(text));
  mrzJson(mrz)->stringify(std::cout, 2);
  std::cout << "\n";
  return mrz.valid() ? 0 : 1;
}

}  // namespace portti::cli
