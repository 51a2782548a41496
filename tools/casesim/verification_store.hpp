// The case system's store of received verification results (SQLite, durable), deduplicated by
// idempotency key: one key is one row, forever.
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

namespace portti::casesim {

struct StoredVerification {
  std::string id;  ///< random, assigned here; the only handle a reader gets
  std::string idempotencyKey;
  std::string kioskId;
  std::string caseRef;
  std::string body;
  std::int64_t receivedAtMs = 0;
};

enum class PutOutcome {
  Created,    ///< a new row
  Duplicate,  ///< same key and same content: the original row
  Conflict,   ///< same key, different content: refused
};

struct PutResult {
  PutOutcome outcome;
  std::string id;
};

class VerificationStore {
 public:
  explicit VerificationStore(const std::string& path);
  ~VerificationStore();

  PutResult put(const std::string& idempotencyKey, const std::string& kioskId,
                const std::string& caseRef, const std::string& body);
  std::optional<StoredVerification> get(const std::string& id);
  std::vector<StoredVerification> byCase(const std::string& caseRef);

 private:
  std::mutex mutex_;
  std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace portti::casesim
