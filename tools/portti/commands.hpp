// The portti subcommands. Each returns the process exit code; a UsageError prints the usage.
#pragma once

#include <string>
#include <vector>

namespace portti::cli {

using Words = std::vector<std::string>;

struct Command {
  const char* name;
  const char* usage;
  int (*run)(const Words& words);
};

/// Every command, in the order `portti --help` lists them.
const std::vector<Command>& commands();

}  // namespace portti::cli
