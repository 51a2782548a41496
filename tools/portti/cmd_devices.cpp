// portti devices [--reader SPEC]... [--camera SPEC]... [--gate SPEC] [--lights SPEC]
//                [--mrz-source SPEC]... [--json]
// Diagnostics: each device named is opened and self-tested, and its status printed: present,
// model/version, last error, self-test result. With no device named it checks the defaults a kiosk
// would have: the PC/SC reader ("pcsc") and the first camera ("v4l2:0"). The gate is never opened
// here (its self-test only drives it closed). Exit 0 when every device is present and passed its
// self-test, 1 otherwise. No personal data is printed: nothing is read from a document.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <iostream>
#include <opencv2/core/utils/logger.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "portti/hw/device_probe.hpp"

namespace portti::cli {

int runDevices(const Words& words) {
  Args args(words, {"json"});
  if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
  // Probing chatter (libnfc, OpenCV warnings for a missing camera): the status says what matters.
  ::setenv("LIBNFC_LOG_LEVEL", "0", 0);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);

  std::vector<hw::DeviceStatus> devices;
  for (const auto& spec : args.all("reader")) devices.push_back(hw::probeReader(spec));
  for (const auto& spec : args.all("camera")) devices.push_back(hw::probeCamera(spec));
  for (const auto& spec : args.all("gate")) devices.push_back(hw::probeGate(spec));
  for (const auto& spec : args.all("lights")) devices.push_back(hw::probeIndicatorLights(spec));
  for (const auto& spec : args.all("mrz-source")) devices.push_back(hw::probeAccessKeySource(spec));
  if (devices.empty()) {
    devices.push_back(hw::probeReader("pcsc"));
    devices.push_back(hw::probeCamera("v4l2:0"));
  }

  bool allGood = true;
  for (const auto& d : devices) allGood = allGood && d.present && d.selfTest == hw::SelfTest::Passed;

  if (args.flag("json")) {
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& d : devices) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("kind", d.kind);
      o->set("spec", d.spec);
      o->set("present", d.present);
      o->set("model", d.model);
      o->set("last_error", d.lastError);
      o->set("self_test", std::string(hw::selfTestName(d.selfTest)));
      o->set("self_test_detail", d.selfTestDetail);
      list->add(o);
    }
    root->set("devices", list);
    root->set("all_ok", allGood);
    root->stringify(std::cout, 2);
    std::cout << "\n";
    return allGood ? 0 : 1;
  }

  for (const auto& d : devices) {
    std::cout << d.kind << " " << d.spec << ": " << (d.present ? "present" : "absent") << "\n";
    if (!d.model.empty()) std::cout << "  model:      " << d.model << "\n";
    std::cout << "  self-test:  " << hw::selfTestName(d.selfTest);
    if (!d.selfTestDetail.empty()) std::cout << " (" << d.selfTestDetail << ")";
    std::cout << "\n";
    if (!d.lastError.empty()) std::cout << "  last error: " << d.lastError << "\n";
  }
  return allGood ? 0 : 1;
}

}  // namespace portti::cli
