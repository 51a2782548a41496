// portti audit verify FILE [--key KEYFILE] [--json]: checks an audit log's hash chain (and, with the
// kiosk's MAC key, every record's HMAC) and names the first broken record. Exit 0 when intact,
// 1 when broken or when the last line is torn.
#include <Poco/JSON/Object.h>

#include <iostream>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "portti/firmware/audit_verify.hpp"

namespace portti::cli {

namespace {

void printText(const std::string& path, const firmware::AuditVerdict& v) {
  using S = firmware::AuditVerdict::Status;
  std::cout << path << ": " << firmware::auditStatusName(v.status);
  if (v.status == S::Intact) {
    std::cout << ", " << v.records << " records, head " << (v.head.empty() ? "(none)" : v.head)
              << (v.macsChecked ? ", MACs checked" : ", MACs not checked (no --key)");
    if (v.tornTailsRecovered) std::cout << ", " << v.tornTailsRecovered << " torn tail(s) recovered earlier";
  } else {
    std::cout << " at line " << v.brokenLine << ": " << v.reason << "; " << v.records
              << " records before it verify";
  }
  std::cout << "\n";
}

void printJson(const firmware::AuditVerdict& v) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("status", firmware::auditStatusName(v.status));
  o.set("records", v.records);
  o.set("head", v.head);
  o.set("macs_checked", v.macsChecked);
  o.set("torn_tails_recovered", v.tornTailsRecovered);
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
  const auto v = firmware::verifyAuditLog(pos[1], key);
  if (v.status == firmware::AuditVerdict::Status::Unreadable) throw std::runtime_error(v.reason);
  if (args.flag("json")) {
    printJson(v);
  } else {
    printText(pos[1], v);
  }
  return v.ok() ? 0 : 1;
}

}  // namespace portti::cli
