// kill -9 rounds against the delivery harness (tests/firmware/chaos_test.cpp, bench/chaos.cpp):
// each round starts portti-delivery-harness with one more result to deliver and SIGKILLs it at a
// random moment; a last run delivers what is left. Afterwards the case system must hold every
// result exactly once, in order.
#pragma once

#include <random>
#include <thread>

#include "firmware/delivery_fixture.hpp"

namespace portti::test {

struct KillRoundsReport {
  int rounds = 0;
  int killedWhileRunning = 0;  ///< rounds where SIGKILL hit a live harness (not one that had exited)
  int results = 0;             ///< results enqueued in total
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

inline KillRoundsReport runKillRounds(const std::string& dir, const std::string& pki, int rounds,
                                      unsigned seed) {
  auto start = std::chrono::steady_clock::now();
  CaseSim casesim(dir, pki, {});
  std::mt19937 rng(seed);
  // Start-up of the harness takes ~0.1 s here; the window covers start-up, enqueue and sending.
  std::uniform_int_distribution<int> delayMs(5, 200);
  auto harness = [&](int count) {
    return std::make_unique<ChildProcess>(std::vector<std::string>{
        binDir() + "/portti-delivery-harness", "--outbox", dir + "/outbox.sqlite", "--pki", pki,
        "--port", std::to_string(casesim.port()), "--count", std::to_string(count), "--prefix",
        "chaos"}, dir + "/harness.err");
  };
  KillRoundsReport report;
  for (int r = 0; r < rounds; ++r) {
    auto child = harness(r + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
    if (child->running()) ++report.killedWhileRunning;
    child->kill(SIGKILL);
    child->wait();
    ++report.rounds;
  }
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
