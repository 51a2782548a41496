#include "portti/hw/pn532/frame.hpp"

#include <algorithm>

#include "portti/mrtd/error.hpp"

namespace portti::hw::pn532 {

namespace {
std::uint8_t checksum(ByteView bytes) {
  std::uint8_t sum = 0;
  for (std::uint8_t b : bytes) sum = static_cast<std::uint8_t>(sum + b);
  return static_cast<std::uint8_t>(0x100 - sum);
}
}  // namespace

Bytes encodeInformation(ByteView body) {
  if (body.empty() || body.size() > kExtendedMaxLen)
    throw mrtd::Error(mrtd::ErrorArea::Transport, "PN532 frame",
                      "frame body of " + std::to_string(body.size()) + " bytes does not fit a PN532 frame");
  // Preamble, start code, then LEN LCS or the extended FF FF LENM LENL LCS.
  Bytes out;
  out.reserve(body.size() + 10);
  out.push_back(0x00);
  out.push_back(0x00);
  out.push_back(0xFF);
  if (body.size() <= kNormalMaxLen) {
    auto len = static_cast<std::uint8_t>(body.size());
    out.push_back(len);
    out.push_back(static_cast<std::uint8_t>(0x100 - len));
  } else {
    auto hi = static_cast<std::uint8_t>(body.size() >> 8), lo = static_cast<std::uint8_t>(body.size() & 0xFF);
    out.push_back(0xFF);
    out.push_back(0xFF);
    out.push_back(hi);
    out.push_back(lo);
    out.push_back(static_cast<std::uint8_t>(0x100 - ((hi + lo) & 0xFF)));
  }
  out.insert(out.end(), body.begin(), body.end());
  out.push_back(checksum(body));
  out.push_back(0x00);
  return out;
}

Bytes ackFrame() { return {0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00}; }
Bytes nackFrame() { return {0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00}; }
Bytes applicationErrorFrame() { return {0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00}; }

void FrameDecoder::feed(ByteView bytes) { buffer_.insert(buffer_.end(), bytes.begin(), bytes.end()); }

std::optional<Frame> FrameDecoder::next() {
  for (;;) {
    // Find the start code 00 FF (the preamble 00 before it is optional on the wire).
    std::size_t start = 0;
    while (start + 1 < buffer_.size() && !(buffer_[start] == 0x00 && buffer_[start + 1] == 0xFF)) ++start;
    if (start + 1 >= buffer_.size()) {
      // Keep a trailing 00: it may be the first half of a start code.
      std::size_t keep = (!buffer_.empty() && buffer_.back() == 0x00) ? 1 : 0;
      std::size_t drop = buffer_.size() - keep;
      // Zeros are preamble / wake-up padding, not noise worth counting.
      skipped_ += static_cast<std::size_t>(
          std::count_if(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(drop),
                        [](std::uint8_t b) { return b != 0x00 && b != 0x55; }));
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(drop));
      return std::nullopt;
    }
    skipped_ += static_cast<std::size_t>(
        std::count_if(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start),
                      [](std::uint8_t b) { return b != 0x00 && b != 0x55; }));
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start));
    // buffer_ now starts with 00 FF.
    auto dropStartCode = [this] {
      buffer_.erase(buffer_.begin(), buffer_.begin() + 2);
      ++skipped_;
    };
    if (buffer_.size() < 4) return std::nullopt;
    const std::uint8_t len = buffer_[2], lcs = buffer_[3];
    std::size_t bodyLen = 0, header = 4;
    if (len == 0x00 && lcs == 0xFF) {
      buffer_.erase(buffer_.begin(), buffer_.begin() + 4);
      if (!buffer_.empty() && buffer_.front() == 0x00) buffer_.erase(buffer_.begin());  // postamble
      return Frame{FrameKind::Ack, {}};
    }
    if (len == 0xFF && lcs == 0x00) {
      buffer_.erase(buffer_.begin(), buffer_.begin() + 4);
      if (!buffer_.empty() && buffer_.front() == 0x00) buffer_.erase(buffer_.begin());
      return Frame{FrameKind::Nack, {}};
    }
    if (len == 0xFF && lcs == 0xFF) {
      if (buffer_.size() < 7) return std::nullopt;
      const std::uint8_t hi = buffer_[4], lo = buffer_[5], xcs = buffer_[6];
      if (static_cast<std::uint8_t>(hi + lo + xcs) != 0) {
        dropStartCode();
        continue;
      }
      bodyLen = (static_cast<std::size_t>(hi) << 8) | lo;
      header = 7;
      if (bodyLen == 0 || bodyLen > kExtendedMaxLen) {
        dropStartCode();
        continue;
      }
    } else {
      if (static_cast<std::uint8_t>(len + lcs) != 0) {
        dropStartCode();
        continue;
      }
      bodyLen = len;
    }
    if (buffer_.size() < header + bodyLen + 1) return std::nullopt;  // wait for body and DCS
    Bytes body(buffer_.begin() + static_cast<std::ptrdiff_t>(header),
               buffer_.begin() + static_cast<std::ptrdiff_t>(header + bodyLen));
    const std::uint8_t dcs = buffer_[header + bodyLen];
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(header + bodyLen + 1));
    if (!buffer_.empty() && buffer_.front() == 0x00 && !(buffer_.size() >= 2 && buffer_[1] == 0xFF))
      buffer_.erase(buffer_.begin());  // postamble, unless it already starts the next frame
    if (checksum(body) != dcs) return Frame{FrameKind::Corrupt, {}};
    if (body.size() == 1 && body[0] == 0x7F) return Frame{FrameKind::ApplicationError, {}};
    return Frame{FrameKind::Information, std::move(body)};
  }
}

}  // namespace portti::hw::pn532
