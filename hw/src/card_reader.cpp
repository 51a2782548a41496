#include "portti/hw/card_reader.hpp"

namespace portti::hw {

mrtd::ResponseApdu CardReader::transmit(const mrtd::CommandApdu& command) {
  try {
    return ApduChannel::transmit(command);
  } catch (const std::exception& e) {
    lastError_ = e.what();
    throw;
  }
}

DeviceStatus CardReader::status() const {
  DeviceStatus s;
  s.kind = "reader";
  s.spec = name();
  s.present = true;
  s.model = readerName() + ", " + readerVersion();
  s.lastError = lastError_;
  s.selfTest = selfTest_;
  s.selfTestDetail = selfTestDetail_;
  return s;
}

DeviceStatus CardReader::selfTest() {
  try {
    const bool card = cardPresent();
    selfTest_ = SelfTest::Passed;
    selfTestDetail_ = card ? "reader answers; a card is in the field" : "reader answers; no card";
  } catch (const std::exception& e) {
    selfTest_ = SelfTest::Failed;
    selfTestDetail_ = e.what();
    lastError_ = e.what();
  }
  return status();
}

}  // namespace portti::hw
