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
};

/// Parses `path`; relative file names are relative to the config file's directory. Throws
/// std::runtime_error starting "config <path>: " with what is wrong.
Config loadConfig(const std::string& path);

}  // namespace portti::casesim
