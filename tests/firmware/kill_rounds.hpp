// kill -9 rounds against the delivery harness (tests/firmware/chaos_test.cpp, bench/chaos.cpp):
// each round starts portti-delivery-harness with one more result to deliver and SIGKILLs it at a
// random moment; a last run delivers what is left. Afterwards the case system must hold every
// result exactly once, in order. Rounds go on until the wanted number of kills hit a running
// harness (a kill after it exited proves nothing), within a round limit, so a machine whose load
// changes after calibration needs more rounds rather than proving less.
#pragma once

#include <algorithm>
#include <random>
#include <thread>

#include "firmware/delivery_fixture.hpp"

namespace portti::test {

struct KillRoundsReport {
  int rounds = 0;               ///< rounds run (up to the limit)
  int killedWhileRunning = 0;  ///< rounds where SIGKILL hit a live harness (not one that had exited)
  int results = 0;             ///< results enqueued in total
  int calibrationMs = 0;       ///< one uninterrupted harness run (start-up + one result)
  int calibrationExitCode = -1;
  int storedBeforeLastRun = 0;  ///< results that arrived while rounds were being killed
  int finalExitCode = -1;
  std::vector<std::string> expectedKeys;  ///< in enqueue order
  std::vector<std::string> storedKeys;    ///< at the case system, in arrival order
  double seconds = 0;
};

inline std::string chaosKey(int i) {
  char id[32];
  std::snprintf(id, sizeof id, "chaos-%05d", i);
  return id;
}

/// Runs rounds until `hitsWanted` kills hit a running harness or `maxRounds` (default 3x) were run.
inline KillRoundsReport runKillRounds(const std::string& dir, const std::string& pki, int hitsWanted,
                                      unsigned seed, int maxRounds = 0) {
  if (maxRounds <= 0) maxRounds = 3 * hitsWanted;
  auto start = std::chrono::steady_clock::now();
  CaseSim casesim(dir, pki, {});
  std::mt19937 rng(seed);
  auto harness = [&](int count) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{binDir() + "/portti-delivery-harness", "--outbox", dir + "/outbox.sqlite",
                                 "--pki", pki, "--port", std::to_string(casesim.port()), "--count",
                                 std::to_string(count), "--prefix", "chaos"},
        dir + "/harness.err");
  };
  KillRoundsReport report;
  // Calibrate on this machine, now: an uninterrupted run (start-up, one enqueue, one delivery)
  // takes D (the shortest of three; the first also creates the databases). Kills fall uniformly
  // in [0, 1.2 D]: most hit start-up, enqueueing or sending, however loaded the machine is.
  std::chrono::milliseconds d{60000};
  for (int i = 1; i <= 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    report.calibrationExitCode = harness(i)->wait();
    d = std::min(
        d, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0));
  }
  report.calibrationMs = static_cast<int>(d.count());
  // The window follows the harness's life: a kill that came after the harness exited narrows it
  // (the machine got faster), one that hit lets it widen again up to 1.2 D.
  const double widest = std::max(5.0, d.count() * 1.2);
  double window = widest;
  int rounds = 0;
  while (report.killedWhileRunning < hitsWanted && rounds < maxRounds) {
    auto child = harness(rounds + 1);
    ++rounds;
    std::uniform_int_distribution<int> delayMs(0, static_cast<int>(window));
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
    const bool hit = child->running();
    child->kill(SIGKILL);
    child->wait();
    if (hit) {
      ++report.killedWhileRunning;
      window = std::min(widest, window * 1.02);
    } else {
      window = std::max(5.0, window * 0.9);
    }
  }
  report.rounds = rounds;
  report.results = rounds;
  report.storedBeforeLastRun = static_cast<int>(casesim.storedKeys().size());
  auto last = harness(rounds);
  report.finalExitCode = last->wait();
  for (int i = 0; i < rounds; ++i) report.expectedKeys.push_back(chaosKey(i));
  report.storedKeys = casesim.storedKeys();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace portti::test
