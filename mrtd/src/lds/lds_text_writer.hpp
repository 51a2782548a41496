// Private: builds a DG11/DG12-style file, a tag list (5C) followed by the data objects it names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lds_text.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::lds_text {

class Writer {
 public:
  void text(std::uint32_t tag, const std::optional<std::string>& value) {
    if (value)
      add(tag, encodeTlv(tag, ByteView(reinterpret_cast<const std::uint8_t*>(value->data()), value->size())));
  }
  void bytes(std::uint32_t tag, const std::optional<Bytes>& value) {
    if (value) add(tag, encodeTlv(tag, *value));
  }
  /// An object encoded already (tag, length and value).
  void raw(std::uint32_t tag, Bytes whole) { add(tag, std::move(whole)); }
  /// The file: `fileTag` { 5C tags, objects }.
  Bytes finish(std::uint32_t fileTag) const {
    Bytes body = encodeTlv(0x5C, encodeTagList(tags_));
    body.insert(body.end(), objects_.begin(), objects_.end());
    return encodeTlv(fileTag, body);
  }

 private:
  void add(std::uint32_t tag, const Bytes& whole) {
    tags_.push_back(tag);
    objects_.insert(objects_.end(), whole.begin(), whole.end());
  }
  std::vector<std::uint32_t> tags_;
  Bytes objects_;
};

}  // namespace portti::mrtd::lds_text
