// Passive Authentication against the generated test PKI: every fault the virtual passport injects,
// and the trust rules of CLARIFICATIONS 5 (folders, master lists, anchors).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/pki/security_object.hpp"
#include "portti/mrtd/tlv.hpp"
#include "test_pki_fixture.hpp"

using namespace portti::mrtd;
using namespace portti::mrtd::pki;
using namespace portti::mrtd::pki::testing;

namespace {
std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "; ";
  return s;
}

bool anyContains(const std::vector<std::string>& v, const std::string& part) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

const TrustStore& dirTrust() {
  static TrustStore t = [] {
    TrustStore s;
    s.addPath(testPki().dir);
    return s;
  }();
  return t;
}

SignerCredentials signer(const std::string& cert, const std::string& key) { return loadSigner(cert, key); }
}  // namespace

TEST(GeneratedPa, ValidSodWithDataGroups) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey));
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), dirTrust());
  EXPECT_EQ(r.status, PaStatus::Valid) << joined(r.reasons);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.hashes, CheckStatus::Passed);
  EXPECT_EQ(r.chain, CheckStatus::Passed);
  EXPECT_EQ(r.trustSource, CheckStatus::Passed);
  EXPECT_EQ(r.revocation, CheckStatus::Passed);  // crl.der of the CSCA is in the folder
  EXPECT_EQ(r.checkedDgs, (std::vector<int>{1, 2}));
  EXPECT_EQ(r.digestAlgorithm, "SHA-256");
  EXPECT_NE(r.cscaSubject.find("portti Test CSCA"), std::string::npos);
  EXPECT_NE(r.signerSubject.find("portti Test DS"), std::string::npos);
  EXPECT_TRUE(r.tolerances.empty()) << joined(r.tolerances);
}

TEST(GeneratedPa, EveryDigestAndAnRsaSigner) {
  const TestPki& p = testPki();
  for (const char* h : {"SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"}) {
    for (bool rsa : {false, true}) {
      Bytes sod = buildSod(h, sampleDgs(), rsa ? signer(p.rsaDsc, p.rsaDscKey) : signer(p.dsc, p.dscKey));
      PassiveAuthResult r = verifyPassive(sod, sampleDgs(), dirTrust());
      EXPECT_EQ(r.status, PaStatus::Valid) << h << " rsa=" << rsa << ": " << joined(r.reasons);
      EXPECT_EQ(r.digestAlgorithm, h);
      EXPECT_EQ(parseSod(sod).dataGroupHashes.at(1).size(), r.dgHashes.at(1).size());
    }
  }
}

TEST(GeneratedPa, BadSignatureVoidsEverything) {
  const TestPki& p = testPki();
  SodOptions o;
  o.corruptSignature = true;
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey), o);
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), dirTrust());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.signature, CheckStatus::Failed);
  EXPECT_EQ(r.hashes, CheckStatus::NotDone);  // hashes in a badly signed SOD mean nothing
  EXPECT_EQ(r.chain, CheckStatus::NotDone);
  EXPECT_TRUE(r.checkedDgs.empty());
  EXPECT_TRUE(anyContains(r.reasons, "does not verify")) << joined(r.reasons);
}

TEST(GeneratedPa, FlippedByteInLdsSecurityObjectIsInvalid) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey));
  Bytes h = parseSod(sod).dataGroupHashes.at(2);
  auto it = std::search(sod.begin(), sod.end(), h.begin(), h.end());
  ASSERT_NE(it, sod.end());
  it[5] ^= 0x80;
  PassiveAuthResult r = verifyPassive(sod, {}, dirTrust());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.signature, CheckStatus::Failed);
  EXPECT_TRUE(anyContains(r.reasons, "messageDigest")) << joined(r.reasons);
}

