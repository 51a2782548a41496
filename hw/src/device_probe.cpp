#include "portti/hw/device_probe.hpp"

#include <functional>

#include "portti/hw/access_key_source.hpp"
#include "portti/hw/camera.hpp"
#include "portti/hw/gate.hpp"
#include "portti/hw/indicator_lights.hpp"
#include "portti/hw/open_reader.hpp"

namespace portti::hw {

namespace {

DeviceStatus probe(const char* kind, const std::string& spec, const std::function<DeviceStatus()>& test) {
  DeviceStatus s;
  try {
    s = test();
  } catch (const std::exception& e) {
    s = DeviceStatus{};
    s.present = false;
    s.lastError = e.what();
    s.selfTest = SelfTest::Failed;
    s.selfTestDetail = "could not open";
  }
  s.kind = kind;
  s.spec = spec;
  return s;
}

}  // namespace

DeviceStatus probeReader(const std::string& spec) {
  return probe("reader", spec, [&] { return openReader(spec)->selfTest(); });
}

DeviceStatus probeCamera(const std::string& spec) {
  return probe("camera", spec, [&] { return openCamera(spec)->selfTest(std::chrono::milliseconds(2000)); });
}

DeviceStatus probeGate(const std::string& spec) {
  return probe("gate", spec, [&] { return openGate(spec)->selfTest(false); });
}

DeviceStatus probeIndicatorLights(const std::string& spec) {
  return probe("indicators", spec, [&] { return openIndicatorLights(spec)->selfTest(); });
}

DeviceStatus probeAccessKeySource(const std::string& spec) {
  return probe("mrz-source", spec, [&] { return openAccessKeySource(spec)->selfTest(); });
}

}  // namespace portti::hw
