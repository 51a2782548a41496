// The PN532's host-link frame format (NXP PN532 User Manual UM0701-02, 6.2.1): normal information
// frames 00 00 FF LEN LCS TFI DATA DCS 00, extended frames 00 00 FF FF FF LENM LENL LCS TFI DATA DCS 00,
// ACK 00 00 FF 00 FF 00, NACK 00 00 FF FF 00 00, and the application-error frame 00 00 FF 01 FF 7F 81 00.
// LCS makes LEN + LCS = 0 (mod 256); DCS makes TFI + DATA + DCS = 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "portti/mrtd/bytes.hpp"

namespace portti::hw::pn532 {

using mrtd::ByteView;
using mrtd::Bytes;

inline constexpr std::uint8_t kTfiHostToPn532 = 0xD4;
inline constexpr std::uint8_t kTfiPn532ToHost = 0xD5;
/// Largest TFI + data a normal frame carries; above it the extended form is used.
inline constexpr std::size_t kNormalMaxLen = 255;
/// Largest TFI + data this codec accepts in an extended frame (the PN532 buffer is 265 bytes).
inline constexpr std::size_t kExtendedMaxLen = 265;

enum class FrameKind {
  Information,  ///< TFI + data, checksums right
  Ack,
  Nack,
  ApplicationError,  ///< the PN532's "syntax error" frame
  Corrupt,           ///< a frame whose LCS or DCS is wrong (the receiver may ask again with NACK)
};

struct Frame {
  FrameKind kind = FrameKind::Corrupt;
  Bytes body;  ///< TFI + data for Information frames; empty otherwise
};

/// Encodes TFI + data as an information frame (extended form when longer than 255 bytes).
Bytes encodeInformation(ByteView body);
Bytes ackFrame();
Bytes nackFrame();
Bytes applicationErrorFrame();

/// Splits a byte stream into frames. Bytes before a start code (wake-up 0x55s, zeros, line noise)
/// are skipped; a frame cut short waits for more bytes; a bad length checksum skips the start code
/// and resynchronises.
class FrameDecoder {
 public:
  void feed(ByteView bytes);
  /// The next complete frame, or nothing until more bytes arrive.
  std::optional<Frame> next();
  /// Bytes dropped as noise so far.
  std::size_t skippedBytes() const { return skipped_; }
  /// Bytes held waiting for the rest of a frame.
  std::size_t pendingBytes() const { return buffer_.size(); }

 private:
  Bytes buffer_;
  std::size_t skipped_ = 0;
};

}  // namespace portti::hw::pn532
