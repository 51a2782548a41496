// The technician's desk: dead letters (list, retry with the same idempotency key) and officer
// call-outs (raise, lights, state stream, audit, clear). Units on a real outbox and real lamps
// (sim lines), and end to end through porttid's API with a real portti-casesim over mutual TLS
// whose fault switch refuses results with a 4xx.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "firmware/delivery_fixture.hpp"
#include "firmware/test_pki.hpp"
#include "kiosk_fixture.hpp"
#include "local_api.hpp"
#include "portti/firmware/audit_verify.hpp"
#include "portti/firmware/daemon.hpp"
#include "portti/firmware/officer_calls.hpp"
#include "portti/firmware/outbox.hpp"
#include "portti/firmware/sender.hpp"
#include "portti/firmware/sqlite_session.hpp"
#include "portti/hw/indicator_lights.hpp"

namespace portti::firmware::test {
namespace {

using portti::test::CaseSim;
using portti::test::pki;

bool waitFor(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::set<std::string> keys(const Poco::JSON::Object::Ptr& o) {
  std::set<std::string> out;
  for (const auto& [k, v] : *o) out.insert(k);
  return out;
}

/// What the indicator lamps show, from a diagnostics answer.
std::string lampsShowing(const Reply& diagnostics) {
  auto devices = diagnostics.json()->getArray("devices");
  for (unsigned i = 0; i < devices->size(); ++i)
    if (devices->getObject(i)->getValue<std::string>("kind") == "indicators")
      return devices->getObject(i)->getValue<std::string>("showing");
  return "no indicators";
}

/// A kiosk whose results go to `casesim` (port 0: no case system), with sim lamps.
fs::path deskConfig(const fs::path& dir, int casePort, int officerCallsPerMinute = 6) {
  fs::create_directories(dir / "live");
  cv::imwrite((dir / "live" / "frame.png").string(), portraitImage());
  std::ofstream(dir / "kiosk.rules") << "rule pa: pa.status == valid else reject PA_INVALID\n";
  std::ofstream conf(dir / "porttid.conf");
  conf << "[kiosk]\nid = kiosk-1\nmode = egate\ndata_dir = data\n"
       << "[devices]\nreader = sim:" << world().chip.string() << "\ncamera = sim:live,loop\ngate = sim\nlights = sim\n"
       << "[trust]\npath = " << (world().pki / "csca.der").string() << "\n"
       << "[rules]\nfile = kiosk.rules\n"
       << "[api]\nport = 0\ntechnician_token = technician-token-0123456789\ntechnician_pin = 246810\n"
       << "officer_calls_per_minute = " << officerCallsPerMinute << "\n"
       << "[timeouts]\ncapture_budget_ms = 300\n";
  if (casePort)
    conf << "[case_system]\nurl = https://localhost:" << casePort << "\nca = " << pki("ca.pem")
         << "\ncert = " << pki("kiosk.pem") << "\nkey = " << pki("kiosk.key") << "\nsigning_key = " << pki("device.key")
         << "\n";
  return dir / "porttid.conf";
}

/// One traveller through the API; returns the transaction id.
std::string travellerThroughApi(int port) {
  return transactionThroughApi(port)->getValue<std::string>("transaction_id");
}

std::string resultBody(const std::string& id) {
  return "{\"transaction_id\":\"" + id + "\",\"kiosk_id\":\"kiosk-1\",\"decision\":\"accept\"}";
}

SenderConfig senderConfig(int port) {
  SenderConfig c;
  c.port = port;
  c.caFile = pki("ca.pem");
  c.certificateFile = pki("kiosk.pem");
  c.privateKeyFile = pki("kiosk.key");
  return c;
}

TEST(DeadLetters, RetryKeepsTheSequenceAndKeyAndGoesBeforeLaterEntries) {
  portti::test::TempDir dir;
  Outbox outbox(dir / "outbox.sqlite");
  const auto first = outbox.enqueue("tx-first", resultBody("tx-first"));
  outbox.enqueue("tx-later", resultBody("tx-later"));
  outbox.markDead(first, "HTTP 422: {\"error\":\"no\"}", 422, "unprocessable");
  ASSERT_EQ(outbox.deadLetters().size(), 1u);
  EXPECT_EQ(outbox.deadLetters()[0].httpStatus, 422);
  EXPECT_EQ(outbox.deadLetters()[0].reasonCode, "unprocessable");
  EXPECT_EQ(outbox.nextPending()->transactionId, "tx-later");

  EXPECT_FALSE(outbox.retryDead("tx-later")) << "only dead letters are retried";
  EXPECT_FALSE(outbox.retryDead("tx-unknown"));
  const auto was = outbox.retryDead("tx-first");
  ASSERT_TRUE(was);
  EXPECT_EQ(was->state, OutboxState::Dead);
  EXPECT_EQ(was->httpStatus, 422);
  EXPECT_TRUE(outbox.deadLetters().empty());
  const auto next = outbox.nextPending();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->transactionId, "tx-first") << "its place in the kiosk's order";
  EXPECT_EQ(next->seq, first);
  EXPECT_EQ(next->body, resultBody("tx-first"));
  EXPECT_EQ(next->httpStatus, 0);
  EXPECT_EQ(outbox.depth(), 2);
}

TEST(DeadLetters, AnOutboxFromBeforeDeadLetterCodesGetsTheColumns) {
  portti::test::TempDir dir;
  {
    auto session = openDurableSqlite(dir / "old.sqlite");
    *session << "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT NOT NULL UNIQUE,"
                " case_ref TEXT NOT NULL DEFAULT '', body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
                " attempts INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
                " enqueued_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL)",
        Poco::Data::Keywords::now;
    *session << "INSERT INTO outbox (transaction_id, body, state, reason, enqueued_at_ms, updated_at_ms)"
                " VALUES ('tx-old', '{}', 'dead', 'HTTP 409: x', 1, 2)",
        Poco::Data::Keywords::now;
  }
  Outbox outbox(dir / "old.sqlite");
  ASSERT_EQ(outbox.deadLetters().size(), 1u);
  EXPECT_EQ(outbox.deadLetters()[0].httpStatus, 0) << "unknown for an old refusal";
  EXPECT_TRUE(outbox.retryDead("tx-old"));
  EXPECT_EQ(outbox.nextPending()->transactionId, "tx-old");
}

TEST(DeadLetters, ReasonCodeIsTheAnswersCodeOrNamedAfterTheStatus) {
  EXPECT_EQ(deadLetterReasonCode(422, R"({"error":"x","code":"refused_by_fault"})"), "refused_by_fault");
  EXPECT_EQ(deadLetterReasonCode(422, R"({"error":"signature does not verify"})"), "unprocessable");
  EXPECT_EQ(deadLetterReasonCode(409, "not json"), "conflict");
  EXPECT_EQ(deadLetterReasonCode(403, R"({"code":"Has Spaces And Capitals"})"), "forbidden");
  EXPECT_EQ(deadLetterReasonCode(418, R"({"code":"ERIKSSON ANNA"})"), "http_418") << "free text never passes";
}

// The case system refuses (before or after storing, its fault switch); the retried entry keeps its
// idempotency key, so portti-casesim holds it exactly once either way.
TEST(DeadLetters, RetriedResultIsStoredOnceAtTheCaseSystem) {
  for (bool afterStoring : {false, true}) {
    SCOPED_TRACE(afterStoring ? "refused after storing" : "refused before storing");
    portti::test::TempDir dir;
    const std::string flag = dir / "refuse";
    std::ofstream(flag) << "on";
    CaseSim casesim(dir.path.string(), pki(""), {.refuseResultsWhile = flag, .refuseAfterStoring = afterStoring});
    Outbox outbox(dir / "outbox.sqlite");
    outbox.enqueue("tx-refused", resultBody("tx-refused"));
    Sender sender(outbox, ResultSigner::fromPemFile(pki("device.key")), senderConfig(casesim.port()));
    ASSERT_EQ(sender.sendNext(), SendResult::Dead) << sender.lastError();
    const auto dead = outbox.deadLetters();
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].httpStatus, 422);
    EXPECT_EQ(dead[0].reasonCode, "refused_by_fault");
    EXPECT_EQ(casesim.storedKeys().size(), afterStoring ? 1u : 0u);

