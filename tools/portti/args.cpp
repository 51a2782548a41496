#include "args.hpp"

namespace portti::cli {

Args::Args(const std::vector<std::string>& words, const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) == 0 && w.size() > 2) {
      std::string name = w.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        options_.emplace(name.substr(0, eq), name.substr(eq + 1));
      } else if (flags.count(name)) {
        flags_.insert(name);
      } else {
        if (i + 1 >= words.size()) throw UsageError("option --" + name + " needs a value");
        options_.emplace(name, words[++i]);
      }
    } else {
      positional_.push_back(w);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw UsageError("missing --" + name);
  return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  auto [first, last] = options_.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::string mrzArgument(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else if (raw[i] != '\r') {
      out.push_back(raw[i]);
    }
  }
  return out;
}

}  // namespace portti::cli
