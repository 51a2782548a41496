// Loading a rule file and reloading it when it changes on disk.
#include "portti/firmware/rules_file.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace portti::firmware {

namespace {

// The file's bytes; nullopt when it cannot be read.
std::optional<std::string> readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return s.str();
}

}  // namespace

RuleSet loadRuleFile(const std::filesystem::path& path, const FactCatalog& catalog) {
  const auto text = readText(path);
  if (!text) throw RuleFileError(path.string() + ": cannot read the rule file", {});
  RuleParse parse = parseRules(*text, path.string(), catalog);
  if (!parse.ok()) {
    std::string message = path.string() + ": the rule file has errors";
    for (const auto& e : parse.errors) {
      message += '\n';  // appended piecewise: GCC 12 -O2 warns falsely (-Wrestrict) on "\n" + str
      message += formatRuleError(path.string(), e);
    }
    throw RuleFileError(message, std::move(parse.errors));
  }
  return std::move(parse.rules);
}

RuleFile::RuleFile(std::filesystem::path path, const FactCatalog& catalog)
    : path_(std::move(path)), catalog_(catalog) {
  seen_ = stamp();
  current_ = std::make_shared<const RuleSet>(loadRuleFile(path_, catalog_));
}

RuleFile::Stamp RuleFile::stamp() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return Stamp{};
  return Stamp{static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
               static_cast<std::uintmax_t>(st.st_size), static_cast<std::uint64_t>(st.st_ino), true};
}

RuleFile::Reload RuleFile::reloadIfChanged() {
  const Stamp now = stamp();
  Reload outcome = Reload::Reloaded;
  std::vector<RuleError> errors;
  std::shared_ptr<const RuleSet> inForce;
  {
    std::lock_guard lock(mutex_);
    if (now == seen_) return Reload::Unchanged;
    seen_ = now;  // a refused version is not parsed again until the file changes once more
    lastErrors_.clear();
    try {
      current_ = std::make_shared<const RuleSet>(loadRuleFile(path_, catalog_));
    } catch (const RuleFileError& e) {
      outcome = Reload::Refused;
      errors = e.errors;
      for (const auto& err : errors) lastErrors_.push_back(formatRuleError(path_.string(), err));
      if (errors.empty()) {
        lastErrors_.push_back(e.what());
        errors.push_back(RuleError{SourcePos{}, "cannot read the rule file"});
      }
    }
    inForce = current_;
  }
  if (listener_) listener_(outcome, *inForce, errors);
  return outcome;
}

std::shared_ptr<const RuleSet> RuleFile::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::vector<std::string> RuleFile::lastErrors() const {
  std::lock_guard lock(mutex_);
  return lastErrors_;
}

}  // namespace portti::firmware
