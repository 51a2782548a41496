// The card side of the simulated transports: a function from a raw command APDU to the raw response
// (data + SW1 SW2). The virtual chip's raw APDU entry point has this shape.
#pragma once

#include <functional>

#include "portti/mrtd/bytes.hpp"

namespace portti::hw {

/// Answers one command APDU; may throw, which the emulators turn into a transport failure.
using CardCallback = std::function<mrtd::Bytes(mrtd::ByteView apdu)>;

}  // namespace portti::hw
