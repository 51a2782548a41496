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
      anchors_.push_back(log.append("decision", f));
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
  /// A signed result's body as the kiosk sends it, naming record `a` of the log.
  std::string writeResult(const std::string& name, const portti::firmware::AuditAnchor& a, bool caseSystemForm) const {
    const std::string result = R"({"transaction_id":"tx-1","kiosk_id":"K-1","audit":{"seq":)" +
                               std::to_string(a.seq) + R"(,"hash":")" + a.hash + R"("}})";
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << (caseSystemForm ? R"({"id":"0a","kiosk_id":"K-1","result":)" + result + "}" : result);
    return path;
  }
  fs::path dir_;
  std::string log_;
  std::vector<portti::firmware::AuditAnchor> anchors_;
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

TEST_F(AuditCli, ResultAnchorShowsATruncatedLog) {
  const std::string result = writeResult("result.json", anchors_[2], false);
  const std::string stored = writeResult("stored.json", anchors_[1], true);  // as portti-casesim answers
  auto r = runPortti("audit verify " + quote(log_) + " --result " + quote(result) + " --result " + quote(stored));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("reaches the record of 2 signed result(s)"), std::string::npos) << r.out;

  auto ls = lines();
  ls.resize(2);  // the last record cut off: the chain alone still verifies
  setLines(ls);
  EXPECT_EQ(runPortti("audit verify " + quote(log_)).exitCode, 0);
  r = runPortti("audit verify " + quote(log_) + " --result " + quote(result));
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_NE(r.out.find("truncated at line 3: the log ends at record 2 but a signed result names record 3"),
            std::string::npos)
      << r.out;
  r = runPortti("audit verify --json " + quote(log_) + " --result " + quote(result));
  EXPECT_EQ(r.exitCode, 1);
  const auto o = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("status"), "truncated");
  EXPECT_EQ(o->getValue<int>("results_checked"), 1);

  // Another log's record under the same number is a broken log, not a short one.
  portti::firmware::AuditAnchor foreign = anchors_[1];
  foreign.hash = anchors_[0].hash;
  r = runPortti("audit verify " + quote(log_) + " --result " + quote(writeResult("foreign.json", foreign, false)));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find("broken at line 2: record 2 is not the one a signed result names"), std::string::npos)
      << r.out;

  // A result without an anchor cannot vouch for the log: said, not ignored.
  const std::string bare = (dir_ / "bare.json").string();
  std::ofstream(bare) << R"({"transaction_id":"tx-1"})";
  r = runPortti("audit verify " + quote(log_) + " --result " + quote(bare));
  EXPECT_EQ(r.exitCode, 3) << r.out;  // an error, named on standard error
}
