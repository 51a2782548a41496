// The card side of vsmartcard's virtual reader driver (Debian vsmartcard-vpcd, an IFD handler loaded
// by pcscd). The driver listens on a TCP port; the virtual card connects and then answers messages
// framed as a 2-byte big-endian length and a payload. A 1-byte payload is a control message
// (0x00 power off, 0x01 power on, 0x02 reset, 0x04 get ATR); anything longer is a command APDU.
// Connected means "card in the reader"; closing the connection is taking the card away.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "portti/hw/card_callback.hpp"

namespace portti::hw::vpcd {

/// The ATR pcscd reports for the card: the PC/SC part 3 form of a contactless ISO 14443-4 card
/// without historical bytes (3B 80 80 01 01).
mrtd::Bytes defaultAtr();

class VirtualCard {
 public:
  VirtualCard(CardCallback card, mrtd::Bytes atr = defaultAtr());
  ~VirtualCard();
  VirtualCard(const VirtualCard&) = delete;
  VirtualCard& operator=(const VirtualCard&) = delete;

  /// Connects to the driver at host:port (retrying while it is not yet listening) and starts
  /// answering; false when `timeout` passed without a connection.
  bool insert(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);
  /// Closes the connection: pcscd sees the card removed.
  void remove();
  /// Pulls the card during the `apdus`-th next APDU, which gets no answer (a card pulled mid-read).
  void removeAfter(std::size_t apdus);
  bool inserted() const;
  std::size_t apdus() const;

 private:
  struct State;
  void run();
  std::unique_ptr<State> s_;
};

}  // namespace portti::hw::vpcd
