// The kiosk's durable outbox of verification results (SQLite through Poco::Data, WAL,
// synchronous=FULL): a result is on disk before enqueue() returns, so the gate may open.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace Poco::Data {
class Session;
}

namespace portti::firmware {

/// Where an entry is: waiting to be sent, accepted by the case system (2xx), or refused (4xx).
enum class OutboxState { Pending, Delivered, Dead };
const char* outboxStateName(OutboxState state);

struct OutboxEntry {
  std::int64_t seq = 0;       ///< enqueue order; the sender keeps it
  std::string transactionId;  ///< also the idempotency key
  std::string caseRef;        ///< service-point case; empty for e-gate results
  std::string body;           ///< the exact result document bytes
  OutboxState state = OutboxState::Pending;
  int attempts = 0;
  std::string reason;  ///< dead letters: why the case system refused it
  std::int64_t enqueuedAtMs = 0;
  int httpStatus = 0;      ///< dead letters: the refusing answer's HTTP status
  std::string reasonCode;  ///< dead letters: a short code for it (deadLetterReasonCode)
  std::int64_t updatedAtMs = 0;  ///< the last change (for a dead letter: when it was refused)
};

/// The reason code of a refusal: the answer's own `"code"` when it is a short snake_case word
/// (the case API's optional error code), else one named after the status ("unprocessable",
/// "conflict", ..., "http_418"). Holds nothing of the answer's free text.
std::string deadLetterReasonCode(int httpStatus, const std::string& responseBody);

struct OutboxOptions {
  /// SQLite max_page_count; 0 = unlimited. Caps the file so "disk full" can be shown in tests.
  std::int64_t maxPages = 0;
};

/// One outbox per kiosk; entries are sent in enqueue order. Thread-safe.
class Outbox {
 public:
  /// Opens or creates the database; throws DeliveryError("outbox open", ...) naming the file.
  explicit Outbox(const std::string& path, OutboxOptions options = {});
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  /// Stores a result durably (committed, fsynced) and returns its sequence number. Throws
  /// DeliveryError("outbox enqueue", ...) when it cannot (disk full, duplicate transaction id);
  /// then nothing of it is stored.
  std::int64_t enqueue(const std::string& transactionId, const std::string& body,
                       const std::string& caseRef = {});

  /// The oldest pending entry, if any.
  std::optional<OutboxEntry> nextPending();
  void markDelivered(std::int64_t seq);
  void markDead(std::int64_t seq, const std::string& reason, int httpStatus = 0,
                const std::string& reasonCode = {});
  /// A technician's retry: the dead letter goes back to pending with its sequence number and
  /// transaction id (the idempotency key) unchanged, so it is sent again before every entry
  /// enqueued after it (the outbox's order) and the case system still deduplicates it. Returns
  /// the entry as it was (dead); nullopt when no dead letter has that id.
  std::optional<OutboxEntry> retryDead(const std::string& transactionId);
  /// Counts a failed attempt that will be retried (5xx, network).
  void recordAttempt(std::int64_t seq);

  /// Pending entries (for diagnostics).
  std::int64_t depth();
  /// Refused entries, oldest first, with their reasons (for diagnostics).
  std::vector<OutboxEntry> deadLetters();
  std::optional<OutboxEntry> find(const std::string& transactionId);

 private:
  void setState(std::int64_t seq, OutboxState state, const std::string& reason);
  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace portti::firmware
