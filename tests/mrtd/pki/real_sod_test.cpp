// Passive Authentication of the seven real EF.SOD samples (../shared/emrtd, from gmrtd, MIT) against
// the German and Dutch master lists and their root CSCAs, by general rules, never by country.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/pki/security_object.hpp"

using namespace portti::mrtd;
using namespace portti::mrtd::pki;

namespace {
const std::string kShared = "../shared/emrtd";

Bytes readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

bool haveShared() { return std::filesystem::exists(kShared + "/sod-samples/expected.json"); }

const TrustStore& sharedTrust() {
  static TrustStore store = [] {
    TrustStore s;
    const std::string ml = kShared + "/masterlists/";
    s.addPath(ml + "DE_ML_2026-05-28-08-28-45.ml");
    s.addPath(ml + "DE_ROOT_CA_CSCA07.cer");
    s.addPath(ml + "NL_ML_2026-07-22.ml");
    s.addPath(ml + "NL_ROOT_CA.cer");
    return s;
  }();
  return store;
}

// Expected DG1/DG2 hashes from expected.json (copied here as values, the file itself stays shared).
struct Sample {
  const char* country;
  const char* digest;
  const char* dg1;
  const char* dg2;
};
const Sample kSamples[] = {
    {"AT", "SHA-256", "90462cd4824bc24ce1ce77e0e40da503b5f25063e61a78e22c3ac04e49b20243",
     "113888bddfb89a94522959f3cf41007bb1241e2fdfa585d8f480317eb648215f"},
    {"AU", "SHA-256", "e4f1f64d53b4d0efe899c81857d723e03d57ec5c8fd602b5ace24b13791343d0",
     "8cfdc1f8ad2e2f98ff139bdd965fd9ce92685be62d12c9a87887c66bafecd5a0"},
    {"CN", "SHA-256", "8e3db602c52b6ddb7a64b51b8ac11fe180041e1ec0a99b15d13b23791db44cc2",
     "e39ad777c0f39826cec30f736383c483110085ed0f2f3be68d05ca8083934de4"},
    {"DE", "SHA-384",
     "2daffeb0f67656ae099fd655b32f7dc857c31073df9bc0af8c9cc783fb40cd9c3fe7503e07421f560ecd7a09b6133d4e",
     "2c65a444298e8a7c1fe51ede7f2cdd9b8439597330fe142a1996984f841ed3840ee6fef3475336d29d94012149d96697"},
    {"FI", "SHA-512",
     "a0b15e7466598ae774aec55d6aa596cb2febf044e0f0a90466249672312f733e3b57eeb116e020caaba0361479c6e1f099c8c8ca0aa24a9139811b5c5a3e031f",
     "1cefc2c48091a24631b32208ee8c3dcbd8e8a4c8aad87a4a46b89121a8617447f83bc5fd0c11cccf0423d4fae2c1954d01c16f5cd43c0b44b58e87faf3baef0f"},
    {"FR", "SHA-256", "1f051bb4de4d11123032fc134e56de616379600a5805f24a3177937d685d5311",
     "a1be4d97f7e189c994b181a3535f7738070fd3b4adb1930b8c74852e77055064"},
    {"MY", "SHA-256", "70d01631abbf347f1fb7ca0b7e8fe6468b84fae853cb7fab2a2e05ef1519c58c",
     "470beea11e946390967f3521407a29e258179661d6857e8a7d87a5afe9f23cb4"},
};

void PrintTo(const Sample& s, std::ostream* os) { *os << s.country; }

PaOptions at20261101() {
  PaOptions o;
  o.at = parseDate("2026-11-01");  // CLARIFICATIONS 7: the samples' DSCs start expiring in 2027
  return o;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "; ";
  return s;
}
}  // namespace

class RealSod : public ::testing::TestWithParam<Sample> {};

TEST_P(RealSod, ValidWithExpectedHashes) {
  if (!haveShared()) GTEST_SKIP() << "../shared not found: real SOD samples";
  const Sample& s = GetParam();
  Bytes sod = readAll(kShared + "/sod-samples/" + s.country + "/EF.SOD");
  PassiveAuthResult r = verifyPassive(sod, {}, sharedTrust(), at20261101());
  EXPECT_EQ(r.status, PaStatus::Valid) << joined(r.reasons);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.chain, CheckStatus::Passed);
  EXPECT_EQ(r.trustSource, CheckStatus::Passed);
  EXPECT_EQ(r.hashes, CheckStatus::NotDone);  // no DGs given
  EXPECT_EQ(r.revocation, CheckStatus::NotDone);
  EXPECT_EQ(r.digestAlgorithm, s.digest);
  EXPECT_EQ(toHex(r.dgHashes.at(1)), toHex(fromHex(s.dg1)));
  EXPECT_EQ(toHex(r.dgHashes.at(2)), toHex(fromHex(s.dg2)));
  EXPECT_FALSE(r.cscaSubject.empty());
}

