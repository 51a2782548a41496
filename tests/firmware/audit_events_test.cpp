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
    log.append("rules_refused", rulesRefusedAuditFields("egate.rules", {"egate.rules:2:19: '=' alone"}));
    log.append("decision", decisionAuditFields("tx-7f3a", d));
  }
  EXPECT_TRUE(verifyAuditLog(path).ok());
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < 3; ++i) std::getline(in, line);
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
