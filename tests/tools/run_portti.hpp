// Runs the portti binary as an operator would and captures what it prints.
#pragma once

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace portti::testing {

struct RunResult {
  int exitCode = -1;
  std::string out;  ///< standard output (standard error goes to the test log)
};

/// Runs `portti ARGS` through the shell; arguments must already be shell-quoted.
inline RunResult runPortti(const std::string& args) {
  RunResult r;
  std::string command = std::string(PORTTI_BIN) + " " + args;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Single-quotes a word for the shell.
inline std::string quote(const std::string& word) {
  std::string q = "'";
  for (char c : word) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace portti::testing
