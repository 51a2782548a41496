// Decision and rule-reload audit records: what they hold, and that they chain in a real log.
#include "portti/firmware/audit_events.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "portti/firmware/audit_log.hpp"
#include "portti/firmware/audit_verify.hpp"
#include "portti/firmware/rules_parser.hpp"

using namespace portti::firmware;
namespace fs = std::filesystem;

TEST(AuditEvents, DecisionRecordNamesTheRulesNotTheFacts) {
  const auto p = parseRules(
      "rule face: face.score >= 0.62 else refer FACE_MISMATCH\n"
      "rule pa: pa.status == valid else reject PA_INVALID\n"
      "rule chip: chip.auth == passed else reject CHIP\n",
      "egate.rules");
  ASSERT_TRUE(p.ok());
  Facts facts;
  facts.set("face.score", 0.31);
  facts.set("pa.status", "valid");
  const Decision d = evaluate(p.rules, facts, Date{2026, 12, 4});

  const fs::path path =
      fs::temp_directory_path() / ("portti-audit-events-" + std::to_string(::getpid()) + ".log");
  fs::remove(path);
  {
    AuditLog log(path, {"K-1", std::nullopt});
    log.append("rules_reloaded", rulesReloadedAuditFields(p.rules));
    log.append("rules_refused",
               rulesRefusedAuditFields("egate.rules", {RuleError{SourcePos{2, 19}, "'=' alone"}}, p.rules.digest));
    log.append("decision", decisionAuditFields("tx-7f3a", d));
  }
  EXPECT_TRUE(verifyAuditLog(path).ok());
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  const auto refused =
      Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>()->getObject("fields");
  EXPECT_EQ(refused->getArray("errors")->getObject(0)->getValue<int>("line"), 2);
  EXPECT_EQ(refused->getArray("errors")->getObject(0)->getValue<int>("column"), 19);
  EXPECT_EQ(refused->getArray("errors")->getObject(0)->getValue<std::string>("message"), "'=' alone");
  EXPECT_EQ(refused->getValue<std::string>("in_force_sha256"), p.rules.digest);
  std::getline(in, line);
  fs::remove(path);

  const auto fields =
      Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>()->getObject("fields");
  EXPECT_EQ(fields->getValue<std::string>("transaction"), "tx-7f3a");
  EXPECT_EQ(fields->getValue<std::string>("decision"), "reject");
  EXPECT_EQ(fields->getArray("reasons")->getElement<std::string>(0), "CHIP");
  EXPECT_EQ(fields->getValue<std::string>("rules_sha256"), p.rules.digest);
  ASSERT_EQ(fields->getArray("not_passed")->size(), 2u);
  EXPECT_EQ(fields->getArray("not_passed")->getElement<std::string>(0), "face");
  EXPECT_EQ(fields->getArray("not_passed")->getElement<std::string>(1), "chip");
  EXPECT_EQ(line.find("0.31"), std::string::npos);  // no fact values
}

namespace {

Transaction finished(Outcome outcome) {
  Transaction tx;
  tx.id = "tx-gate";
  tx.decision = Decision{};
  tx.decision->outcome = outcome;
  return tx;
}

}  // namespace

TEST(AuditEvents, GateRecordOfATransaction) {
  using namespace std::chrono_literals;
  Transaction opened = finished(Outcome::Accept);
  opened.resultCommitted = opened.gateOpened = true;
  auto e = gateAuditEvent(opened, 8000ms);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, "gate_opened");
  EXPECT_EQ(e->fields.getValue<std::string>("transaction"), "tx-gate");
  EXPECT_EQ(e->fields.getValue<int>("open_for_ms"), 8000);

  // Accepted by the rules but the result could not be stored: the gate stayed closed (fail safe).
  Transaction notStored = finished(Outcome::Refer);
  notStored.decision->reasons = {"RESULT_NOT_STORED"};
  e = gateAuditEvent(notStored, 8000ms);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, "gate_fail_safe");
  EXPECT_EQ(e->fields.getValue<std::string>("cause"), "result not stored");

  Transaction gateFault = finished(Outcome::Accept);
  gateFault.resultCommitted = true;
  gateFault.steps.push_back(StepRecord{TransactionState::Actuation, Verdict::Failed, "gate: line refused", 1});
  e = gateAuditEvent(gateFault, 8000ms);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, "gate_fail_safe");
  EXPECT_EQ(e->fields.getValue<std::string>("cause"), "gate: line refused");

  // A refusal keeps the gate closed by decision: the decision record says so, no gate record.
  EXPECT_FALSE(gateAuditEvent(finished(Outcome::Reject), 8000ms));

  const AuditEvent closed = gateClosedAuditEvent("tx-gate", "shutdown");
  EXPECT_EQ(closed.event, "gate_closed");
  EXPECT_EQ(closed.fields.getValue<std::string>("cause"), "shutdown");
  const AuditEvent started = daemonStartedAuditEvent("porttid 0.1.0", Mode::ServicePoint, "ab12");
  EXPECT_EQ(started.event, "daemon_started");
  EXPECT_EQ(started.fields.getValue<std::string>("mode"), "service-point");
  EXPECT_EQ(started.fields.getValue<std::string>("rules_sha256"), "ab12");
  EXPECT_EQ(daemonStoppedAuditEvent(7).fields.getValue<int>("transactions"), 7);
}
