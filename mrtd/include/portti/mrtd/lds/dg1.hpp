// DG1 (ICAO Doc 9303 Part 10, 4.7.1): the MRZ as printed, in data object 5F1F inside tag 61.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/mrz.hpp"

namespace portti::mrtd {

/// Parses DG1 into an MRZ. The structure is checked strictly: a broken TLV, a tag other than
/// 61, a missing 5F1F or an MRZ that is not 90, 72 or 88 characters throws Error{Lds, "DG1"}.
/// Problems inside the MRZ (check digits, characters) are reported in Mrz::errors, not thrown.
Mrz parseDg1(ByteView file);

/// Encodes DG1 from MRZ lines (3x30, 2x36 or 2x44), stored without separators. The check digits
/// are not checked (a test document may carry wrong ones); the layout is: Error{Lds} otherwise.
Bytes encodeDg1(const std::vector<std::string>& lines);
/// Encodes DG1 from MRZ text in any form parseMrz() accepts.
Bytes encodeDg1(std::string_view mrzText);

}  // namespace portti::mrtd
