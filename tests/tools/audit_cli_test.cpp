// portti audit verify on a log written by the firmware, then tampered with.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "portti/firmware/audit_log.hpp"
#include "tools/run_portti.hpp"

using portti::testing::quote;
using portti::testing::runPortti;
namespace fs = std::filesystem;

namespace {

class AuditCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("portti-audit-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    log_ = (dir_ / "audit.log").string();
    keyFile_ = (dir_ / "audit.key").string();
    std::ofstream(keyFile_, std::ios::binary) << std::string(32, 'k');
    portti::firmware::AuditLog log(log_, {"K-1", portti::mrtd::SecretBytes(portti::mrtd::Bytes(32, 'k'))});
    for (const char* d : {"accept", "reject", "refer"}) {
      Poco::JSON::Object f;
      f.set("decision", d);
      log.append("decision", f);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<std::string> lines() const {
    std::ifstream in(log_);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  void setLines(const std::vector<std::string>& ls) const {
    std::ofstream out(log_, std::ios::trunc);
    for (const auto& l : ls) out << l << "\n";
  }
  fs::path dir_;
  std::string log_;
  std::string keyFile_;
};

}  // namespace

TEST_F(AuditCli, IntactLog) {
  auto r = runPortti("audit verify " + quote(log_) + " --key " + quote(keyFile_));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find(": intact, 3 records, head "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MACs checked"), std::string::npos) << r.out;
  r = runPortti("audit verify --json " + quote(log_));
  ASSERT_EQ(r.exitCode, 0) << r.out;
  const auto o = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("status"), "intact");
  EXPECT_EQ(o->getValue<int>("records"), 3);
  EXPECT_FALSE(o->getValue<bool>("macs_checked"));
}

TEST_F(AuditCli, EditDeleteReorderAreReported) {
  const auto original = lines();
  struct Case {
    const char* what;
    std::vector<std::string> ls;
    const char* expected;
  };
  auto edited = original;
  edited[1].replace(edited[1].find("reject"), 6, "accept");
  auto deleted = original;
  deleted.erase(deleted.begin() + 1);
  auto reordered = original;
  std::swap(reordered[1], reordered[2]);
  for (const Case& c : {Case{"edit", edited, "broken at line 2: the hash does not match the record (edited)"},
                        Case{"delete", deleted, "broken at line 2: sequence number 3 where 2 belongs"},
                        Case{"reorder", reordered, "broken at line 2: sequence number 3 where 2 belongs"}}) {
    setLines(c.ls);
    const auto r = runPortti("audit verify " + quote(log_));
    EXPECT_EQ(r.exitCode, 1) << c.what;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.what << ": " << r.out;
  }
}

TEST_F(AuditCli, TornTailAndWrongKeyAndMissingFile) {
  std::ofstream(log_, std::ios::app) << R"({"seq":4,"time":"2026-)";
  auto r = runPortti("audit verify " + quote(log_));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find("torn tail at line 4"), std::string::npos) << r.out;

  const std::string otherKey = (dir_ / "other.key").string();
  std::ofstream(otherKey, std::ios::binary) << std::string(32, 'x');
  auto whole = lines();
  whole.resize(3);  // drop the torn line
  setLines(whole);
  r = runPortti("audit verify " + quote(log_) + " --key " + quote(otherKey));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find("broken at line 1: the MAC does not match"), std::string::npos) << r.out;

  EXPECT_EQ(runPortti("audit verify " + quote((dir_ / "absent.log").string())).exitCode, 3);
  EXPECT_EQ(runPortti("audit check " + quote(log_)).exitCode, 2);
}