INSTANTIATE_TEST_SUITE_P(Countries, RealSod, ::testing::ValuesIn(kSamples),
                         [](const auto& info) { return std::string(info.param.country); });

TEST(RealSodQuirks, TolerancesAreNamed) {
  if (!haveShared()) GTEST_SKIP() << "../shared not found: real SOD samples";
  auto tol = [](const char* c) {
    return verifyPassive(readAll(kShared + "/sod-samples/" + c + "/EF.SOD"), {}, sharedTrust(), at20261101())
        .tolerances;
  };
  auto has = [](const std::vector<std::string>& v, const char* t) {
    return std::find(v.begin(), v.end(), t) != v.end();
  };
  EXPECT_TRUE(has(tol("CN"), kToleranceIdDataContentType));
  EXPECT_TRUE(has(tol("DE"), "explicit-ec-parameters"));
  EXPECT_TRUE(has(tol("MY"), "signer-issuer-name-reordered"));
  EXPECT_TRUE(tol("FR").empty());
}

TEST(RealSodQuirks, FlippedByteInSignedContentIsInvalid) {
  if (!haveShared()) GTEST_SKIP() << "../shared not found: real SOD samples";
  Bytes sod = readAll(kShared + "/sod-samples/FI/EF.SOD");
  Bytes dg1 = fromHex(kSamples[4].dg1);
  auto it = std::search(sod.begin(), sod.end(), dg1.begin(), dg1.end());
  ASSERT_NE(it, sod.end());
  it[3] ^= 1;
  PassiveAuthResult r = verifyPassive(sod, {}, sharedTrust(), at20261101());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.signature, CheckStatus::Failed);
  EXPECT_NE(r.hashes, CheckStatus::Passed);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_NE(r.reasons[0].find("messageDigest"), std::string::npos) << r.reasons[0];
}

TEST(RealSodQuirks, DgHashMismatchNamesTheDg) {
  if (!haveShared()) GTEST_SKIP() << "../shared not found: real SOD samples";
  Bytes sod = readAll(kShared + "/sod-samples/FR/EF.SOD");
  PassiveAuthResult r = verifyPassive(sod, {{1, Bytes{0x61, 0x00}}}, sharedTrust(), at20261101());
  EXPECT_EQ(r.status, PaStatus::Invalid);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.hashes, CheckStatus::Failed);
  ASSERT_EQ(r.reasons.size(), 1u);
  EXPECT_EQ(r.reasons[0].rfind("DG1 hash mismatch", 0), 0u) << r.reasons[0];
}

TEST(RealSodQuirks, NoAnchorIsIndeterminate) {
  if (!haveShared()) GTEST_SKIP() << "../shared not found: real SOD samples";
  TrustStore onlyLists;  // master lists without their roots: nothing is trusted
  onlyLists.addPath(kShared + "/masterlists/DE_ML_2026-05-28-08-28-45.ml");
  onlyLists.addPath(kShared + "/masterlists/NL_ML_2026-07-22.ml");
  for (const auto& rep : onlyLists.masterLists(*at20261101().at)) EXPECT_FALSE(rep.trusted) << rep.source;
  PassiveAuthResult r = verifyPassive(readAll(kShared + "/sod-samples/AU/EF.SOD"), {}, onlyLists, at20261101());
  EXPECT_EQ(r.status, PaStatus::Indeterminate) << joined(r.reasons);
  EXPECT_EQ(r.signature, CheckStatus::Passed);
  EXPECT_EQ(r.trustSource, CheckStatus::Failed);
}

TEST(RealSodQuirks, MasterListsTrustedThroughTheirRoots) {
  if (!haveShared()) GTEST_SKIP() << "../shared not found: real SOD samples";
  auto reps = sharedTrust().masterLists(*at20261101().at);
  ASSERT_EQ(reps.size(), 2u);
  for (const auto& rep : reps) {
    EXPECT_TRUE(rep.trusted) << rep.source << ": " << rep.reason;
    EXPECT_GT(rep.certificates, 100u);
  }
}
