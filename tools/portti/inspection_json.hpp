// The inspection verdict (protocol/inspection.hpp) for `portti read`: JSON and text.
#pragma once

#include <Poco/JSON/Object.h>

#include <ostream>

#include "portti/mrtd/protocol/inspection.hpp"

namespace portti::cli {

/// Adds to `o`: verdict ("valid" | "invalid" | "indeterminate"), checks: {name: {status, codes,
/// detail}}, failures: [reason codes], warnings, notes.
void inspectionJson(const mrtd::DocumentVerdict& v, Poco::JSON::Object& o);
/// One line per check, then the failures and warnings.
void printInspection(const mrtd::DocumentVerdict& v, std::ostream& out);

}  // namespace portti::cli
