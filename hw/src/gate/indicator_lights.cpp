#include "portti/hw/indicator_lights.hpp"

#include <sstream>
#include <vector>

namespace portti::hw {

const char* signalName(Signal signal) {
  switch (signal) {
    case Signal::Off:
      return "off";
    case Signal::Ready:
      return "ready";
    case Signal::Busy:
      return "busy";
    case Signal::Pass:
      return "pass";
    case Signal::Refuse:
      return "refuse";
    case Signal::Fault:
      return "fault";
    case Signal::Attention:
      return "attention";
  }
  return "fault";
}

IndicatorLights::IndicatorLights(std::unique_ptr<OutputLine> red, std::unique_ptr<OutputLine> amber,
                                 std::unique_ptr<OutputLine> green, std::string spec)
    : red_(std::move(red)), amber_(std::move(amber)), green_(std::move(green)), spec_(std::move(spec)) {
  apply(Signal::Off);
}

IndicatorLights::~IndicatorLights() {
  try {
    apply(Signal::Off);
  } catch (const std::exception&) {
  }
}

void IndicatorLights::apply(Signal signal) {
  const bool red = signal == Signal::Refuse || signal == Signal::Fault;
  const bool amber = signal == Signal::Busy || signal == Signal::Fault || signal == Signal::Attention;
  const bool green = signal == Signal::Ready || signal == Signal::Pass;
  // Green last on the way on and first on the way off: never green beside red.
  if (!green) green_->set(false);
  red_->set(red);
  amber_->set(amber);
  if (green) green_->set(true);
}

void IndicatorLights::show(Signal signal) noexcept {
  std::lock_guard lock(mutex_);
  try {
    apply(signal);
    showing_ = signal;
  } catch (const std::exception& e) {
    lastError_ = std::string("cannot show ") + signalName(signal) + ": " + e.what();
    showing_ = Signal::Fault;
    for (auto* lamp : {green_.get(), amber_.get()}) try {
        lamp->set(false);
      } catch (const std::exception&) {
      }
    try {
      red_->set(true);
    } catch (const std::exception&) {
    }
  }
}

Signal IndicatorLights::showing() const {
  std::lock_guard lock(mutex_);
  return showing_;
}

DeviceStatus IndicatorLights::status() const {
  std::lock_guard lock(mutex_);
  DeviceStatus s;
  s.kind = "indicators";
  s.spec = spec_;
  s.present = true;
  s.model = "red: " + red_->model() + "; amber: " + amber_->model() + "; green: " + green_->model();
  s.lastError = lastError_;
  s.selfTest = selfTest_;
  s.selfTestDetail = selfTestDetail_;
  return s;
}

DeviceStatus IndicatorLights::selfTest() {
  Signal was;
  {
    std::lock_guard lock(mutex_);
    was = showing_;
    selfTest_ = SelfTest::Failed;
    try {
      for (Signal lamp : {Signal::Refuse, Signal::Busy, Signal::Ready}) {
        // Fault lights red + amber; each of these lights one lamp alone.
        apply(lamp);
      }
      selfTest_ = SelfTest::Passed;
      selfTestDetail_ = "red, amber and green switched";
    } catch (const std::exception& e) {
      selfTestDetail_ = e.what();
      lastError_ = std::string("self-test: ") + e.what();
    }
  }
  show(was);
  return status();
}

std::unique_ptr<IndicatorLights> openIndicatorLights(const std::string& spec) {
  if (spec == "sim")
    return std::make_unique<IndicatorLights>(std::make_unique<SimLine>(), std::make_unique<SimLine>(),
                                             std::make_unique<SimLine>(), spec);
  if (spec.rfind("gpio:", 0) == 0) {
    std::string rest = spec.substr(5);
    std::string suffix;
    if (rest.size() > 11 && rest.compare(rest.size() - 11, 11, ",active-low") == 0) {
      suffix = ",active-low";
      rest.erase(rest.size() - 11);
    }
    const auto colon = rest.rfind(':');
    std::vector<std::string> lines;
    if (colon != std::string::npos) {
      std::stringstream offsets(rest.substr(colon + 1));
      for (std::string l; std::getline(offsets, l, ',');) lines.push_back(l);
    }
    if (lines.size() != 3)
      throw DeviceError(spec, "indicator lights want gpio:CHIP:RED,AMBER,GREEN[,active-low]");
    const std::string chip = rest.substr(0, colon + 1);
    return std::make_unique<IndicatorLights>(
        openOutputLine("gpio:" + chip + lines[0] + suffix, "portti-red"),
        openOutputLine("gpio:" + chip + lines[1] + suffix, "portti-amber"),
        openOutputLine("gpio:" + chip + lines[2] + suffix, "portti-green"), spec);
  }
  throw DeviceError(spec, "unknown indicator lights; use sim or gpio:CHIP:RED,AMBER,GREEN[,active-low]");
}

}  // namespace portti::hw
