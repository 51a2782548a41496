// The card-reader interface of the appliance: an APDU channel (mrtd's ApduChannel) plus what a kiosk
// needs around it: the reader's identity, whether a card is in the field, waiting for a card to be
// presented or taken away. Every wait takes a timeout, so nothing in the reading flow can hang.
#pragma once

#include <chrono>
#include <string>

#include "portti/hw/device_status.hpp"
#include "portti/mrtd/card/channel.hpp"

namespace portti::hw {

using mrtd::ByteView;
using mrtd::Bytes;

/// A reader with (at most) one card slot. transmitRaw() talks to the card in the field; it throws
/// mrtd::Error{Transport} when there is none or the link fails (card pulled, reader unplugged).
class CardReader : public mrtd::ApduChannel {
 public:
  /// The reader's own name ("pn532_uart:/dev/pts/3", "Virtual PCD 00 00").
  virtual std::string readerName() const = 0;
  /// Driver / firmware version for diagnostics ("libnfc 1.8.0, PN532 v1.6").
  virtual std::string readerVersion() const = 0;
  /// True when a card is in the field now (polls the reader; never blocks longer than a poll).
  virtual bool cardPresent() = 0;
  /// Waits until a card is present; false when `timeout` passed first.
  virtual bool waitForCard(std::chrono::milliseconds timeout) = 0;
  /// Waits until the card has been taken away; false when it is still there after `timeout`.
  virtual bool waitForRemoval(std::chrono::milliseconds timeout) = 0;

  /// transmit() that remembers the last transport failure for status().
  mrtd::ResponseApdu transmit(const mrtd::CommandApdu& command) override;
  /// Present, model/version (readerName, readerVersion) and the last transport error. Like every
  /// reader call, from the thread that uses the reader (readers are not thread-safe).
  virtual DeviceStatus status() const;
  /// Checks that the reader answers a card-presence poll (no card needed, nothing is sent to a card).
  virtual DeviceStatus selfTest();

 protected:
  std::string lastError_;  ///< the last transport failure seen by transmit()

 private:
  SelfTest selfTest_ = SelfTest::NotDone;
  std::string selfTestDetail_;
};

}  // namespace portti::hw
