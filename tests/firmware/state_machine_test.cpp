// The transaction machine over a real virtual passport (sim reader, real PA), with a clock the test
// moves and recording devices: no threads, no sleeps.
#include <gtest/gtest.h>

#include <fstream>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>

#include "kiosk_fixture.hpp"

namespace portti::firmware::test {
namespace {

using TS = TransactionState;

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(StateMachine, GenuineEgateTransactionVisitsEveryStateAndOpensAfterTheCommit) {
  Kiosk k;
  k.runToIdle();
  const std::vector<std::string> expected = {"document presented", "access key", "chip read", "chip verification",
                                             "live capture", "face comparison", "morph check", "decision",
                                             "result delivery", "actuation", "reset", "idle"};
  EXPECT_EQ(k.stateNames(), expected);
  ASSERT_EQ(k.sink.results.size(), 1u);
  ASSERT_EQ(k.gate.events, std::vector<std::string>{"open"});
  EXPECT_EQ(k.sink.gateEventsAtCommit, 0u) << "the result is committed before the gate opens";
  auto result = parse(k.sink.results[0]);
  EXPECT_EQ(result->getObject("decision")->getValue<std::string>("decision"), "accept");
  EXPECT_EQ(result->getObject("chip")->getObject("passive_auth")->getValue<std::string>("status"), "valid");
  EXPECT_EQ(result->getObject("chip")->getObject("chip_auth")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(result->getObject("morph")->getValue<std::string>("status"), "not done");
  EXPECT_EQ(result->getObject("face")->getValue<double>("score"), 0.9);
  // Sequence numbers increase by one; every change names its predecessor.
  for (std::size_t i = 1; i < k.changes.size(); ++i) {
    EXPECT_EQ(k.changes[i].sequence, k.changes[i - 1].sequence + 1);
    EXPECT_EQ(k.changes[i].previous, k.changes[i - 1].state);
  }
  EXPECT_EQ(k.machine().finishedCount(), 1u);
}

TEST(StateMachine, MismatchedFaceIsReferredAndTheGateStaysClosed) {
  Kiosk k(Mode::Egate, 0.2);
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto result = parse(k.sink.results[0]);
  EXPECT_EQ(result->getObject("decision")->getValue<std::string>("decision"), "refer");
  EXPECT_EQ(result->getObject("face")->getValue<std::string>("status"), "failed");
  ASSERT_EQ(k.gate.events.size(), 1u);
  EXPECT_EQ(k.gate.events[0], "closed");
}

TEST(StateMachine, MissingPiecesStayNotDoneAndNeverOpenTheGate) {
  Kiosk k;
  k.parts.faceComparator = nullptr;
  k.parts.policy = nullptr;
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto result = parse(k.sink.results[0]);
  EXPECT_EQ(result->getObject("face")->getValue<std::string>("status"), "not done");
  EXPECT_EQ(result->getObject("decision")->getValue<std::string>("decision"), "refer");
  EXPECT_EQ(k.gate.events, std::vector<std::string>{"closed"});
}

TEST(StateMachine, OutboxFailureFailsSafeWithAClearReason) {
  Kiosk k;
  k.sink.fail = true;
  std::vector<StateChange> seen;
  k.runToIdle();
  EXPECT_TRUE(k.sink.results.empty());
  EXPECT_EQ(k.gate.events, std::vector<std::string>{"closed"});
  auto it = std::find_if(k.changes.begin(), k.changes.end(), [](const StateChange& c) { return c.state == TS::Actuation; });
  ASSERT_NE(it, k.changes.end());
  EXPECT_NE(it->detail.find("database or disk is full"), std::string::npos) << it->detail;
  ASSERT_TRUE(it->outcome.has_value());
  EXPECT_EQ(*it->outcome, Outcome::Refer);
}

TEST(StateMachine, RemovingTheDocumentCancelsWithoutAResult) {
  Kiosk k;
  k.mrzReader.ready = false;  // wait in the access key state
  for (int i = 0; i < 4; ++i) k.machine().tick();
  ASSERT_EQ(k.machine().current().state, TS::AccessKey);
  k.reader.setCardPresent(false);
  k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::Reset);
  EXPECT_EQ(k.machine().current().detail, "cancelled: document removed");
  k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::Idle);
  EXPECT_TRUE(k.sink.results.empty());
  EXPECT_EQ(k.gate.events, std::vector<std::string>{"closed"});
}

TEST(StateMachine, AccessKeyTimesOut) {
  Kiosk k;
  k.mrzReader.ready = false;
  for (int i = 0; i < 3; ++i) k.machine().tick();
  ASSERT_EQ(k.machine().current().state, TS::AccessKey);
  k.clock.advance(std::chrono::seconds(29));
  k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::AccessKey);
  k.clock.advance(std::chrono::seconds(2));
  k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::Reset);
  EXPECT_NE(k.machine().current().detail.find("no access key within 30000 ms"), std::string::npos);
}

TEST(StateMachine, ManualMrzEntryOpensTheChip) {
  Kiosk k;
  k.mrzReader.ready = false;
  for (int i = 0; i < 3; ++i) k.machine().tick();
  EXPECT_NE(k.machine().enterMrz("P<UTO\nnot an mrz"), "");
  EXPECT_EQ(k.machine().enterMrz(kMrz), "");
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  EXPECT_EQ(parse(k.sink.results[0])->getObject("chip")->getValue<std::string>("read"), "passed");
}

