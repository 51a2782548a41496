// The sim backend: the in-process virtual chip (mrtd's SimChannel) behind the card-reader interface,
// so `--reader sim:DIR` works everywhere a hardware reader does.
#pragma once

#include <memory>
#include <string>

#include "portti/hw/card_reader.hpp"
#include "portti/mrtd/card/sim_channel.hpp"

namespace portti::hw {

class SimReader : public CardReader {
 public:
  /// Opens "sim:DIR" (a chip folder); throws mrtd::Error{Transport} for another scheme and
  /// mrtd::Error{File} for a bad folder.
  explicit SimReader(const std::string& spec);
  /// Wraps a channel the caller built (e.g. over a chip made in memory).
  explicit SimReader(std::unique_ptr<mrtd::SimChannel> channel);

  Bytes transmitRaw(ByteView command) override;
  mrtd::ChannelLimits limits() const override { return channel_->limits(); }
  std::string name() const override { return channel_->name(); }
  std::string readerName() const override { return "virtual chip (" + channel_->name() + ")"; }
  std::string readerVersion() const override { return "portti virtual chip"; }
  bool cardPresent() override { return present_; }
  bool waitForCard(std::chrono::milliseconds timeout) override;
  bool waitForRemoval(std::chrono::milliseconds timeout) override;

  /// Takes the virtual card out of (false) or puts it back into (true) the field.
  void setCardPresent(bool present) { present_ = present; }
  mrtd::VirtualChip& chip() { return channel_->chip(); }

 private:
  std::unique_ptr<mrtd::SimChannel> channel_;
  bool present_ = true;
};

}  // namespace portti::hw
