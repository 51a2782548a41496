// bench_delivery [N]: durable enqueues per second (SQLite WAL, synchronous=FULL) and signed
// results per second delivered to portti-casesim over mutual-TLS HTTPS (one in flight, each
// stored durably at both ends), on this machine's disk.
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

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

namespace {

// Mean time of GETs of `path` by kiosk-2 over one keep-alive connection, and the last status.
std::pair<double, int> meanGetMicros(int port, const std::string& pki, const std::string& path, int n) {
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, pki + "/kiosk2.key", pki + "/kiosk2.pem",
                             pki + "/ca.pem", Poco::Net::Context::VERIFY_STRICT, 4, false);
  Poco::Net::HTTPSClientSession session("localhost", static_cast<Poco::UInt16>(port), context);
  session.setKeepAlive(true);
  int status = 0;
  auto t = Clock::now();
  for (int i = -1; i < n; ++i) {  // request -1 makes the connection, untimed
    if (i == 0) t = Clock::now();
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    status = response.getStatus();
  }
  return {1e6 * std::chrono::duration<double>(Clock::now() - t).count() / n, status};
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 500;
  portti::test::TempDir dir;
  const std::string pki = portti::test::pki("");
  portti::test::CaseSim casesim(dir.path.string(), pki, {.readsPerMinute = 100000});
  Outbox outbox(dir / "outbox.sqlite");
  auto signer = ResultSigner::fromPemFile(pki + "/device.key");

  std::string body(1500, ' ');  // about the size of a result with a rule trace
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    std::string id = "bench-" + std::to_string(i);
    outbox.enqueue(id, "{\"transaction_id\":\"" + id + "\",\"kiosk_id\":\"kiosk-1\",\"pad\":\"" + body + "\"}");
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

  // A kiosk-1 result's id, read by kiosk-2 (forbidden), against an id that does not exist.
  std::string forbiddenId;
  {
    auto session = openDurableSqlite(casesim.database());
    using namespace Poco::Data::Keywords;
    *session << "SELECT id FROM verifications LIMIT 1", into(forbiddenId), now;
  }
  // Alternate short runs so the machine's load drifts over both alike.
  double forbiddenUs = 0, unknownUs = 0;
  int forbiddenStatus = 0, unknownStatus = 0;
  const int runs = 8, reads = 20;
  for (int r = 0; r < runs; ++r) {
    auto f = meanGetMicros(casesim.port(), pki, "/api/v1/verifications/" + forbiddenId, reads);
    auto u = meanGetMicros(casesim.port(), pki, "/api/v1/verifications/" + std::string(32, '0'), reads);
    forbiddenUs += f.first / runs;
    unknownUs += u.first / runs;
    forbiddenStatus = f.second;
    unknownStatus = u.second;
  }
  std::printf("GET forbidden id:           HTTP %d, %.0f us mean\n", forbiddenStatus, forbiddenUs);
  std::printf("GET unknown id:             HTTP %d, %.0f us mean (ratio unknown/forbidden %.2f)\n",
              unknownStatus, unknownUs, unknownUs / forbiddenUs);
  return delivered == n ? 0 : 1;
}
