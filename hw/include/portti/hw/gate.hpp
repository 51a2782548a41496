// The e-gate's exit door / barrier. Fail safe means closed: the gate starts closed, every open()
// has a duration after which a watchdog thread closes it, and a fault while opening, an exception,
// the object's destruction, exit(), std::terminate and SIGTERM/SIGINT (with the termination guard)
// all leave it closed. A close that fails is retried by the watchdog and isOpen() stays true
// (closed only on proof). SIGKILL cannot be caught: see hw/README.md, "Gate".
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "portti/hw/device_status.hpp"
#include "portti/hw/output_line.hpp"

namespace portti::hw {

class Gate {
 public:
  virtual ~Gate() = default;
  /// Opens for `duration` (1 ms .. 60 s), then closes by itself; a second open() extends it. On a
  /// fault the gate is closed again and DeviceError is thrown.
  virtual void open(std::chrono::milliseconds duration) = 0;
  /// Closes now; never throws (a failure is recorded in status() and retried).
  virtual void close() noexcept = 0;
  /// True while open, or while a close has not been proven (the line refused it).
  virtual bool isOpen() const = 0;
  virtual DeviceStatus status() const = 0;
  /// Pulses the output (open, close) only when `pulse` is true (a real gate would move); otherwise
  /// checks that the line answers by setting it closed.
  virtual DeviceStatus selfTest(bool pulse = false) = 0;
};

/// A gate over an output line (active = open).
std::unique_ptr<Gate> makeGate(std::unique_ptr<OutputLine> line, std::string spec);
/// "sim", "sim:STATEFILE", "gpio:CHIP:LINE[,active-low]" (see openOutputLine()).
std::unique_ptr<Gate> openGate(const std::string& spec);

/// Closes every gate of this process now (used by the guards; safe to call any time).
void closeAllGates() noexcept;
/// Installs, once per process, handlers for SIGTERM, SIGINT and SIGHUP that close every gate and
/// then end the process by the same signal. Call it early in main() of anything that drives a gate.
void installGateTerminationGuard();

}  // namespace portti::hw
