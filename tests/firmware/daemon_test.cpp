// porttid's core end to end in one process: a kiosk configuration with the simulated reader, camera
// and gate, the real outbox (SQLite), the real rule file, the API over HTTP on a free port.
// Includes the privacy test of issue 7 item 8.
#include <gtest/gtest.h>

#include "portti/firmware/audit_verify.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "kiosk_fixture.hpp"
#include "local_api.hpp"
#include "portti/firmware/api_server.hpp"
#include "portti/firmware/daemon.hpp"
#include "portti/firmware/outbox.hpp"

namespace portti::firmware::test {
namespace {


const std::string kRules =
    "rule pa: pa.status == valid else reject PA_INVALID\n"
    "rule face: face.score >= 0.62 else refer FACE_MISMATCH\n";

fs::path kioskConfig(const fs::path& dir, int maxFailures = 3, const std::string& rules = kRules,
                     const std::string& extra = "") {
  fs::create_directories(dir / "live");
  cv::imwrite((dir / "live" / "frame.png").string(), portraitImage());
  std::ofstream(dir / "kiosk.rules") << rules;
  std::ofstream(dir / "porttid.conf") << "[kiosk]\nid = kiosk-1\nmode = egate\ndata_dir = data\n"
                                      << "[devices]\nreader = sim:" << world().chip.string()
                                      << "\ncamera = sim:live,loop\ngate = sim\n"
                                      << "[trust]\npath = " << (world().pki / "csca.der").string() << "\n"
                                      << "[rules]\nfile = kiosk.rules\n"
                                      << "[api]\nport = 0\ntechnician_token = technician-token-0123456789\ntechnician_pin = 246810\n"
                                      << "max_failures = " << maxFailures << "\nlockout_seconds = 600\n"
                                      << "[timeouts]\ncapture_budget_ms = 300\n" << extra;
  return dir / "porttid.conf";
}

/// The audit log's records, parsed, in order.
std::vector<Poco::JSON::Object::Ptr> auditRecords(const fs::path& log) {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);)
    out.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
  return out;
}

std::vector<std::string> eventNames(const std::vector<Poco::JSON::Object::Ptr>& records) {
  std::vector<std::string> names;
  for (const auto& r : records) names.push_back(r->getValue<std::string>("event"));
  return names;
}

/// Waits (up to 10 s) until the audit log holds a record of `event`.
bool waitForEvent(const fs::path& log, const std::string& event) {
  for (int i = 0; i < 500; ++i) {
    for (const auto& name : eventNames(auditRecords(log)))
      if (name == event) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool fileContains(const fs::path& file, const std::string& needle) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes.find(needle) != std::string::npos;
}

TEST(Daemon, TransactionsThroughTheApiLandInTheOutbox) {
  const fs::path dir = tempDir("daemon-api");
  Daemon daemon(KioskConfig::load(kioskConfig(dir)));
  daemon.start();
  const int port = daemon.apiPort();
  auto state = transactionThroughApi(port);
  EXPECT_EQ(state->getValue<std::string>("outcome"), "refer");  // no face comparator: face.score missing
  auto reasons = state->getArray("reasons");
  ASSERT_EQ(reasons->size(), 1u);
  EXPECT_EQ(reasons->getElement<std::string>(0), "FACE_MISMATCH");
  daemon.stop();
  Outbox outbox((dir / "data" / "outbox.sqlite").string());
  EXPECT_EQ(outbox.depth(), 1) << "committed, not sent (no case system configured)";
  // The decision is in the hash-chained audit log between the daemon's start and stop, and the
  // result carries its record's anchor: the log verifies up to it.
  const fs::path log = dir / "data" / "audit.log";
  const auto records = auditRecords(log);
  EXPECT_EQ(eventNames(records), (std::vector<std::string>{"daemon_started", "decision", "daemon_stopped"}));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1]->getObject("fields")->getArray("reasons")->getElement<std::string>(0), "FACE_MISMATCH");
  const auto result = Poco::JSON::Parser().parse(outbox.nextPending()->body).extract<Poco::JSON::Object::Ptr>();
  const auto anchor = result->getObject("audit");
  ASSERT_TRUE(anchor) << "the result names its decision record";
  EXPECT_EQ(anchor->getValue<std::uint64_t>("seq"), 2u);
  EXPECT_EQ(anchor->getValue<std::string>("hash"), records[1]->getValue<std::string>("hash"));
  EXPECT_EQ(records[1]->getObject("fields")->getValue<std::string>("transaction"),
            result->getValue<std::string>("transaction_id"));
  const AuditVerdict audit = verifyAuditLog(log, std::nullopt, {AuditAnchor{2, anchor->getValue<std::string>("hash")}});
  EXPECT_TRUE(audit.ok()) << auditStatusName(audit.status) << ": " << audit.reason;
  EXPECT_EQ(audit.records, 3u);
}

