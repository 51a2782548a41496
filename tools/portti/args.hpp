// A small command-line reader for the portti subcommands: `--name value`, repeated options and flags.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace portti::cli {

/// Thrown for a wrong command line; main prints it with the usage and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  /// `flags` are options without a value (e.g. "json"); every other `--x` takes the next word.
  Args(const std::vector<std::string>& words, const std::set<std::string>& flags);

  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> options_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

/// MRZ lines joined by a real newline or by the two characters "\n" (CLARIFICATIONS 6).
std::string mrzArgument(const std::string& raw);

}  // namespace portti::cli