TEST(GeneratedPa, HashMismatchAndInjectedDgNameTheDg) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey));
  auto dgs = sampleDgs();
  dgs[2][10] ^= 1;
  dgs[11] = Bytes{0x6B, 0x00};
  PassiveAuthResult r = verifyPassive(sod, dgs, dirTrust());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.hashes, CheckStatus::Failed);
  EXPECT_EQ(r.checkedDgs, std::vector<int>{1});
  EXPECT_TRUE(anyContains(r.reasons, "DG2 hash mismatch")) << joined(r.reasons);
  EXPECT_TRUE(anyContains(r.reasons, "DG11 is not listed in the SOD")) << joined(r.reasons);
}

TEST(GeneratedPa, ExpiredDscIsInvalid) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.expiredDsc, p.expiredDscKey));
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), dirTrust());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.chain, CheckStatus::Failed);
  EXPECT_TRUE(anyContains(r.reasons, "expired")) << joined(r.reasons);
  // The same SOD verified at a time inside the DSC's validity is fine: --at decides.
  PaOptions past;
  past.at = std::time(nullptr) - 2L * 365 * 86400;
  EXPECT_EQ(verifyPassive(sod, sampleDgs(), dirTrust(), past).chain, CheckStatus::Failed)
      << "the CSCA was not valid yet two years ago";
}

TEST(GeneratedPa, RevokedDscIsInvalidWithTheCrlOnly) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.revokedDsc, p.revokedDscKey));
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), dirTrust());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.revocation, CheckStatus::Failed);
  EXPECT_EQ(r.chain, CheckStatus::Passed);
  EXPECT_TRUE(anyContains(r.reasons, "revoked")) << joined(r.reasons);

  TrustStore noCrl;
  noCrl.addPath(p.csca);
  PassiveAuthResult n = verifyPassive(sod, sampleDgs(), noCrl);
  EXPECT_EQ(n.status, PaStatus::Valid) << joined(n.reasons);
  EXPECT_EQ(n.revocation, CheckStatus::NotDone);
  EXPECT_TRUE(anyContains(n.notes, "revocation not checked"));
}

TEST(GeneratedPa, CrlSignedByAnotherKeyIsIgnored) {
  const TestPki& p = testPki();
  // A CRL that names the test CSCA as issuer but is signed by a stranger's key.
  auto now = std::time(nullptr);
  CertificateRequest fake;
  fake.commonName = "portti Test CSCA";
  fake.ca = true;
  fake.notBefore = now - 86400;
  fake.notAfter = now + 86400 * 365;
  SignerCredentials impostor = issueCertificate(fake, nullptr);
  TrustStore t;
  t.addPath(p.csca);
  t.addCrl(buildCrl(impostor, {readAll(p.revokedDsc)}, now - 60));
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.revokedDsc, p.revokedDscKey));
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), t);
  EXPECT_EQ(r.revocation, CheckStatus::NotDone);
  EXPECT_TRUE(anyContains(r.notes, "signature does not verify")) << joined(r.notes);
}

TEST(GeneratedPa, UnknownCscaIsIndeterminate) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.unknownCscaDsc, p.unknownCscaDscKey));
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), dirTrust());
  EXPECT_EQ(r.status, PaStatus::Indeterminate) << joined(r.reasons);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.hashes, CheckStatus::Passed);
  EXPECT_EQ(r.trustSource, CheckStatus::Failed);
  EXPECT_TRUE(anyContains(r.reasons, "no trusted CSCA")) << joined(r.reasons);
}

TEST(GeneratedPa, ContentTypes) {
  const TestPki& p = testPki();
  SodOptions wrong;
  wrong.eContentType = "1.2.840.113549.1.7.2";
  PassiveAuthResult r = verifyPassive(buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey), wrong), sampleDgs(),
                                      dirTrust());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.hashes, CheckStatus::NotDone);
  EXPECT_TRUE(anyContains(r.reasons, "wrong content type")) << joined(r.reasons);

  SodOptions idData;  // CLARIFICATIONS 4: accepted as a named, recorded tolerance
  idData.eContentType = "1.2.840.113549.1.7.1";
  PassiveAuthResult d = verifyPassive(buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey), idData), sampleDgs(),
                                      dirTrust());
  EXPECT_EQ(d.status, PaStatus::Valid) << joined(d.reasons);
  EXPECT_EQ(d.tolerances, std::vector<std::string>{kToleranceIdDataContentType});
}

