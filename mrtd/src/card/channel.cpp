#include "portti/mrtd/card/channel.hpp"

namespace portti::mrtd {

ResponseApdu ApduChannel::transmit(const CommandApdu& command) {
  return ResponseApdu::decode(transmitRaw(command.encode()));
}

Bytes CountingChannel::transmitRaw(ByteView command) {
  Bytes response = inner_.transmitRaw(command);
  ++counters_.apdus;
  counters_.bytesSent += command.size();
  counters_.bytesReceived += response.size();
  return response;
}

}  // namespace portti::mrtd
