// portti-casesim's configuration file (JSON), read once at start-up.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace portti::casesim {

/// A kiosk allowed to post: its TLS client certificate's common name is its id, and results
/// must be signed by the key of `signingCertificatePem`.
struct KioskEntry {
  std::string id;
  std::string signingCertificatePem;
};

/// A reader (an officer's system) that may fetch results of the listed kiosks by bearer token.
struct ReaderEntry {
  std::string name;
  std::string token;
  std::set<std::string> kiosks;
};

struct Config {
  std::string host = "127.0.0.1";
  int port = 8443;  ///< 0: any free port (printed at start-up)
  std::string certificateFile, privateKeyFile, clientCaFile;
  std::string database;
  std::map<std::string, KioskEntry> kiosks;  ///< by id
  std::vector<ReaderEntry> readers;
  int readsPerMinute = 120;  ///< per caller, for GET
  /// Every authenticated GET answers no sooner than this after it arrived, so the answer's
  /// timing does not tell an unknown id from a forbidden one (the lookup is far shorter).
  int readAnswerFloorMs = 25;
  /// Fault injection for tests and demos ("faults" in the file): while the file
  /// `refuseResultsWhile` exists, every posted result is refused with `refuseStatus` (a 4xx) and
  /// code "refused_by_fault"; with `refuseAfterStoring` it is stored first (a case system that
  /// kept the result but answered an error), so a resend must be deduplicated.
  struct Faults {
    std::string refuseResultsWhile;
    int refuseStatus = 422;
    bool refuseAfterStoring = false;
  } faults;
};

/// Parses `path`; relative file names are relative to the config file's directory. Throws
/// std::runtime_error starting "config <path>: " with what is wrong.
Config loadConfig(const std::string& path);

}  // namespace portti::casesim