TEST(GeneratedPa, FolderLoadingSkipsKeysAndKeepsDscsOutOfAnchors) {
  const TestPki& p = testPki();
  EXPECT_EQ(dirTrust().anchorCount(std::time(nullptr)), 2u);  // csca.der + the list's copy of it
  EXPECT_EQ(std::count_if(dirTrust().skipped().begin(), dirTrust().skipped().end(),
                          [](const std::string& s) { return s.find(".key.pem") != std::string::npos; }),
            5);
  // A DSC in a folder is never an anchor: a certificate issued by the DSC does not chain.
  std::string dir = tempDir("dsc-only");
  std::filesystem::copy_file(p.dsc, dir + "/dsc.der");
  TrustStore t;
  t.addPath(dir);
  EXPECT_EQ(t.anchorCount(std::time(nullptr)), 0u);
  SignerCredentials dsc = signer(p.dsc, p.dscKey);
  CertificateRequest sub;
  sub.commonName = "issued by a DSC";
  sub.notBefore = std::time(nullptr) - 60;
  sub.notAfter = std::time(nullptr) + 86400;
  sub.serial = 99;
  PassiveAuthResult r = verifyPassive(buildSod("SHA-256", sampleDgs(), issueCertificate(sub, &dsc)), sampleDgs(), t);
  EXPECT_EQ(r.status, PaStatus::Indeterminate) << joined(r.reasons);
  std::filesystem::remove_all(dir);
}

TEST(GeneratedPa, MasterListCountsOnlyWhenItsSignerChainsToGivenTrust) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-256", sampleDgs(), signer(p.dsc, p.dscKey));
  TrustStore listOnly;
  listOnly.addPath(p.masterList);
  auto reps = listOnly.masterLists(std::time(nullptr));
  ASSERT_EQ(reps.size(), 1u);
  EXPECT_FALSE(reps[0].trusted);
  EXPECT_TRUE(reps[0].reason.find("does not chain") != std::string::npos) << reps[0].reason;
  EXPECT_EQ(verifyPassive(sod, sampleDgs(), listOnly).status, PaStatus::Indeterminate);

  // Added after the list, the CSCA makes the list count (order of --trust does not matter).
  listOnly.addPath(p.csca);
  reps = listOnly.masterLists(std::time(nullptr));
  EXPECT_TRUE(reps[0].trusted) << reps[0].reason;

  // A list signed by a CSCA from the same list proves nothing.
  auto now = std::time(nullptr);
  CertificateRequest ca;
  ca.commonName = "Self-vouching CSCA";
  ca.ca = true;
  ca.notBefore = now - 60;
  ca.notAfter = now + 86400 * 365;
  SignerCredentials self = issueCertificate(ca, nullptr);
  TrustStore selfList;
  selfList.addMasterList(buildMasterList({self.certificate}, self), "self-signed list");
  reps = selfList.masterLists(now);
  EXPECT_FALSE(reps[0].trusted);
  EXPECT_EQ(selfList.anchorCount(now), 0u);
}

