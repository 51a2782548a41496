// `portti chip make` with chip keys and `portti read --json` reporting Chip and Active
// Authentication: passed on the default chip, failed on a clone (while PA stays valid).
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "tools/run_portti.hpp"

using portti::testing::quote;
using portti::testing::runPortti;
namespace fs = std::filesystem;

namespace {

const char* kSpecimen =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
const char* kPhoto = "assets/astronaut.png";  // fetched by scripts/setup

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class ChipAuthenticityCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("portti-caaa-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ok_ = runPortti("pki make-test " + quote(pki())).exitCode == 0;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override {
    if (!fs::exists(kPhoto)) GTEST_SKIP() << kPhoto << " missing: run scripts/setup";
    ASSERT_TRUE(ok_) << "pki make-test failed";
  }

  static std::string pki() { return (dir_ / "pki").string(); }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }
  static int make(const std::string& out, const std::string& extra) {
    return runPortti("chip make --mrz " + quote(kSpecimen) + " --photo " + kPhoto + " --pki " + quote(pki()) +
                     " --out " + quote(path(out)) + " " + extra)
        .exitCode;
  }
  static portti::testing::RunResult read(const std::string& chip) {
    return runPortti("read --reader sim:" + quote(path(chip)) + " --mrz " + quote(kSpecimen) + " --trust " +
                     quote(pki()) + " --json");
  }

  static inline fs::path dir_;
  static inline bool ok_ = false;
};

}  // namespace

TEST_F(ChipAuthenticityCli, DefaultChipPassesChipAndActiveAuthentication) {
  ASSERT_EQ(make("chip", ""), 0);
  // The chip's private keys sit beside chip.conf, readable by the owner only.
  for (const char* key : {"chip_auth.key.pem", "active_auth.key.pem"}) {
    ASSERT_TRUE(fs::exists(path("chip/") + key)) << key;
    EXPECT_EQ(fs::status(path("chip/") + key).permissions() & fs::perms::others_read, fs::perms::none) << key;
  }
  const auto r = read("chip");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  const auto j = parseJson(r.out);
  EXPECT_EQ(j->getObject("passive_auth")->getValue<std::string>("status"), "valid");
  EXPECT_EQ(j->getObject("chip_auth")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(j->getObject("chip_auth")->getValue<std::string>("protocol"), "CA-ECDH-AES-128");
  EXPECT_EQ(j->getObject("active_auth")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(j->getObject("active_auth")->getValue<std::string>("algorithm"), "ECDSA-plain-SHA-256");
}

TEST_F(ChipAuthenticityCli, CloneFailsBothAndExitsOne) {
  ASSERT_EQ(make("clone", "--fault clone"), 0);
  const auto r = read("clone");
  EXPECT_EQ(r.exitCode, 1) << r.out;
  const auto j = parseJson(r.out);
  EXPECT_EQ(j->getObject("passive_auth")->getValue<std::string>("status"), "valid");
  EXPECT_EQ(j->getObject("chip_auth")->getValue<std::string>("status"), "failed");
  EXPECT_FALSE(j->getObject("chip_auth")->getValue<std::string>("reason").empty());
  EXPECT_EQ(j->getObject("active_auth")->getValue<std::string>("status"), "failed");
}

TEST_F(ChipAuthenticityCli, RsaActiveAuthentication) {
  ASSERT_EQ(make("rsa", "--aa rsa"), 0);
  const auto r = read("rsa");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  const auto aa = parseJson(r.out)->getObject("active_auth");
  EXPECT_EQ(aa->getValue<std::string>("status"), "passed");
  EXPECT_EQ(aa->getValue<std::string>("algorithm"), "RSA-ISO9796-2-SHA-1");
  EXPECT_EQ(make("bad", "--aa dsa 2>/dev/null"), 2);
}

TEST_F(ChipAuthenticityCli, WithoutTrustNothingCounts) {
  ASSERT_EQ(make("untrusted", ""), 0);
  const auto r = runPortti("read --reader sim:" + quote(path("untrusted")) + " --mrz " + quote(kSpecimen) + " --json");
  const auto j = parseJson(r.out);
  EXPECT_EQ(j->getObject("chip_auth")->getValue<std::string>("status"), "not done");
  EXPECT_EQ(j->getObject("active_auth")->getValue<std::string>("status"), "not done");
}
