// The whole conformance suite (docs/conformance.md): every case gives its expected verdict and
// reason code when read over the virtual chip and inspected.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "portti/mrtd/protocol/conformance.hpp"

using namespace portti::mrtd;

TEST(Conformance, TableHasUniqueIdsAndEnoughCases) {
  const auto cases = conformanceCases();
  EXPECT_GE(cases.size(), 50u);
  std::set<std::string> ids;
  for (const auto& c : cases) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
    if (c.expected != VerdictStatus::Valid) {
      EXPECT_FALSE(c.reason.empty()) << c.id << " has no reason code";
    }
  }
}

TEST(Conformance, EveryCaseGivesItsExpectedVerdictAndReason) {
  const auto outcomes = runConformance();
  EXPECT_EQ(outcomes.size(), conformanceCases().size());
  for (const auto& o : outcomes) {
    std::string got;
    for (const auto& f : o.failures) got += f + " ";
    EXPECT_TRUE(o.passed) << o.testCase.id << " " << o.testCase.title << ": expected " << toString(o.testCase.expected)
                          << " " << o.testCase.reason << ", got " << toString(o.verdict) << " [" << got << "] "
                          << o.detail;
  }
}

TEST(Conformance, FilterRunsOneGroup) {
  const auto outcomes = runConformance("SOD");
  ASSERT_FALSE(outcomes.empty());
  for (const auto& o : outcomes) EXPECT_EQ(o.testCase.group, "SOD");
}

TEST(Conformance, DocsListEveryCase) {
  std::ifstream in(std::string(PORTTI_SOURCE_DIR) + "/docs/conformance.md");
  ASSERT_TRUE(in) << "docs/conformance.md missing";
  const std::string doc((std::istreambuf_iterator<char>(in)), {});
  for (const auto& c : conformanceCases()) {
    const std::string row = "| " + c.id + " | " + toString(c.expected) + " | ";
    EXPECT_NE(doc.find(row), std::string::npos) << c.id << " is not listed in docs/conformance.md as " << row;
  }
}
