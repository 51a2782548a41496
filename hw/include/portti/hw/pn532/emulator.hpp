// A PN532 on a pseudo-terminal: the chip's side of its UART (HSU) protocol, so that an unmodified
// libnfc opens "pn532_uart:/dev/pts/N" and talks to a simulated card through it. It answers the
// commands libnfc 1.8.0 sends (CLARIFICATIONS 13; UM0701-02 chapter 7): Diagnose, GetFirmwareVersion,
// GetGeneralStatus, ReadRegister/WriteRegister (batched), SetParameters, SAMConfiguration, PowerDown,
// RFConfiguration, InListPassiveTarget and InAutoPoll (106 kbps type A and B), InDataExchange (with host-side MI
// chaining), InCommunicateThru, InDeselect, InRelease, InSelect, ReadGPIO/WriteGPIO; anything else
// gets the application-error frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "portti/hw/card_callback.hpp"
#include "portti/hw/pn532/frame.hpp"

namespace portti::hw::pn532 {

/// How the simulated card presents itself in the field.
struct CardProfile {
  bool typeB = false;                           ///< ISO/IEC 14443-B instead of A
  Bytes uid = mrtd::fromHex("08A1B2C3");        ///< type A NFCID1 (random-UID style) or type B PUPI
  Bytes atqa = mrtd::fromHex("0044");           ///< type A SENS_RES (as the PN532 reports it)
  std::uint8_t sak = 0x20;                      ///< type A SEL_RES: ISO/IEC 14443-4 compliant
  Bytes ats = mrtd::fromHex("0578807002");      ///< type A ATS including its length byte
  Bytes applicationData = mrtd::fromHex("00000000");
  Bytes protocolInfo = mrtd::fromHex("008171");  ///< type B: FSCI 256 bytes, ISO 14443-4
};

/// What the emulator has seen, for tests.
struct EmulatorStats {
  std::size_t frames = 0;          ///< information frames answered
  std::size_t corruptFrames = 0;   ///< frames with a bad checksum (ignored, as the chip does)
  std::size_t apdus = 0;           ///< APDUs handed to the card
  std::size_t activations = 0;     ///< targets listed (card activated) by InListPassiveTarget
  std::size_t unknownCommands = 0;
  bool fieldOn = false;
  bool poweredDown = false;
};

class Emulator {
 public:
  /// Opens a pseudo-terminal and starts answering on it from a background thread.
  /// Throws mrtd::Error{Transport} when no pty can be made.
  Emulator();
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// The slave side, e.g. "/dev/pts/5"; libnfc's connstring is "pn532_uart:" + devicePath().
  std::string devicePath() const;
  std::string connstring() const { return "pn532_uart:" + devicePath(); }

  /// Puts a card in the field.
  void insertCard(CardCallback card, CardProfile profile = {});
  /// Takes the card out of the field: the next exchange fails with an RF timeout, as on a real PN532.
  void removeCard();
  /// Pulls the card during the `apdus`-th next APDU, whose answer is lost (a card pulled mid-read).
  void removeCardAfter(std::size_t apdus);
  bool cardInField() const;
  EmulatorStats stats() const;

  /// The answer to one host frame body (TFI D4 + command + parameters): TFI D5 + command+1 + data,
  /// or nothing when the command gets the application-error frame. Exposed for unit tests.
  std::optional<Bytes> handleCommand(ByteView body);

 private:
  struct State;
  void run();
  std::unique_ptr<State> s_;
};

}  // namespace portti::hw::pn532
