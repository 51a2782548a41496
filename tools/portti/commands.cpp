#include "commands.hpp"

namespace portti::cli {

// One line per command group; each is defined in its own cmd_<name>.cpp.
int runMrz(const Words& words);   // cmd_mrz.cpp
int runPa(const Words& words);    // cmd_pa.cpp
int runPki(const Words& words);   // cmd_pki.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"mrz", "mrz check MRZ", runMrz},
      {"pa", "pa --sod EF.SOD [--dg N=FILE ...] [--trust PATH ...] [--crl FILE ...] [--at YYYY-MM-DD] [--json]", runPa},
      {"pki", "pki make-test DIR", runPki},
  };
  return all;
}

}  // namespace portti::cli
