// The kiosk's configuration (`porttid --config FILE`): an INI file read with Poco::Util.
//
//   [kiosk]        id, mode (egate | service-point), data_dir
//   [devices]      reader (sim:DIR | pcsc[:NAME] | nfc[:CONN]), mrz_reader (sim:DIR | none),
//                  camera (sim:IMAGE | none), gate (sim | none),
//                  lights (the indicator lamps: sim | gpio:CHIP:RED,AMBER,GREEN | none)
//   [trust]        path (a folder, certificate or master list; several separated by ','), crl
//   [rules]        file
//   [outbox]       path (SQLite file)
//   [case_system]  url, ca, cert, key, signing_key, include_document_number (default false)
//   [result]       include_images (default false), pseudonym_key (hex, 32 bytes; default: a random
//                  key kept in data_dir/pseudonym.key)
//   [api]          bind (default 127.0.0.1), port (default 8480), technician_pin, technician_token,
//                  max_failures (default 5), lockout_seconds (default 300), requests_per_minute (120),
//                  officer_calls_per_minute (6; POST /api/officer per client)
//   [timeouts]     <state>_ms for each state ("chip_read_ms = 15000"), capture_budget_ms, gate_open_ms
//                  (how long an accepted traveller has to pass, default 8000)
//   [face]         config (vision's face.conf; absent: no face comparator, the step stays not done)
//   [thresholds]   face (default: the face config's threshold, else 0.62)
//   [morph]        model (the D-MAD model; none: the step is not done), threshold (default: the model's)
// Relative paths are taken from the config file's folder. Errors name the key and the file.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "portti/firmware/state_machine.hpp"
#include "portti/firmware/transaction.hpp"

namespace portti::firmware {

/// A configuration that cannot be used; the message names the file, the key and what is wrong.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CaseSystemConfig {
  std::string url;  ///< https://host:port
  std::string caFile, certFile, keyFile;
  std::string signingKeyFile;  ///< the kiosk's device key (ECDSA P-256) that signs results
  bool includeDocumentNumber = false;
};

struct ApiConfig {
  std::string bind = "127.0.0.1";
  int port = 8480;
  std::string technicianPin;
  std::string technicianToken;
  int maxFailures = 5;
  std::chrono::seconds lockout{300};
  int requestsPerMinute = 120;
  int officerCallsPerMinute = 6;  ///< POST /api/officer per client, beside requestsPerMinute
  std::filesystem::path uiRoot;  ///< the kiosk UI's files (ui/), served at /; none when empty
};

struct KioskConfig {
  std::filesystem::path file;  ///< where it was read from
  std::string kioskId;
  Mode mode = Mode::Egate;
  std::filesystem::path dataDir;
  std::string reader;
  std::string mrzReader = "none";
  std::string camera = "none";
  std::string gate = "none";
  std::string lights = "none";  ///< the indicator lamps (hw::openIndicatorLights)
  std::vector<std::string> trustPaths;
  std::string crl;
  std::filesystem::path rulesFile;
  std::filesystem::path faceConfig;
  bool morphThresholdSet = false;  ///< [morph] threshold given; else the model's own
  std::filesystem::path morphModel;  ///< [morph] model: the D-MAD model (config/mad/dmad.model); none: not done
  std::filesystem::path outboxPath;
  CaseSystemConfig caseSystem;
  bool includeImages = false;
  std::string pseudonymKeyHex;  ///< empty: data_dir/pseudonym.key
  ApiConfig api;
  MachineSettings machine;
  bool faceThresholdSet = false;  ///< [thresholds] face given explicitly

  /// Reads and checks a config file. Throws ConfigError.
  static KioskConfig load(const std::filesystem::path& file);
};

/// The keyed-pseudonym key: the configured one, or data_dir/pseudonym.key (made with 32 random
/// bytes, mode 0600, the first time). Throws ConfigError.
std::string pseudonymKey(const KioskConfig& config);

}  // namespace portti::firmware
