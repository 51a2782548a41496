// portti readers [--json]: what every reader backend sees (PC/SC readers through pcscd, libnfc
// devices, the sim backend), each with the --reader value that selects it. Exit 0 even when there
// are none: an empty list is an answer, and a backend that could not look says why.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "portti/hw/open_reader.hpp"

namespace portti::cli {

int runReaders(const Words& words) {
  Args args(words, {"json"});
  if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
  // libnfc logs probing failures (no USB bus, ...) to stderr; the listing says what matters.
  // LIBNFC_LOG_LEVEL set by the operator wins.
  ::setenv("LIBNFC_LOG_LEVEL", "0", 0);
  const auto backends = hw::listReaders();

  if (args.flag("json")) {
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& b : backends) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("backend", b.backend);
      Poco::JSON::Array::Ptr readers = new Poco::JSON::Array;
      for (const auto& r : b.readers) {
        Poco::JSON::Object::Ptr ro = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        ro->set("reader", r.spec);
        ro->set("detail", r.detail);
        readers->add(ro);
      }
      o->set("readers", readers);
      if (!b.problem.empty()) o->set("problem", b.problem);
      list->add(o);
    }
    root->set("backends", list);
    root->stringify(std::cout, 2);
    std::cout << "\n";
    return 0;
  }

  for (const auto& b : backends) {
    std::cout << b.backend << ":\n";
    if (!b.problem.empty()) std::cout << "  (could not look: " << b.problem << ")\n";
    else if (b.readers.empty()) std::cout << "  (no readers found)\n";
    for (const auto& r : b.readers) std::cout << "  --reader " << r.spec << "    " << r.detail << "\n";
  }
  return 0;
}

}  // namespace portti::cli
