// Evaluation: each operator, missing facts (fail closed), the most severe outcome, the trace.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <sstream>

#include "portti/firmware/rules_eval.hpp"
#include "portti/firmware/rules_json.hpp"
#include "portti/firmware/rules_parser.hpp"

using namespace portti::firmware;

namespace {

const Date kToday{2026, 12, 4};

RuleSet rules(const std::string& text) {
  auto p = parseRules(text, "t.rules");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : formatRuleError("t", p.errors[0]));
  return p.rules;
}

/// The result of a one-rule file.
RuleResult one(const std::string& condition, const Facts& facts) {
  const Decision d = evaluate(rules("rule r: " + condition + " else reject R"), facts, kToday);
  return d.trace.at(0).result;
}

Facts sample() {
  Facts f;
  f.set("pa.status", "valid");
  f.set("face.score", 0.7);
  f.set("holder.age", 30);
  f.set("doc.expiry", Date{2030, 1, 31});
  f.set("doc.issuing_state", "FIN");
  f.set("doc.mrz_matches_chip", true);
  return f;
}

}  // namespace

struct OpCase {
  const char* condition;
  RuleResult expected;
};

class RulesOperators : public ::testing::TestWithParam<OpCase> {};

TEST_P(RulesOperators, Evaluate) {
  EXPECT_EQ(one(GetParam().condition, sample()), GetParam().expected) << GetParam().condition;
}

constexpr auto P = RuleResult::Passed;
constexpr auto F = RuleResult::Failed;
constexpr auto U = RuleResult::Unknown;

INSTANTIATE_TEST_SUITE_P(
    Each, RulesOperators,
    ::testing::Values(OpCase{"pa.status == valid", P}, OpCase{"pa.status == invalid", F},
                      OpCase{"pa.status != invalid", P}, OpCase{"pa.status != valid", F},
                      OpCase{"face.score >= 0.7", P}, OpCase{"face.score >= 0.71", F},
                      OpCase{"face.score > 0.7", F}, OpCase{"face.score > 0.69", P},
                      OpCase{"face.score <= 0.7", P}, OpCase{"face.score <= 0.69", F},
                      OpCase{"face.score < 0.7", F}, OpCase{"face.score < 0.71", P},
                      OpCase{"holder.age >= 18", P}, OpCase{"holder.age == 30", P},
                      OpCase{"doc.expiry > today", P}, OpCase{"doc.expiry > 2030-01-31", F},
                      OpCase{"doc.expiry >= 2030-01-31", P}, OpCase{"doc.expiry < 2030-02-01", P},
                      OpCase{"doc.issuing_state in [SWE, FIN]", P}, OpCase{"doc.issuing_state in [SWE, NOR]", F},
                      OpCase{"doc.mrz_matches_chip", P}, OpCase{"not doc.mrz_matches_chip", F},
                      OpCase{"doc.mrz_matches_chip == false", F}, OpCase{"not (face.score < 0.5)", P},
                      OpCase{"all(pa.status == valid, face.score > 0.5)", P},
                      OpCase{"all(pa.status == valid, face.score > 0.9)", F},
                      OpCase{"any(pa.status == invalid, face.score > 0.5)", P},
                      OpCase{"any(pa.status == invalid, face.score > 0.9)", F},
                      // Missing facts: never passes, whatever the operator or negation.
                      OpCase{"mad.dmad < 0.5", U}, OpCase{"mad.dmad >= 0.5", U}, OpCase{"not (mad.dmad >= 0.5)", U},
                      OpCase{"mad.dmad != 0.5", U}, OpCase{"chip.auth in [passed]", U},
                      OpCase{"all(face.score > 0.5, mad.dmad < 0.5)", U},
                      OpCase{"all(face.score > 0.9, mad.dmad < 0.5)", F},
                      OpCase{"any(chip.auth == passed, chip.aa == passed)", U},
                      OpCase{"any(chip.auth == passed, face.score > 0.5)", P},
                      OpCase{"not any(chip.auth == passed, face.score > 0.9)", U}));

TEST(RulesEval, TodayIsTheDateGiven) {
  Facts f;
  f.set("doc.expiry", Date{2026, 12, 4});
  EXPECT_EQ(one("doc.expiry > today", f), RuleResult::Failed);  // expires today: not after today
  EXPECT_EQ(one("doc.expiry >= today", f), RuleResult::Passed);
}

TEST(RulesEval, AFactOfTheWrongKindIsUnknownAndNoted) {
  Facts f;
  f.set("face.score", "0.9");  // a string where a number belongs
  const Decision d = evaluate(rules("rule r: face.score > 0.5 else reject R"), f, kToday);
  EXPECT_EQ(d.trace[0].result, RuleResult::Unknown);
  ASSERT_EQ(d.trace[0].notes.size(), 1u);
  EXPECT_NE(d.trace[0].notes[0].find("is a string"), std::string::npos);
  EXPECT_EQ(d.outcome, Outcome::Reject);
}

