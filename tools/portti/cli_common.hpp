// What several portti commands share: files, and the trust and time options of verification.
#pragma once

#include <string>

#include "args.hpp"
#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/pki/trust_store.hpp"

namespace portti::cli {

/// The whole file; throws Error{File} naming the path when it cannot be read.
mrtd::Bytes readFile(const std::string& path);
/// Writes (replaces) a file; throws Error{File} naming the path.
void writeFile(const std::string& path, mrtd::ByteView bytes);

/// Every `--trust PATH` (certificate, folder or master list) and `--crl FILE`.
mrtd::pki::TrustStore trustFromArgs(const Args& args);
/// `--at YYYY-MM-DD` (default: now) for every validity check.
mrtd::pki::PaOptions paOptionsFromArgs(const Args& args);

}  // namespace portti::cli
