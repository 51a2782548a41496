#include "portti/mrtd/pki/passive_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include <algorithm>
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
void addTolerance(PassiveAuthResult& r, const std::string& t) {
  if (!t.empty() && std::find(r.tolerances.begin(), r.tolerances.end(), t) == r.tolerances.end())
    r.tolerances.push_back(t);
}

// Revocation (Doc 9303-12 7.1.4): a CRL counts only when its issuer is the DSC's CSCA and its
// signature verifies with the key of that CSCA or of a trusted certificate of the same authority
// (same name: after a key rollover the CRL may be signed with the other key).
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
      r.notes.push_back("CRL " + c.source + " is past its nextUpdate; used as the latest known");
    X509_REVOKED* rev = nullptr;
    if (X509_CRL_get0_by_serial(c.crl.get(), &rev, X509_get0_serialNumber(dsc.x.get())) == 1) {
      r.revocation = CheckStatus::Failed;
      r.reasons.push_back("document signer " + dsc.subject() + " is revoked (CRL " + c.source + ")");
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
    r.reasons.push_back("EF.SOD: " + e.detail());
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
    r.reasons.push_back("signer certificate not found (SignerInfo names a certificate that is not in EF.SOD)");
    return;
  }
  r.signerSubject = dsc->subject();
  r.signerIssuer = nameText(X509_get_issuer_name(dsc->x.get()));

  // 3. The SOD signature. If it fails, nothing inside the SOD means anything: stop here.
  if (!dsc->publicKey()) {
    r.signature = CheckStatus::Failed;
    r.reasons.push_back("document signer key refused: " + dsc->keyError());
    return;
  }
  addTolerance(r, dsc->keyTolerance());
  if (std::string why = verifySignerInfo(so.signedData, si, dsc->publicKey(), tolerances); !why.empty()) {
    r.signature = CheckStatus::Failed;
    r.reasons.push_back("SOD signature: " + why);
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
      r.reasons.push_back("DG" + std::to_string(number) + " is not listed in the SOD");
      continue;
    }
    Bytes h = digest(so.hashAlgorithm, bytes);
    if (h.size() != it->second.size() || CRYPTO_memcmp(h.data(), it->second.data(), h.size()) != 0) {
      hashFailed = true;
      r.reasons.push_back("DG" + std::to_string(number) + " hash mismatch: " + so.hashAlgorithm + " of the data " +
                          toHex(h) + " differs from the SOD's " + toHex(it->second));
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
      r.reasons.push_back("no trusted CSCA for the document signer's issuer " + r.signerIssuer);
    } else {
      r.chain = CheckStatus::Failed;
      r.reasons.push_back("chain: " + issuer.reason);
    }
  } else {
    const CertEntry& csca = *issuer.issuer;
    for (const auto& t : issuer.tolerances) addTolerance(r, t);
    r.cscaSubject = csca.subject();
    r.cscaSource = csca.source;
    r.trustSource = CheckStatus::Passed;
    std::vector<std::string> problems;
    if (std::string v = validityProblem(dsc->x.get(), at); !v.empty())
      problems.push_back("document signer " + dsc->subject() + " " + v);
    if (std::string v = validityProblem(csca.x.get(), at); !v.empty())
      problems.push_back("CSCA " + csca.subject() + " " + v);
    if (!isCa(csca.x.get())) problems.push_back("CSCA " + csca.subject() + " is not a CA certificate");
    std::uint32_t cku = X509_get_key_usage(csca.x.get());
    if (cku != UINT32_MAX && !(cku & KU_KEY_CERT_SIGN))
      problems.push_back("CSCA " + csca.subject() + " keyUsage lacks keyCertSign");
    std::uint32_t dku = X509_get_key_usage(dsc->x.get());
    if (dku != UINT32_MAX && !(dku & KU_DIGITAL_SIGNATURE))
      problems.push_back("document signer keyUsage lacks digitalSignature");
    if (isCa(dsc->x.get()) && !sameName(X509_get_subject_name(dsc->x.get()), X509_get_issuer_name(dsc->x.get())))
      r.notes.push_back("document signer certificate claims to be a CA");
    if (problems.empty()) {
      r.chain = CheckStatus::Passed;
    } else {
      r.chain = CheckStatus::Failed;
      for (auto& p : problems) r.reasons.push_back("chain: " + p);
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
    r.reasons.push_back(std::string("verification aborted: ") + e.what());
  }
  return r;
}

}  // namespace portti::mrtd::pki