TEST(GeneratedPa, ExplicitEcParametersOfANamedCurveAreAToleranceOthersAreRefused) {
  auto now = std::time(nullptr);
  CertificateRequest ca;
  ca.commonName = "Explicit CSCA";
  ca.ca = true;
  ca.notBefore = now - 60;
  ca.notAfter = now + 86400 * 365;
  ca.key = "EC:brainpoolP256r1";
  ca.explicitEcParameters = true;
  SignerCredentials explicitCsca = issueCertificate(ca, nullptr);
  CertificateRequest ds = ca;
  ds.commonName = "Explicit DS";
  ds.ca = false;
  ds.serial = 2;
  ds.key = "EC:prime256v1";
  SignerCredentials explicitDsc = issueCertificate(ds, &explicitCsca);
  TrustStore t;
  t.addCertificate(explicitCsca.certificate, "explicit csca");
  Bytes sod = buildSod("SHA-256", sampleDgs(), explicitDsc);
  PassiveAuthResult r = verifyPassive(sod, sampleDgs(), t);
  EXPECT_EQ(r.status, PaStatus::Valid) << joined(r.reasons);
  EXPECT_EQ(r.tolerances, std::vector<std::string>{"explicit-ec-parameters"});

  // Change the curve coefficient b of P-256 inside the embedded DSC: no named curve matches.
  Bytes b = fromHex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B");
  auto it = std::search(sod.begin(), sod.end(), b.begin(), b.end());
  ASSERT_NE(it, sod.end());
  it[31] ^= 0x02;
  PassiveAuthResult bad = verifyPassive(sod, sampleDgs(), t);
  EXPECT_EQ(bad.status, PaStatus::Invalid);
  EXPECT_EQ(bad.signature, CheckStatus::Failed);
  EXPECT_TRUE(anyContains(bad.reasons, "no known named curve")) << joined(bad.reasons);
}

TEST(GeneratedPa, PrivateKeysArePkcs8) {
  const TestPki& p = testPki();
  std::string pem;
  {
    Bytes b = readAll(p.dscKey);
    pem.assign(b.begin(), b.end());
  }
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  for (const auto& s : {loadSigner(p.dsc, p.dscKey), loadSigner(p.rsaDsc, p.rsaDscKey)}) {
    // PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, privateKeyAlgorithm AlgorithmIdentifier, ... }
    Tlv info = decodeOne(s.privateKey.view());
    auto parts = decodeAll(info.value);
    ASSERT_GE(parts.size(), 3u);
    EXPECT_EQ(toHex(parts[0].whole), "020100");
    EXPECT_EQ(parts[1].tag, 0x30u);
    EXPECT_EQ(parts[2].tag, 0x04u);
  }
  EXPECT_THROW(loadSigner(p.dsc, p.csca), Error);  // a certificate is not a key
}

TEST(GeneratedPa, PrefersTheCertificateOfTheIssuerKeyThatIsValidNow) {
  // One CSCA key, two certificates: an expired one (listed first) and a re-issued valid one.
  auto now = std::time(nullptr);
  const long year = 365L * 86400;
  CertificateRequest old;
  old.commonName = "Rollover CSCA";
  old.ca = true;
  old.notBefore = now - 5 * year;
  old.notAfter = now - year;
  SignerCredentials expiredCsca = issueCertificate(old, nullptr);
  CertificateRequest renewed = old;
  renewed.serial = 7;
  renewed.notBefore = now - 2 * year;
  renewed.notAfter = now + 5 * year;
  renewed.existingKey = expiredCsca.privateKey;
  SignerCredentials validCsca = issueCertificate(renewed, nullptr);
  CertificateRequest ds;
  ds.commonName = "Rollover DS";
  ds.serial = 8;
  ds.notBefore = now - 60;
  ds.notAfter = now + year;
  SignerCredentials dsc = issueCertificate(ds, &validCsca);
  TrustStore t;
  t.addCertificate(expiredCsca.certificate, "expired");
  t.addCertificate(validCsca.certificate, "renewed");
  PassiveAuthResult r = verifyPassive(buildSod("SHA-256", sampleDgs(), dsc), sampleDgs(), t);
  EXPECT_EQ(r.status, PaStatus::Valid) << joined(r.reasons);
  EXPECT_EQ(r.cscaSource, "renewed");

  TrustStore onlyExpired;
  onlyExpired.addCertificate(expiredCsca.certificate, "expired");
  PassiveAuthResult e = verifyPassive(buildSod("SHA-256", sampleDgs(), dsc), sampleDgs(), onlyExpired);
  EXPECT_EQ(e.status, PaStatus::Invalid);
  EXPECT_TRUE(anyContains(e.reasons, "CSCA")) << joined(e.reasons);
}
