// EF.COM (ICAO Doc 9303 Part 10, 4.6.1): LDS and Unicode versions and the list of data groups
// present. EF.COM is not covered by the SOD: readers use it as a hint of what to read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

struct EfCom {
  std::string ldsVersion;                ///< 5F01, "aabb" = LDS aa.bb, e.g. "0107"; empty if absent
  std::string unicodeVersion;            ///< 5F36, "aabbcc", e.g. "040000"; empty if absent
  std::vector<int> dataGroups;           ///< data group numbers from the tag list 5C, in its order
  std::vector<std::uint32_t> otherTags;  ///< tags in the list that name no data group
};

/// Parses EF.COM. Throws Error{Lds, "EF.COM"} when the TLV structure is broken, the file is not
/// tag 60, or the tag list 5C is missing.
EfCom parseCom(ByteView file);

/// Encodes EF.COM: 60 { 5F01 ldsVersion, 5F36 unicodeVersion, 5C tags of `dataGroups` }.
/// Throws Error{Lds} for a data group number outside 1-16 or versions that are not 4 / 6 digits.
Bytes encodeCom(std::string_view ldsVersion, const std::vector<int>& dataGroups,
                std::string_view unicodeVersion = "040000");

}  // namespace portti::mrtd
