#include "commands.hpp"

namespace portti::cli {

// One line per command group; each is defined in its own cmd_<name>.cpp.
int runReaders(const Words& words);  // cmd_readers.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"readers", "readers [--json]", runReaders},
  };
  return all;
}

}  // namespace portti::cli
