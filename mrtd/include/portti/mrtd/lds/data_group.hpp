// The elementary files of the eMRTD LDS application and their tags (ICAO Doc 9303 Part 10,
// 4.6 and the table of data group tags): one table that every part of portti uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

/// Tag of EF.COM (Part 10, 4.6.1).
inline constexpr std::uint8_t kTagCom = 0x60;
/// Tag of EF.SOD (Part 10, 4.6.2).
inline constexpr std::uint8_t kTagSod = 0x77;
/// File identifiers of EF.COM and EF.SOD; data group n has 0x0100 + n and short EF identifier n.
inline constexpr std::uint16_t kFileIdCom = 0x011E;
inline constexpr std::uint16_t kFileIdSod = 0x011D;

/// Data group number 1-16 for its tag (0x61 -> 1, 0x75 -> 2, ..., 0x70 -> 16); nullopt otherwise.
std::optional<int> dataGroupForTag(std::uint32_t tag);
/// Tag of data group 1-16 (1 -> 0x61); throws Error{Lds} for any other number.
std::uint8_t dataGroupTag(int number);
/// File identifier of data group 1-16 (0x0101-0x0110); throws Error{Lds} for any other number.
std::uint16_t dataGroupFileId(int number);
/// "DG1" ... "DG16".
std::string dataGroupName(int number);

/// A data object a parser did not interpret, kept as read so nothing is lost.
struct DataObject {
  std::uint32_t tag = 0;
  Bytes value;
  bool operator==(const DataObject&) const = default;
};

}  // namespace portti::mrtd
