#include "portti/mrtd/pki/passive_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include "portti/mrtd/pki/security_object.hpp"
#include "trust_internal.hpp"

namespace portti::mrtd::pki {

const char* toString(PaStatus s) {
  switch (s) {
    case PaStatus::Valid: return "valid";
    case PaStatus::Invalid: return "invalid";
    case PaStatus::Indeterminate: return "indeterminate";
  }
  return "invalid";
}

const char* toString(CheckStatus s) {
  switch (s) {
    case CheckStatus::Passed: return "passed";
    case CheckStatus::Failed: return "failed";
    case CheckStatus::NotDone: return "not done";
  }
  return "not done";
}

std::time_t parseDate(const std::string& s) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31)
    throw std::invalid_argument("date must be YYYY-MM-DD: " + s);
  // days from civil (H. Hinnant), UTC midnight
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long days = static_cast<long>(era) * 146097 + static_cast<long>(doe) - 719468;
  return static_cast<std::time_t>(days) * 86400;
}

namespace {
void fail(PassiveAuthResult& r, const std::string& code, const std::string& reason) {
  r.codes.push_back(code);
  r.reasons.push_back(reason);
}

std::string countryOf(const X509_NAME* name) {
  int i = X509_NAME_get_index_by_NID(name, NID_countryName, -1);
  if (i < 0) return "";
  const ASN1_STRING* v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(v)), static_cast<std::size_t>(ASN1_STRING_length(v)));
}

std::string timeText(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return "?";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void addTolerance(PassiveAuthResult& r, const std::string& t) {
  if (!t.empty() && std::find(r.tolerances.begin(), r.tolerances.end(), t) == r.tolerances.end())
    r.tolerances.push_back(t);
}

// Revocation (Doc 9303-12 7.1.4): a CRL counts only when its issuer is the DSC's CSCA and its
// signature verifies with the key of that CSCA or of a trusted certificate of the same authority
// (same name: after a key rollover the CRL may be signed with the other key). The authority's CRL
// lists its revoked DSCs and its revoked CSCA certificates (e.g. a link certificate): both serials
// are looked up, they share the issuer's serial space.
void checkRevocation(PassiveAuthResult& r, const CertEntry& dsc, const CertEntry& csca,
                     const std::vector<CertPtr>& anchors, const detail::TrustStoreImpl& store, std::time_t at) {
  bool checked = false;
  for (const CrlEntry& c : store.crls) {
    if (!sameName(X509_CRL_get_issuer(c.crl.get()), X509_get_subject_name(csca.x.get()))) continue;
    SignatureScheme scheme;
    SignedX509Parts parts;
    try {
      parts = splitSigned(c.der);
      scheme = signatureScheme(parts.algorithm, "");
    } catch (const Error& e) {
      r.notes.push_back("CRL " + c.source + " ignored: " + e.detail());
      continue;
    }
    bool verified = csca.publicKey() && verifySignature(csca.publicKey(), scheme, parts.toBeSigned, parts.signature);
    for (const CertPtr& a : anchors) {
      if (verified) break;
      if (a.get() != &csca && sameName(X509_get_subject_name(a->x.get()), X509_get_subject_name(csca.x.get())) &&
          a->publicKey())
        verified = verifySignature(a->publicKey(), scheme, parts.toBeSigned, parts.signature);
    }
    if (!verified) {
      r.notes.push_back("CRL " + c.source + " ignored: its signature does not verify with the CSCA key");
      continue;
    }
    checked = true;
    std::time_t t = at;
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(c.crl.get());
    if (next && X509_cmp_time(next, &t) < 0)
      r.warnings.push_back("crl.past-next-update: CRL " + c.source + " is past its nextUpdate " + timeText(next) +
                           "; used as the latest known");
    X509_REVOKED* rev = nullptr;
    if (X509_CRL_get0_by_serial(c.crl.get(), &rev, X509_get0_serialNumber(dsc.x.get())) == 1) {
      r.revocation = CheckStatus::Failed;
      fail(r, "cert.dsc-revoked", "document signer " + dsc.subject() + " is revoked (CRL " + c.source + ")");
      return;
    }
    if (X509_CRL_get0_by_serial(c.crl.get(), &rev, X509_get0_serialNumber(csca.x.get())) == 1) {
      r.revocation = CheckStatus::Failed;
      fail(r, "cert.csca-revoked",
           "CSCA certificate " + csca.subject() + " from " + csca.source + " is revoked (CRL " + c.source + ")");
      return;
    }
  }
  if (checked) {
    r.revocation = CheckStatus::Passed;
  } else {
    r.notes.push_back("revocation not checked: no CRL of " + csca.subject());
  }
}
}  // namespace

