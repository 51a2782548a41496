#include "portti/hw/device_status.hpp"

namespace portti::hw {

const char* selfTestName(SelfTest result) {
  switch (result) {
    case SelfTest::Passed: return "passed";
    case SelfTest::Failed: return "failed";
    case SelfTest::NotDone: break;
  }
  return "not done";
}

}  // namespace portti::hw
