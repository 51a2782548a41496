// The command line as operators script it: pki make-test, chip make, read, pa, mrz check.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "tools/run_portti.hpp"

using portti::testing::quote;
using portti::testing::runPortti;
namespace fs = std::filesystem;

namespace {

const std::string kSpecimen =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const char* kPhoto = "assets/astronaut.png";  // fetched by scripts/setup

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// One PKI and one good passport for the whole suite, in a temporary folder.
class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("portti-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ok_ = runPortti("pki make-test " + quote(pki())).exitCode == 0;
    ok_ = ok_ && fs::exists(kPhoto) && runPortti(chipMake("chip", "")).exitCode == 0;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override {
    if (!fs::exists(kPhoto)) GTEST_SKIP() << kPhoto << " missing: run scripts/setup";
    ASSERT_TRUE(ok_) << "pki make-test or chip make failed";
  }

  static std::string pki() { return (dir_ / "pki").string(); }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }
  static std::string chipMake(const std::string& out, const std::string& fault) {
    return "chip make --mrz " + quote(kSpecimen) + " --photo " + kPhoto + " --pki " + quote(pki()) + " --out " +
           quote(path(out)) + (fault.empty() ? "" : " --fault " + fault);
  }
  static std::string read(const std::string& chip, const std::string& extra = "") {
    return "read --reader sim:" + quote(path(chip)) + " --mrz " + quote(kSpecimen) + " --trust " + quote(pki()) +
           " --crl " + quote(pki() + "/crl.der") + " --json " + extra;
  }

  static inline fs::path dir_;
  static inline bool ok_ = false;
};

}  // namespace

TEST_F(Cli, ReadsTheVirtualPassportAndVerifiesIt) {
  auto r = runPortti(read("chip", "--out " + quote(path("dump"))));
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto j = parseJson(r.out);
  EXPECT_EQ(j->getValue<std::string>("access"), "PACE-ECDH-GM-AES128");  // the default chip offers PACE
  EXPECT_FALSE(j->has("downgrade"));
  auto files = j->getObject("files");
  for (const char* f : {"EF.COM", "EF.SOD", "DG1", "DG2", "DG11", "DG12", "DG14", "DG15"}) {
    ASSERT_TRUE(files->has(f)) << f;
    EXPECT_GT(files->getObject(f)->getValue<int>("apdus"), 0) << f;
  }
  EXPECT_EQ(j->getObject("dg1")->getValue<std::string>("document_number"), "L898902C3");
  auto face = j->getObject("face_image");
  EXPECT_EQ(face->getValue<int>("width"), 480);
  EXPECT_EQ(face->getValue<std::string>("format"), "JPEG");
  EXPECT_EQ(j->getObject("passive_auth")->getValue<std::string>("status"), "valid");
  EXPECT_GT(j->getValue<int>("apdus"), 8);

  // The dump verifies offline with `portti pa`, and holds the portrait.
  EXPECT_TRUE(fs::exists(path("dump/face.jpg")));
  auto pa = runPortti("pa --sod " + quote(path("dump/EF.SOD")) + " --dg 1=" + quote(path("dump/DG1.bin")) +
                      " --dg 2=" + quote(path("dump/DG2.bin")) + " --trust " + quote(pki()) + " --json");
  EXPECT_EQ(pa.exitCode, 0) << pa.out;
  EXPECT_EQ(parseJson(pa.out)->getValue<std::string>("status"), "valid");
}

TEST_F(Cli, FaultyPassportsAreNotValid) {
  for (const char* fault : {"bad-dg-hash", "revoked-dsc"}) {
    ASSERT_EQ(runPortti(chipMake(std::string("f-") + fault, fault)).exitCode, 0) << fault;
    auto r = runPortti(read(std::string("f-") + fault));
    EXPECT_EQ(r.exitCode, 1) << fault;
    auto pa = parseJson(r.out)->getObject("passive_auth");
    EXPECT_EQ(pa->getValue<std::string>("status"), "invalid") << fault;
    EXPECT_GT(pa->getArray("reasons")->size(), 0u) << fault;
  }
  EXPECT_EQ(runPortti(chipMake("f-x", "no-such-fault") + " 2>/dev/null").exitCode, 2);
}

