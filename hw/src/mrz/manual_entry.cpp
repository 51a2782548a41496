#include "portti/hw/access_key_source.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw {

std::vector<std::string> ManualEntry::submitMrz(std::string_view text) {
  const mrtd::Mrz mrz = mrtd::parseMrz(text);
  std::lock_guard lock(mutex_);
  if (!mrz.valid()) {
    lastError_ = "an MRZ was refused (" + std::to_string(mrz.errors.size()) + " problems)";
    return mrz.errors.empty() ? std::vector<std::string>{"not an MRZ (TD1, TD2 or TD3)"} : mrz.errors;
  }
  AccessKey key;
  key.mrz = mrz;
  keys_.push_back(std::move(key));
  queued_.notify_all();
  return {};
}

std::vector<std::string> ManualEntry::submitCan(std::string_view digits) {
  try {
    AccessKey key = AccessKey::fromCan(digits);
    std::lock_guard lock(mutex_);
    keys_.push_back(std::move(key));
    queued_.notify_all();
    return {};
  } catch (const mrtd::Error& e) {
    std::lock_guard lock(mutex_);
    lastError_ = "a CAN was refused";
    return {e.detail()};
  }
}

std::optional<AccessKey> ManualEntry::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!queued_.wait_for(lock, timeout, [&] { return !keys_.empty(); })) return std::nullopt;
  AccessKey key = std::move(keys_.front());
  keys_.pop_front();
  return key;
}

DeviceStatus ManualEntry::status() const {
  std::lock_guard lock(mutex_);
  DeviceStatus s;
  s.kind = "mrz-source";
  s.spec = "manual";
  s.present = true;
  s.model = "manual entry (MRZ or CAN typed at the UI)";
  s.lastError = lastError_;
  s.selfTest = SelfTest::Passed;
  s.selfTestDetail = "nothing to test";
  return s;
}

DeviceStatus ManualEntry::selfTest() { return status(); }

std::unique_ptr<AccessKeySource> openAccessKeySource(const std::string& spec) {
  if (spec == "manual") return std::make_unique<ManualEntry>();
  if (spec.rfind("serial:", 0) == 0) {
    std::string device = spec.substr(7);
    SerialMrzOptions options;
    const auto comma = device.rfind(",baud=");
    if (comma != std::string::npos) {
      const std::string baud = device.substr(comma + 6);
      if (baud.empty() || baud.size() > 7 || baud.find_first_not_of("0123456789") != std::string::npos)
        throw DeviceError(spec, "baud wants a number, e.g. serial:/dev/ttyACM0,baud=115200");
      options.baud = std::stoi(baud);
      device.erase(comma);
    }
    if (device.empty()) throw DeviceError(spec, "serial wants a device: serial:/dev/ttyACM0");
    return std::make_unique<SerialMrzReader>(device, options);
  }
  throw DeviceError(spec, "unknown MRZ source; use serial:DEVICE[,baud=N] or manual");
}

}  // namespace portti::hw
