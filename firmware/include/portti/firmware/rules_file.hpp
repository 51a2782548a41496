// A rule file on disk that reloads when it changes. A changed file that does not parse (or cannot
// be read) is refused with its errors and the rules in force stay; the next change is tried again.
// Safe to call from several threads: readers get an immutable snapshot.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules.hpp"
#include "portti/firmware/rules_parser.hpp"

namespace portti::firmware {

/// Thrown when the first load fails: there are no old rules to keep.
struct RuleFileError : std::runtime_error {
  RuleFileError(const std::string& message, std::vector<RuleError> errors)
      : std::runtime_error(message), errors(std::move(errors)) {}
  std::vector<RuleError> errors;
};

/// Reads and parses a rule file; throws RuleFileError with every error (as "path:line:col: ...").
RuleSet loadRuleFile(const std::filesystem::path& path, const FactCatalog& catalog = FactCatalog::standard());

class RuleFile {
 public:
  /// Loads `path` now; throws RuleFileError when it cannot be read or parsed. `catalog` must
  /// outlive the RuleFile (the standard one does).
  explicit RuleFile(std::filesystem::path path, const FactCatalog& catalog = FactCatalog::standard());

  enum class Reload { Unchanged, Reloaded, Refused };
  /// Looks at the file's modification time, size and inode; when any changed, parses it again.
  /// Refused: the rules in force stay and lastErrors() says why (line:column).
  Reload reloadIfChanged();

  /// Called after each reload that was tried (Reloaded or Refused) with the rules in force and,
  /// when refused, the errors (line 0: the file could not be read). The audit log's hook: it runs
  /// on the reloading thread, outside the lock. Set it before the file is shared between threads.
  using ReloadListener =
      std::function<void(Reload outcome, const RuleSet& inForce, const std::vector<RuleError>& errors)>;
  void onReload(ReloadListener listener) { listener_ = std::move(listener); }

  /// The rules in force.
  std::shared_ptr<const RuleSet> current() const;
  /// Errors of the last refused reload (empty after a good one), formatted "path:line:col: msg".
  std::vector<std::string> lastErrors() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Stamp {
    std::int64_t mtime = 0;
    std::uintmax_t size = 0;
    std::uint64_t inode = 0;
    bool exists = false;
    bool operator==(const Stamp&) const = default;
  };
  Stamp stamp() const;

  std::filesystem::path path_;
  const FactCatalog& catalog_;
  mutable std::mutex mutex_;
  std::shared_ptr<const RuleSet> current_;
  Stamp seen_;
  std::vector<std::string> lastErrors_;
  ReloadListener listener_;
};

}  // namespace portti::firmware
