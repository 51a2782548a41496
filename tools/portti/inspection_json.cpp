#include "inspection_json.hpp"

#include <Poco/JSON/Array.h>

#include "pa_json.hpp"

namespace portti::cli {

void inspectionJson(const mrtd::DocumentVerdict& v, Poco::JSON::Object& o) {
  o.set("verdict", mrtd::toString(v.status));
  Poco::JSON::Object::Ptr checks = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& c : v.checks) {
    Poco::JSON::Object::Ptr co = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    co->set("status", mrtd::pki::toString(c.status));
    co->set("codes", stringsJson(c.codes));
    co->set("detail", c.detail);
    checks->set(c.name, co);
  }
  o.set("checks", checks);
  o.set("failures", stringsJson(v.failures));
  o.set("warnings", stringsJson(v.warnings));
  o.set("notes", stringsJson(v.notes));
}

void printInspection(const mrtd::DocumentVerdict& v, std::ostream& out) {
  out << "inspection: " << mrtd::toString(v.status) << "\n";
  for (const auto& c : v.checks) {
    out << "  " << c.name << ": " << mrtd::pki::toString(c.status);
    for (const auto& code : c.codes) out << " " << code;
    out << "\n";
  }
  for (const auto& w : v.warnings) out << "  warning: " << w << "\n";
  for (const auto& n : v.notes) out << "  note: " << n << "\n";
}

}  // namespace portti::cli
