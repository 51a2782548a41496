// Walks the audit log from the first record: each must carry the next sequence number, name the
// previous record's hash as prev, hash to its own "hash", and (with a key) carry the right MAC.
#include "portti/firmware/audit_verify.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>

#include "audit_record.hpp"
#include "portti/mrtd/sm/crypto.hpp"

namespace portti::firmware {

const char* auditStatusName(AuditVerdict::Status s) {
  switch (s) {
    case AuditVerdict::Status::Intact:
      return "intact";
    case AuditVerdict::Status::Broken:
      return "broken";
    case AuditVerdict::Status::TornTail:
      return "torn tail";
    case AuditVerdict::Status::Truncated:
      return "truncated";
    case AuditVerdict::Status::Unreadable:
      return "unreadable";
  }
  return "?";
}

namespace {

// Why `line` does not continue the chain after `prev` / `seq`; empty when it does.
std::string checkRecord(const std::string& line, const std::string& prev, std::uint64_t seq,
                        const std::optional<mrtd::SecretBytes>& key, bool& tornTailEvent) {
  const auto split = audit::splitRecord(line);
  if (!split) return "not an audit record (no hash trailer)";
  Poco::JSON::Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return "not an audit record (not a JSON object)";
  }
  if (!o->has("seq") || !o->has("prev") || !o->has("event"))
    return "not an audit record (seq, prev or event missing)";
  const auto gotSeq = o->get("seq");
  if (!gotSeq.isInteger() || gotSeq.convert<std::uint64_t>() != seq) {
    return "sequence number " + gotSeq.toString() + " where " + std::to_string(seq) +
           " belongs (a record deleted, inserted or reordered)";
  }
  if (o->getValue<std::string>("prev") != prev) {
    return "prev is not the previous record's hash (a record deleted, inserted or reordered)";
  }
  if (audit::chainHash(prev, split->body) != split->hash)
    return "the hash does not match the record (edited)";
  if (key) {
    if (!split->mac) return "no MAC, but the log is checked with a key";
    const std::string expected = audit::chainMac(key->view(), split->hash);
    if (!mrtd::crypto::equalConstantTime(mrtd::fromHex(expected), mrtd::fromHex(*split->mac))) {
      return "the MAC does not match (rewritten without the kiosk key, or another key)";
    }
  }
  tornTailEvent = o->getValue<std::string>("event") == "torn_tail";
  return "";
}

}  // namespace

AuditVerdict verifyAuditLog(const std::filesystem::path& path, const std::optional<mrtd::SecretBytes>& macKey,
                            const std::vector<AuditAnchor>& anchors) {
  AuditVerdict v;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    v.reason = "cannot open " + path.string();
    return v;
  }
  std::string prev = audit::genesisHash();
  std::string line;
  std::uint64_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    const bool whole = !in.eof();  // getline stopped at a newline, not at the end of the file
    if (!whole) {
      v.status = AuditVerdict::Status::TornTail;
      v.brokenLine = lineNo;
      v.reason = "the last line is incomplete (" + std::to_string(line.size()) +
                 " bytes without a newline: a crash during a write, or an append outside the log)";
      return v;
    }
    bool tornEvent = false;
    const std::string why =
        line.empty() ? "an empty line" : checkRecord(line, prev, v.records + 1, macKey, tornEvent);
    if (!why.empty()) {
      v.status = AuditVerdict::Status::Broken;
      v.brokenLine = lineNo;
      v.reason = why;
      return v;
    }
    const std::string hash = audit::splitRecord(line)->hash;
    for (const auto& a : anchors) {
      if (a.seq == v.records + 1 && a.hash != hash) {
        v.status = AuditVerdict::Status::Broken;
        v.brokenLine = lineNo;
        v.reason = "record " + std::to_string(a.seq) +
                   " is not the one a signed result names (the log was rewritten, or is another kiosk's)";
        return v;
      }
    }
    prev = hash;
    ++v.records;
    v.verifiedBytes += line.size() + 1;
    v.head = prev;
    if (tornEvent) ++v.tornTailsRecovered;
  }
  if (in.bad()) {
    v.status = AuditVerdict::Status::Unreadable;
    v.reason = "read error in " + path.string();
    return v;
  }
  v.macsChecked = macKey.has_value();
  std::uint64_t furthest = 0;
  for (const auto& a : anchors) furthest = std::max(furthest, a.seq);
  if (furthest > v.records) {
    v.status = AuditVerdict::Status::Truncated;
    v.brokenLine = lineNo + 1;
    v.reason = "the log ends at record " + std::to_string(v.records) + " but a signed result names record " +
               std::to_string(furthest) + " (records were cut off the end)";
    return v;
  }
  v.status = AuditVerdict::Status::Intact;
  return v;
}

}  // namespace portti::firmware
