#include "lds/der.hpp"

#include <string>

namespace portti::mrtd::detail {

std::int64_t derInteger(const Tlv& t, const char* step, const char* what) {
  expectTag(t, 0x02, step, what);
  const ByteView v = t.value;
  if (v.empty()) throw Error(ErrorArea::Lds, step, std::string(what) + ": empty INTEGER");
  if (v.size() > 8) throw Error(ErrorArea::Lds, step, std::string(what) + ": INTEGER longer than 8 bytes");
  // X.690 8.3.2: the first nine bits must not be all zeros or all ones.
  if (v.size() > 1 && ((v[0] == 0x00 && (v[1] & 0x80) == 0) || (v[0] == 0xFF && (v[1] & 0x80) != 0))) {
    throw Error(ErrorArea::Lds, step, std::string(what) + ": INTEGER not minimally encoded");
  }
  std::uint64_t u = (v[0] & 0x80) ? ~std::uint64_t{0} : 0;
  for (auto b : v) u = u << 8 | b;
  return static_cast<std::int64_t>(u);
}

Bytes encodeDerInteger(std::int64_t v) {
  Bytes content;
  std::uint64_t u = static_cast<std::uint64_t>(v);
  for (int i = 7; i >= 0; --i) content.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
  // Drop leading bytes that only repeat the sign.
  std::size_t skip = 0;
  while (skip + 1 < content.size() &&
         ((content[skip] == 0x00 && (content[skip + 1] & 0x80) == 0) ||
          (content[skip] == 0xFF && (content[skip + 1] & 0x80) != 0))) {
    ++skip;
  }
  return encodeTlv(0x02, ByteView(content).subspan(skip));
}

void expectTag(const Tlv& t, std::uint32_t tag, const char* step, const char* what) {
  if (t.tag != tag) {
    throw Error(ErrorArea::Lds, step,
                std::string(what) + ": expected tag " + toHex(encodeTag(tag)) + ", found " + toHex(encodeTag(t.tag)));
  }
}

}  // namespace portti::mrtd::detail


