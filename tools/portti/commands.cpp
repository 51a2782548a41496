#include "commands.hpp"

namespace portti::cli {

// One line per command group; each is defined in its own cmd_<name>.cpp.
int runMrz(const Words& words);  // cmd_mrz.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"mrz", "mrz check MRZ", runMrz},
  };
  return all;
}

}  // namespace portti::cli
