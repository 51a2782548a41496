// The APDU channel: how reader-side protocols reach a chip. Real transports (libnfc, PC/SC, in hw/)
// and the virtual chip (sim) implement it; secure messaging wraps another channel.
#pragma once

#include <cstddef>
#include <string>

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
  virtual ResponseApdu transmit(const CommandApdu& command);
};

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