    std::filesystem::remove(flag);
    ASSERT_TRUE(outbox.retryDead("tx-refused"));
    ASSERT_EQ(sender.sendNext(), SendResult::Delivered) << sender.lastError();
    EXPECT_EQ(casesim.storedKeys(), std::vector<std::string>{"tx-refused"});
  }
}

TEST(DeadLetters, CaseSimFaultSwitchTakesOnly4xx) {
  portti::test::TempDir dir;
  std::ofstream(dir / "casesim.json")
      << "{\"listen\":{\"port\":0},\"tls\":{\"certificate\":\"" << pki("server.pem") << "\",\"privateKey\":\""
      << pki("server.key") << "\",\"clientCa\":\"" << pki("ca.pem") << "\"},\"database\":\"cases.sqlite\","
      << "\"kiosks\":[{\"id\":\"kiosk-1\",\"signingCertificate\":\"" << pki("device.pem") << "\"}],"
      << "\"faults\":{\"refuseResultsWhile\":\"refuse\",\"refuseStatus\":503}}";
  portti::test::ChildProcess child({portti::test::binDir() + "/portti-casesim", "--config", dir / "casesim.json"},
                                   dir / "err.txt");
  EXPECT_EQ(child.wait(), 1);
  EXPECT_NE(portti::test::readText(dir / "err.txt").find("faults.refuseStatus must be a 4xx status"), std::string::npos)
      << portti::test::readText(dir / "err.txt");
}

