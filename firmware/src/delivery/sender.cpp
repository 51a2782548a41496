#include "portti/firmware/sender.hpp"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <filesystem>
#include <random>

#include "portti/firmware/delivery_error.hpp"
#include "portti/firmware/outbox.hpp"

namespace portti::firmware {
namespace {

void requireFile(const std::string& what, const std::string& path) {
  if (path.empty()) throw DeliveryError("sender config", what + " is not configured");
  if (!std::filesystem::is_regular_file(path))
    throw DeliveryError("sender config", what + " " + path + " is not a readable file");
}

// The client certificate must be valid now: an expired one would only fail at the server,
// over and over, while results pile up.
void requireCurrentCertificate(const std::string& path) {
  try {
    Poco::Crypto::X509Certificate cert(path);
    Poco::DateTime now;
    if (cert.expiresOn() < now)
      throw DeliveryError(
          "TLS client certificate",
          path + " expired on " +
              Poco::DateTimeFormatter::format(cert.expiresOn(), Poco::DateTimeFormat::ISO8601_FORMAT));
    if (now < cert.validFrom()) throw DeliveryError("TLS client certificate", path + " is not valid yet");
  } catch (const Poco::Exception& e) {
    throw DeliveryError("TLS client certificate", path + ": " + e.displayText());
  }
}

std::string pathFor(const OutboxEntry& e) {
  if (e.caseRef.empty()) return "/api/v1/verifications";
  std::string ref;
  Poco::URI::encode(e.caseRef, "/?#[]@!$&'()*+,;=%", ref);
  return "/api/v1/cases/" + ref + "/verifications";
}

bool retryable(int status) {
  return status >= 500 || status == 408 || status == 429;
}

}  // namespace

Sender::Sender(Outbox& outbox, ResultSigner signer, SenderConfig config)
    : outbox_(outbox), signer_(std::move(signer)), config_(std::move(config)) {
  requireFile("CA file", config_.caFile);
  requireFile("client certificate", config_.certificateFile);
  requireFile("client key", config_.privateKeyFile);
  requireCurrentCertificate(config_.certificateFile);
  static std::once_flag ssl;
  std::call_once(ssl, [] { Poco::Net::initializeSSL(); });
  try {
    // Pinned CA: only caFile verifies the server (no system CAs); VERIFY_STRICT plus Poco's
    // extended verification checks the certificate chain and that it names config_.host.
    context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, config_.privateKeyFile,
                                      config_.certificateFile, config_.caFile,
                                      Poco::Net::Context::VERIFY_STRICT, 4, false);
    context_->enableExtendedCertificateVerification(true);
    context_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  } catch (const Poco::Exception& e) {
    throw DeliveryError("TLS client context", e.displayText());
  }
}

Sender::~Sender() {
  stop();
}

void Sender::resetSession() {
  session_ = std::make_unique<Poco::Net::HTTPSClientSession>(
      config_.host, static_cast<Poco::UInt16>(config_.port), context_);
  session_->setTimeout(Poco::Timespan(config_.requestTimeout.count() * 1000));
  session_->setKeepAlive(true);
}

SendResult Sender::sendNext() {
  auto entry = outbox_.nextPending();
  if (!entry) return SendResult::Idle;
  int status = 0;
  std::string responseBody;
  try {
    if (!session_) resetSession();
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, pathFor(*entry),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(entry->body.size()));
    request.set("Idempotency-Key", entry->transactionId);
    request.set("Portti-Signature", signer_.sign(entry->body));
    request.set("Portti-Signature-Alg", std::string(kResultSignatureAlg));
    session_->sendRequest(request) << entry->body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    Poco::StreamCopier::copyToString(in, responseBody);
    status = response.getStatus();
  } catch (const Poco::Exception& e) {
    session_.reset();  // a fresh connection (and handshake) next time
    outbox_.recordAttempt(entry->seq);
    std::lock_guard lock(mutex_);
    lastError_ =
        "delivery to " + config_.host + ":" + std::to_string(config_.port) + " failed: " + e.displayText();
    return SendResult::Retry;
  }
  std::string summary = "HTTP " + std::to_string(status) + ": " + responseBody.substr(0, 200);
  if (status >= 200 && status < 300) {
    outbox_.markDelivered(entry->seq);
    std::lock_guard lock(mutex_);
    lastError_.clear();
    ++delivered_;
    return SendResult::Delivered;
  }
  outbox_.recordAttempt(entry->seq);
  if (retryable(status)) {
    std::lock_guard lock(mutex_);
    lastError_ = "case system answered " + summary;
    return SendResult::Retry;
  }
  // Any other answer (4xx, or a 1xx/3xx we never expect) is a refusal that retrying cannot fix.
  outbox_.markDead(entry->seq, summary, status, deadLetterReasonCode(status, responseBody));
  std::lock_guard lock(mutex_);
  lastError_ = "case system refused transaction " + entry->transactionId + ": " + summary;
  return SendResult::Dead;
}

std::chrono::milliseconds Sender::nextBackoff(int failures) {
  // Exponential backoff with "equal jitter": half fixed, half random, so kiosks that lost the
  // case system together do not come back in lockstep.
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto cap = config_.maxBackoff.count();
  long long base = config_.initialBackoff.count();
  for (int i = 1; i < failures && base < cap; ++i) base *= 2;
  base = std::min<long long>(base, cap);
  std::uniform_int_distribution<long long> jitter(0, base / 2);
  return std::chrono::milliseconds(base - base / 2 + jitter(rng));
}

void Sender::run() {
  int failures = 0;
  for (;;) {
    SendResult result;
    try {
      result = sendNext();
    } catch (const std::exception& e) {  // the outbox itself failed; keep trying, say why
      std::lock_guard lock(mutex_);
      lastError_ = e.what();
      result = SendResult::Retry;
    }
    std::chrono::milliseconds wait{0};
    if (result == SendResult::Retry) {
      wait = nextBackoff(++failures);
    } else {
      failures = 0;
      if (result == SendResult::Idle) wait = config_.idlePoll;
    }
    std::unique_lock lock(mutex_);
    if (wait.count() > 0) cv_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

void Sender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

std::string Sender::lastError() const {
  std::lock_guard lock(mutex_);
  return lastError_;
}

std::uint64_t Sender::deliveredCount() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

}  // namespace portti::firmware
