// portti pa: Passive Authentication of an EF.SOD (ICAO Doc 9303-11 5.1) and the data groups given,
// against the trust the operator names. Exit 0 when valid, 1 when invalid or indeterminate.
#include <Poco/JSON/Stringifier.h>

#include <ctime>
#include <iostream>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "pa_json.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"

namespace portti::cli {

namespace {
// --dg 1=DG1.bin (also DG1=..., dg2=...)
std::pair<int, std::string> dgArgument(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos) throw UsageError("--dg wants N=FILE, got " + arg);
  std::string n = arg.substr(0, eq);
  if (n.size() > 2 && (n[0] == 'D' || n[0] == 'd') && (n[1] == 'G' || n[1] == 'g')) n = n.substr(2);
  int number = 0;
  try {
    number = std::stoi(n);
  } catch (const std::exception&) {
    throw UsageError("--dg wants N=FILE, got " + arg);
  }
  if (number < 1 || number > 16) throw UsageError("data group number out of range 1..16: " + arg);
  return {number, arg.substr(eq + 1)};
}
}  // namespace

int runPa(const Words& words) {
  Args args(words, {"json"});
  mrtd::Bytes sod = readFile(args.require("sod"));
  std::map<int, mrtd::Bytes> dgs;
  for (const auto& d : args.all("dg")) {
    auto [n, path] = dgArgument(d);
    if (dgs.count(n)) throw UsageError("DG" + std::to_string(n) + " given twice");
    dgs[n] = readFile(path);
  }
  mrtd::pki::TrustStore trust = trustFromArgs(args);
  mrtd::pki::PassiveAuthResult r = mrtd::pki::verifyPassive(sod, dgs, trust, paOptionsFromArgs(args));
  if (args.flag("json")) {
    Poco::JSON::Stringifier::stringify(paJson(r), std::cout, 2);
    std::cout << "\n";
  } else {
    using mrtd::pki::toString;
    std::cout << "passive authentication: " << toString(r.status) << "\n"
              << "  signature " << toString(r.signature) << ", hashes " << toString(r.hashes) << ", chain "
              << toString(r.chain) << ", revocation " << toString(r.revocation) << ", trust source "
              << toString(r.trustSource) << "\n"
              << "  signer: " << r.signerSubject << "\n  csca:   " << r.cscaSubject << " (" << r.cscaSource << ")\n";
    for (const auto& [n, h] : r.dgHashes) std::cout << "  DG" << n << " " << r.digestAlgorithm << " " << mrtd::toHex(h) << "\n";
    for (const auto& t : r.tolerances) std::cout << "  tolerance: " << t << "\n";
    for (const auto& s : r.reasons) std::cout << "  reason: " << s << "\n";
    for (const auto& s : r.warnings) std::cout << "  warning: " << s << "\n";
    for (const auto& s : r.notes) std::cout << "  note: " << s << "\n";
  }
  return r.status == mrtd::pki::PaStatus::Valid ? 0 : 1;
}

}  // namespace portti::cli
