// A tiny in-test card for the transport tests: one transparent file (EF 011E) behind SELECT and
// READ BINARY, answering like an ISO/IEC 7816-4 card. It stands in for the virtual chip's raw APDU
// entry point, so the transports are tested on their own.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::hw::test {

using mrtd::ByteView;
using mrtd::Bytes;

class FileCard {
 public:
  explicit FileCard(std::size_t size = 1000) {
    for (std::size_t i = 0; i < size; ++i) file_.push_back(static_cast<std::uint8_t>((i * 7 + 3) & 0xFF));
  }
  const Bytes& file() const { return file_; }
  std::size_t apdus() const { return apdus_; }

  /// The card's answer to one raw command APDU.
  Bytes answer(ByteView apdu) {
    ++apdus_;
    auto sw = [](std::uint16_t s) { return Bytes{static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)}; };
    if (apdu.size() < 4) return sw(0x6700);
    const std::uint8_t ins = apdu[1];
    if (ins == 0xA4) {  // SELECT by file id: 00 A4 02 0C 02 01 1E
      if (apdu.size() >= 7 && apdu[4] == 2 && apdu[5] == 0x01 && apdu[6] == 0x1E) {
        selected_ = true;
        return sw(0x9000);
      }
      return sw(0x6A82);
    }
    if (ins == 0xB0) {  // READ BINARY, short or extended Le
      if (!selected_) return sw(0x6986);
      std::size_t offset = (static_cast<std::size_t>(apdu[2] & 0x7F) << 8) | apdu[3];
      std::size_t le = 0;
      if (apdu.size() == 5) le = apdu[4] ? apdu[4] : 256;
      else if (apdu.size() == 7 && apdu[4] == 0) le = ((static_cast<std::size_t>(apdu[5]) << 8) | apdu[6]) ? ((static_cast<std::size_t>(apdu[5]) << 8) | apdu[6]) : 65536;
      else return sw(0x6700);
      if (offset > file_.size()) return sw(0x6B00);
      std::size_t n = std::min(le, file_.size() - offset);
      Bytes out(file_.begin() + static_cast<std::ptrdiff_t>(offset), file_.begin() + static_cast<std::ptrdiff_t>(offset + n));
      Bytes s = sw(n < le ? 0x6282 : 0x9000);
      out.insert(out.end(), s.begin(), s.end());
      return out;
    }
    return sw(0x6D00);
  }

 private:
  Bytes file_;
  bool selected_ = false;
  std::atomic<std::size_t> apdus_{0};
};

}  // namespace portti::hw::test
