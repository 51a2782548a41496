// Issue 7 fault: kill -9 during delivery, >= 200 rounds that hit a running harness (CLARIFICATIONS
// 17: a delivery-only harness). No result lost, none stored twice, order kept.
#include <gtest/gtest.h>

#include <set>

#include "firmware/kill_rounds.hpp"
#include "firmware/test_pki.hpp"

TEST(DeliveryChaos, Kill9RoundsEveryResultExactlyOnceInOrder) {
  portti::test::TempDir dir;
  unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  // Rounds go on until 200 kills hit a running harness (a kill after it exited proves nothing), so
  // a machine whose load changes needs more rounds, not fewer proven ones; at most 600.
  auto report = portti::test::runKillRounds(dir.path.string(), portti::test::pki(""), 200, seed, 600);
  EXPECT_LE(report.rounds, 600);
  EXPECT_EQ(report.calibrationExitCode, 0) << portti::test::readText(dir.path / "harness.err");
  EXPECT_EQ(report.finalExitCode, 0) << portti::test::readText(dir.path / "harness.err");
  EXPECT_EQ(report.killedWhileRunning, 200) << "in " << report.rounds << " rounds";
  EXPECT_GE(report.storedBeforeLastRun, 20) << "the killed rounds delivered (almost) nothing";
  std::set<std::string> unique(report.storedKeys.begin(), report.storedKeys.end());
  EXPECT_EQ(unique.size(), report.storedKeys.size()) << "a result was stored twice";
  EXPECT_EQ(report.storedKeys, report.expectedKeys);
  std::cout << "kill rounds: " << report.rounds << " (" << report.killedWhileRunning
            << " hit a live harness), " << report.storedKeys.size() << " results ("
            << report.storedBeforeLastRun << " delivered by killed rounds), " << report.seconds << " s; one full run " << report.calibrationMs << " ms\n";
}
