// Verifies an audit log's chain (format in audit_log.hpp) and reports the first broken record; with
// the anchors of signed results ({seq, hash} of their decision records), also that the log still
// reaches them: records cut off the end leave an intact-looking chain, but not the result's record.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <vector>

#include "portti/firmware/audit_log.hpp"
#include "portti/mrtd/bytes.hpp"

namespace portti::firmware {

struct AuditVerdict {
  enum class Status {
    Intact,      ///< every record chains; the file ends with a whole line
    Broken,      ///< a record was edited, deleted, reordered, or is not a record
    TornTail,    ///< the records chain but the last line is incomplete (a crash during a write)
    Truncated,   ///< the records chain but end before a record that a signed result names
    Unreadable,  ///< the file cannot be read
  };
  Status status = Status::Unreadable;
  std::uint64_t records = 0;             ///< whole records that verified, from the start
  std::uint64_t brokenLine = 0;          ///< Broken / TornTail / Truncated: the 1-based line
  std::string reason;                    ///< why that line failed
  std::string head;                      ///< hash of the last verified record (hex; empty if none)
  std::uintmax_t verifiedBytes = 0;      ///< bytes up to and including the last verified line
  bool macsChecked = false;              ///< a key was given and every verified record's MAC matched
  std::uint64_t tornTailsRecovered = 0;  ///< "torn_tail" events in the chain (earlier crashes)
  bool ok() const { return status == Status::Intact; }
};

/// "intact", "broken", "torn tail", "truncated", "unreadable".
const char* auditStatusName(AuditVerdict::Status s);

/// Reads the whole log. With `macKey`, every record must carry a MAC made with that key. Every
/// anchor must be in the chain: a record with that seq and hash. A record with that seq but another
/// hash is Broken (the log was rewritten, or is another kiosk's); a log that ends before the seq is
/// Truncated (brokenLine: the line where the record should be).
AuditVerdict verifyAuditLog(const std::filesystem::path& path,
                            const std::optional<mrtd::SecretBytes>& macKey = std::nullopt,
                            const std::vector<AuditAnchor>& anchors = {});

}  // namespace portti::firmware
