#include "commands.hpp"

namespace portti::cli {

// One line per command group; each is defined in its own cmd_<name>.cpp.
int runMrz(const Words& words);   // cmd_mrz.cpp
int runPa(const Words& words);    // cmd_pa.cpp
int runPki(const Words& words);   // cmd_pki.cpp
int runChip(const Words& words);  // cmd_chip.cpp
int runRead(const Words& words);  // cmd_read.cpp
int runReaders(const Words& words);  // cmd_readers.cpp
int runConformance(const Words& words);  // cmd_conformance.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"mrz", "mrz check MRZ", runMrz},
      {"pa", "pa --sod EF.SOD [--dg N=FILE ...] [--trust PATH ...] [--crl FILE ...] [--at YYYY-MM-DD] [--json]", runPa},
      {"pki", "pki make-test DIR", runPki},
      {"chip", "chip make --mrz MRZ --photo FACE --pki DIR --out CHIP_DIR [--fault F] [--aa rsa|ec]", runChip},
      {"read", "read --reader sim:DIR|pcsc[:NAME]|nfc[:CONNSTRING] --mrz MRZ --trust PATH... [--crl FILE] [--at YYYY-MM-DD] [--wait SECONDS] [--out DUMP_DIR] [--json]", runRead},
      {"readers", "readers [--json]", runReaders},
      {"conformance", "conformance [--case ID|GROUP] [--verbose]", runConformance},
  };
  return all;
}

}  // namespace portti::cli
