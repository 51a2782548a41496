// A deviation from the standard that a parser tolerated: real documents carry many (QUIRKS.md),
// and an officer must be able to see each one by name.
#pragma once

#include <string>
#include <vector>

namespace portti::mrtd {

/// One tolerated deviation: a stable code ("dg2.record-length") and what was found.
struct LdsDeviation {
  std::string code;
  std::string detail;
};

using LdsDeviations = std::vector<LdsDeviation>;

/// True when `deviations` holds one with this code.
inline bool hasDeviation(const LdsDeviations& deviations, const std::string& code) {
  for (const auto& d : deviations)
    if (d.code == code) return true;
  return false;
}

}  // namespace portti::mrtd