TEST(RulesEval, MostSevereOutcomeWins) {
  const RuleSet set = rules(
      "rule note: face.quality > 0.9 else accept LOW_QUALITY\n"
      "rule morph: mad.dmad < 0.5 else refer MORPH_SUSPECTED\n"
      "rule face: face.score >= 0.62 else reject FACE_MISMATCH\n"
      "rule pa: pa.status == valid else reject PA_INVALID\n");
  Facts f;
  f.set("face.quality", 0.95);
  f.set("mad.dmad", 0.1);
  f.set("face.score", 0.8);
  f.set("pa.status", "valid");
  Decision d = evaluate(set, f, kToday);
  EXPECT_EQ(d.outcome, Outcome::Accept);
  EXPECT_TRUE(d.reasons.empty());

  f.set("face.quality", 0.5);  // only an accept-outcome rule fails: still accept
  d = evaluate(set, f, kToday);
  EXPECT_EQ(d.outcome, Outcome::Accept);
  EXPECT_EQ(d.trace[0].result, RuleResult::Failed);

  f.set("mad.dmad", 0.7);
  d = evaluate(set, f, kToday);
  EXPECT_EQ(d.outcome, Outcome::Refer);
  EXPECT_EQ(d.reasons, std::vector<std::string>{"MORPH_SUSPECTED"});

  f.set("face.score", 0.3);
  f.set("pa.status", "invalid");
  d = evaluate(set, f, kToday);
  EXPECT_EQ(d.outcome, Outcome::Reject);
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"FACE_MISMATCH", "PA_INVALID"}));

  d = evaluate(set, Facts{}, kToday);  // nothing known: every rule unknown, the most severe wins
  EXPECT_EQ(d.outcome, Outcome::Reject);
  for (const auto& t : d.trace) EXPECT_EQ(t.result, RuleResult::Unknown) << t.rule;
}

TEST(RulesEval, NoRulesIsAReferral) {
  const Decision d = evaluate(RuleSet{}, sample(), kToday);
  EXPECT_EQ(d.outcome, Outcome::Refer);
  EXPECT_EQ(d.reasons, std::vector<std::string>{kNoRulesReason});
}

TEST(RulesEval, TraceHasEveryRuleAndTheFactsItRead) {
  const RuleSet set = rules(
      "rule face: face.score >= 0.62 else reject FACE_MISMATCH\n"
      "rule chip: any(chip.auth == passed, chip.aa == passed) else reject CHIP_NOT_AUTHENTIC\n"
      "rule expiry: doc.expiry > today else reject DOC_EXPIRED\n");
  Facts f = sample();
  f.set("chip.aa", "failed");
  const Decision d = evaluate(set, f, kToday);
  ASSERT_EQ(d.trace.size(), 3u);
  EXPECT_EQ(d.trace[1].rule, "chip");
  EXPECT_EQ(d.trace[1].line, 2);
  EXPECT_EQ(d.trace[1].result, RuleResult::Unknown);
  EXPECT_EQ(d.trace[1].missing, std::vector<std::string>{"chip.auth"});
  ASSERT_EQ(d.trace[1].facts.size(), 2u);
  EXPECT_TRUE(isMissing(d.trace[1].facts.at("chip.auth")));
  EXPECT_EQ(std::get<std::string>(d.trace[1].facts.at("chip.aa")), "failed");

  std::ostringstream text;
  decisionJson(d)->stringify(text);
  const auto o = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("decision"), "reject");
  EXPECT_EQ(o->getArray("reasons")->getElement<std::string>(0), "CHIP_NOT_AUTHENTIC");
  EXPECT_EQ(o->getValue<std::string>("today"), "2026-12-04");
  EXPECT_EQ(o->getObject("rules")->getValue<std::string>("sha256"), set.digest);
  const auto chip = o->getArray("trace")->getObject(1);
  EXPECT_EQ(chip->getValue<std::string>("rule"), "chip");
  EXPECT_EQ(chip->getValue<std::string>("result"), "unknown");
  EXPECT_EQ(chip->getValue<std::string>("outcome"), "reject");
  EXPECT_EQ(chip->getValue<std::string>("reason"), "CHIP_NOT_AUTHENTIC");
  EXPECT_EQ(chip->getValue<std::string>("condition"), R"(any(chip.auth == "passed", chip.aa == "passed"))");
  EXPECT_TRUE(chip->getObject("facts")->isNull("chip.auth"));
  EXPECT_EQ(chip->getObject("facts")->getValue<std::string>("chip.aa"), "failed");
  EXPECT_EQ(chip->getArray("missing")->getElement<std::string>(0), "chip.auth");
  const auto expiry = o->getArray("trace")->getObject(2);
  EXPECT_EQ(expiry->getValue<std::string>("result"), "passed");
  EXPECT_EQ(expiry->getObject("facts")->getValue<std::string>("doc.expiry"), "2030-01-31");
  EXPECT_DOUBLE_EQ(o->getArray("trace")->getObject(0)->getObject("facts")->getValue<double>("face.score"), 0.7);
}

TEST(RulesEval, FactsFromJson) {
  const auto o = Poco::JSON::Parser()
                     .parse(R"({"pa.status":"valid","face.score":0.7,"holder.age":30,"doc.expiry":"2030-01-31",
                                "doc.mrz_matches_chip":true,"mad.dmad":null})")
                     .extract<Poco::JSON::Object::Ptr>();
  const Facts f = factsFromJson(*o);
  EXPECT_EQ(std::get<Date>(f.get("doc.expiry")), (Date{2030, 1, 31}));
  EXPECT_EQ(std::get<double>(f.get("holder.age")), 30.0);
  EXPECT_EQ(std::get<bool>(f.get("doc.mrz_matches_chip")), true);
  EXPECT_TRUE(isMissing(f.get("mad.dmad")));
  const auto bad = Poco::JSON::Parser().parse(R"({"doc.expiry":"31.1.2030"})").extract<Poco::JSON::Object::Ptr>();
  EXPECT_THROW(factsFromJson(*bad), std::invalid_argument);
}
