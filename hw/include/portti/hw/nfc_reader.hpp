// The libnfc backend: PN53x-class NFC front-ends (PN532 over UART/I2C/SPI, USB readers) as an
// ISO/IEC 14443-4 initiator for type A and type B cards.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "portti/hw/card_reader.hpp"

namespace portti::hw {

/// The kind of ISO/IEC 14443-4 target selected.
enum class NfcTargetType { None, TypeA, TypeB };

class NfcReader : public CardReader {
 public:
  /// Opens `connstring` ("pn532_uart:/dev/pts/4"), or libnfc's default device when empty.
  /// Throws mrtd::Error{Transport} when libnfc cannot open it.
  explicit NfcReader(const std::string& connstring);
  ~NfcReader() override;
  NfcReader(const NfcReader&) = delete;
  NfcReader& operator=(const NfcReader&) = delete;

  Bytes transmitRaw(ByteView command) override;
  /// No extended length on this path: libnfc 1.8.0 reads a PN532 response into a ~264-byte buffer
  /// (CLARIFICATIONS 13, QUIRKS "Read sizes"), so responses stay <= 256 data bytes + SW.
  mrtd::ChannelLimits limits() const override;
  std::string name() const override;
  std::string readerName() const override;
  std::string readerVersion() const override;
  bool cardPresent() override;
  bool waitForCard(std::chrono::milliseconds timeout) override;
  bool waitForRemoval(std::chrono::milliseconds timeout) override;

  /// Switches the RF field on or off (off also drops the selected card).
  void setField(bool on);
  /// The selected target's type, None when no card is selected.
  NfcTargetType targetType() const;
  /// The selected target's UID (type A) or PUPI (type B); empty when none.
  Bytes targetId() const;
  /// Per-exchange timeout handed to libnfc (default 2000 ms).
  void setExchangeTimeout(std::chrono::milliseconds timeout);

 private:
  struct State;
  bool trySelect();
  std::unique_ptr<State> s_;
};

/// The connstrings libnfc finds (nfc_list_devices: USB devices, libnfc.conf, LIBNFC_DEFAULT_DEVICE).
/// Throws mrtd::Error{Transport} when libnfc cannot be initialised.
std::vector<std::string> listNfcDevices();

}  // namespace portti::hw
