// portti-delivery-harness: the delivery half of a kiosk and nothing else (outbox + signer +
// sender), for the kill -9 rounds of tests/firmware and bench/chaos. Enqueues results
// PREFIX-00000 .. PREFIX-(COUNT-1) that are not in the outbox yet while the sender runs, and exits
// 0 once all are delivered (3 if any went to the dead letters). Safe to kill at any moment.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "portti/firmware/outbox.hpp"
#include "portti/firmware/sender.hpp"

using namespace portti::firmware;

int main(int argc, char** argv) {
  std::string outboxPath, pki, prefix = "tx", kiosk = "kiosk-1";
  int port = 0, count = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--outbox")
      outboxPath = value;
    else if (flag == "--pki")
      pki = value;
    else if (flag == "--port")
      port = std::stoi(value);
    else if (flag == "--count")
      count = std::stoi(value);
    else if (flag == "--prefix")
      prefix = value;
    else if (flag == "--kiosk")
      kiosk = value;
  }
  if (outboxPath.empty() || pki.empty() || port <= 0 || count <= 0) {
    std::cerr << "usage: portti-delivery-harness --outbox DB --pki DIR --port N --count N"
                 " [--prefix P] [--kiosk ID]\n";
    return 2;
  }
  try {
    Outbox outbox(outboxPath);
    SenderConfig config;
    config.port = port;
    config.caFile = pki + "/ca.pem";
    config.certificateFile = pki + "/kiosk.pem";
    config.privateKeyFile = pki + "/kiosk.key";
    config.initialBackoff = std::chrono::milliseconds(20);
    config.maxBackoff = std::chrono::milliseconds(200);
    config.idlePoll = std::chrono::milliseconds(10);
    Sender sender(outbox, ResultSigner::fromPemFile(pki + "/device.key"), config);
    auto idOf = [&](int i) {
      char id[96];
      std::snprintf(id, sizeof id, "%s-%05d", prefix.c_str(), i);
      return std::string(id);
    };
    // Results are enqueued in index order, one atomic row each, so the stored ones are a prefix:
    // find where it ends by bisection instead of looking up every id on each restart.
    int lo = 0, hi = count;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (outbox.find(idOf(mid)))
        lo = mid + 1;
      else
        hi = mid;
    }
    sender.start();
    for (int i = lo; i < count; ++i) {
      std::string id = idOf(i);
      std::string body = "{\"transaction_id\":\"" + id + "\",\"kiosk_id\":\"" + kiosk +
                         "\",\"index\":" + std::to_string(i) + ",\"decision\":\"accept\"}";
      outbox.enqueue(id, body);
      sender.wake();
    }
    while (outbox.depth() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    sender.stop();
    return outbox.deadLetters().empty() ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "portti-delivery-harness: " << e.what() << "\n";
    return 1;
  }
}
