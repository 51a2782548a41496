// Selecting a reader by its `--reader` spec, and listing what every backend sees (`portti readers`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "portti/hw/card_reader.hpp"

namespace portti::hw {

/// Opens the reader named by `spec`:
///   "sim:DIR"            the in-process virtual chip loaded from DIR;
///   "pcsc" / "pcsc:NAME" a PC/SC reader through pcscd (the first holding a card, else the first;
///                        or the one whose name equals or contains NAME);
///   "nfc" / "nfc:CONN"   a libnfc device (the default one, or a connstring such as
///                        "pn532_uart:/dev/ttyUSB0").
/// Throws mrtd::Error{Transport} when the reader cannot be opened, with the reason.
std::unique_ptr<CardReader> openReader(const std::string& spec);

/// One reader as a backend sees it.
struct ReaderListing {
  std::string backend;  ///< "pcsc", "nfc" or "sim"
  std::string spec;     ///< what to pass to --reader to use it
  std::string detail;   ///< e.g. "card present", "no card", "how to use"
};

/// What one backend reported: its readers, or why it could not look (pcscd not running, ...).
struct BackendListing {
  std::string backend;
  std::vector<ReaderListing> readers;
  std::string problem;  ///< empty when the backend could list
};

/// Asks every backend (PC/SC, libnfc, sim) for its readers; never throws.
std::vector<BackendListing> listReaders();

}  // namespace portti::hw
