#include "portti/mrtd/protocol/inspection.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

#include "portti/mrtd/lds/data_group.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg11.hpp"
#include "portti/mrtd/lds/dg12.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/lds/ef_com.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/authenticity.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

using pki::CheckStatus;

const char* toString(VerdictStatus s) {
  switch (s) {
    case VerdictStatus::Valid: return "valid";
    case VerdictStatus::Invalid: return "invalid";
    case VerdictStatus::Indeterminate: return "indeterminate";
  }
  return "invalid";
}

const InspectionCheck* DocumentVerdict::check(std::string_view name) const {
  for (const InspectionCheck& c : checks)
    if (c.name == name) return &c;
  return nullptr;
}

namespace {

void failCheck(InspectionCheck& c, const std::string& code, const std::string& detail) {
  c.status = CheckStatus::Failed;
  c.codes.push_back(code);
  if (!c.detail.empty()) c.detail += "; ";
  c.detail += detail;
}

std::string dgPrefix(int n) { return "dg" + std::to_string(n); }

// The data group parsers, strict where the data matters to the inspection.
void parseDataGroup(int n, ByteView bytes) {
  switch (n) {
    case 1: parseDg1(bytes); break;
    case 2: parseDg2(bytes); break;
    case 11: parseDg11(bytes); break;
    case 12: parseDg12(bytes); break;
    case 14: parseDg14(bytes); break;
    case 15: parseDg15(bytes); break;
    default: break;  // no parser: the outer TLV is checked
  }
}

InspectionCheck ldsStructure(const DocumentRead& read) {
  InspectionCheck c{"lds_structure", CheckStatus::NotDone, {}, ""};
  bool any = false;
  for (const DocumentFile& f : read.files) {
    if (f.name == "EF.COM") {
      any = true;
      try {
        parseCom(f.bytes);
      } catch (const std::exception& e) {
        failCheck(c, "com.malformed", std::string("EF.COM: ") + e.what());
      }
      continue;
    }
    if (f.name.rfind("DG", 0) != 0) continue;
    any = true;
    const int n = std::stoi(f.name.substr(2));
    try {
      const Tlv top = decodeFirst(f.bytes);
      if (top.tag != dataGroupTag(n)) {
        failCheck(c, dgPrefix(n) + ".wrong-tag", f.name + " starts with tag " + toHex(Bytes{static_cast<std::uint8_t>(top.tag & 0xFF)}) +
                                                     ", expected " + toHex(Bytes{dataGroupTag(n)}));
        continue;
      }
      if (top.whole.size() != f.bytes.size()) {
        failCheck(c, dgPrefix(n) + ".wrong-length",
                  f.name + " length field covers " + std::to_string(top.whole.size()) + " of " +
                      std::to_string(f.bytes.size()) + " bytes");
        continue;
      }
      parseDataGroup(n, f.bytes);
    } catch (const std::exception& e) {
      failCheck(c, dgPrefix(n) + ".malformed", e.what());  // the parsers name the data group
    }
  }
  if (any && c.status == CheckStatus::NotDone) c.status = CheckStatus::Passed;
  return c;
}

bool needsEac(int dg) { return dg == 3 || dg == 4; }

InspectionCheck comVsSod(const DocumentRead& read, const pki::PassiveAuthResult& pa, std::vector<std::string>& notes) {
  InspectionCheck c{"com_vs_sod", CheckStatus::NotDone, {}, ""};
  if (!read.find("EF.COM")) {
    c.detail = "EF.COM not read";
    return c;
  }
  if (pa.dgHashes.empty()) {
    c.detail = "the SOD's data group list is unknown (EF.SOD not parsed)";
    return c;
  }
  const std::set<int> listed(read.listedDataGroups.begin(), read.listedDataGroups.end());
  std::set<int> inSod;
  for (const auto& [n, h] : pa.dgHashes) inSod.insert(n);
  for (int n : listed)
    if (!inSod.count(n)) failCheck(c, "com.dg-not-in-sod", dataGroupName(n) + " is listed in EF.COM but not in the SOD");
  for (int n : inSod)
    if (!listed.count(n)) failCheck(c, "sod.dg-not-in-com", dataGroupName(n) + " is in the SOD but not listed in EF.COM");
  for (const SkippedFile& s : read.notRead) {
    if (s.name.rfind("DG", 0) != 0) continue;
    const int n = std::stoi(s.name.substr(2));
    if (!listed.count(n)) continue;
    if (needsEac(n)) notes.push_back(s.name + " " + s.reason);
    else failCheck(c, "com.listed-dg-absent", s.name + " is listed in EF.COM but was not read: " + s.reason);
  }
  if (c.status == CheckStatus::NotDone) c.status = CheckStatus::Passed;
  return c;
}

InspectionCheck dg1VsMrz(const std::optional<Mrz>& dg1, const std::optional<Mrz>& access) {
  InspectionCheck c{"dg1_vs_mrz", CheckStatus::NotDone, {}, ""};
  if (!dg1) {
    c.detail = "DG1 not read or not parsed";
    return c;
  }
  if (!access) {
    c.detail = "no MRZ gave access (CAN)";
    return c;
  }
  // Personal data stays out of the detail: only which field differs.
  const std::pair<const char*, bool> fields[] = {
      {"document number", dg1->documentNumber == access->documentNumber},
      {"date of birth", dg1->dateOfBirth == access->dateOfBirth},
      {"date of expiry", dg1->dateOfExpiry == access->dateOfExpiry},
      {"the MRZ lines", dg1->lines == access->lines},
  };
  for (const auto& [name, same] : fields)
    if (!same) failCheck(c, "dg1.mrz-mismatch", std::string("DG1 and the access MRZ differ in ") + name);
  if (c.status == CheckStatus::NotDone) c.status = CheckStatus::Passed;
  return c;
}

InspectionCheck issuingState(const std::optional<Mrz>& dg1, const pki::PassiveAuthResult& pa) {
  InspectionCheck c{"issuing_state", CheckStatus::NotDone, {}, ""};
  if (!dg1) {
    c.detail = "DG1 not read or not parsed";
    return c;
  }
  if (pa.signerCountry.empty()) {
    c.detail = "no document signer country (signer not found or without countryName)";
    return c;
  }
  const auto alpha2 = alpha2OfIssuingState(dg1->issuingState);
  if (!alpha2) {
    c.codes.push_back("dg1.unknown-issuing-state");
    c.detail = "issuing State " + dg1->issuingState + " has no known ISO 3166 code";
    return c;
  }
  std::string dscCountry = pa.signerCountry;
  for (char& ch : dscCountry) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (*alpha2 != dscCountry)
    failCheck(c, "dsc.country-mismatch",
              "DG1 issuing State " + dg1->issuingState + " (" + *alpha2 + ") differs from the document signer's country " +
                  pa.signerCountry);
  else
    c.status = CheckStatus::Passed, c.detail = dg1->issuingState + " = " + dscCountry;
  return c;
}

InspectionCheck documentExpiry(const std::optional<Mrz>& dg1, std::time_t at) {
  InspectionCheck c{"document_expiry", CheckStatus::NotDone, {}, ""};
  if (!dg1) {
    c.detail = "DG1 not read or not parsed";
    return c;
  }
  const std::string& e = dg1->dateOfExpiry;
  if (e.size() != 6 || !std::all_of(e.begin(), e.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    c.detail = "date of expiry not given";
    return c;
  }
  // Expiry dates are 20YY: no document valid today expired in the 1900s.
  const std::string iso = "20" + e.substr(0, 2) + "-" + e.substr(2, 2) + "-" + e.substr(4, 2);
  std::time_t endOfDay = 0;
  try {
    endOfDay = pki::parseDate(iso) + 86400;
  } catch (const std::exception&) {
    c.detail = "date of expiry " + iso + " is not a date";
    return c;
  }
  if (at >= endOfDay) failCheck(c, "doc.expired", "the document expired on " + iso);
  else c.status = CheckStatus::Passed, c.detail = "valid until " + iso;
  return c;
}

// Chip / Active Authentication as the read did them, counted only on top of PA (authenticity.hpp).
InspectionCheck authenticityCheck(const char* name, AuthStatus status, const std::string& reason, const char* code) {
  InspectionCheck c{name, CheckStatus::NotDone, {}, ""};
  switch (status) {
    case AuthStatus::Passed: c.status = CheckStatus::Passed; break;
    case AuthStatus::Failed: failCheck(c, code, reason.empty() ? "the chip did not prove its key" : reason); break;
    case AuthStatus::NotSupported: c.detail = "not supported: " + reason; break;
    case AuthStatus::NotDone: c.detail = reason; break;
  }
  return c;
}

InspectionCheck passiveAuthCheck(const pki::PassiveAuthResult& pa) {
  InspectionCheck c{"passive_auth", CheckStatus::NotDone, pa.codes, ""};
  for (const auto& r : pa.reasons) c.detail += (c.detail.empty() ? "" : "; ") + r;
  if (pa.status == pki::PaStatus::Valid) c.status = CheckStatus::Passed;
  else if (pa.status == pki::PaStatus::Invalid) c.status = CheckStatus::Failed;
  return c;  // indeterminate: not done, with trust.no-csca
}

}  // namespace

DocumentVerdict inspectDocument(const DocumentRead& read, const pki::TrustStore& trust, const InspectionContext& context) {
  DocumentVerdict v;
  const std::time_t at = context.options.at ? *context.options.at : std::time(nullptr);
  std::map<int, Bytes> dataGroups;
  for (const DocumentFile& f : read.files)
    if (f.name.rfind("DG", 0) == 0) dataGroups[std::stoi(f.name.substr(2))] = f.bytes;
  if (const DocumentFile* sod = read.find("EF.SOD")) {
    v.passiveAuth = pki::verifyPassive(sod->bytes, dataGroups, trust, context.options);
  } else {
    v.passiveAuth.codes.push_back("sod.missing");
    v.passiveAuth.reasons.push_back("EF.SOD not read");
  }
  std::optional<Mrz> dg1;
  if (auto it = dataGroups.find(1); it != dataGroups.end()) {
    try {
      dg1 = parseDg1(it->second);
    } catch (const std::exception&) {
      // lds_structure names it
    }
  }
  v.checks.push_back(passiveAuthCheck(v.passiveAuth));
  v.checks.push_back(ldsStructure(read));
  v.checks.push_back(comVsSod(read, v.passiveAuth, v.notes));
  v.checks.push_back(dg1VsMrz(dg1, context.accessMrz));
  v.checks.push_back(issuingState(dg1, v.passiveAuth));
  v.checks.push_back(documentExpiry(dg1, at));
  ChipAuthResult chipAuth = read.chipAuth;
  ActiveAuthResult activeAuth = read.activeAuth;
  requirePassiveAuthentication(chipAuth, activeAuth, v.passiveAuth);
  v.checks.push_back(authenticityCheck("chip_auth", chipAuth.status, chipAuth.reason, "ca.failed"));
  v.checks.push_back(authenticityCheck("active_auth", activeAuth.status, activeAuth.reason, "aa.failed"));
  for (const InspectionCheck& c : v.checks)
    if (c.status == CheckStatus::Failed)
      for (const auto& code : c.codes)
        if (std::find(v.failures.begin(), v.failures.end(), code) == v.failures.end()) v.failures.push_back(code);
  v.warnings = v.passiveAuth.warnings;
  // BAC although EF.CardAccess advertised PACE: visible in the verdict for policy (QUIRKS.md).
  if (read.downgrade) v.warnings.push_back("access.downgrade: " + *read.downgrade);
  if (!v.failures.empty()) v.status = VerdictStatus::Invalid;
  else if (v.passiveAuth.status == pki::PaStatus::Indeterminate) v.status = VerdictStatus::Indeterminate;
  else if (v.passiveAuth.status == pki::PaStatus::Valid) v.status = VerdictStatus::Valid;
  else v.status = VerdictStatus::Invalid;
  return v;
}

std::string readFailureCode(const Error& e) {
  const std::string& step = e.step();
  const std::string& d = e.detail();
  // PACE offered but failing ends the read (never a quiet BAC): one code per step.
  if (step.find("EF.CardAccess") != std::string::npos) return "pace.card-access-malformed";  // parsed or read
  if (step == "PACE") return "pace.not-available";
  if (step == "MSE:Set AT (PACE)") return "pace.mse-set-at";
  if (step.rfind("GENERAL AUTHENTICATE", 0) == 0) {
    if (d.find("access denied") != std::string::npos) return "pace.access-denied";
    if (d.find("authentication token does not verify") != std::string::npos) return "pace.chip-token-invalid";
    return "pace.general-authenticate";
  }
  if (step.find("EF.COM") != std::string::npos) return "com.malformed";
  if (step.find("EF.SOD") != std::string::npos && d == "file not found") return "sod.missing";
  const auto dg = step.find(" DG");
  if (dg != std::string::npos) {
    const std::string name = step.substr(dg + 1);
    const std::string n = name.substr(2);
    if (d == "file not found") return "com.listed-dg-absent";
    if (d.find("length field") != std::string::npos) return "dg" + n + ".wrong-length";
  }
  return std::string("read.") + areaName(e.area());
}

}  // namespace portti::mrtd
