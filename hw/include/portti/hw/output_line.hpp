// One digital output: the gate's lock/motor enable, an indicator lamp. The GPIO backend drives a
// Linux GPIO character-device line through libgpiod (v1.6); the sim backend keeps the level where
// tests and the UI can see it, optionally in a state file another process can read.
#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace portti::hw {

class OutputLine {
 public:
  virtual ~OutputLine() = default;
  /// Sets the line active (true) or inactive. Throws DeviceError when the hardware refuses.
  virtual void set(bool active) = 0;
  /// "gpiochip0 (pinctrl-bcm2835) line 17, libgpiod 1.6.3", "simulated line".
  virtual std::string model() const = 0;
};

/// What a sim line shows, shared with whoever watches it (tests, the UI).
struct SimLineState {
  std::atomic<bool> active{false};
  std::atomic<int> switches{0};  ///< level changes so far
  std::atomic<int> failNext{0};  ///< fault injection: the next N set() calls throw
};

/// The simulated line. With `stateFile`, every change is also written there (atomically, by
/// rename) as "active PID" or "inactive PID", so another process sees the level: see
/// readSimLineFile() for what a dead writer means.
class SimLine : public OutputLine {
 public:
  explicit SimLine(std::shared_ptr<SimLineState> state = std::make_shared<SimLineState>(), std::string stateFile = "");
  void set(bool active) override;
  std::string model() const override;
  const std::shared_ptr<SimLineState>& state() const { return state_; }

 private:
  std::shared_ptr<SimLineState> state_;
  std::string stateFile_;
};

/// A sim line's state file as another process sees it. The sim models a fail-secure output: the
/// level is held only while its driving process lives (a lock energised through the controller),
/// so "active" written by a process that has died reads as inactive, `reason` saying so.
struct SimLineFileState {
  bool active = false;
  std::string reason;  ///< "set inactive", "no state file", "writer process 123 is gone", ...
};
SimLineFileState readSimLineFile(const std::string& stateFile);

/// Opens one line: "sim", "sim:STATEFILE", "gpio:CHIP:LINE" or "gpio:CHIP:LINE,active-low"
/// (CHIP as libgpiod looks it up: "gpiochip0", "/dev/gpiochip0", a number or a label). The line
/// starts inactive. Throws DeviceError when the chip or line cannot be had.
std::unique_ptr<OutputLine> openOutputLine(const std::string& spec, const std::string& consumer);

}  // namespace portti::hw
