// The sender against a real portti-casesim over real mutual-TLS HTTPS on localhost.
#include "portti/firmware/sender.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "firmware/delivery_fixture.hpp"
#include "firmware/test_pki.hpp"
#include "portti/firmware/delivery_error.hpp"
#include "portti/firmware/outbox.hpp"

using namespace portti::firmware;
using portti::test::CaseSim;
using portti::test::pki;

namespace {

SenderConfig configFor(int port, const std::string& cert = "kiosk") {
  SenderConfig c;
  c.port = port;
  c.caFile = pki("ca.pem");
  c.certificateFile = pki(cert + ".pem");
  c.privateKeyFile = pki(cert + ".key");
  c.initialBackoff = std::chrono::milliseconds(20);
  c.maxBackoff = std::chrono::milliseconds(200);
  c.idlePoll = std::chrono::milliseconds(10);
  c.requestTimeout = std::chrono::milliseconds(5000);
  return c;
}

std::string resultBody(const std::string& id, const std::string& kiosk = "kiosk-1") {
  return "{\"transaction_id\":\"" + id + "\",\"kiosk_id\":\"" + kiosk + "\",\"decision\":\"accept\"}";
}

ResultSigner deviceKey() {
  return ResultSigner::fromPemFile(pki("device.key"));
}

bool waitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace

TEST(Sender, DeliversOneResultAndMarksIt) {
  portti::test::TempDir dir;
  CaseSim casesim(dir.path.string(), pki(""), {});
  Outbox outbox(dir / "outbox.sqlite");
  outbox.enqueue("tx-one", resultBody("tx-one"));
  Sender sender(outbox, deviceKey(), configFor(casesim.port()));
  EXPECT_EQ(sender.sendNext(), SendResult::Delivered) << sender.lastError();
  EXPECT_EQ(sender.sendNext(), SendResult::Idle);
  EXPECT_EQ(outbox.find("tx-one")->state, OutboxState::Delivered);
  EXPECT_EQ(casesim.storedKeys(), std::vector<std::string>{"tx-one"});
}

TEST(Sender, CaseSystemDownThenUpEveryResultOnceInOrder) {
  portti::test::TempDir dir;
  CaseSim casesim(dir.path.string(), pki(""), {});
  int port = casesim.port();
  casesim.stop();  // down: the port is known, nothing listens
  Outbox outbox(dir / "outbox.sqlite");
  Sender sender(outbox, deviceKey(), configFor(port));
  sender.start();
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) {
    ids.push_back("tx-" + std::to_string(1000 + (i * 7919) % 1000));  // not in sorted order
    outbox.enqueue(ids.back(), resultBody(ids.back()));
    sender.wake();
  }
  ASSERT_TRUE(waitFor([&] { return !sender.lastError().empty(); }, std::chrono::seconds(5)));
  EXPECT_NE(sender.lastError().find("failed"), std::string::npos) << sender.lastError();
  EXPECT_EQ(outbox.depth(), 60);
  casesim.start();  // up again on the same port
  ASSERT_EQ(casesim.port(), port);
  ASSERT_TRUE(waitFor([&] { return outbox.depth() == 0; }, std::chrono::seconds(30)))
      << outbox.depth() << " left; " << sender.lastError();
  sender.stop();
  EXPECT_EQ(casesim.storedKeys(), ids);
  EXPECT_TRUE(outbox.deadLetters().empty());
}

TEST(Sender, RefusedResultGoesToDeadLettersWithReasonAndTheNextOnesFlow) {
  portti::test::TempDir dir;
  CaseSim casesim(dir.path.string(), pki(""), {});
  Outbox outbox(dir / "outbox.sqlite");
  outbox.enqueue("tx-a", resultBody("tx-a"));
  outbox.enqueue("tx-forged", resultBody("tx-forged", "kiosk-2"));  // claims another kiosk
  outbox.enqueue("tx-c", resultBody("tx-c"), "CASE/2026-17");
  Sender sender(outbox, deviceKey(), configFor(casesim.port()));
  EXPECT_EQ(sender.sendNext(), SendResult::Delivered);
  EXPECT_EQ(sender.sendNext(), SendResult::Dead);
  EXPECT_EQ(sender.sendNext(), SendResult::Delivered) << sender.lastError();
  auto dead = outbox.deadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].transactionId, "tx-forged");
  EXPECT_NE(dead[0].reason.find("HTTP 422"), std::string::npos) << dead[0].reason;
  EXPECT_NE(dead[0].reason.find("kiosk_id"), std::string::npos) << dead[0].reason;
  EXPECT_EQ(casesim.storedKeys(), (std::vector<std::string>{"tx-a", "tx-c"}));
}

