// The audit log: an append-only file of JSON records, one a line, chained by SHA-256 so an edited,
// deleted or reordered record breaks the chain (audit_verify.hpp checks it). With a kiosk key each
// record also carries an HMAC, so only the key holder can write a chain that verifies.
//
// Record:
// {"seq":N,"time":"...Z","kiosk":"K","event":"E","fields":{...},"prev":"<hex>","hash":"<hex>"[,"mac":"<hex>"]}
//   hash = SHA-256(prev hash bytes || the line's bytes before ,"hash":)   (prev of seq 1: 32 zero bytes)
//   mac  = HMAC-SHA256(key, hash bytes)
// No personal data in clear: fields named like personal data (names, document number, birth date,
// MRZ, images) are refused; a document number goes in only as a keyed pseudonym (Pseudonymizer).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "portti/mrtd/bytes.hpp"

namespace portti::firmware {

/// Why the audit log cannot be opened or written; the message names the file and the cause.
struct AuditError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One record's place in the chain: its sequence number and hash (hex). A signed result carries
/// the anchor of its decision record, so a log cut off before that record is noticed.
struct AuditAnchor {
  std::uint64_t seq = 0;
  std::string hash;
};

class AuditLog {
 public:
  struct Options {
    std::string kioskId;
    std::optional<mrtd::SecretBytes> macKey;  ///< at least 16 bytes; every record then has a MAC
  };

  /// Opens or creates the log (mode 0600) and locks it against a second writer. The existing chain
  /// is verified first: a broken one throws (nothing is appended after tampering); a torn last
  /// line (a crash during a write) is cut off and the first new record, event "torn_tail", records
  /// its length and SHA-256, so the loss stays visible in the chain.
  AuditLog(std::filesystem::path path, Options options);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  /// Appends one record and fsyncs it before returning; returns its anchor. `event` is a
  /// lower-case name (`decision`, `rules_reloaded`, `gate_opened`). Throws AuditError when a field
  /// is personal data or the write fails (the file is cut back to the last whole record).
  AuditAnchor append(const std::string& event, const Poco::JSON::Object& fields);

  /// The hash of the last record (the chain's head, hex) and the next sequence number: a result
  /// that carries the head anchors the log, so cutting records off its end is noticed too.
  std::string head() const;
  std::uint64_t nextSeq() const;

 private:
  AuditAnchor appendLocked(const std::string& event, const Poco::JSON::Object& fields);

  std::filesystem::path path_;
  Options options_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::string head_;
  std::uint64_t nextSeq_ = 1;
};

}  // namespace portti::firmware
