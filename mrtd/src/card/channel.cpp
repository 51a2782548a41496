#include "portti/mrtd/card/channel.hpp"

#include <algorithm>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {
constexpr std::size_t kShortMaxData = 255;
constexpr std::size_t kShortMaxNe = 256;
/// The most an answer may grow by GET RESPONSE (the largest extended answer).
constexpr std::size_t kMaxAnswer = 65536;
/// GET RESPONSEs for one answer at the most: 65536 bytes in pieces of 256.
constexpr std::size_t kMaxGetResponses = kMaxAnswer / 256;

/// Sends one command and, while the chip announces more with 61xx, fetches it with GET RESPONSE
/// (ISO/IEC 7816-4 5.3.4, 11.7.1) in the command's logical channel. Under secure messaging this
/// joins the pieces of one protected answer before it is checked (the GET RESPONSE commands are
/// not protected and do not count in the SSC).
ResponseApdu exchange(ApduChannel& channel, const CommandApdu& command) {
  ResponseApdu r = ResponseApdu::decode(channel.transmitRaw(command.encode()));
  for (std::size_t rounds = 0; r.sw1() == 0x61; ++rounds) {
    // Bounded: a chip that keeps announcing more (even with empty pieces) cannot hold the reader.
    if (r.data.size() > kMaxAnswer || rounds >= kMaxGetResponses)
      throw Error(ErrorArea::Apdu, "GET RESPONSE",
                  "the chip keeps announcing more data (61xx) after " + std::to_string(r.data.size()) + " bytes in " +
                      std::to_string(rounds + 1) + " answers");
    const CommandApdu more{static_cast<std::uint8_t>(command.cla & 0x03), kInsGetResponse, 0x00, 0x00, {},
                           r.sw2() == 0 ? kShortMaxNe : r.sw2()};
    const ResponseApdu next = ResponseApdu::decode(channel.transmitRaw(more.encode()));
    r.data.insert(r.data.end(), next.data.begin(), next.data.end());
    r.sw = next.sw;
  }
  return r;
}
}  // namespace

std::vector<CommandApdu> splitIntoChain(const CommandApdu& command, std::size_t maxData) {
  maxData = std::clamp<std::size_t>(maxData, 1, kShortMaxData);
  CommandApdu whole = command;
  whole.extended = false;
  whole.ne = std::min(whole.ne, kShortMaxNe);
  if (whole.data.size() <= maxData) return {whole};
  if (command.cla & kClaChaining)
    throw Error(ErrorArea::Apdu, commandName(command.ins) + " command chaining",
                "a " + std::to_string(command.data.size()) +
                    "-byte command that is already a link of a chain does not fit a short APDU");
  std::vector<CommandApdu> links;
  for (std::size_t offset = 0; offset < whole.data.size(); offset += maxData) {
    const std::size_t n = std::min(maxData, whole.data.size() - offset);
    const bool last = offset + n == whole.data.size();
    CommandApdu link{static_cast<std::uint8_t>(last ? whole.cla : whole.cla | kClaChaining), whole.ins, whole.p1, whole.p2,
                     Bytes(whole.data.begin() + static_cast<std::ptrdiff_t>(offset),
                           whole.data.begin() + static_cast<std::ptrdiff_t>(offset + n)),
                     last ? whole.ne : 0};
    links.push_back(std::move(link));
  }
  return links;
}

ResponseApdu transmitChain(const std::vector<CommandApdu>& links,
                           const std::function<ResponseApdu(const CommandApdu&)>& send) {
  std::size_t total = 0;
  for (const CommandApdu& link : links) total += link.data.size();
  for (std::size_t i = 0; i + 1 < links.size(); ++i) {
    const ResponseApdu r = send(links[i]);
    if (r.ok()) continue;
    throw Error(ErrorArea::Apdu, commandName(links[i].ins) + " command chaining",
                "the chip answered " + describeStatus(r.sw) + " to link " + std::to_string(i + 1) + " of " +
                    std::to_string(links.size()) + ": it does not take this " + std::to_string(total) +
                    "-byte command as a chain, and the link carries only short APDUs (no extended length)");
  }
  return send(links.back());
}

ResponseApdu ApduChannel::transmit(const CommandApdu& command) {
  const ChannelLimits l = limits();
  if (l.extendedLength && command.encode().size() <= l.maxCommandBytes) return exchange(*this, command);
  // Short APDUs only: leave room for the header, Lc and Le within the link's command size.
  const std::size_t room = l.maxCommandBytes > 6 ? l.maxCommandBytes - 6 : 1;
  const std::vector<CommandApdu> links = splitIntoChain(command, std::min(room, kShortMaxData));
  return transmitChain(links, [this](const CommandApdu& link) { return exchange(*this, link); });
}

Bytes CountingChannel::transmitRaw(ByteView command) {
  Bytes response = inner_.transmitRaw(command);
  ++counters_.apdus;
  counters_.bytesSent += command.size();
  counters_.bytesReceived += response.size();
  return response;
}

}  // namespace portti::mrtd
