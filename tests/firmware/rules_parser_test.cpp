// The rule language parser: good files, and every kind of error with its line and column.
#include <gtest/gtest.h>

#include "portti/firmware/rules_parser.hpp"

using namespace portti::firmware;

namespace {

RuleParse parse(const std::string& text) { return parseRules(text, "t.rules"); }

}  // namespace

TEST(RulesParser, ReadsEveryForm) {
  const auto p = parse(R"(# comment
rule pa_valid: pa.status == valid else reject PA_INVALID
rule chip: any(chip.auth == passed, chip.aa == "passed") else reject CHIP_NOT_AUTHENTIC
rule expiry: doc.expiry > today else reject DOC_EXPIRED
rule face:
  face.score >= 0.62   # threshold
  else reject "FACE_MISMATCH"
rule morph: not (mad.dmad >= 0.5) else refer MORPH_SUSPECTED
rule state: doc.issuing_state in [FIN, SWE, "NOR"] else refer STATE_NOT_LISTED
rule adult: all(holder.age >= 18, holder.age < 130, doc.expiry != 2000-01-01) else refer AGE
rule mrz: doc.mrz_matches_chip else reject MRZ_MISMATCH
rule neg: mad.smad > -1 else accept NOTE_ONLY
rule le: face.quality <= 1 else refer QUALITY
)");
  ASSERT_TRUE(p.ok()) << formatRuleError("t", p.errors.at(0));
  ASSERT_EQ(p.rules.rules.size(), 10u);
  const Rule& face = p.rules.rules[3];
  EXPECT_EQ(face.name, "face");
  EXPECT_EQ(face.pos.line, 5);
  EXPECT_EQ(face.pos.column, 6);
  EXPECT_EQ(face.outcome, Outcome::Reject);
  EXPECT_EQ(face.reason, "FACE_MISMATCH");
  EXPECT_EQ(conditionText(face.condition), "face.score >= 0.62");
  EXPECT_EQ(conditionText(p.rules.rules[1].condition), R"(any(chip.auth == "passed", chip.aa == "passed"))");
  EXPECT_EQ(conditionText(p.rules.rules[2].condition), "doc.expiry > today");
  EXPECT_EQ(conditionText(p.rules.rules[4].condition), "not (mad.dmad >= 0.5)");
  EXPECT_EQ(conditionText(p.rules.rules[5].condition), R"(doc.issuing_state in ["FIN", "SWE", "NOR"])");
  EXPECT_EQ(conditionText(p.rules.rules[6].condition),
            "all(holder.age >= 18, holder.age < 130, doc.expiry != 2000-01-01)");
  EXPECT_EQ(p.rules.rules[6].outcome, Outcome::Refer);
  EXPECT_EQ(conditionText(p.rules.rules[7].condition), "doc.mrz_matches_chip");
  EXPECT_EQ(p.rules.rules[8].outcome, Outcome::Accept);
  EXPECT_EQ(p.rules.source, "t.rules");
  EXPECT_EQ(p.rules.digest.size(), 64u);
}

TEST(RulesParser, DigestFollowsTheBytes) {
  const auto a = parse("rule a: face.score > 0.5 else reject X");
  const auto b = parse("rule a: face.score > 0.5 else reject X ");
  EXPECT_EQ(a.rules.digest, parse("rule a: face.score > 0.5 else reject X").rules.digest);
  EXPECT_NE(a.rules.digest, b.rules.digest);
}

struct BadCase {
  const char* text;
  int line;
  int column;
  const char* message;  // a part of the message
};

class RulesParserErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(RulesParserErrors, ReportsLineAndColumn) {
  const BadCase& c = GetParam();
  const auto p = parse(c.text);
  ASSERT_FALSE(p.ok()) << c.text;
  EXPECT_TRUE(p.rules.rules.empty());
  const RuleError& e = p.errors.at(0);
  EXPECT_EQ(e.pos.line, c.line) << e.message;
  EXPECT_EQ(e.pos.column, c.column) << e.message;
  EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, RulesParserErrors,
    ::testing::Values(
        BadCase{"", 1, 1, "no rules"},
        BadCase{"# only a comment\n", 1, 1, "no rules"},
        BadCase{"rul a: x", 1, 1, "expected 'rule'"},
        BadCase{"rule : face.score > 1 else reject X", 1, 6, "expected a rule name"},
        BadCase{"rule all: face.score > 1 else reject X", 1, 6, "expected a rule name"},
        BadCase{"rule a.b: face.score > 1 else reject X", 1, 6, "only letters"},
        BadCase{"rule a face.score > 1 else reject X", 1, 8, "expected ':'"},
        BadCase{"rule a: face.scroe > 1 else reject X", 1, 9, "unknown fact 'face.scroe'"},
        BadCase{"rule a: face.score > 1 reject X", 1, 24, "expected 'else'"},
        BadCase{"rule a: face.score > 1 else deny X", 1, 29, "expected an outcome"},
        BadCase{"rule a: face.score > 1 else reject", 1, 35, "expected a reason code"},
        BadCase{"rule a: face.score > 1 else reject face_bad", 1, 36, "reason code has only"},
        BadCase{"rule a: face.score = 1 else reject X", 1, 20, "compare with '=='"},
        BadCase{"rule a: !face.score else reject X", 1, 9, "negate with 'not'"},
        BadCase{"rule a: face.score > 1 else reject X;", 1, 37, "unexpected character ';'"},
        BadCase{"rule a: pa.status == \"valid else reject X", 1, 22, "unterminated string"},
        BadCase{"rule a: pa.status == \"va\\lid\" else reject X", 1, 25, "unknown escape"},
        BadCase{"rule a: doc.expiry > 2026-02-30 else reject X", 1, 22, "not a calendar date"},
        BadCase{"rule a: face.score > 0.6.2 else reject X", 1, 22, "not a number"},
        BadCase{"rule a: face.score > 1x else reject X", 1, 22, "not a number"},
        BadCase{"rule a: face.score > valid else reject X", 1, 22, "is a number, compared with a string"},
        BadCase{"rule a: pa.status == 1 else reject X", 1, 22, "is a string, compared with a number"},
        BadCase{"rule a: doc.expiry > 5 else reject X", 1, 22, "is a date, compared with a number"},
        BadCase{"rule a: face.score == today else reject X", 1, 23, "compared with a date"},
        BadCase{"rule a: pa.status < valid else reject X", 1, 19, "'<' needs a number or a date"},
        BadCase{"rule a: face.score else reject X", 1, 9, "compare it with"},
        BadCase{"rule a: doc.mrz_matches_chip == 1 else reject X", 1, 33, "is a bool, compared with a number"},
        BadCase{"rule a: face.score > else reject X", 1, 22, "found the keyword 'else'"},
        BadCase{"rule a: face.score > ( else reject X", 1, 22, "expected a value"},
        BadCase{"rule a: doc.issuing_state in [] else reject X", 1, 31, "list after 'in' is empty"},
        BadCase{"rule a: doc.issuing_state in FIN else reject X", 1, 30, "expected '[' after 'in'"},
        BadCase{"rule a: doc.issuing_state in [FIN SWE] else reject X", 1, 35, "expected ',' or ']'"},
        BadCase{"rule a: all() else reject X", 1, 13, "needs at least one condition"},
        BadCase{"rule a: any(face.score > 1 else reject X", 1, 28, "expected ',' or ')'"},
        BadCase{"rule a: all face.score > 1 else reject X", 1, 13, "expected '(' after 'all'"},
        BadCase{"rule a: (face.score > 1 else reject X", 1, 25, "expected ')'"},
        BadCase{"rule a: else reject X", 1, 9, "expected a condition"},
        BadCase{"rule a: face.score > 1 else reject X\n\nrule a: face.score > 2 else reject Y", 3, 6,
                "already defined on line 1"},
        BadCase{"rule a: face.score > 1 else reject X\n  rule b: pa.status == valid\n else refer", 3, 12,
                "expected a reason code"},
        BadCase{"rule a: pa.status == \"väli\" else reject X £", 1, 43, "unexpected character '\\xc2'"}));

TEST(RulesParser, NestingDepthIsLimited) {
  std::string text = "rule a: ";
  for (int i = 0; i < 40; ++i) text += "not ";
  text += "face.score > 1 else reject X";
  const auto p = parse(text);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.errors[0].message.find("nested more than"), std::string::npos);
}

TEST(RulesParser, ReportsEveryBrokenRuleAndKeepsNone) {
  const auto p = parse(
      "rule a: face.score > 1 else reject X\n"
      "rule b: face.score >> 1 else reject Y\n"
      "rule c: pa.status == valid else reject Z\n"
      "rule d: nope.fact == 1 else reject W\n");
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].pos.line, 2);
  EXPECT_EQ(p.errors[0].pos.column, 21);
  EXPECT_EQ(p.errors[1].pos.line, 4);
  EXPECT_EQ(p.errors[1].pos.column, 9);
  EXPECT_TRUE(p.rules.rules.empty());
  EXPECT_EQ(formatRuleError("f.rules", p.errors[1]), "f.rules:4:9: unknown fact 'nope.fact'");
}

TEST(RulesParser, CustomCatalog) {
  FactCatalog catalog;
  catalog.add("gate.temperature", FactKind::Number, "test");
  EXPECT_TRUE(parseRules("rule t: gate.temperature < 40 else refer HOT", "x", catalog).ok());
  EXPECT_FALSE(parseRules("rule t: face.score < 40 else refer HOT", "x", catalog).ok());
}
