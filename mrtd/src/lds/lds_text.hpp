// Private helpers shared by the parsers of the LDS text files (EF.COM, DG1, DG11, DG12).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::lds_text {

/// "5F0E".
std::string tagHex(std::uint32_t tag);
/// Decodes the file's outer data object and checks its tag. Trailing bytes after it are allowed
/// (a file read in whole blocks); TLV errors become Error{Lds, file}.
Tlv openFile(ByteView file, std::uint32_t tag, const char* name);
/// The data objects inside a constructed value; TLV errors become Error{Lds, file}.
std::vector<Tlv> children(ByteView value, const char* file);
/// The tags of a tag list (5C): BER tag encodings one after the other.
std::vector<std::uint32_t> parseTagList(ByteView value, const char* file);
/// Tag list value for `tags`.
Bytes encodeTagList(const std::vector<std::uint32_t>& tags);
/// The bytes as a string (text in the LDS is UTF-8 / ASCII; it is kept as read).
std::string asText(ByteView value);
/// A date of `digits` ASCII digits, or, as some documents store it, digits/2 bytes of BCD
/// (converted, with a deviation noted). Anything else is kept as read, with a deviation.
std::string dateText(ByteView value, std::size_t digits, std::uint32_t tag,
                     std::vector<std::string>& deviations);
/// Names inside an A0 template: 02 (count), then `nameTag` objects. A count that disagrees with
/// the names is noted as a deviation.
void parseNameList(ByteView value, std::uint32_t nameTag, std::vector<std::string>& names,
                   std::vector<std::string>& deviations, const char* file);
/// A0 { 02 count, nameTag name ... }.
Bytes encodeNameList(const std::vector<std::string>& names, std::uint32_t nameTag);
/// Notes tags listed in 5C but absent, and present but not listed. `equivalent` pairs a listed
/// tag with the tag that may stand for it (5F0F for A0), 0 if none.
void compareTagList(const std::vector<std::uint32_t>& listed, const std::vector<std::uint32_t>& present,
                    std::uint32_t constructed, std::uint32_t equivalent,
                    std::vector<std::string>& deviations);

/// The walk DG11 and DG12 share (Doc 9303-10 4.7.11, 4.7.12): the file's outer object `fileTag`,
/// its tag list 5C (into `tagList`; a second one ignored), every other element once (a repeat is
/// ignored with a deviation, except the name-list template `nameList`) handed to `onElement`, and
/// at the end the tag list compared with what was present (`nameItem` may stand for `nameList`).
void walkTextDataGroup(ByteView file, std::uint32_t fileTag, const char* fileName, std::uint32_t nameList,
                       std::uint32_t nameItem, std::vector<std::uint32_t>& tagList, std::vector<std::string>& deviations,
                       const std::function<void(const Tlv&)>& onElement);

}  // namespace portti::mrtd::lds_text