TEST(DeadLetters, TechnicianListsAndRetriesThroughTheApi) {
  portti::test::TempDir cases;
  const std::string flag = cases / "refuse";
  std::ofstream(flag) << "on";
  CaseSim casesim(cases.path.string(), pki(""), {.refuseResultsWhile = flag});
  const fs::path dir = tempDir("desk-dead-letters");
  Daemon daemon(KioskConfig::load(deskConfig(dir, casesim.port())));
  daemon.start();
  const int port = daemon.apiPort();
  const std::string id = travellerThroughApi(port);
  ASSERT_EQ(id.size(), 32u);
  ASSERT_TRUE(waitFor([&] {
    return call(port, "GET", "/api/outbox/dead-letters", "", {kTech}).body.find(id) != std::string::npos;
  })) << "the refused result becomes a dead letter";

  // Technician only, like the other technician endpoints.
  EXPECT_EQ(call(port, "GET", "/api/outbox/dead-letters").status, 401);
  EXPECT_EQ(call(port, "POST", "/api/outbox/dead-letters/" + id + "/retry").status, 401);
  EXPECT_EQ(call(port, "GET", "/api/outbox/dead-letters", "", {{"Authorization", "Bearer wrong"}}).status, 401);

  // Random id, times, status and code: nothing of the result itself.
  const Reply list = call(port, "GET", "/api/outbox/dead-letters", "", {kTech});
  ASSERT_EQ(list.status, 200);
  auto letters = list.json()->getArray("dead_letters");
  ASSERT_EQ(letters->size(), 1u);
  auto letter = letters->getObject(0);
  EXPECT_EQ(keys(letter), (std::set<std::string>{"id", "queued_at", "refused_at", "http_status", "reason_code", "attempts"}));
  EXPECT_EQ(letter->getValue<std::string>("id"), id);
  EXPECT_EQ(letter->getValue<int>("http_status"), 422);
  EXPECT_EQ(letter->getValue<std::string>("reason_code"), "refused_by_fault");
  for (const char* payload : {"ERIKSSON", "ANNA", "L898902C", "740812", "kiosk_id", "decision", "UTO"})
    EXPECT_EQ(list.body.find(payload), std::string::npos) << payload << " in " << list.body;

  EXPECT_EQ(call(port, "POST", "/api/outbox/dead-letters/no-such-id/retry", "", {kTech}).status, 404);
  std::filesystem::remove(flag);  // the case system takes results again
  const Reply retry = call(port, "POST", "/api/outbox/dead-letters/" + id + "/retry", "", {kTech});
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.json()->getValue<std::string>("status"), "queued");
  ASSERT_TRUE(waitFor([&] { return casesim.storedKeys().size() == 1; })) << "delivered after the retry";
  EXPECT_EQ(casesim.storedKeys(), std::vector<std::string>{id}) << "stored once, under the original key";
  EXPECT_EQ(call(port, "POST", "/api/outbox/dead-letters/" + id + "/retry", "", {kTech}).status, 404)
      << "no longer a dead letter";
  daemon.stop();

  const AuditVerdict audit = verifyAuditLog(dir / "data" / "audit.log");
  EXPECT_TRUE(audit.ok()) << auditStatusName(audit.status);
  const std::string log = fileText(dir / "data" / "audit.log");
  EXPECT_NE(log.find("\"event\":\"dead_letter_retried\""), std::string::npos);
  EXPECT_NE(log.find("\"transaction\":\"" + id + "\""), std::string::npos);
}

TEST(OfficerCalls, LightsShowAttentionWhileACallIsOpen) {
  auto red = std::make_shared<hw::SimLineState>(), amber = std::make_shared<hw::SimLineState>(),
       green = std::make_shared<hw::SimLineState>();
  hw::IndicatorLights lights(std::make_unique<hw::SimLine>(red), std::make_unique<hw::SimLine>(amber),
                             std::make_unique<hw::SimLine>(green), "sim");
  lights.show(hw::Signal::Ready);
  OfficerDesk desk(nullptr, nullptr);
  desk.addChannel(std::make_unique<IndicatorLightsChannel>(lights));
  std::vector<std::string> events;
  desk.setListener([&](const std::string& e, const OfficerCall&) { events.push_back(e); });

  const auto first = desk.call("live_capture", "tx-1");
  EXPECT_TRUE(first.isNew);
  EXPECT_EQ(first.call.forwardedTo, std::vector<std::string>{"indicator lights"});
  EXPECT_EQ(lights.showing(), hw::Signal::Attention);
  EXPECT_TRUE(amber->active);
  EXPECT_FALSE(green->active) << "nobody is waved through while an officer is called";
  const auto again = desk.call("decision", "tx-1");
  EXPECT_FALSE(again.isNew);
  EXPECT_EQ(again.call.id, first.call.id);
  EXPECT_EQ(desk.open().size(), 1u);

  EXPECT_FALSE(desk.clear("not-a-call"));
  ASSERT_TRUE(desk.clear(first.call.id));
  EXPECT_TRUE(desk.open().empty());
  EXPECT_EQ(lights.showing(), hw::Signal::Ready) << "back to what they showed";
  EXPECT_TRUE(green->active);
  EXPECT_EQ(events, (std::vector<std::string>{"officer_called", "officer_call_cleared"}));
}

