// DG12, additional document details (ICAO Doc 9303 Part 10, 4.7.12). Parsed like DG11: lenient
// about content (unknown objects kept, deviations named), strict about TLV structure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/lds/data_group.hpp"

namespace portti::mrtd {

struct Dg12 {
  std::vector<std::uint32_t> tagList;              ///< the tag list 5C as read
  std::optional<std::string> issuingAuthority;     ///< 5F19
  std::optional<std::string> dateOfIssue;          ///< 5F26, YYYYMMDD (a 4-byte BCD value is converted)
  std::vector<std::string> otherPersons;           ///< 5F1A inside A0 (with the count 02)
  std::optional<std::string> endorsements;         ///< 5F1B, endorsements and observations
  std::optional<std::string> taxExitRequirements;  ///< 5F1C
  std::optional<Bytes> imageOfFront;               ///< 5F1D
  std::optional<Bytes> imageOfRear;                ///< 5F1E
  std::optional<std::string> personalisationTime;  ///< 5F55, YYYYMMDDhhmmss (7-byte BCD converted)
  std::optional<std::string> personalisationDeviceSerial;  ///< 5F56
  std::vector<DataObject> otherObjects;                    ///< data objects Part 10 does not define for DG12
  std::vector<std::string> deviations;                     ///< tolerated departures from Part 10 (parse only)
};

/// Parses DG12 (tag 6C). Throws Error{Lds, "DG12"} when the TLV structure is broken.
Dg12 parseDg12(ByteView file);
/// Encodes DG12 like encodeDg11(): tag list, elements in Part 10 order, otherObjects.
Bytes encodeDg12(const Dg12& dg12);

}  // namespace portti::mrtd