TEST_F(Cli, WrongMrzIsAccessDenied) {
  std::string other = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\nL898902C47UTO7408122F1204159ZE184226B<<<<<18";
  auto r = runPortti("read --reader sim:" + quote(path("chip")) + " --mrz " + quote(other) + " --trust " +
                     quote(pki()) + " --json 2>&1");
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_NE(r.out.find("access denied: check the MRZ"), std::string::npos) << r.out;
}

TEST_F(Cli, ReadsWithTheCanAndTheAccessFaultsBehave) {
  std::string can;
  std::ifstream(path("chip") + "/can.txt") >> can;
  ASSERT_EQ(can.size(), 6u);
  const std::string byCan = "read --reader sim:" + quote(path("chip")) + " --can " + can + " --trust " + quote(pki()) +
                            " --json";
  auto r = runPortti(byCan);
  ASSERT_EQ(r.exitCode, 0) << r.out;
  EXPECT_EQ(parseJson(r.out)->getValue<std::string>("access"), "PACE-ECDH-GM-AES128");

  // wrong-can: the CAN recorded in can.txt is not the chip's; PACE fails and nothing falls back to BAC.
  ASSERT_EQ(runPortti(chipMake("f-wrong-can", "wrong-can")).exitCode, 0);
  std::string recorded;
  std::ifstream(path("f-wrong-can") + "/can.txt") >> recorded;
  auto w = runPortti("read --reader sim:" + quote(path("f-wrong-can")) + " --can " + recorded + " --trust " +
                     quote(pki()) + " --json 2>&1");
  EXPECT_EQ(w.exitCode, 3);
  EXPECT_NE(w.out.find("access denied: check the CAN"), std::string::npos) << w.out;

  // bac-only: BAC, and the CAN cannot open it; PACE-CAM on P-256: proved by DG14's key.
  ASSERT_EQ(runPortti(chipMake("f-bac-only", "bac-only")).exitCode, 0);
  EXPECT_EQ(parseJson(runPortti(read("f-bac-only")).out)->getValue<std::string>("access"), "BAC");
  ASSERT_EQ(runPortti(chipMake("cam", "") + " --pace-mapping cam --pace-curve P-256").exitCode, 0);
  auto cam = runPortti(read("cam"));
  ASSERT_EQ(cam.exitCode, 0) << cam.out;
  auto j = parseJson(cam.out);
  EXPECT_EQ(j->getValue<std::string>("access"), "PACE-ECDH-CAM-AES128");
  EXPECT_EQ(j->getObject("chip_auth")->getValue<std::string>("protocol"), "PACE-CAM");
  EXPECT_EQ(j->getObject("chip_auth")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(runPortti(chipMake("x", "") + " --pace-mapping cam --pace-curve dh1024 2>/dev/null").exitCode, 2);
}

TEST(CliMrz, CheckPrintsJsonAndExitCode) {
  auto ok = runPortti("mrz check " + quote(kSpecimen));
  ASSERT_EQ(ok.exitCode, 0) << ok.out;
  auto j = parseJson(ok.out);
  EXPECT_TRUE(j->getValue<bool>("valid"));
  EXPECT_EQ(j->getValue<std::string>("format"), "TD3");
  EXPECT_EQ(j->getValue<std::string>("date_of_expiry"), "120415");
  std::string wrong = kSpecimen;
  wrong.replace(wrong.find("1204159"), 7, "1204158");
  auto bad = runPortti("mrz check " + quote(wrong));
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_FALSE(parseJson(bad.out)->getValue<bool>("valid"));
  EXPECT_GT(parseJson(bad.out)->getArray("errors")->size(), 0u);
}
