#include "portti/mrtd/card/sim_channel.hpp"

#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

SimChannel::SimChannel(VirtualChip& chip, std::string name) : chip_(&chip), name_(std::move(name)) {}

SimChannel::SimChannel(std::unique_ptr<VirtualChip> chip, std::string name)
    : owned_(std::move(chip)), chip_(owned_.get()), name_(std::move(name)) {}

std::unique_ptr<SimChannel> SimChannel::open(std::string_view reader) {
  constexpr std::string_view kScheme = "sim:";
  if (!reader.starts_with(kScheme) || reader.size() == kScheme.size())
    throw Error(ErrorArea::Transport, "open reader",
                "\"" + std::string(reader) + "\" is not a simulated reader (expected sim:DIR)");
  const std::filesystem::path dir(reader.substr(kScheme.size()));
  return std::make_unique<SimChannel>(std::make_unique<VirtualChip>(VirtualChip::fromFolder(dir)),
                                       std::string(reader));
}

Bytes SimChannel::transmitRaw(ByteView command) {
  const ChannelLimits l = limits();
  if (command.size() > l.maxCommandBytes)
    throw Error(ErrorArea::Transport, "transmit",
                "command of " + std::to_string(command.size()) + " bytes exceeds the link's " +
                    std::to_string(l.maxCommandBytes));
  Bytes copy(command.begin(), command.end());  // the chip sees its own buffer, as over a link
  Bytes response = chip_->transceive(copy);
  // A reader's receive buffer is as small as the link (libnfc + PN532: 256 data bytes): a longer
  // answer is a link failure there, so here too.
  if (response.size() > l.maxResponseBytes)
    throw Error(ErrorArea::Transport, "transmit",
                "response of " + std::to_string(response.size()) + " bytes exceeds the link's " +
                    std::to_string(l.maxResponseBytes));
  return response;
}

ChannelLimits SimChannel::limits() const {
  const ChipSettings& s = chip_->settings();
  ChannelLimits l;
  l.extendedLength = s.extendedLength;
  // Extended: header 4 + Lc 3 + 65535 data + Le 2; short: 4 + 1 + 255 + 1.
  l.maxCommandBytes = s.extendedLength ? 4 + 3 + 65535 + 2 : 261;
  l.maxResponseBytes = s.maxResponse + 2;
  return l;
}

}  // namespace portti::mrtd
