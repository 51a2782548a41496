// The gate's indicator lamps (red, amber, green) showing what the kiosk is doing. A lamp that
// cannot be switched is recorded, and the lights fall back to red (fail safe: never "go" on doubt).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "portti/hw/device_status.hpp"
#include "portti/hw/output_line.hpp"

namespace portti::hw {

/// What the lamps say. Ready: green; Busy: amber; Pass: green; Refuse: red; Fault: red + amber;
/// Attention (an officer has been called): amber, with green off so nobody is waved through. Three
/// lamps cannot tell Attention from Busy by sight: a site that needs both wires a flashing amber.
enum class Signal { Off, Ready, Busy, Pass, Refuse, Fault, Attention };

/// "off", "ready", "busy", "pass", "refuse", "fault", "attention".
const char* signalName(Signal signal);

class IndicatorLights {
 public:
  IndicatorLights(std::unique_ptr<OutputLine> red, std::unique_ptr<OutputLine> amber,
                  std::unique_ptr<OutputLine> green, std::string spec);
  /// Switches every lamp off.
  ~IndicatorLights();
  IndicatorLights(const IndicatorLights&) = delete;
  IndicatorLights& operator=(const IndicatorLights&) = delete;

  /// Shows `signal`; never throws. When a lamp refuses, shows red only (as far as it can) and
  /// records the error; showing() then says Fault.
  void show(Signal signal) noexcept;
  Signal showing() const;
  DeviceStatus status() const;
  /// Lights each lamp alone in turn, then shows the current signal again.
  DeviceStatus selfTest();

 private:
  void apply(Signal signal);  // throws on a lamp fault
  std::unique_ptr<OutputLine> red_, amber_, green_;
  std::string spec_;
  mutable std::mutex mutex_;
  Signal showing_ = Signal::Off;
  std::string lastError_;
  SelfTest selfTest_ = SelfTest::NotDone;
  std::string selfTestDetail_;
};

/// "sim" (three simulated lines) or "gpio:CHIP:RED,AMBER,GREEN[,active-low]" (line offsets).
/// Throws DeviceError when a line cannot be had.
std::unique_ptr<IndicatorLights> openIndicatorLights(const std::string& spec);

}  // namespace portti::hw
