// The parser on damaged files (every prefix and random byte edits of the shipped rule files):
// never crashes, never accepts a file while reporting errors, and every error points into the text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "portti/firmware/rules_parser.hpp"

using namespace portti::firmware;

namespace {

std::string readShipped(const char* name) {
  std::ifstream in(std::filesystem::path(PORTTI_SOURCE_DIR) / "config" / "rules" / name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expectSane(const std::string& text) {
  const RuleParse p = parseRules(text, "x");
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  if (p.ok()) {
    EXPECT_FALSE(p.rules.rules.empty());
    return;
  }
  EXPECT_TRUE(p.rules.rules.empty());
  for (const RuleError& e : p.errors) {
    EXPECT_GE(e.pos.line, 1);
    EXPECT_LE(e.pos.line, lines);
    EXPECT_GE(e.pos.column, 1);
    EXPECT_FALSE(e.message.empty());
  }
}

}  // namespace

TEST(RulesRobustness, EveryPrefixOfTheShippedFiles) {
  for (const char* name : {"egate.rules", "service-point.rules"}) {
    const std::string text = readShipped(name);
    ASSERT_FALSE(text.empty()) << name;
    for (std::size_t n = 0; n <= text.size(); ++n) expectSane(text.substr(0, n));
  }
}

TEST(RulesRobustness, RandomEdits) {
  const std::string text = readShipped("egate.rules");
  std::mt19937 rng(20261204);  // fixed seed: the same edits every run
  const std::string alphabet = "()[],:=!<>\"\\#-. \n\tax0_\x80\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string t = text;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % t.size();
      switch (rng() % 3) {
        case 0:
          t[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          t.erase(at, 1 + rng() % 8);
          break;
        default:
          t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), alphabet[rng() % alphabet.size()]);
          break;
      }
      if (t.empty()) t.push_back('r');
    }
    expectSane(t);
  }
}
