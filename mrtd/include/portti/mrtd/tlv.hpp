// BER-TLV as used by ICAO Doc 9303 Part 10 (LDS) and ISO/IEC 7816-4 (APDU data objects).
//
// Decoding never copies: a Tlv points into the buffer it was read from, which must outlive it.
// Every malformed input (truncation, lengths past the end, length fields over 4 bytes, indefinite
// lengths, nesting deeper than a limit) throws Error{ErrorArea::Tlv}; nothing reads out of bounds.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

/// One decoded data object. `tag` holds the tag bytes big-endian (0x5F1F, 0x7F61, 0x61, ...).
struct Tlv {
  std::uint32_t tag = 0;
  ByteView value;  ///< the value field
  ByteView whole;  ///< tag, length and value: the bytes as they were read

  /// Bit 6 of the first tag byte: the value is itself a sequence of data objects.
  bool constructed() const;
};

/// Reads consecutive data objects from a buffer.
class TlvReader {
 public:
  explicit TlvReader(ByteView data) : data_(data) {}

  bool atEnd() const { return pos_ >= data_.size(); }
  /// The next object; throws if it is malformed or runs past the end.
  Tlv next();
  /// The bytes not read yet.
  ByteView rest() const { return data_.subspan(pos_); }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

/// Decodes exactly one object that must fill `data` completely.
Tlv decodeOne(ByteView data);
/// Decodes the first object of `data`; trailing bytes are allowed (and ignored).
Tlv decodeFirst(ByteView data);
/// Decodes every object of `data`.
std::vector<Tlv> decodeAll(ByteView data);
/// The first child of a constructed object's value with this tag, if any.
std::optional<Tlv> findChild(ByteView value, std::uint32_t tag);
/// Like findChild, but throws Error{Tlv} naming the missing tag and `what`.
Tlv requireChild(ByteView value, std::uint32_t tag, const char* what);

/// Default limit for walk(): deeper nesting is an attack, not a document.
inline constexpr int kMaxTlvDepth = 32;

/// Visits every object depth-first, descending into constructed ones. Throws on malformed data
/// and on nesting deeper than `maxDepth`.
void walk(ByteView data, const std::function<void(const Tlv&, int depth)>& visit,
          int maxDepth = kMaxTlvDepth);

/// DER length field for `length`.
Bytes encodeLength(std::size_t length);
/// Tag bytes of `tag` (as stored in Tlv::tag).
Bytes encodeTag(std::uint32_t tag);
/// One data object with a definite (DER) length.
Bytes encodeTlv(std::uint32_t tag, ByteView value);

}  // namespace portti::mrtd
