// bench_chaos [HITS]: issue 7's long fault run. kill -9 rounds of the delivery harness (outbox +
// sender) against portti-casesim until HITS (default 1,000) kills hit a running harness (at most 3x
// as many rounds); prints how many results arrived, how many twice or out of order (both must be 0),
// and the time taken.
#include <cstdio>
#include <cstdlib>
#include <set>

#include "firmware/kill_rounds.hpp"
#include "firmware/test_pki.hpp"

int main(int argc, char** argv) {
  int hits = argc > 1 ? std::atoi(argv[1]) : 1000;
  portti::test::TempDir dir;
  unsigned seed = std::random_device{}();
  auto r = portti::test::runKillRounds(dir.path.string(), portti::test::pki(""), hits, seed);
  std::set<std::string> unique(r.storedKeys.begin(), r.storedKeys.end());
  std::size_t lost = 0;
  for (const auto& k : r.expectedKeys) lost += unique.count(k) == 0;
  bool inOrder = r.storedKeys == r.expectedKeys;
  std::printf("kill -9 rounds:            %d (seed %u)\n", r.rounds, seed);
  std::printf("  one uninterrupted run:   %d ms (kills fall in 0..1.2x that, narrower while they miss)\n",
              r.calibrationMs);
  std::printf("  kills of a live harness: %d\n", r.killedWhileRunning);
  std::printf("  results enqueued:        %d\n", r.results);
  std::printf("  delivered while killing: %d\n", r.storedBeforeLastRun);
  std::printf("  stored at case system:   %zu\n", r.storedKeys.size());
  std::printf("  lost:                    %zu\n", lost);
  std::printf("  stored twice:            %zu\n", r.storedKeys.size() - unique.size());
  std::printf("  in enqueue order:        %s\n", inOrder ? "yes" : "NO");
  std::printf("  final run exit code:     %d\n", r.finalExitCode);
  std::printf("  time:                    %.1f s (%.0f ms per round)\n", r.seconds,
              1000.0 * r.seconds / (r.rounds ? r.rounds : 1));
  return lost == 0 && inOrder && r.finalExitCode == 0 ? 0 : 1;
}