TEST(Daemon, AuditLogRecordsTheGateAndRuleChanges) {
  const fs::path dir = tempDir("daemon-audit");
  const std::string accepting = "rule pa: pa.status == valid else reject PA_INVALID\n";
  const fs::path log = dir / "data" / "audit.log";
  {
    Daemon daemon(KioskConfig::load(kioskConfig(dir, 3, accepting, "gate_open_ms = 100\n")));
    daemon.start();
    auto state = transactionThroughApi(daemon.apiPort());
    EXPECT_EQ(state->getValue<std::string>("outcome"), "accept");
    EXPECT_TRUE(waitForEvent(log, "gate_closed")) << "the gate's watchdog closes it after 100 ms";
    // A broken rule file is refused (line and column, the old rules stay); a good one is taken.
    std::ofstream(dir / "kiosk.rules") << "rule pa: pa.status = valid else reject PA_INVALID\n";
    EXPECT_TRUE(waitForEvent(log, "rules_refused"));
    std::ofstream(dir / "kiosk.rules") << accepting << "rule face: face.score >= 0.62 else refer FACE_MISMATCH\n";
    EXPECT_TRUE(waitForEvent(log, "rules_reloaded"));
    daemon.stop();
  }
  EXPECT_TRUE(verifyAuditLog(log).ok());
  const auto records = auditRecords(log);
  EXPECT_EQ(eventNames(records),
            (std::vector<std::string>{"daemon_started", "decision", "gate_opened", "gate_closed", "rules_refused",
                                      "rules_reloaded", "daemon_stopped"}));
  ASSERT_EQ(records.size(), 7u);
  const std::string tx = records[1]->getObject("fields")->getValue<std::string>("transaction");
  EXPECT_EQ(records[2]->getObject("fields")->getValue<std::string>("transaction"), tx);
  EXPECT_EQ(records[2]->getObject("fields")->getValue<int>("open_for_ms"), 100);
  EXPECT_EQ(records[3]->getObject("fields")->getValue<std::string>("cause"), "passage time over");
  const auto refused = records[4]->getObject("fields");
  const auto error = refused->getArray("errors")->getObject(0);
  EXPECT_EQ(error->getValue<int>("line"), 1);
  EXPECT_EQ(error->getValue<int>("column"), 20);
  EXPECT_EQ(refused->getValue<std::string>("in_force_sha256"),
            records[0]->getObject("fields")->getValue<std::string>("rules_sha256"));
  EXPECT_EQ(records[5]->getObject("fields")->getValue<int>("rules"), 2);
  EXPECT_EQ(records[6]->getObject("fields")->getValue<int>("transactions"), 1);
  for (const char* personal : {"ERIKSSON", "ANNA", "L898902C", "740812"})
    EXPECT_FALSE(fileContains(log, personal)) << personal;
}

TEST(Daemon, AuditLogTellsAForcedCloseFromAShutdown) {
  const fs::path dir = tempDir("daemon-gate");
  const std::string accepting = "rule pa: pa.status == valid else reject PA_INVALID\n";
  const fs::path log = dir / "data" / "audit.log";
  {
    Daemon daemon(KioskConfig::load(kioskConfig(dir, 3, accepting, "gate_open_ms = 60000\n")));
    daemon.start();
    EXPECT_EQ(transactionThroughApi(daemon.apiPort())->getValue<std::string>("outcome"), "accept");
    // The next traveller is refused while the gate is still open: it is closed at once.
    std::ofstream(dir / "kiosk.rules") << "rule never: face.score >= 2 else reject NEVER\n";
    EXPECT_EQ(transactionThroughApi(daemon.apiPort())->getValue<std::string>("outcome"), "reject");
    EXPECT_TRUE(waitForEvent(log, "gate_closed"));
    std::ofstream(dir / "kiosk.rules") << accepting;
    EXPECT_EQ(transactionThroughApi(daemon.apiPort())->getValue<std::string>("outcome"), "accept");
    daemon.stop();  // the gate is open: stopping closes it
  }
  std::vector<std::string> causes;
  int opened = 0;
  for (const auto& r : auditRecords(log)) {
    const std::string event = r->getValue<std::string>("event");
    if (event == "gate_opened") ++opened;
    if (event == "gate_closed") causes.push_back(r->getObject("fields")->getValue<std::string>("cause"));
  }
  EXPECT_EQ(opened, 2);
  EXPECT_EQ(causes, (std::vector<std::string>{"forced closed", "shutdown"}));
  EXPECT_TRUE(verifyAuditLog(log).ok());
}

