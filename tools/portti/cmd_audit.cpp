// portti audit verify FILE [--key KEYFILE] [--result RESULT.json]... [--json]: checks an audit log's
// hash chain (and, with the kiosk's MAC key, every record's HMAC) and names the first broken record.
// Each --result (a signed result, or the case system's record holding one) names its decision
// record ("audit": {seq, hash}): the log must still hold that very record, so records cut off the
// end are reported as truncated. Exit 0 when intact, 1 when broken, truncated or the last line is torn.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <iostream>
#include <stdexcept>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "portti/firmware/audit_verify.hpp"

namespace portti::cli {

namespace {

// The anchor a result carries: {"audit": {"seq", "hash"}} at the top, or under "result" (the form
// portti-casesim answers with).
firmware::AuditAnchor anchorOf(const std::string& path) {
  const mrtd::Bytes bytes = readFile(path);
  Poco::JSON::Object::Ptr doc;
  try {
    doc = Poco::JSON::Parser()
              .parse(std::string(bytes.begin(), bytes.end()))
              .extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    throw std::runtime_error(path + ": not a JSON object");
  }
  if (!doc->has("audit") && doc->getObject("result")) doc = doc->getObject("result");
  const auto audit = doc->getObject("audit");
  if (!audit || !audit->has("seq") || !audit->has("hash"))
    throw std::runtime_error(path + ": the result carries no audit anchor (\"audit\": {\"seq\", \"hash\"})");
  firmware::AuditAnchor a;
  try {
    a.seq = audit->getValue<std::uint64_t>("seq");
    a.hash = audit->getValue<std::string>("hash");
  } catch (const std::exception&) {
    throw std::runtime_error(path + ": audit.seq must be a number and audit.hash a string");
  }
  if (a.seq == 0) throw std::runtime_error(path + ": audit.seq starts at 1");
  return a;
}

void printText(const std::string& path, const firmware::AuditVerdict& v, std::size_t anchors) {
  using S = firmware::AuditVerdict::Status;
  std::cout << path << ": " << firmware::auditStatusName(v.status);
  if (v.status == S::Intact) {
    std::cout << ", " << v.records << " records, head " << (v.head.empty() ? "(none)" : v.head)
              << (v.macsChecked ? ", MACs checked" : ", MACs not checked (no --key)");
    if (v.tornTailsRecovered) std::cout << ", " << v.tornTailsRecovered << " torn tail(s) recovered earlier";
    if (anchors) std::cout << ", reaches the record of " << anchors << " signed result(s)";
  } else {
    std::cout << " at line " << v.brokenLine << ": " << v.reason << "; " << v.records
              << " records before it verify";
  }
  std::cout << "\n";
}

void printJson(const firmware::AuditVerdict& v, std::size_t anchors) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("status", firmware::auditStatusName(v.status));
  o.set("records", v.records);
  o.set("head", v.head);
  o.set("macs_checked", v.macsChecked);
  o.set("torn_tails_recovered", v.tornTailsRecovered);
  o.set("results_checked", anchors);
  if (!v.ok()) {
    o.set("line", v.brokenLine);
    o.set("reason", v.reason);
  }
  o.stringify(std::cout, 2);
  std::cout << "\n";
}

}  // namespace

int runAudit(const Words& words) {
  Args args(words, {"json"});
  const auto& pos = args.positional();
  if (pos.size() != 2 || pos[0] != "verify") throw UsageError("expected 'audit verify FILE'");
  std::optional<mrtd::SecretBytes> key;
  if (auto k = args.get("key")) key = mrtd::SecretBytes(readFile(*k));
  std::vector<firmware::AuditAnchor> anchors;
  for (const auto& r : args.all("result")) anchors.push_back(anchorOf(r));
  const auto v = firmware::verifyAuditLog(pos[1], key, anchors);
  if (v.status == firmware::AuditVerdict::Status::Unreadable) throw std::runtime_error(v.reason);
  if (args.flag("json")) {
    printJson(v, anchors.size());
  } else {
    printText(pos[1], v, anchors.size());
  }
  return v.ok() ? 0 : 1;
}

}  // namespace portti::cli
