// Secure messaging (ICAO Doc 9303 Part 11, section 9.8): 3DES (BAC, PACE-3DES) and AES (PACE, CA).
// One object holds the session keys and the send sequence counter; the reader side protects
// commands and unprotects responses, the card side (virtual chip) does the reverse.
//
// Fail closed: once a check fails (wrong or missing MAC, malformed data objects, a status word
// sent without protection), the object refuses every further call. 9303-11 9.8.6: a secure
// messaging error ends the session; the reader has to authenticate again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

enum class SmCipher { Des3, Aes };

/// The chip answered a protected command with a bare status word (no DO'99', no MAC), e.g. 6987 /
/// 6988 after it found an SM error, or 6A82 from a chip that drops SM on errors. The status word
/// is not authenticated, and the session is over; `sw()` lets a caller decide what to try next
/// (re-authenticate, step down the read size) without trusting it as a protected answer.
class UnprotectedStatusError : public Error {
 public:
  UnprotectedStatusError(std::string step, std::uint16_t sw);
  std::uint16_t sw() const { return sw_; }

 private:
  std::uint16_t sw_;
};

class SecureMessaging {
 public:
  /// `kEnc`/`kMac`: 16-byte 3DES keys or 16/24/32-byte AES keys; `ssc`: 8 bytes (3DES) or 16 (AES).
  /// Throws Error{SecureMessaging} for other lengths.
  SecureMessaging(SmCipher cipher, ByteView kEnc, ByteView kMac, ByteView ssc);
  ~SecureMessaging();
  SecureMessaging(SecureMessaging&&) noexcept;
  SecureMessaging& operator=(SecureMessaging&&) noexcept;

  SmCipher cipher() const;
  /// Current send sequence counter.
  Bytes ssc() const;
  /// True once a check failed: every further call throws Error{SecureMessaging}.
  bool failed() const;
  /// Block size of the cipher (8 or 16): padding unit of data and MAC input.
  std::size_t blockSize() const;

  /// True when the CLA byte announces secure messaging with an authenticated header (bits b4 b3
  /// = 11, ISO/IEC 7816-4 5.4.1), as every protected 9303 command does.
  static bool isProtected(const CommandApdu& command) { return (command.cla & 0x0C) == 0x0C; }

  // Reader side.
  /// Increments the SSC and builds the protected command (CLA|0x0C, DO'85' for an odd INS or
  /// DO'87', DO'97', DO'8E'). The result is extended-length when the plain command was or when
  /// the protected data exceed 255 bytes; its Le asks for everything (00 / 0000).
  CommandApdu protectCommand(const CommandApdu& plain);
  /// Increments the SSC, checks DO'8E' (a wrong or missing MAC throws Error{SecureMessaging})
  /// and returns the plain response (data from DO'87'/'85', status word from DO'99'). A response
  /// that is only a status word throws UnprotectedStatusError.
  ResponseApdu unprotectResponse(const ResponseApdu& protectedResponse);

  // Card side.
  /// Increments the SSC, checks the command MAC and returns the plain command (CLA without the
  /// SM bits, data decrypted, Ne from DO'97', extended when the protected command was).
  CommandApdu unprotectCommand(const CommandApdu& protectedCommand);
  /// Increments the SSC and builds the protected response: DO'87' (DO'85' when the last
  /// unprotected command had an odd INS) when there are data, DO'99', DO'8E'.
  ResponseApdu protectResponse(const ResponseApdu& plain);

  /// Bytes that protection adds around `plainDataLength` bytes of response data (DO'87' header,
  /// padding, DO'99', DO'8E'): used to pick read sizes that fit a link. Counts DO'87'; a DO'85'
  /// (odd INS) is one byte shorter, so this is an upper bound.
  std::size_t responseOverhead(std::size_t plainDataLength) const;
  /// Size of the encoded protected command for a plain command with `dataLength` bytes of data
  /// and expecting `ne` bytes (0: no Le), in short form unless it needs extended length (an upper
  /// bound by one byte for odd INS, as above).
  std::size_t protectedCommandSize(std::size_t dataLength, std::size_t ne, bool extended = false) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A channel that sends every command through secure messaging over an inner channel. After any
/// failure (SM check, unprotected status word, transport error: the SSC may be out of step) it
/// refuses further use: the session is over.
class SecureChannel : public ApduChannel {
 public:
  SecureChannel(ApduChannel& inner, SecureMessaging sm);
  Bytes transmitRaw(ByteView command) override;
  ResponseApdu transmit(const CommandApdu& command) override;
  /// The inner limits less the SM overhead: the largest plain command and response (data + SW)
  /// whose protected forms fit the inner link.
  ChannelLimits limits() const override;
  std::string name() const override;
  SecureMessaging& sm() { return sm_; }
  /// True after a failure; every further transmit throws Error{SecureMessaging}.
  bool broken() const { return broken_; }

 private:
  ApduChannel& inner_;
  SecureMessaging sm_;
  bool broken_ = false;
};

}  // namespace portti::mrtd
