#include <gtest/gtest.h>

#include <fstream>

#include "kiosk_fixture.hpp"
#include "portti/firmware/kiosk_config.hpp"

namespace portti::firmware::test {
namespace {

fs::path writeConfig(const std::string& name, const std::string& text) {
  fs::path dir = tempDir("config-" + name);
  std::ofstream(dir / "porttid.conf") << text;
  return dir / "porttid.conf";
}

const char* kGood = R"([kiosk]
id = kiosk-01
mode = service-point
data_dir = data
[devices]
reader = sim:chip
camera = sim:face.png
[trust]
path = pki/csca.der, /etc/portti/masterlist.ml
[case_system]
url = https://localhost:8443
ca = certs/ca.pem
cert = certs/kiosk.pem
key = certs/kiosk.key
signing_key = certs/device.key
[api]
port = 9000
technician_pin = 123456
[timeouts]
chip_read_ms = 20000
[thresholds]
face = 0.7
)";

TEST(KioskConfig, ReadsEverySectionWithPathsFromTheConfigFolder) {
  const fs::path file = writeConfig("good", kGood);
  const KioskConfig c = KioskConfig::load(file);
  EXPECT_EQ(c.kioskId, "kiosk-01");
  EXPECT_EQ(c.mode, Mode::ServicePoint);
  EXPECT_EQ(c.dataDir, file.parent_path() / "data");
  EXPECT_EQ(c.reader, "sim:" + (file.parent_path() / "chip").string());
  EXPECT_EQ(c.trustPaths.size(), 2u);
  EXPECT_EQ(c.trustPaths[1], "/etc/portti/masterlist.ml");
  EXPECT_EQ(c.caseSystem.caFile, (file.parent_path() / "certs/ca.pem").string());
  EXPECT_FALSE(c.caseSystem.includeDocumentNumber);
  EXPECT_FALSE(c.includeImages);
  EXPECT_EQ(c.api.port, 9000);
  EXPECT_EQ(c.api.bind, "127.0.0.1");
  EXPECT_EQ(c.machine.timeouts.timeout(TransactionState::ChipRead), std::chrono::milliseconds(20000));
  EXPECT_EQ(c.machine.faceThreshold, 0.7);
  EXPECT_EQ(c.outboxPath, file.parent_path() / "data" / "outbox.sqlite");
}

TEST(KioskConfig, ErrorsNameTheFileAndTheKey) {
  struct Case {
    std::string from, to, expect;
  };
  const std::vector<Case> cases = {
      {"mode = service-point", "mode = kiosk", "kiosk.mode: 'kiosk' is neither egate nor service-point"},
      {"id = kiosk-01", "id = ", "kiosk.id: missing"},
      {"reader = sim:chip", "", "devices.reader: missing"},
      {"url = https://localhost:8443", "url = http://localhost:8443", "case_system.url: must be https://"},
      {"port = 9000", "port = ninety", "api.port: 'ninety' is not a whole number"},
      {"technician_pin = 123456", "technician_pin = 12", "api.technician_pin: at least 6 digits"},
      {"chip_read_ms = 20000", "chip_read_ms = 0", "timeouts.chip_read_ms: 0 is outside"},
      {"path = pki/csca.der, /etc/portti/masterlist.ml", "", "trust.path: missing"},
      {"signing_key = certs/device.key", "", "case_system.signing_key: missing (required with case_system.url)"},
  };
  for (const auto& c : cases) {
    std::string text = kGood;
    text.replace(text.find(c.from), c.from.size(), c.to);
    const fs::path file = writeConfig("bad", text);
    try {
      KioskConfig::load(file);
      ADD_FAILURE() << "accepted: " << c.to;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(KioskConfig::load("/nonexistent/porttid.conf"), ConfigError);
}

TEST(KioskConfig, PseudonymKeyIsMadeOnceAndKept) {
  const fs::path file = writeConfig("key", kGood);
  const KioskConfig c = KioskConfig::load(file);
  const auto key = pseudonymKey(c);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(pseudonymKey(c), key);
  EXPECT_EQ(fs::status(c.dataDir / "pseudonym.key").permissions() & fs::perms::others_read, fs::perms::none);
}

}  // namespace
}  // namespace portti::firmware::test
