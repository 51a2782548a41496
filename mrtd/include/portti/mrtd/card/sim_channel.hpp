// SimChannel: an ApduChannel to a VirtualChip in the same process. Commands and responses cross
// as raw bytes (encode -> chip -> decode), the same path as a hardware reader.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"

namespace portti::mrtd {

class SimChannel : public ApduChannel {
 public:
  /// Talks to a chip the caller owns (it must outlive the channel).
  explicit SimChannel(VirtualChip& chip, std::string name = "sim");
  /// Owns the chip.
  explicit SimChannel(std::unique_ptr<VirtualChip> chip, std::string name = "sim");
  /// Opens a reader string "sim:DIR": a virtual chip loaded from the chip folder DIR.
  /// Throws Error{Transport} for another scheme and Error{File} for a bad folder.
  static std::unique_ptr<SimChannel> open(std::string_view reader);

  /// Throws Error{Transport} when the command or the chip's answer is longer than limits() allow
  /// (as a reader would).
  Bytes transmitRaw(ByteView command) override;
  /// The chip's settings: extended length only when the chip accepts it; responses up to its
  /// max_response (+ SW1 SW2).
  ChannelLimits limits() const override;
  std::string name() const override { return name_; }

  VirtualChip& chip() { return *chip_; }

 private:
  std::unique_ptr<VirtualChip> owned_;
  VirtualChip* chip_;
  std::string name_;
};

}  // namespace portti::mrtd
