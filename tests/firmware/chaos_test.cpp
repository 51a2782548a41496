// Issue 7 fault: kill -9 during delivery, >= 200 rounds (CLARIFICATIONS 17: a delivery-only
// harness). No result lost, none stored twice, order kept.
#include <gtest/gtest.h>

#include <set>

#include "firmware/kill_rounds.hpp"
#include "firmware/test_pki.hpp"

TEST(DeliveryChaos, Kill9RoundsEveryResultExactlyOnceInOrder) {
  portti::test::TempDir dir;
  unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  auto report = portti::test::runKillRounds(dir.path.string(), portti::test::pki(""), 200, seed);
  EXPECT_EQ(report.rounds, 200);
  EXPECT_EQ(report.finalExitCode, 0) << portti::test::readText(dir.path / "harness.err");
  // Most kills must hit a working harness, or the rounds would prove nothing.
  EXPECT_GE(report.killedWhileRunning, 150);
  EXPECT_GE(report.storedBeforeLastRun, 20) << "the killed rounds delivered (almost) nothing";
  std::set<std::string> unique(report.storedKeys.begin(), report.storedKeys.end());
  EXPECT_EQ(unique.size(), report.storedKeys.size()) << "a result was stored twice";
  EXPECT_EQ(report.storedKeys, report.expectedKeys);
  std::cout << "kill rounds: " << report.rounds << " (" << report.killedWhileRunning
            << " hit a live harness), " << report.storedKeys.size() << " results ("
            << report.storedBeforeLastRun << " delivered by killed rounds), "
            << report.seconds << " s\n";
}