TEST(StateMachine, ACloneFailsChipAuthenticationThoughPassiveAuthenticationPasses) {
  Kiosk k(Mode::Egate, 0.9, world().clone);
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto chip = parse(k.sink.results[0])->getObject("chip");
  EXPECT_EQ(chip->getObject("passive_auth")->getValue<std::string>("status"), "valid");
  EXPECT_EQ(chip->getObject("chip_auth")->getValue<std::string>("status"), "failed");
}

TEST(StateMachine, ThePrintedCanOpensThePaceChip) {
  Kiosk k;
  k.mrzReader.ready = false;
  for (int i = 0; i < 3; ++i) k.machine().tick();
  std::ifstream canFile(world().chip / "can.txt");
  std::string can;
  canFile >> can;
  EXPECT_EQ(k.machine().enterCan(can), "");
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto result = parse(k.sink.results[0]);
  EXPECT_EQ(result->getObject("chip")->getValue<std::string>("read"), "passed");
  EXPECT_EQ(result->getObject("chip")->getValue<std::string>("access"), "PACE-ECDH-GM-AES128");
}

TEST(StateMachine, AWrongCanFailsClosed) {
  Kiosk k;
  k.mrzReader.ready = false;
  for (int i = 0; i < 3; ++i) k.machine().tick();
  EXPECT_NE(k.machine().enterCan("12345"), "");
  EXPECT_EQ(k.machine().enterCan("123456"), "");
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto result = parse(k.sink.results[0]);
  EXPECT_EQ(result->getObject("chip")->getValue<std::string>("read"), "failed");
  EXPECT_EQ(result->getObject("decision")->getValue<std::string>("decision"), "refer");
  EXPECT_TRUE(k.gate.events == std::vector<std::string>{"closed"});
}

TEST(StateMachine, WrongMrzIsAFailedReadNotACrash) {
  Kiosk k;
  mrtd::MrzFields other;
  other.documentCode = "P";
  other.issuingState = "UTO";
  other.documentNumber = "X12345678";
  other.dateOfBirth = "800101";
  other.sex = 'F';
  other.dateOfExpiry = "300101";
  other.nationality = "UTO";
  other.primaryIdentifier = "OTHER";
  other.secondaryIdentifier = "PERSON";
  const auto lines = mrtd::composeMrz(other);
  k.mrzReader = FixedMrzReader(lines[0] + "\n" + lines[1]);
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto steps = parse(k.sink.results[0])->getArray("steps");
  bool found = false;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    auto s = steps->getObject(static_cast<unsigned>(i));
    if (s->getValue<std::string>("step") == "chip read") {
      found = true;
      EXPECT_EQ(s->getValue<std::string>("verdict"), "failed");
      EXPECT_NE(s->getValue<std::string>("reason").find("access"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
}

TEST(StateMachine, ServicePointWaitsForTheCaseNumberAndAttachesIt) {
  Kiosk k(Mode::ServicePoint);
  for (int i = 0; i < 3; ++i) k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::Idle) << "no transaction before the case number";
  EXPECT_NE(k.machine().setCaseNumber("bad case!"), "");
  EXPECT_EQ(k.machine().setCaseNumber("DNRO-2026/1234"), "");
  k.machine().requestStart();
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto result = parse(k.sink.results[0]);
  EXPECT_EQ(result->getValue<std::string>("mode"), "service-point");
  EXPECT_EQ(result->getValue<std::string>("case_number"), "DNRO-2026/1234");
  EXPECT_EQ(k.gate.events, std::vector<std::string>{"open"});
}

TEST(StateMachine, TheSameDocumentLeftOnTheReaderDoesNotStartASecondTransaction) {
  Kiosk k;
  for (int i = 0; i < 20; ++i) k.machine().tick();
  ASSERT_EQ(k.machine().current().state, TS::Reset);
  k.clock.advance(std::chrono::seconds(31));  // the document is never taken
  for (int i = 0; i < 10; ++i) k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::Idle);
  EXPECT_EQ(k.sink.results.size(), 1u);
  k.machine().requestStart();  // "try again" from the UI
  k.runToIdle();
  EXPECT_EQ(k.sink.results.size(), 2u);
}

TEST(StateMachine, TransactionIdsAreRandom128Bit) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = newTransactionId();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  Kiosk k;
  k.runToIdle();
  k.reader.setCardPresent(true);
  k.runToIdle(100);
  ASSERT_EQ(k.sink.results.size(), 2u);
  EXPECT_NE(parse(k.sink.results[0])->getValue<std::string>("transaction_id"),
            parse(k.sink.results[1])->getValue<std::string>("transaction_id"));
}

TEST(StateMachine, ChipDataAndImagesAreWipedAfterTheTransaction) {
  Kiosk k;
  k.runToIdle();
  const Transaction& tx = k.machine().transaction();
  EXPECT_TRUE(tx.chip.dataGroups.empty());
  EXPECT_TRUE(tx.chip.sod.empty());
  EXPECT_TRUE(tx.chip.portrait.empty());
  EXPECT_FALSE(tx.chip.dg1.has_value());
  EXPECT_TRUE(tx.liveFrame.empty());
  EXPECT_FALSE(tx.accessKey.has_value());
  EXPECT_EQ(tx.chip.read, Verdict::Passed) << "verdicts stay, data goes";
}

TEST(StateMachine, NoPersonalDataInStateChanges) {
  Kiosk k;
  k.runToIdle();
  for (const auto& c : k.changes) {
    for (const std::string& text : {c.message, c.detail}) {
      EXPECT_EQ(text.find("ERIKSSON"), std::string::npos);
      EXPECT_EQ(text.find("L898902C3"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace portti::firmware::test
