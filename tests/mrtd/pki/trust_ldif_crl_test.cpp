// Trust inputs beyond single files: ICAO PKD LDIF collections (generated here, and the real DE/NL
// master lists wrapped as LDIF), CRL freshness, revocation of DSCs and CSCAs, key rollover with link
// certificates, and the distinct codes of an expired CSCA and an expired document signer.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/protocol/inspection.hpp"
#include "test_pki_fixture.hpp"

using namespace portti::mrtd;
using namespace portti::mrtd::pki;
using namespace portti::mrtd::pki::testing;

namespace {
const long kDay = 86400, kYear = 365 * kDay;

bool has(const std::vector<std::string>& v, const std::string& prefix) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

std::string base64(ByteView b) {
  std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(), static_cast<int>(b.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// RFC 2849: "name:: base64", folded at 76 columns with a leading space on continuation lines.
std::string ldifAttribute(const std::string& name, ByteView value) {
  std::string line = name + ":: " + base64(value);
  std::string out;
  for (std::size_t i = 0; i < line.size(); i += 76) {
    if (i) out += ' ';
    out.append(line, i, 76);
    out += '\n';
  }
  return out;
}

std::string ldifEntry(const std::string& dn, const std::string& attribute, ByteView value) {
  // Appended piece by piece: GCC 12 -O3 sees a false -Wrestrict overlap in a chain of operator+.
  std::string entry = "dn: ";
  entry += dn;
  entry += "\nobjectClass: top\n";
  entry += ldifAttribute(attribute, value);
  entry += '\n';
  return entry;
}

// A small PKD-like collection: the test PKI's master list, two DSCs and the CRL.
std::string testCollection() {
  const TestPki& p = testPki();
  return "version: 1\n\n" +
         ldifEntry("cn=ml,o=ml,c=UT,dc=CSCAMasterList,dc=pkdDownload", "pkdMasterListContent", readAll(p.masterList)) +
         ldifEntry("cn=ds,o=dsc,c=UT,dc=data,dc=pkdDownload", "userCertificate;binary", readAll(p.dsc)) +
         ldifEntry("cn=ds-revoked,o=dsc,c=UT,dc=data,dc=pkdDownload", "userCertificate;binary", readAll(p.revokedDsc)) +
         ldifEntry("cn=crl,o=crl,c=UT,dc=data,dc=pkdDownload", "certificateRevocationList;binary", readAll(p.crl));
}

const std::string kShared = "../shared/emrtd/masterlists/";
}  // namespace

TEST(TrustLdif, LoadsMasterListsCertificatesAndCrlsFromAFoldedCollection) {
  const TestPki& p = testPki();
  TrustStore t;
  t.addCertificate(readAll(p.csca), "csca");
  EXPECT_EQ(t.addLdif(testCollection(), "collection.ldif"), 4u);
  auto lists = t.masterLists(std::time(nullptr));
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_TRUE(lists[0].trusted) << lists[0].reason;

  // The DSC comes from the LDIF (not from the SOD) and is never an anchor; the CRL revokes.
  SodOptions noCert;
  noCert.faults.omitCertificate = true;
  PassiveAuthResult ok = verifyPassive(buildSod("SHA-256", sampleDgs(), loadSigner(p.dsc, p.dscKey), noCert), sampleDgs(), t);
  EXPECT_EQ(ok.status, PaStatus::Valid) << (ok.reasons.empty() ? "" : ok.reasons[0]);
  EXPECT_EQ(ok.revocation, CheckStatus::Passed);
  PassiveAuthResult revoked =
      verifyPassive(buildSod("SHA-256", sampleDgs(), loadSigner(p.revokedDsc, p.revokedDscKey)), sampleDgs(), t);
  EXPECT_EQ(revoked.status, PaStatus::Invalid);
  EXPECT_TRUE(has(revoked.codes, "cert.dsc-revoked"));
}

TEST(TrustLdif, TrustFileLoadsLdifAndSkipsBrokenValues) {
  const TestPki& p = testPki();
  const std::string path = tempDir("ldif") + "/pkd.ldif";
  {
    std::ofstream out(path);
    out << testCollection() << "dn: cn=broken\nuserCertificate;binary:: not*base64\n\n"
        << "dn: cn=plain\ndescription: ignored\n";
  }
  TrustStore t;
  t.addPath(path);
  t.addPath(p.csca);
  EXPECT_EQ(t.anchorCount(std::time(nullptr)), 2u);  // csca.der + the CSCA of the trusted list
  ASSERT_EQ(t.skipped().size(), 1u);
  EXPECT_NE(t.skipped()[0].find("not a base64 value"), std::string::npos);

  const std::string empty = tempDir("ldif-empty") + "/none.ldif";
  std::ofstream(empty) << "version: 1\n\ndn: cn=x\ncn: x\n";
  TrustStore u;
  EXPECT_THROW(u.addPath(empty), Error);
}

TEST(TrustLdif, ACaCertificateInACollectionIsNeverAnAnchor) {
  const TestPki& p = testPki();
  TrustStore t;
  EXPECT_EQ(t.addLdif(ldifEntry("cn=csca,o=dsc,c=UT", "userCertificate;binary", readAll(p.csca)), "pkd.ldif"), 0u);
  EXPECT_EQ(t.anchorCount(std::time(nullptr)), 0u);
  ASSERT_EQ(t.skipped().size(), 1u);
  EXPECT_NE(t.skipped()[0].find("not an anchor"), std::string::npos);
  PassiveAuthResult r = verifyPassive(buildSod("SHA-256", sampleDgs(), loadSigner(p.dsc, p.dscKey)), sampleDgs(), t);
  EXPECT_EQ(r.status, PaStatus::Indeterminate);
}

TEST(TrustLdif, RealMasterListsAsLdifGiveTheSameAnchors) {
  if (!std::filesystem::exists(kShared + "DE_ROOT_CA_CSCA07.cer")) GTEST_SKIP() << "../shared not found: master lists";
  const std::time_t at = parseDate("2026-11-01");
  TrustStore files, ldif;
  for (const char* f : {"DE_ML_2026-05-28-08-28-45.ml", "DE_ROOT_CA_CSCA07.cer", "NL_ML_2026-07-22.ml", "NL_ROOT_CA.cer"})
    files.addPath(kShared + f);
  ldif.addPath(kShared + "DE_ROOT_CA_CSCA07.cer");
  ldif.addPath(kShared + "NL_ROOT_CA.cer");
  const std::string text =
      ldifEntry("cn=DE,o=ml,c=DE", "pkdMasterListContent", readAll(kShared + "DE_ML_2026-05-28-08-28-45.ml")) +
      ldifEntry("cn=NL,o=ml,c=NL", "pkdMasterListContent", readAll(kShared + "NL_ML_2026-07-22.ml"));
  EXPECT_EQ(ldif.addLdif(text, "real.ldif"), 2u);
  EXPECT_GT(files.anchorCount(at), 200u);
  EXPECT_EQ(ldif.anchorCount(at), files.anchorCount(at));
  for (const auto& rep : ldif.masterLists(at)) EXPECT_TRUE(rep.trusted) << rep.source << ": " << rep.reason;
}

TEST(TrustCrl, PastNextUpdateIsAWarningNotAFailure) {
  SignerCredentials csca;  // a fresh authority whose key we hold
  CertificateRequest r;
  const std::time_t now = std::time(nullptr);
  r.commonName = "portti Stale CRL CSCA";
  r.ca = true;
  r.notBefore = now - kYear;
  r.notAfter = now + 10 * kYear;
  csca = issueCertificate(r, nullptr);
  CertificateRequest d = r;
  d.commonName = "portti Stale CRL DS";
  d.ca = false;
  d.serial = 2;
  SignerCredentials dsc = issueCertificate(d, &csca);
  TrustStore t;
  t.addCertificate(csca.certificate);
  t.addCrl(buildCrl(csca, {}, now - 100 * kDay));  // nextUpdate 10 days ago
  PassiveAuthResult res = verifyPassive(buildSod("SHA-256", sampleDgs(), dsc), sampleDgs(), t);
  EXPECT_EQ(res.status, PaStatus::Valid);
  EXPECT_EQ(res.revocation, CheckStatus::Passed);
  EXPECT_TRUE(has(res.warnings, "crl.past-next-update")) << res.warnings.size();
}

TEST(TrustCrl, ExpiredCscaAndExpiredDscHaveDistinctCodes) {
  const std::time_t now = std::time(nullptr);
  CertificateRequest ca;
  ca.commonName = "portti Old CSCA";
  ca.ca = true;
  ca.notBefore = now - 10 * kYear;
  ca.notAfter = now - kYear;
  SignerCredentials csca = issueCertificate(ca, nullptr);
  CertificateRequest ds = ca;
  ds.commonName = "portti DS";
  ds.ca = false;
  ds.serial = 2;
  ds.notBefore = now - 2 * kYear;
  ds.notAfter = now + kYear;
  TrustStore t;
  t.addCertificate(csca.certificate);
  PassiveAuthResult a = verifyPassive(buildSod("SHA-256", sampleDgs(), issueCertificate(ds, &csca)), sampleDgs(), t);
  EXPECT_TRUE(has(a.codes, "cert.csca-expired"));
  EXPECT_FALSE(has(a.codes, "cert.dsc-expired"));
  const TestPki& p = testPki();
  TrustStore dir;
  dir.addPath(p.dir);
  PassiveAuthResult b = verifyPassive(buildSod("SHA-256", sampleDgs(), loadSigner(p.expiredDsc, p.expiredDscKey)), sampleDgs(), dir);
  EXPECT_TRUE(has(b.codes, "cert.dsc-expired"));
  EXPECT_FALSE(has(b.codes, "cert.csca-expired"));
}

TEST(IssuingStates, IcaoCodesMapToIso3166Alpha2) {
  EXPECT_EQ(alpha2OfIssuingState("D"), "DE");
  EXPECT_EQ(alpha2OfIssuingState("D<<"), "DE");
  EXPECT_EQ(alpha2OfIssuingState("UTO"), "UT");
  EXPECT_EQ(alpha2OfIssuingState("FIN"), "FI");
  EXPECT_EQ(alpha2OfIssuingState("NLD"), "NL");
  EXPECT_EQ(alpha2OfIssuingState("GBD"), "GB");
  EXPECT_EQ(alpha2OfIssuingState("XXX"), std::nullopt);
  EXPECT_EQ(alpha2OfIssuingState(""), std::nullopt);
}

// The AT sample's csca.der is a link certificate (the AT CSCA's new key certified by its old one):
// given alone it is an anchor, and the real AT signer chains to it through the shared key.
TEST(TrustRollover, RealLinkCertificateAloneIsAnAnchor) {
  const std::string at = "../shared/emrtd/sod-samples/AT/";
  if (!std::filesystem::exists(at + "csca.der")) GTEST_SKIP() << "../shared not found: AT sample";
  TrustStore link;
  EXPECT_TRUE(link.addCertificate(readAll(at + "csca.der"), "AT link"));
  PaOptions o;
  o.at = parseDate("2026-11-01");
  PassiveAuthResult r = verifyPassive(readAll(at + "EF.SOD"), {}, link, o);
  EXPECT_EQ(r.status, PaStatus::Valid) << (r.reasons.empty() ? "" : r.reasons[0]);
  EXPECT_EQ(r.cscaSource, "AT link");
  EXPECT_EQ(r.signerCountry, "AT");
}
