// Diagnostics: every device kind reports present, model/version, last error and a self-test, and a
// device that cannot be opened is reported absent with the reason (never an exception).
#include <gtest/gtest.h>

#include "hw/test_card.hpp"
#include "portti/hw/device_probe.hpp"
#include "portti/hw/nfc_reader.hpp"
#include "portti/hw/pn532/emulator.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw {
namespace {

TEST(DeviceStatus, ReaderThroughLibnfcAndThePn532Emulator) {
  pn532::Emulator emulator;
  const auto none = probeReader("nfc:" + emulator.connstring());
  EXPECT_TRUE(none.present) << none.lastError;
  EXPECT_EQ(none.kind, "reader");
  EXPECT_NE(none.model.find("PN532"), std::string::npos) << none.model;
  EXPECT_EQ(none.selfTest, SelfTest::Passed);
  EXPECT_EQ(none.selfTestDetail, "reader answers; no card");

  test::FileCard card;
  emulator.insertCard([&](ByteView a) { return card.answer(a); });
  NfcReader reader(emulator.connstring());
  EXPECT_EQ(reader.selfTest().selfTestDetail, "reader answers; a card is in the field");
  emulator.removeCard();
  EXPECT_THROW(reader.transmit(mrtd::CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 16}), mrtd::Error);
  EXPECT_FALSE(reader.status().lastError.empty()) << "the transport failure is remembered";
}

TEST(DeviceStatus, AbsentDevicesSayWhy) {
  const DeviceStatus statuses[] = {probeReader("nfc:pn532_uart:/dev/portti-no-such-tty"),
                                   probeCamera("v4l2:/dev/video97"), probeGate("gpio:gpiochip97:17"),
                                   probeIndicatorLights("gpio:gpiochip97:1,2,3"),
                                   probeAccessKeySource("serial:/dev/ttyNOPE0")};
  for (const auto& s : statuses) {
    EXPECT_FALSE(s.present) << s.spec;
    EXPECT_EQ(s.selfTest, SelfTest::Failed) << s.spec;
    EXPECT_FALSE(s.lastError.empty()) << s.spec;
  }
  EXPECT_EQ(statuses[2].kind, "gate");
  EXPECT_NE(statuses[2].lastError.find("cannot open GPIO chip"), std::string::npos);
}

TEST(DeviceStatus, SimulatedDevicesPass) {
  for (const auto& s : {probeCamera("synthetic:64x48"), probeGate("sim"), probeIndicatorLights("sim"),
                        probeAccessKeySource("manual")}) {
    EXPECT_TRUE(s.present) << s.kind << ": " << s.lastError;
    EXPECT_EQ(s.selfTest, SelfTest::Passed) << s.kind << ": " << s.selfTestDetail;
    EXPECT_FALSE(s.model.empty()) << s.kind;
  }
}

}  // namespace
}  // namespace portti::hw
