#include "portti/mrtd/lds/oid.hpp"

#include <cstdint>
#include <vector>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
[[noreturn]] void fail(const std::string& step, const std::string& message) {
  throw Error(ErrorArea::Lds, step, message);
}

// Base-128 sub-identifier, high bit set on every byte but the last (X.690 8.19.2).
void appendArc(Bytes& out, std::uint64_t arc) {
  std::uint8_t groups[10];
  int n = 0;
  do {
    groups[n++] = static_cast<std::uint8_t>(arc & 0x7F);
    arc >>= 7;
  } while (arc != 0);
  while (n > 0) {
    --n;
    out.push_back(static_cast<std::uint8_t>(groups[n] | (n > 0 ? 0x80 : 0x00)));
  }
}

std::vector<std::uint64_t> parseDotted(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    std::uint64_t v = 0;
    while (i < dotted.size() && dotted[i] >= '0' && dotted[i] <= '9') {
      if (v > (UINT64_MAX - 9) / 10) fail("encode OID", "arc too large in '" + std::string(dotted) + "'");
      v = v * 10 + static_cast<std::uint64_t>(dotted[i] - '0');
      ++i;
    }
    if (i == start) fail("encode OID", "empty or non-numeric arc in '" + std::string(dotted) + "'");
    arcs.push_back(v);
    if (i == dotted.size()) break;
    if (dotted[i] != '.') fail("encode OID", "unexpected character in '" + std::string(dotted) + "'");
    ++i;
  }
  return arcs;
}
}  // namespace

std::string decodeOid(ByteView content) {
  if (content.empty()) fail("decode OID", "empty OBJECT IDENTIFIER");
  std::string out;
  std::size_t i = 0;
  bool first = true;
  while (i < content.size()) {
    if (content[i] == 0x80) fail("decode OID", "sub-identifier with a leading 0x80 byte (not minimal)");
    std::uint64_t v = 0;
    while (true) {
      if (i >= content.size()) fail("decode OID", "last sub-identifier truncated");
      if (v >> 57) fail("decode OID", "sub-identifier larger than 64 bits");
      std::uint8_t b = content[i++];
      v = v << 7 | (b & 0x7F);
      if ((b & 0x80) == 0) break;
    }
    if (first) {
      // The first sub-identifier packs the first two arcs: 40 * X + Y (X.690 8.19.4).
      std::uint64_t x = v < 40 ? 0 : v < 80 ? 1 : 2;
      // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "." + std::to_string().
      out = std::to_string(x);
      out.push_back('.');
      out.append(std::to_string(v - 40 * x));
      first = false;
    } else {
      out.push_back('.');
      out.append(std::to_string(v));
    }
  }
  return out;
}

Bytes encodeOidContent(std::string_view dotted) {
  auto arcs = parseDotted(dotted);
  if (arcs.size() < 2) fail("encode OID", "an OID has at least two arcs: '" + std::string(dotted) + "'");
  if (arcs[0] > 2) fail("encode OID", "first arc must be 0, 1 or 2: '" + std::string(dotted) + "'");
  if (arcs[0] < 2 && arcs[1] > 39) fail("encode OID", "second arc above 39 under 0 or 1: '" + std::string(dotted) + "'");
  if (arcs[1] > UINT64_MAX - 80) fail("encode OID", "second arc too large");
  Bytes out;
  appendArc(out, arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) appendArc(out, arcs[i]);
  return out;
}

Bytes encodeOid(std::string_view dotted) { return encodeTlv(0x06, encodeOidContent(dotted)); }

bool oidIsUnder(std::string_view oid, std::string_view prefix) {
  if (oid.size() < prefix.size() || oid.substr(0, prefix.size()) != prefix) return false;
  return oid.size() == prefix.size() || oid[prefix.size()] == '.';
}

}  // namespace portti::mrtd
