#include "portti/hw/sim_reader.hpp"

#include <thread>

#include "portti/mrtd/error.hpp"

namespace portti::hw {

SimReader::SimReader(const std::string& spec) : channel_(mrtd::SimChannel::open(spec)) {}

SimReader::SimReader(std::unique_ptr<mrtd::SimChannel> channel) : channel_(std::move(channel)) {}

Bytes SimReader::transmitRaw(ByteView command) {
  if (!present_) throw mrtd::Error(mrtd::ErrorArea::Transport, "transmit", "the virtual card is not in the field");
  return channel_->transmitRaw(command);
}

// Nothing moves the virtual card but setCardPresent(), which the waiting thread itself would have
// to call: a wait answers from the current state, and waits out its timeout when that cannot change.
bool SimReader::waitForCard(std::chrono::milliseconds timeout) {
  if (present_) return true;
  std::this_thread::sleep_for(timeout);
  return present_;
}

bool SimReader::waitForRemoval(std::chrono::milliseconds timeout) {
  if (!present_) return true;
  std::this_thread::sleep_for(timeout);
  return !present_;
}

}  // namespace portti::hw
