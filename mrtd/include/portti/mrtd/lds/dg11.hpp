// DG11, additional personal details (ICAO Doc 9303 Part 10, 4.7.11). Only displayed, so it is
// parsed leniently: unknown data objects are kept, departures from Part 10 are named in
// `deviations`; a broken TLV structure still throws.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/lds/data_group.hpp"

namespace portti::mrtd {

struct Dg11 {
  std::vector<std::uint32_t> tagList;              ///< the tag list 5C as read (the encoder writes its own)
  std::optional<std::string> fullName;             ///< 5F0E, "SMITH<<JOHN<J" (see splitMrzName)
  std::vector<std::string> otherNames;             ///< 5F0F inside A0 (with the count 02)
  std::optional<std::string> personalNumber;       ///< 5F10
  std::optional<std::string> fullDateOfBirth;      ///< 5F2B, YYYYMMDD (a 4-byte BCD value is converted)
  std::optional<std::string> placeOfBirth;         ///< 5F11, parts separated by '<'
  std::optional<std::string> address;              ///< 5F42, parts separated by '<'
  std::optional<std::string> telephone;            ///< 5F12
  std::optional<std::string> profession;           ///< 5F13
  std::optional<std::string> title;                ///< 5F14
  std::optional<std::string> personalSummary;      ///< 5F15
  std::optional<Bytes> proofOfCitizenship;         ///< 5F16, an image
  std::optional<std::string> otherValidTdNumbers;  ///< 5F17, numbers separated by '<'
  std::optional<std::string> custodyInformation;   ///< 5F18
  std::vector<DataObject> otherObjects;            ///< data objects Part 10 does not define for DG11
  std::vector<std::string> deviations;             ///< tolerated departures from Part 10 (parse only)
};

/// Parses DG11 (tag 6B). Throws Error{Lds, "DG11"} when the TLV structure is broken.
Dg11 parseDg11(ByteView file);
/// Encodes DG11: the tag list of the present elements, then the elements in Part 10 order, then
/// otherObjects. `tagList` and `deviations` are ignored.
Bytes encodeDg11(const Dg11& dg11);

}  // namespace portti::mrtd