namespace {
void verifyInto(PassiveAuthResult& r, ByteView sodBytes, const std::map<int, Bytes>& dataGroups,
                const TrustStore& trust, const PaOptions& options) {
  const std::time_t at = options.at ? *options.at : std::time(nullptr);
  const detail::TrustStoreImpl& store = trust.impl();

  // 1. Parse. A SOD that cannot be parsed, or has the wrong content type, is invalid.
  SecurityObject so;
  try {
    so = parseSod(sodBytes);
  } catch (const Error& e) {
    r.signature = CheckStatus::Failed;
    // The parser's messages name the two refusals a conformance suite asks for by code.
    const std::string& d = e.detail();
    const char* code = d.find("wrong content type") != std::string::npos      ? "sod.wrong-content-type"
                       : d.find("unsupported hashAlgorithm") != std::string::npos ? "sod.unsupported-digest"
                                                                                   : "sod.malformed";
    fail(r, code, "EF.SOD: " + d);
    return;
  }
  r.digestAlgorithm = so.hashAlgorithm;
  r.dgHashes = so.dataGroupHashes;
  if (so.eContentTypeIsIdData) addTolerance(r, kToleranceIdDataContentType);

  // 2. The document signer: in the SOD, else a DSC given as a file (never an anchor).
  std::vector<CertPtr> certs;
  for (const Bytes& c : so.signedData.certificates) {
    try {
      certs.push_back(makeEntry(c, "EF.SOD"));
    } catch (const Error& e) {
      r.notes.push_back("unreadable certificate in EF.SOD: " + e.detail());
    }
  }
  certs.insert(certs.end(), store.otherCertificates.begin(), store.otherCertificates.end());
  if (so.signedData.signerInfos.size() != 1)
    r.notes.push_back("EF.SOD has " + std::to_string(so.signedData.signerInfos.size()) + " SignerInfos; the first is used");
  const SignerInfo& si = so.signedData.signerInfos.front();
  try {
    Tlv digestOidTlv = decodeFirst(decodeOne(si.digestAlgorithm).value);
    r.signatureAlgorithm =
        signatureScheme(si.signatureAlgorithm, digestNameOfOid(oidToText(digestOidTlv.value)).value_or("")).name;
  } catch (const Error&) {
  }
  std::vector<std::string> tolerances;
  CertPtr dsc = findSignerCertificate(si, certs, tolerances);
  if (!dsc) {
    r.signature = CheckStatus::Failed;
    fail(r, "sod.signer-certificate-missing",
         "signer certificate not found (SignerInfo names a certificate that is not in EF.SOD)");
    return;
  }
  r.signerSubject = dsc->subject();
  r.signerCountry = countryOf(X509_get_subject_name(dsc->x.get()));
  r.signerIssuer = nameText(X509_get_issuer_name(dsc->x.get()));

  // 3. The SOD signature. If it fails, nothing inside the SOD means anything: stop here.
  if (!dsc->publicKey()) {
    r.signature = CheckStatus::Failed;
    fail(r, "sod.signer-key-refused", "document signer key refused: " + dsc->keyError());
    return;
  }
  addTolerance(r, dsc->keyTolerance());
  std::string signatureCode = "sod.signature-invalid";
  if (std::string why = verifySignerInfo(so.signedData, si, dsc->publicKey(), tolerances, &signatureCode);
      !why.empty()) {
    r.signature = CheckStatus::Failed;
    fail(r, signatureCode, "SOD signature: " + why);
    return;
  }
  r.signature = CheckStatus::Passed;
  for (const auto& t : tolerances) addTolerance(r, t);

  // 4. Data group hashes, with the LDSSecurityObject's algorithm, over the raw bytes as read.
  bool hashFailed = false;
  for (const auto& [number, bytes] : dataGroups) {
    auto it = so.dataGroupHashes.find(number);
    if (it == so.dataGroupHashes.end()) {
      hashFailed = true;
      fail(r, "dg" + std::to_string(number) + ".not-in-sod", "DG" + std::to_string(number) + " is not listed in the SOD");
      continue;
    }
    Bytes h = digest(so.hashAlgorithm, bytes);
    if (h.size() != it->second.size() || CRYPTO_memcmp(h.data(), it->second.data(), h.size()) != 0) {
      hashFailed = true;
      fail(r, "dg" + std::to_string(number) + ".hash-mismatch",
           "DG" + std::to_string(number) + " hash mismatch: " + so.hashAlgorithm + " of the data " + toHex(h) +
               " differs from the SOD's " + toHex(it->second));
      continue;
    }
    r.checkedDgs.push_back(number);
  }
  if (hashFailed) r.hashes = CheckStatus::Failed;
  else if (!dataGroups.empty()) r.hashes = CheckStatus::Passed;

  // 5. The chain: DSC issued by a trusted CSCA (explicit, or from a master list whose signer chains
  //    to an explicit anchor), both valid at the verification time, with the right usage.
  std::vector<MasterListReport> lists;
  std::vector<CertPtr> anchors = store.anchors(at, &lists);
  for (const auto& l : lists)
    if (!l.trusted) r.notes.push_back("master list " + l.source + " not trusted: " + l.reason);
  IssuerSearch issuer = findIssuer(*dsc, anchors, at);
  bool noAnchor = false;
  if (!issuer.issuer) {
    if (!issuer.candidatesFound) {
      noAnchor = true;
      r.trustSource = CheckStatus::Failed;
      fail(r, "trust.no-csca", "no trusted CSCA for the document signer's issuer " + r.signerIssuer);
    } else {
      r.chain = CheckStatus::Failed;
      fail(r, "cert.dsc-signature-invalid", "chain: " + issuer.reason);
    }
  } else {
    const CertEntry& csca = *issuer.issuer;
    for (const auto& t : issuer.tolerances) addTolerance(r, t);
    r.cscaSubject = csca.subject();
    r.cscaSource = csca.source;
    r.trustSource = CheckStatus::Passed;
    // Each problem with its own code: an expired CSCA, an expired DSC and an expired document
    // (not PA, see inspection.hpp) are different facts for an officer.
    std::vector<std::pair<std::string, std::string>> problems;
    if (std::string c = validityCode(dsc->x.get(), at); !c.empty())
      problems.push_back({"cert.dsc-" + c, "document signer " + dsc->subject() + " " + validityProblem(dsc->x.get(), at)});
    if (std::string c = validityCode(csca.x.get(), at); !c.empty())
      problems.push_back({"cert.csca-" + c, "CSCA " + csca.subject() + " " + validityProblem(csca.x.get(), at)});
    if (!isCa(csca.x.get())) problems.push_back({"cert.csca-not-ca", "CSCA " + csca.subject() + " is not a CA certificate"});
    std::uint32_t cku = X509_get_key_usage(csca.x.get());
    if (cku != UINT32_MAX && !(cku & KU_KEY_CERT_SIGN))
      problems.push_back({"cert.csca-key-usage", "CSCA " + csca.subject() + " keyUsage lacks keyCertSign"});
    std::uint32_t dku = X509_get_key_usage(dsc->x.get());
    if (dku != UINT32_MAX && !(dku & KU_DIGITAL_SIGNATURE))
      problems.push_back({"cert.dsc-key-usage", "document signer keyUsage lacks digitalSignature"});
    if (hasUnknownCriticalExtension(dsc->x.get()))
      problems.push_back({"cert.dsc-unknown-critical-extension", "document signer has an unknown critical extension"});
    if (hasUnknownCriticalExtension(csca.x.get()))
      problems.push_back({"cert.csca-unknown-critical-extension", "CSCA " + csca.subject() + " has an unknown critical extension"});
    if (isCa(dsc->x.get()) && !sameName(X509_get_subject_name(dsc->x.get()), X509_get_issuer_name(dsc->x.get())))
      r.notes.push_back("document signer certificate claims to be a CA");
    if (problems.empty()) {
      r.chain = CheckStatus::Passed;
    } else {
      r.chain = CheckStatus::Failed;
      for (auto& [code, text] : problems) fail(r, code, "chain: " + text);
    }
    checkRevocation(r, *dsc, csca, anchors, store, at);
  }

  // 6. The verdict (CLARIFICATIONS 3).
  bool failed = hashFailed || r.chain == CheckStatus::Failed || r.revocation == CheckStatus::Failed;
  if (failed) r.status = PaStatus::Invalid;
  else if (noAnchor) r.status = PaStatus::Indeterminate;
  else r.status = PaStatus::Valid;
}
}  // namespace

PassiveAuthResult verifyPassive(ByteView sodBytes, const std::map<int, Bytes>& dataGroups, const TrustStore& trust,
                                const PaOptions& options) {
  PassiveAuthResult r;
  try {
    verifyInto(r, sodBytes, dataGroups, trust, options);
  } catch (const std::exception& e) {
    // Fail closed: whatever was proved so far stays, the verdict is invalid.
    r.status = PaStatus::Invalid;
    fail(r, "pa.aborted", std::string("verification aborted: ") + e.what());
  }
  return r;
}

}  // namespace portti::mrtd::pki
