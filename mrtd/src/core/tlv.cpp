#include "portti/mrtd/tlv.hpp"

#include <cstdio>
#include <string>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {

std::string tagName(std::uint32_t tag) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02X", tag);
  return buf;
}

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorArea::Tlv, "decode", message); }

}  // namespace

bool Tlv::constructed() const {
  std::uint32_t first = tag;
  while (first > 0xFF) first >>= 8;
  return (first & 0x20) != 0;
}

Tlv TlvReader::next() {
  const std::size_t start = pos_;
  const std::size_t size = data_.size();
  if (pos_ >= size) fail("no data object at offset " + std::to_string(start));

  // Tag (ISO/IEC 8825-1 8.1.2): low five bits all set means more tag bytes follow, each with
  // bit 8 set except the last. Tags longer than 4 bytes do not occur in eMRTDs.
  std::uint32_t tag = data_[pos_++];
  if ((tag & 0x1F) == 0x1F) {
    int more = 0;
    while (true) {
      if (pos_ >= size) fail("tag truncated at offset " + std::to_string(start));
      if (++more > 3) fail("tag longer than 4 bytes at offset " + std::to_string(start));
      std::uint8_t b = data_[pos_++];
      tag = tag << 8 | b;
      if ((b & 0x80) == 0) break;
    }
  }
  if (tag == 0x00 || tag == 0xFF) fail("invalid tag " + tagName(tag) + " at offset " + std::to_string(start));

  // Length (8.1.3): short form, or 0x81..0x84 followed by that many bytes.
  if (pos_ >= size) fail("length of tag " + tagName(tag) + " truncated");
  std::size_t length = data_[pos_++];
  if (length == 0x80) fail("indefinite length in tag " + tagName(tag) + " (not allowed in the LDS)");
  if (length > 0x80) {
    const std::size_t count = length & 0x7F;
    if (count > 4) fail("length field of " + std::to_string(count) + " bytes in tag " + tagName(tag));
    if (size - pos_ < count) fail("length of tag " + tagName(tag) + " truncated");
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = length << 8 | data_[pos_++];
  }
  if (length > size - pos_) {
    fail("tag " + tagName(tag) + " claims " + std::to_string(length) + " bytes, only " +
         std::to_string(size - pos_) + " remain");
  }
  Tlv tlv;
  tlv.tag = tag;
  tlv.value = data_.subspan(pos_, length);
  pos_ += length;
  tlv.whole = data_.subspan(start, pos_ - start);
  return tlv;
}

Tlv decodeOne(ByteView data) {
  TlvReader reader(data);
  Tlv tlv = reader.next();
  if (!reader.atEnd()) {
    fail(std::to_string(reader.rest().size()) + " trailing bytes after tag " + tagName(tlv.tag));
  }
  return tlv;
}

Tlv decodeFirst(ByteView data) { return TlvReader(data).next(); }

std::vector<Tlv> decodeAll(ByteView data) {
  std::vector<Tlv> out;
  TlvReader reader(data);
  while (!reader.atEnd()) out.push_back(reader.next());
  return out;
}

std::optional<Tlv> findChild(ByteView value, std::uint32_t tag) {
  TlvReader reader(value);
  while (!reader.atEnd()) {
    Tlv t = reader.next();
    if (t.tag == tag) return t;
  }
  return std::nullopt;
}

Tlv requireChild(ByteView value, std::uint32_t tag, const char* what) {
  auto t = findChild(value, tag);
  if (!t) throw Error(ErrorArea::Tlv, what, "missing tag " + tagName(tag));
  return *t;
}

namespace {
void walkAt(ByteView data, const std::function<void(const Tlv&, int)>& visit, int depth, int maxDepth) {
  if (depth > maxDepth) fail("nesting deeper than " + std::to_string(maxDepth) + " levels");
  TlvReader reader(data);
  while (!reader.atEnd()) {
    Tlv t = reader.next();
    visit(t, depth);
    if (t.constructed()) walkAt(t.value, visit, depth + 1, maxDepth);
  }
}
}  // namespace

void walk(ByteView data, const std::function<void(const Tlv&, int)>& visit, int maxDepth) {
  walkAt(data, visit, 0, maxDepth);
}

Bytes encodeLength(std::size_t length) {
  if (length < 0x80) return {static_cast<std::uint8_t>(length)};
  Bytes out;
  for (std::size_t v = length; v > 0; v >>= 8) out.insert(out.begin(), static_cast<std::uint8_t>(v & 0xFF));
  out.insert(out.begin(), static_cast<std::uint8_t>(0x80 | out.size()));
  return out;
}

Bytes encodeTag(std::uint32_t tag) {
  Bytes out;
  do {
    out.insert(out.begin(), static_cast<std::uint8_t>(tag & 0xFF));
    tag >>= 8;
  } while (tag != 0);
  return out;
}

Bytes encodeTlv(std::uint32_t tag, ByteView value) {
  Bytes out = encodeTag(tag);
  Bytes len = encodeLength(value.size());
  out.insert(out.end(), len.begin(), len.end());
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

}  // namespace portti::mrtd
