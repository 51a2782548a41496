// portti: the operator's command line over mrtd and vision.
#include <cstdio>
#include <cstring>
#include <exception>

#include "args.hpp"
#include "commands.hpp"

namespace {
void printUsage(std::FILE* out) {
  std::fprintf(out, "usage: portti COMMAND ...\n");
  for (const auto& c : portti::cli::commands()) std::fprintf(out, "  portti %s\n", c.usage);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace portti::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    printUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const auto& c : commands()) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(Words(argv + 2, argv + argc));
    } catch (const UsageError& e) {
      std::fprintf(stderr, "portti %s: %s\nusage: portti %s\n", c.name, e.what(), c.usage);
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "portti %s: %s\n", c.name, e.what());
      return 3;
    }
  }
  std::fprintf(stderr, "portti: unknown command '%s'\n", argv[1]);
  printUsage(stderr);
  return 2;
}