TEST(OfficerCalls, KioskCallsTechnicianClearsThroughTheApi) {
  const fs::path dir = tempDir("desk-officer");
  Daemon daemon(KioskConfig::load(deskConfig(dir, 0, 3)));
  daemon.start();
  const int port = daemon.apiPort();
  const std::uint64_t before = call(port, "GET", "/api/state").json()->getValue<std::uint64_t>("sequence");

  // The kiosk UI needs no credentials; the state stream tells every screen.
  const Reply called = call(port, "POST", "/api/officer");
  ASSERT_EQ(called.status, 201) << called.body;
  const std::string callId = called.json()->getValue<std::string>("id");
  EXPECT_EQ(callId.size(), 32u);
  auto state = call(port, "GET", "/api/state?after=" + std::to_string(before)).json();
  EXPECT_EQ(state->optValue<std::string>("event", ""), "officer_called");
  EXPECT_EQ(state->getValue<std::string>("state"), "idle") << "the screen's state is unchanged";
  EXPECT_EQ(state->getValue<std::string>("previous"), "idle");

  const Reply again = call(port, "POST", "/api/officer");
  EXPECT_EQ(again.status, 200) << "pressing again is the same call-out";
  EXPECT_EQ(again.json()->getValue<std::string>("id"), callId);
  EXPECT_EQ(call(port, "POST", "/api/officer").status, 200);
  EXPECT_EQ(call(port, "POST", "/api/officer").status, 429) << "officer_calls_per_minute = 3";
  EXPECT_EQ(call(port, "GET", "/api/state").status, 200) << "the rest of the UI keeps working";

  // Diagnostics: the lamps show attention; the open call, without personal data.
  const Reply diag = call(port, "GET", "/api/diagnostics", "", {kTech});
  ASSERT_EQ(diag.status, 200);
  EXPECT_EQ(lampsShowing(diag), "attention") << diag.body;
  ASSERT_EQ(diag.json()->getArray("officer_calls")->size(), 1u);

  EXPECT_EQ(call(port, "GET", "/api/officer/calls").status, 401);
  EXPECT_EQ(call(port, "POST", "/api/officer/calls/" + callId + "/clear").status, 401);
  const Reply calls = call(port, "GET", "/api/officer/calls", "", {kTech});
  ASSERT_EQ(calls.status, 200);
  auto list = calls.json()->getArray("calls");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(keys(list->getObject(0)), (std::set<std::string>{"id", "at", "screen", "transaction_id", "forwarded_to"}));
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("screen"), "idle");

  const std::uint64_t beforeClear = call(port, "GET", "/api/state").json()->getValue<std::uint64_t>("sequence");
  EXPECT_EQ(call(port, "POST", "/api/officer/calls/not-a-call/clear", "", {kTech}).status, 404);
  EXPECT_EQ(call(port, "POST", "/api/officer/calls/" + callId + "/clear", "", {kTech}).status, 200);
  state = call(port, "GET", "/api/state?after=" + std::to_string(beforeClear)).json();
  EXPECT_EQ(state->optValue<std::string>("event", ""), "officer_call_cleared");
  EXPECT_EQ(call(port, "GET", "/api/officer/calls", "", {kTech}).json()->getArray("calls")->size(), 0u);
  EXPECT_EQ(lampsShowing(call(port, "GET", "/api/diagnostics", "", {kTech})), "off");

  // A transaction afterwards still runs (the feed's sequence numbers go on).
  EXPECT_EQ(travellerThroughApi(port).size(), 32u);
  daemon.stop();

  const AuditVerdict audit = verifyAuditLog(dir / "data" / "audit.log");
  EXPECT_TRUE(audit.ok()) << auditStatusName(audit.status);
  const std::string log = fileText(dir / "data" / "audit.log");
  EXPECT_NE(log.find("\"event\":\"officer_called\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"officer_call_cleared\""), std::string::npos);
  EXPECT_NE(log.find("\"call\":\"" + callId + "\""), std::string::npos);
}

}  // namespace
}  // namespace portti::firmware::test
