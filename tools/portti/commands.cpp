#include "commands.hpp"

namespace portti::cli {

// One line per command group; each is defined in its own cmd_<name>.cpp.

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
  };
  return all;
}

}  // namespace portti::cli
