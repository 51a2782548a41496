// ISO/IEC 7816-4 command and response APDUs, short and extended length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

/// A command APDU. `ne` is the number of response bytes expected: 0 means no Le field;
/// 256 encodes as short Le=00 and 65536 as extended Le=0000.
struct CommandApdu {
  std::uint8_t cla = 0x00;
  std::uint8_t ins = 0x00;
  std::uint8_t p1 = 0x00;
  std::uint8_t p2 = 0x00;
  Bytes data;
  std::size_t ne = 0;
  /// Send in extended form even where short would do (set by decode() when it was extended).
  bool extended = false;

  /// True when the data or Ne do not fit the short form.
  bool needsExtended() const { return data.size() > 255 || ne > 256; }
  bool isExtended() const { return extended || needsExtended(); }
  /// Encodes in short form unless isExtended().
  Bytes encode() const;
  /// Parses any of the ISO cases 1, 2S/E, 3S/E, 4S/E; throws Error{Apdu} on malformed input.
  static CommandApdu decode(ByteView bytes);
};

/// CLA bit b5: "not the last command of a chain" (ISO/IEC 7816-4 5.4.1, command chaining 5.3.3).
inline constexpr std::uint8_t kClaChaining = 0x10;
/// GET RESPONSE (ISO/IEC 7816-4 11.7.1): fetches the rest of an answer announced with 61xx.
inline constexpr std::uint8_t kInsGetResponse = 0xC0;

/// A response APDU: data and the status word SW1-SW2.
struct ResponseApdu {
  Bytes data;
  std::uint16_t sw = 0x6F00;

  std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
  std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xFF); }
  bool ok() const { return sw == 0x9000; }
  Bytes encode() const;
  /// Splits data and status word; throws Error{Apdu} when shorter than two bytes.
  static ResponseApdu decode(ByteView bytes);
};

/// Common status words (ISO/IEC 7816-4 5.1.3).
namespace sw {
inline constexpr std::uint16_t kOk = 0x9000;
inline constexpr std::uint16_t kEndOfFileWarning = 0x6282;  ///< fewer bytes than Ne: end of file
inline constexpr std::uint16_t kWrongLength = 0x6700;
inline constexpr std::uint16_t kSecurityNotSatisfied = 0x6982;
inline constexpr std::uint16_t kAuthenticationFailed = 0x6300;
inline constexpr std::uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr std::uint16_t kLastCommandOfChainExpected = 0x6883;
inline constexpr std::uint16_t kChainingNotSupported = 0x6884;
inline constexpr std::uint16_t kSmDataObjectsMissing = 0x6987;
inline constexpr std::uint16_t kSmDataObjectsIncorrect = 0x6988;
inline constexpr std::uint16_t kWrongData = 0x6A80;
inline constexpr std::uint16_t kFileNotFound = 0x6A82;
inline constexpr std::uint16_t kWrongP1P2 = 0x6B00;
inline constexpr std::uint16_t kInsNotSupported = 0x6D00;
inline constexpr std::uint16_t kClaNotSupported = 0x6E00;
inline constexpr std::uint16_t kUnknown = 0x6F00;
}  // namespace sw

/// "SELECT", "READ BINARY", ... or "INS 2A": a command's name for error steps.
std::string commandName(std::uint8_t ins);

/// "6A82 (file not found)" and so on, for messages.
std::string describeStatus(std::uint16_t sw);

}  // namespace portti::mrtd