// A decision the audit log cannot take is not stored or sent either, and the gate stays closed.
TEST(Daemon, DecisionThatCannotBeAuditedFailsSafe) {
  const fs::path dir = tempDir("daemon-audit-full");
  const std::string accepting = "rule pa: pa.status == valid else reject PA_INVALID\n";
  const fs::path log = dir / "data" / "audit.log";
  Poco::JSON::Object::Ptr state;
  {
    Daemon daemon(KioskConfig::load(kioskConfig(dir, 3, accepting)));
    daemon.start();
    // A file size limit at the log's end: the next record cannot be written, as on a full disk.
    struct rlimit old {};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto previous = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old;
    small.rlim_cur = fs::file_size(log);
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    state = transactionThroughApi(daemon.apiPort());
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    const Reply diag = call(daemon.apiPort(), "GET", "/api/diagnostics", "", {kTech});
    EXPECT_NE(diag.body.find("audit log"), std::string::npos) << "a recent error names the audit log";
    daemon.stop();
  }
  EXPECT_EQ(state->getValue<std::string>("outcome"), "refer");
  auto reasons = state->getArray("reasons");
  ASSERT_EQ(reasons->size(), 1u);
  EXPECT_EQ(reasons->getElement<std::string>(0), "RESULT_NOT_STORED");
  Outbox outbox((dir / "data" / "outbox.sqlite").string());
  EXPECT_EQ(outbox.depth(), 0) << "nothing stored for the case system";
  EXPECT_TRUE(verifyAuditLog(log).ok());
  EXPECT_EQ(eventNames(auditRecords(log)), (std::vector<std::string>{"daemon_started", "daemon_stopped"}));
}