TEST(Sender, ResendAfterALostAnswerIsStoredOnce) {
  portti::test::TempDir dir;
  CaseSim casesim(dir.path.string(), pki(""), {});
  // Two outboxes holding the same result stand for "posted, then the kiosk died before it
  // recorded the answer": the second post must get the original, not a second row.
  Outbox first(dir / "a.sqlite"), second(dir / "b.sqlite");
  first.enqueue("tx-same", resultBody("tx-same"));
  second.enqueue("tx-same", resultBody("tx-same"));
  Sender a(first, deviceKey(), configFor(casesim.port()));
  Sender b(second, deviceKey(), configFor(casesim.port()));
  EXPECT_EQ(a.sendNext(), SendResult::Delivered);
  EXPECT_EQ(b.sendNext(), SendResult::Delivered);
  EXPECT_EQ(casesim.storedKeys(), std::vector<std::string>{"tx-same"});
}

TEST(Sender, ExpiredClientCertificateIsAClearStartupError) {
  portti::test::TempDir dir;
  Outbox outbox(dir / "outbox.sqlite");
  try {
    Sender sender(outbox, deviceKey(), configFor(443, "expired-kiosk"));
    FAIL() << "an expired client certificate was accepted";
  } catch (const DeliveryError& e) {
    EXPECT_EQ(e.step(), "TLS client certificate");
    EXPECT_NE(std::string(e.what()).find("expired on 2020-02-01"), std::string::npos) << e.what();
  }
}

TEST(Sender, MissingTlsFilesAreClearErrors) {
  portti::test::TempDir dir;
  Outbox outbox(dir / "outbox.sqlite");
  auto config = configFor(443);
  config.caFile = dir / "no-such-ca.pem";
  try {
    Sender sender(outbox, deviceKey(), config);
    FAIL();
  } catch (const DeliveryError& e) {
    EXPECT_NE(std::string(e.what()).find("CA file"), std::string::npos) << e.what();
  }
}

TEST(Sender, WrongServerCertificateNothingIsSent) {
  portti::test::TempDir dir;
  CaseSim impostor(dir.path.string(), pki(""), {.serverCert = "wrong-server"});
  Outbox outbox(dir / "outbox.sqlite");
  outbox.enqueue("tx-secret", resultBody("tx-secret"));
  Sender sender(outbox, deviceKey(), configFor(impostor.port()));
  EXPECT_EQ(sender.sendNext(), SendResult::Retry);
  EXPECT_NE(sender.lastError().find("ertificate"), std::string::npos) << sender.lastError();
  EXPECT_EQ(outbox.find("tx-secret")->state, OutboxState::Pending);
  EXPECT_EQ(outbox.find("tx-secret")->attempts, 1);
  EXPECT_TRUE(impostor.storedKeys().empty());
}

TEST(Sender, ServerCertificateForAnotherHostNameIsRefused) {
  // Right CA, wrong name: the pinned CA alone is not enough.
  portti::test::TempDir dir;
  CaseSim other(dir.path.string(), pki(""), {.serverCert = "other-host"});
  Outbox outbox(dir / "outbox.sqlite");
  outbox.enqueue("tx-h", resultBody("tx-h"));
  Sender sender(outbox, deviceKey(), configFor(other.port()));
  EXPECT_EQ(sender.sendNext(), SendResult::Retry);
  EXPECT_NE(sender.lastError().find("localhost"), std::string::npos) << sender.lastError();
  EXPECT_TRUE(other.storedKeys().empty());
}

TEST(Sender, StopsPromptlyWhileBackingOff) {
  // A long backoff must not hold up a shutdown: stop() wakes the thread.
  portti::test::TempDir dir;
  CaseSim casesim(dir.path.string(), pki(""), {});
  int port = casesim.port();
  casesim.stop();
  Outbox outbox(dir / "outbox.sqlite");
  outbox.enqueue("tx-wait", resultBody("tx-wait"));
  auto config = configFor(port);
  config.initialBackoff = std::chrono::minutes(10);
  config.maxBackoff = std::chrono::minutes(10);
  Sender sender(outbox, deviceKey(), config);
  sender.start();
  ASSERT_TRUE(waitFor([&] { return !sender.lastError().empty(); }, std::chrono::seconds(5)));
  auto t0 = std::chrono::steady_clock::now();
  sender.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(outbox.find("tx-wait")->state, OutboxState::Pending);
  EXPECT_EQ(outbox.find("tx-wait")->attempts, 1);
}
