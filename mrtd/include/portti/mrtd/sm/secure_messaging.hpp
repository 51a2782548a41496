// Secure messaging (ICAO Doc 9303 Part 11, section 9.8): 3DES (BAC, PACE-3DES) and AES (PACE, CA).
// One object holds the session keys and the send sequence counter; the reader side protects
// commands and unprotects responses, the card side (virtual chip) does the reverse.
#pragma once

#include <memory>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/card/channel.hpp"

namespace portti::mrtd {

enum class SmCipher { Des3, Aes };

class SecureMessaging {
 public:
  /// `kEnc`/`kMac`: 16-byte 3DES keys or 16/24/32-byte AES keys; `ssc`: 8 bytes (3DES) or 16 (AES).
  SecureMessaging(SmCipher cipher, ByteView kEnc, ByteView kMac, ByteView ssc);
  ~SecureMessaging();
  SecureMessaging(SecureMessaging&&) noexcept;
  SecureMessaging& operator=(SecureMessaging&&) noexcept;

  SmCipher cipher() const;
  /// Current send sequence counter.
  Bytes ssc() const;

  // Reader side.
  /// Increments the SSC and builds the protected command (CLA|0x0C, DO'85'/'87', DO'97', DO'8E').
  CommandApdu protectCommand(const CommandApdu& plain);
  /// Increments the SSC, checks DO'8E' (a wrong or missing MAC throws Error{SecureMessaging})
  /// and returns the plain response (data from DO'87'/'85', status word from DO'99').
  ResponseApdu unprotectResponse(const ResponseApdu& protectedResponse);

  // Card side.
  /// Increments the SSC, checks the command MAC and returns the plain command.
  CommandApdu unprotectCommand(const CommandApdu& protectedCommand);
  /// Increments the SSC and builds the protected response.
  ResponseApdu protectResponse(const ResponseApdu& plain);

  /// Bytes that protection adds around `plainDataLength` bytes of response data (DO'87' header,
  /// padding, DO'99', DO'8E'): used to pick read sizes that fit a link.
  std::size_t responseOverhead(std::size_t plainDataLength) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A channel that sends every command through secure messaging over an inner channel.
class SecureChannel : public ApduChannel {
 public:
  SecureChannel(ApduChannel& inner, SecureMessaging sm);
  Bytes transmitRaw(ByteView command) override;
  ResponseApdu transmit(const CommandApdu& command) override;
  /// The inner limits less the SM overhead.
  ChannelLimits limits() const override;
  std::string name() const override;
  SecureMessaging& sm() { return sm_; }

 private:
  ApduChannel& inner_;
  SecureMessaging sm_;
};

}  // namespace portti::mrtd
