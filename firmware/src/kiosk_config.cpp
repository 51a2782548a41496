#include "portti/firmware/kiosk_config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "portti/mrtd/bytes.hpp"

namespace portti::firmware {

namespace fs = std::filesystem;

namespace {

class Reader {
 public:
  Reader(Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini, fs::path file) : ini_(std::move(ini)), file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ConfigError(file_.string() + ": " + key + ": " + what);
  }
  std::string str(const std::string& key, const std::string& fallback) const { return ini_->getString(key, fallback); }
  std::string required(const std::string& key) const {
    if (!ini_->hasProperty(key) || ini_->getString(key).empty()) fail(key, "missing (required)");
    return ini_->getString(key);
  }
  fs::path path(const std::string& key, const std::string& fallback = {}) const {
    const std::string value = str(key, fallback);
    if (value.empty()) return {};
    fs::path p(value);
    return p.is_absolute() ? p : (file_.parent_path() / p).lexically_normal();
  }
  /// A device spec: "sim:RELATIVE" becomes absolute from the config's folder.
  std::string device(const std::string& key, const std::string& fallback) const {
    std::string value = str(key, fallback);
    if (value.rfind("sim:", 0) == 0 && value.size() > 4) {
      fs::path p(value.substr(4));
      if (!p.is_absolute()) value = "sim:" + (file_.parent_path() / p).lexically_normal().string();
    }
    return value;
  }
  long integer(const std::string& key, long fallback, long min, long max) const {
    if (!ini_->hasProperty(key)) return fallback;
    const std::string text = ini_->getString(key);
    try {
      std::size_t used = 0;
      const long v = std::stol(text, &used);
      if (used != text.size()) fail(key, "'" + text + "' is not a whole number");
      if (v < min || v > max) fail(key, std::to_string(v) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
      return v;
    } catch (const std::logic_error&) {
      fail(key, "'" + text + "' is not a whole number");
    }
  }
  double real(const std::string& key, double fallback, double min, double max) const {
    if (!ini_->hasProperty(key)) return fallback;
    const std::string text = ini_->getString(key);
    try {
      std::size_t used = 0;
      const double v = std::stod(text, &used);
      if (used != text.size() || v < min || v > max) fail(key, "'" + text + "' is not a number in range");
      return v;
    } catch (const std::logic_error&) {
      fail(key, "'" + text + "' is not a number");
    }
  }
  bool boolean(const std::string& key, bool fallback) const {
    if (!ini_->hasProperty(key)) return fallback;
    std::string v = ini_->getString(key);
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    fail(key, "'" + v + "' is not true or false");
  }

 private:
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini_;
  fs::path file_;
};

std::string timeoutKey(TransactionState state) {
  std::string key = stateName(state);
  for (auto& c : key)
    if (c == ' ') c = '_';
  return "timeouts." + key + "_ms";
}

}  // namespace

KioskConfig KioskConfig::load(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot be read");
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
  try {
    ini = new Poco::Util::IniFileConfiguration(in);
  } catch (const Poco::Exception& e) {
    throw ConfigError(file.string() + ": not an INI file: " + e.displayText());
  }
  const fs::path absolute = fs::absolute(file);
  Reader r(ini, absolute);

  KioskConfig c;
  c.file = absolute;
  c.kioskId = r.required("kiosk.id");
  for (char ch : c.kioskId)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_')
      r.fail("kiosk.id", "letters, digits, '-' and '_' only");
  const std::string mode = r.str("kiosk.mode", "egate");
  auto parsedMode = modeFromName(mode);
  if (!parsedMode) r.fail("kiosk.mode", "'" + mode + "' is neither egate nor service-point");
  c.mode = *parsedMode;
  c.dataDir = r.path("kiosk.data_dir");
  if (c.dataDir.empty()) r.fail("kiosk.data_dir", "missing (required)");

  c.reader = r.device("devices.reader", "");
  if (c.reader.empty()) r.fail("devices.reader", "missing (required): sim:DIR, pcsc[:NAME] or nfc[:CONN]");
  c.mrzReader = r.device("devices.mrz_reader", "none");
  c.camera = r.device("devices.camera", "none");
  c.gate = r.str("devices.gate", "none");
  c.lights = r.str("devices.lights", "none");

  std::stringstream trust(r.str("trust.path", ""));
  for (std::string item; std::getline(trust, item, ',');) {
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.erase(item.begin());
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    if (item.empty()) continue;
    fs::path p(item);
    c.trustPaths.push_back(p.is_absolute() ? item : (absolute.parent_path() / p).lexically_normal().string());
  }
  if (c.trustPaths.empty()) r.fail("trust.path", "missing (required): without CSCAs no document can pass");
  c.crl = r.path("trust.crl").string();
  c.rulesFile = r.path("rules.file");
  c.faceConfig = r.path("face.config");
  c.morphModel = r.path("morph.model");
  c.outboxPath = r.path("outbox.path", (c.dataDir / "outbox.sqlite").string());

  c.caseSystem.url = r.str("case_system.url", "");
  if (!c.caseSystem.url.empty() && c.caseSystem.url.rfind("https://", 0) != 0)
    r.fail("case_system.url", "must be https:// (results go only over mutual TLS)");
  c.caseSystem.caFile = r.path("case_system.ca").string();
  c.caseSystem.certFile = r.path("case_system.cert").string();
  c.caseSystem.keyFile = r.path("case_system.key").string();
  c.caseSystem.signingKeyFile = r.path("case_system.signing_key").string();
  if (!c.caseSystem.url.empty())
    for (const char* key : {"case_system.ca", "case_system.cert", "case_system.key", "case_system.signing_key"})
      if (r.str(key, "").empty()) r.fail(key, "missing (required with case_system.url)");
  c.caseSystem.includeDocumentNumber = r.boolean("case_system.include_document_number", false);

  c.includeImages = r.boolean("result.include_images", false);
  c.pseudonymKeyHex = r.str("result.pseudonym_key", "");
  if (!c.pseudonymKeyHex.empty()) {
    try {
      if (mrtd::fromHex(c.pseudonymKeyHex).size() < 16) r.fail("result.pseudonym_key", "at least 16 bytes of hex");
    } catch (const std::invalid_argument&) {
      r.fail("result.pseudonym_key", "not hex");
    }
  }

  c.api.bind = r.str("api.bind", "127.0.0.1");
  c.api.port = static_cast<int>(r.integer("api.port", 8480, 0, 65535));
  c.api.technicianPin = r.str("api.technician_pin", "");
  c.api.technicianToken = r.str("api.technician_token", "");
  if (!c.api.technicianPin.empty() &&
      (c.api.technicianPin.size() < 6 || c.api.technicianPin.find_first_not_of("0123456789") != std::string::npos))
    r.fail("api.technician_pin", "at least 6 digits");
  if (!c.api.technicianToken.empty() && c.api.technicianToken.size() < 16)
    r.fail("api.technician_token", "at least 16 characters");
  c.api.maxFailures = static_cast<int>(r.integer("api.max_failures", 5, 1, 100));
  c.api.lockout = std::chrono::seconds(r.integer("api.lockout_seconds", 300, 1, 86400));
  c.api.requestsPerMinute = static_cast<int>(r.integer("api.requests_per_minute", 120, 1, 100000));
  c.api.officerCallsPerMinute = static_cast<int>(r.integer("api.officer_calls_per_minute", 6, 1, 1000));
  c.api.uiRoot = r.path("api.ui_root");

  c.machine.mode = c.mode;
  for (auto& [state, timeout] : c.machine.timeouts.perState)
    timeout = std::chrono::milliseconds(r.integer(timeoutKey(state), timeout.count(), 1, 600000));
  c.machine.timeouts.captureBudget =
      std::chrono::milliseconds(r.integer("timeouts.capture_budget_ms", c.machine.timeouts.captureBudget.count(), 1, 60000));
  c.machine.gateOpenFor =
      std::chrono::milliseconds(r.integer("timeouts.gate_open_ms", c.machine.gateOpenFor.count(), 1, 60000));
  c.faceThresholdSet = ini->hasProperty("thresholds.face");
  c.machine.faceThreshold = r.real("thresholds.face", 0.62, 0, 1);
  c.morphThresholdSet = ini->hasProperty("morph.threshold");
  c.machine.morphThreshold = r.real("morph.threshold", 0.5, 0, 1);
  return c;
}

std::string pseudonymKey(const KioskConfig& config) {
  if (!config.pseudonymKeyHex.empty()) {
    const mrtd::Bytes key = mrtd::fromHex(config.pseudonymKeyHex);
    return std::string(key.begin(), key.end());
  }
  const fs::path keyFile = config.dataDir / "pseudonym.key";
  std::error_code ec;
  if (fs::exists(keyFile, ec)) {
    std::ifstream in(keyFile, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != 32) throw ConfigError(keyFile.string() + ": not a 32-byte key");
    return key;
  }
  fs::create_directories(config.dataDir, ec);
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) throw ConfigError("pseudonym key: no randomness");
  const mode_t old = ::umask(077);
  std::ofstream out(keyFile, std::ios::binary | std::ios::trunc);
  ::umask(old);
  out.write(reinterpret_cast<const char*>(key.data()), static_cast<std::streamsize>(key.size()));
  if (!out) throw ConfigError(keyFile.string() + ": cannot be written");
  return key;
}

}  // namespace portti::firmware
