// bench_delivery [N]: durable enqueues per second (SQLite WAL, synchronous=FULL) and signed
// results per second delivered to portti-casesim over mutual-TLS HTTPS (one in flight, each
// stored durably at both ends), on this machine's disk.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "firmware/delivery_fixture.hpp"
#include "firmware/test_pki.hpp"
#include "portti/firmware/outbox.hpp"
#include "portti/firmware/sender.hpp"

using namespace portti::firmware;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 500;
  portti::test::TempDir dir;
  const std::string pki = portti::test::pki("");
  portti::test::CaseSim casesim(dir.path.string(), pki, {});
  Outbox outbox(dir / "outbox.sqlite");
  auto signer = ResultSigner::fromPemFile(pki + "/device.key");

  std::string body(1500, ' ');  // about the size of a result with a rule trace
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    std::string id = "bench-" + std::to_string(i);
    outbox.enqueue(id, "{\"transactionId\":\"" + id + "\",\"kioskId\":\"kiosk-1\",\"pad\":\"" + body + "\"}");
  }
  double enqueueS = std::chrono::duration<double>(Clock::now() - t0).count();

  auto t1 = Clock::now();
  int signs = 2000;
  for (int i = 0; i < signs; ++i) (void)signer.sign(body);
  double signS = std::chrono::duration<double>(Clock::now() - t1).count();

  SenderConfig config;
  config.port = casesim.port();
  config.caFile = pki + "/ca.pem";
  config.certificateFile = pki + "/kiosk.pem";
  config.privateKeyFile = pki + "/kiosk.key";
  Sender sender(outbox, signer, config);
  auto t2 = Clock::now();
  int delivered = 0;
  while (sender.sendNext() == SendResult::Delivered) ++delivered;
  double sendS = std::chrono::duration<double>(Clock::now() - t2).count();

  std::printf("results:                    %d (%zu-byte bodies)\n", n, body.size() + 60);
  std::printf("durable enqueues:           %.0f /s (%.2f ms each, fsync per commit)\n", n / enqueueS,
              1000 * enqueueS / n);
  std::printf("ECDSA P-256 signatures:     %.0f /s\n", signs / signS);
  std::printf("delivered to portti-casesim: %d in %.2f s = %.0f results/s (one in flight, keep-alive)\n",
              delivered, sendS, delivered / sendS);
  std::printf("dead letters:               %zu, left pending: %lld\n", outbox.deadLetters().size(),
              static_cast<long long>(outbox.depth()));
  return delivered == n ? 0 : 1;
}
