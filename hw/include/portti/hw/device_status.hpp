// What every device of the kiosk reports for diagnostics (`portti devices`, the daemon's health
// page): whether it is there, what it is, the last thing that went wrong, and a self-test result.
// No personal data: never an MRZ, a document number or an image.
#pragma once

#include <stdexcept>
#include <string>

namespace portti::hw {

/// A self-test starts `NotDone` and becomes `Passed` only when the device proved it works.
enum class SelfTest { NotDone, Passed, Failed };

/// "not done", "passed", "failed".
const char* selfTestName(SelfTest result);

struct DeviceStatus {
  std::string kind;       ///< "reader", "camera", "gate", "indicators", "mrz-source"
  std::string spec;       ///< how it was opened ("pcsc", "sim:frames/", "gpio:gpiochip0:17")
  bool present = false;   ///< opened and answering
  std::string model;      ///< model / driver / version, e.g. "libnfc 1.8.0, PN532 v1.6"
  std::string lastError;  ///< empty when nothing went wrong since it was opened
  SelfTest selfTest = SelfTest::NotDone;
  std::string selfTestDetail;  ///< what the self-test did or why it failed
};

/// The error of the devices around the card reader (camera, gate, indicators, MRZ sources). The
/// card readers keep throwing mrtd::Error{Transport}, as the APDU channel they implement does.
class DeviceError : public std::runtime_error {
 public:
  /// `device` names the device ("gate gpio:gpiochip0:17"), `message` says what failed and what to do.
  DeviceError(const std::string& device, const std::string& message)
      : std::runtime_error(device + ": " + message) {}
};

}  // namespace portti::hw
