// Delivers the outbox to the case system: HTTPS with mutual TLS (client certificate, pinned CA,
// hostname check), Idempotency-Key = transaction id, one request in flight, entries in order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "portti/firmware/result_signer.hpp"

#include <Poco/Net/Context.h>

namespace Poco::Net {
class HTTPSClientSession;
}

namespace portti::firmware {

class Outbox;

struct SenderConfig {
  std::string host = "localhost";  ///< must match the server certificate
  int port = 8443;
  std::string caFile;           ///< the only CA that may vouch for the server (pinned)
  std::string certificateFile;  ///< the kiosk's TLS client certificate (PEM)
  std::string privateKeyFile;   ///< its key (PEM, unencrypted)
  std::chrono::milliseconds initialBackoff{250};
  std::chrono::milliseconds maxBackoff{30000};
  std::chrono::milliseconds requestTimeout{10000};
  std::chrono::milliseconds idlePoll{500};  ///< how often an idle sender looks at the outbox
};

/// What one attempt did.
enum class SendResult {
  Idle,       ///< nothing pending
  Delivered,  ///< 2xx: marked delivered
  Dead,       ///< 4xx: moved to the dead letters with the reason
  Retry,      ///< 5xx, 408, 429 or a network/TLS failure: stays pending
};

class Sender {
 public:
  /// Checks the configuration now, so a broken one fails at start-up with a clear error
  /// (DeliveryError: missing file, expired client certificate, bad key).
  Sender(Outbox& outbox, ResultSigner signer, SenderConfig config);
  ~Sender();  ///< stops the thread
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  /// One attempt at the oldest pending entry (the thread's step; tests call it directly).
  SendResult sendNext();

  /// Runs sendNext in a thread: backoff with jitter after Retry, idle polling when empty.
  void start();
  /// Stops the thread; an attempt in progress finishes first (bounded by requestTimeout).
  void stop();
  /// Asks an idle or backing-off thread to look at the outbox now (after an enqueue).
  void wake();

  /// The last failure, for diagnostics ("" after a success). Holds no personal data.
  std::string lastError() const;
  std::uint64_t deliveredCount() const;

 private:
  void run();
  std::chrono::milliseconds nextBackoff(int failures);
  void resetSession();

  Outbox& outbox_;
  ResultSigner signer_;
  SenderConfig config_;
  Poco::Net::Context::Ptr context_;
  std::unique_ptr<Poco::Net::HTTPSClientSession> session_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::string lastError_;
  std::uint64_t delivered_ = 0;
  std::thread thread_;
};

}  // namespace portti::firmware
