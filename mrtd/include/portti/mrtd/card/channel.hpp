// The APDU channel: how reader-side protocols reach a chip. Real transports (libnfc, PC/SC, in hw/)
// and the virtual chip (sim) implement it; secure messaging wraps another channel.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/apdu.hpp"

namespace portti::mrtd {

/// What one link can carry in one exchange.
struct ChannelLimits {
  std::size_t maxCommandBytes = 261;   ///< whole encoded command APDU
  std::size_t maxResponseBytes = 258;  ///< response data + SW1 SW2
  bool extendedLength = false;         ///< both ends accept extended-length APDUs
};

class ApduChannel {
 public:
  virtual ~ApduChannel() = default;
  /// Sends one encoded command APDU and returns the raw response (data + SW1 SW2).
  /// Throws Error{Transport} when the link fails (card removed, timeout).
  virtual Bytes transmitRaw(ByteView command) = 0;
  virtual ChannelLimits limits() const = 0;
  /// A short description for diagnostics ("sim:/path", "pcsc:Reader 0").
  virtual std::string name() const = 0;

  /// Encodes `command` (extended form only when needed), sends it and decodes the response.
  /// On a link without extended length (ISO/IEC 7816-4 5.3.3, 5.3.4): data over 255 bytes go as
  /// a command chain (splitIntoChain), Ne is capped at 256, and an answer announced with 61xx is
  /// completed with GET RESPONSE. Throws Error{Apdu} when the chip refuses the chain.
  virtual ResponseApdu transmit(const CommandApdu& command);
};

/// Splits `command` into a command chain whose links carry at most `maxData` (1..255) data bytes
/// each, in short form: CLA b5 (kClaChaining) on every link but the last, Le only on the last
/// (Ne capped at 256). A command whose data fit comes back alone. Throws Error{Apdu} when the
/// command is already a link of a chain (PACE's GENERAL AUTHENTICATE steps) and does not fit.
std::vector<CommandApdu> splitIntoChain(const CommandApdu& command, std::size_t maxData);

/// Sends the links of a chain one by one through `send` and returns the answer to the last. An
/// intermediate link answered other than 9000 throws Error{Apdu, "<command> command chaining"}
/// that names the status word: the chip refuses chaining (6884) or lost the chain (6883).
ResponseApdu transmitChain(const std::vector<CommandApdu>& links,
                           const std::function<ResponseApdu(const CommandApdu&)>& send);

/// Counts what crosses a channel: exchanges and bytes in both directions.
struct ChannelCounters {
  std::size_t apdus = 0;
  std::size_t bytesSent = 0;
  std::size_t bytesReceived = 0;
};

/// A pass-through channel that counts traffic on the wire (below secure messaging).
class CountingChannel : public ApduChannel {
 public:
  explicit CountingChannel(ApduChannel& inner) : inner_(inner) {}
  Bytes transmitRaw(ByteView command) override;
  ChannelLimits limits() const override { return inner_.limits(); }
  std::string name() const override { return inner_.name(); }
  const ChannelCounters& counters() const { return counters_; }

 private:
  ApduChannel& inner_;
  ChannelCounters counters_;
};

}  // namespace portti::mrtd
