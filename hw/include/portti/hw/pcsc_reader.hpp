// The PC/SC backend: desktop contact/contactless readers through pcsc-lite (pcscd).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "portti/hw/card_reader.hpp"

namespace portti::hw {

class PcscReader : public CardReader {
 public:
  /// Uses the reader whose name equals `name`, else the first whose name contains it; when `name`
  /// is empty, the first reader holding a card, else the first reader. Throws mrtd::Error{Transport} when pcscd is not reachable or no
  /// such reader exists.
  explicit PcscReader(const std::string& name);
  ~PcscReader() override;
  PcscReader(const PcscReader&) = delete;
  PcscReader& operator=(const PcscReader&) = delete;

  /// Connects to the card on first use (T=1 or T=0, shared) and sends the APDU with SCardTransmit.
  Bytes transmitRaw(ByteView command) override;
  mrtd::ChannelLimits limits() const override;
  std::string name() const override;
  std::string readerName() const override;
  std::string readerVersion() const override;
  bool cardPresent() override;
  bool waitForCard(std::chrono::milliseconds timeout) override;
  bool waitForRemoval(std::chrono::milliseconds timeout) override;

  /// Drops the card connection (the next transmit reconnects): after a card swap or pcscd restart.
  void disconnect();
  /// The ATR of the connected card (connects when needed).
  Bytes atr();
  /// Lets the caller choose extended-length APDUs when the reader is known to carry them.
  void setLimits(const mrtd::ChannelLimits& limits) { limits_ = limits; }

 private:
  struct State;
  void connect();
  std::unique_ptr<State> s_;
  mrtd::ChannelLimits limits_;
};

/// The PC/SC reader names pcscd reports now (empty when none). Throws mrtd::Error{Transport} when
/// pcscd is not reachable.
std::vector<std::string> listPcscReaders();

/// Waits until a reader is attached or detached (PC/SC "\\?PnP?\Notification"); false on timeout.
/// Throws mrtd::Error{Transport} when pcscd is not reachable.
bool waitForPcscReaderChange(std::chrono::milliseconds timeout);

}  // namespace portti::hw