TEST(Daemon, TechnicianEndpointsNeedTheTokenAndLockOut) {
  const fs::path dir = tempDir("daemon-auth");
  Daemon daemon(KioskConfig::load(kioskConfig(dir, 3)));
  daemon.start();
  const int port = daemon.apiPort();
  EXPECT_EQ(call(port, "GET", "/api/diagnostics").status, 401);
  EXPECT_EQ(call(port, "GET", "/api/diagnostics", "", {kTech}).status, 200);
  EXPECT_EQ(call(port, "GET", "/api/diagnostics", "", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(call(port, "GET", "/api/diagnostics", "", {{"X-Technician-Pin", "000000"}}).status, 401);
  EXPECT_EQ(call(port, "GET", "/api/diagnostics", "", {{"Authorization", "Bearer wrong"}}).status, 429);
  EXPECT_EQ(call(port, "GET", "/api/diagnostics", "", {kTech}).status, 429) << "locked: even the right token waits";
  EXPECT_EQ(call(port, "GET", "/api/state").status, 200) << "the UI keeps working";
}

TEST(Daemon, UiRoutesLoginSessionAccessKeyAndEvents) {
  const fs::path dir = tempDir("daemon-ui");
  Daemon daemon(KioskConfig::load(kioskConfig(dir)));
  daemon.start();
  const int port = daemon.apiPort();
  EXPECT_EQ(call(port, "POST", "/api/tech/login", R"({"pin":"111111"})").status, 401);
  const Reply login = call(port, "POST", "/api/tech/login", R"({"pin":"246810"})");
  ASSERT_EQ(login.status, 200);
  const std::string token = login.json()->getValue<std::string>("token");
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(call(port, "GET", "/api/diagnostics", "", {{"Authorization", "Bearer " + token}}).status, 200);
  EXPECT_EQ(call(port, "POST", "/api/transaction/access-key", R"({"mrz":"P<UTO"})").status, 422);
  EXPECT_EQ(call(port, "POST", "/api/transaction/access-key", R"({"can":"123456"})").status, 202);
  auto state = call(port, "GET", "/api/state").json();
  EXPECT_EQ(state->getValue<std::string>("state"), "idle");
  // The event stream starts with the current state.
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request("GET", "/api/events", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  EXPECT_EQ(response.getContentType(), "text/event-stream");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("data: {", 0), 0u) << line;
  EXPECT_NE(line.find("\"state\":\"idle\""), std::string::npos) << line;
  session.abort();
}

TEST(Daemon, TechnicianAuthUnit) {
  TechnicianAuth auth("123456", "", 2, std::chrono::seconds(60));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(auth.check("123456", "", t0), TechnicianAuth::Result::Ok);
  EXPECT_EQ(auth.check("12345", "", t0), TechnicianAuth::Result::Denied);
  EXPECT_EQ(auth.check("", "", t0), TechnicianAuth::Result::LockedOut);
  EXPECT_EQ(auth.check("123456", "", t0 + std::chrono::seconds(59)), TechnicianAuth::Result::LockedOut);
  EXPECT_EQ(auth.check("123456", "", t0 + std::chrono::seconds(61)), TechnicianAuth::Result::Ok);
  EXPECT_EQ(TechnicianAuth("", "", 3, std::chrono::seconds(1)).check("x", "y", t0), TechnicianAuth::Result::NotConfigured);

}

TEST(Daemon, DiagnosticsAndSelfTestHoldNoPersonalData) {
  const fs::path dir = tempDir("daemon-diag");
  Daemon daemon(KioskConfig::load(kioskConfig(dir)));
  daemon.start();
  const int port = daemon.apiPort();
  transactionThroughApi(port);
  const Reply self = call(port, "POST", "/api/diagnostics/self-test", "", {kTech});
  ASSERT_EQ(self.status, 200) << self.body;
  EXPECT_EQ(self.json()->getObject("test_chip")->getValue<std::string>("status"), "passed") << self.body;
  EXPECT_EQ(self.json()->getObject("test_result")->getValue<std::string>("status"), "passed") << self.body;
  const Reply diag = call(port, "GET", "/api/diagnostics", "", {kTech});
  ASSERT_EQ(diag.status, 200);
  auto d = diag.json();
  EXPECT_EQ(d->getObject("trust")->getValue<int>("csca_count"), 1);
  EXPECT_EQ(d->getObject("outbox")->getValue<int>("depth"), 2);  // the transaction and the self-test
  EXPECT_EQ(d->getObject("rules")->getValue<int>("count"), 2);
  EXPECT_EQ(d->getArray("devices")->size(), 3u);
  EXPECT_EQ(d->getValue<int>("transactions"), 1);
  for (const char* personal : {"ERIKSSON", "ANNA", "L898902C", "740812"}) {
    EXPECT_EQ(diag.body.find(personal), std::string::npos) << personal << " in " << diag.body;
    EXPECT_EQ(self.body.find(personal), std::string::npos) << personal;
  }
}

TEST(Daemon, PrivacyNoPhotoNameOrNumberLeftOnDisk) {
  const fs::path dir = tempDir("daemon-privacy");
  {
    Daemon daemon(KioskConfig::load(kioskConfig(dir)));
    daemon.start();
    for (int i = 0; i < 3; ++i) transactionThroughApi(daemon.apiPort());
    daemon.stop();
  }
  // Pieces of the portrait as stored on the chip (any 48 bytes of it would betray it), the name,
  // and the document number, searched in every file the kiosk wrote: data dir, outbox (and WAL).
  const mrtd::Bytes& photo = world().portraitJpeg;
  ASSERT_GT(photo.size(), 2000u);
  std::vector<std::string> needles = {"ERIKSSON", "ANNA MARIA", "ANNA<MARIA", "L898902C3", "L898902C<3"};
  for (std::size_t at : {photo.size() / 4, photo.size() / 2, photo.size() * 3 / 4})
    needles.emplace_back(reinterpret_cast<const char*>(photo.data() + at), 48);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "frame.png") continue;  // the camera's input
    ++files;
    for (std::size_t i = 0; i < needles.size(); ++i)
      EXPECT_FALSE(fileContains(entry.path(), needles[i])) << entry.path() << " holds needle " << i;
  }
  EXPECT_GE(files, 3) << "the outbox and the pseudonym key at least";
  Outbox outbox((dir / "data" / "outbox.sqlite").string());
  EXPECT_EQ(outbox.depth(), 3);
}

}  // namespace
}  // namespace portti::firmware::test
