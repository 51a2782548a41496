// Diagnostics by spec (`portti devices`): open a device, self-test it, report, close it. Never
// throws: a device that cannot be opened is reported absent with the reason.
#pragma once

#include <string>

#include "portti/hw/device_status.hpp"

namespace portti::hw {

/// A card reader by its --reader spec: opened, polled for a card.
DeviceStatus probeReader(const std::string& spec);
/// A camera by its spec: opened, one frame grabbed within 2 s.
DeviceStatus probeCamera(const std::string& spec);
/// A gate by its spec: opened (which drives it closed) and closed again; it is never opened here.
DeviceStatus probeGate(const std::string& spec);
/// Indicator lights: each lamp switched once, then all off.
DeviceStatus probeIndicatorLights(const std::string& spec);
/// An MRZ source ("serial:DEVICE", "manual"): opened, the line checked.
DeviceStatus probeAccessKeySource(const std::string& spec);

}  // namespace portti::hw
