// The audit log: records chain, survive reopening, and every edit, deletion, reordering, foreign
// MAC or torn last line is detected; personal data is refused.
#include "portti/firmware/audit_log.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "portti/firmware/audit_verify.hpp"

using namespace portti::firmware;
using portti::mrtd::SecretBytes;
namespace fs = std::filesystem;

namespace {

SecretBytes key(char fill) {
  return SecretBytes(portti::mrtd::Bytes(32, static_cast<std::uint8_t>(fill)));
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("portti-audit-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = dir_ / "audit.log";
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Writes `n` decision records with a MAC key.
  void writeRecords(int n) {
    AuditLog log(path_, {"K-1", key('k')});
    for (int i = 0; i < n; ++i) {
      Poco::JSON::Object f;
      f.set("decision", i % 2 ? "reject" : "accept");
      f.set("doc_pseudonym", std::string(16, static_cast<char>('a' + i)));
      log.append("decision", f);
    }
  }
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  void setLines(const std::vector<std::string>& ls) const {
    std::ofstream out(path_, std::ios::trunc);
    for (const auto& l : ls) out << l << "\n";
  }
  std::string text() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  fs::path dir_;
  fs::path path_;
};

}  // namespace

TEST_F(AuditLogTest, RecordsChainAndVerify) {
  writeRecords(5);
  const auto ls = lines();
  ASSERT_EQ(ls.size(), 5u);
  const auto first = Poco::JSON::Parser().parse(ls[0]).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(first->getValue<int>("seq"), 1);
  EXPECT_EQ(first->getValue<std::string>("kiosk"), "K-1");
  EXPECT_EQ(first->getValue<std::string>("event"), "decision");
  EXPECT_EQ(first->getValue<std::string>("prev"), std::string(64, '0'));
  EXPECT_EQ(first->getObject("fields")->getValue<std::string>("decision"), "accept");
  const auto second = Poco::JSON::Parser().parse(ls[1]).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(second->getValue<std::string>("prev"), first->getValue<std::string>("hash"));
  EXPECT_EQ(second->getValue<std::string>("mac").size(), 64u);

  const auto v = verifyAuditLog(path_, key('k'));
  EXPECT_EQ(v.status, AuditVerdict::Status::Intact) << v.reason;
  EXPECT_EQ(v.records, 5u);
  EXPECT_TRUE(v.macsChecked);
  const auto last = Poco::JSON::Parser().parse(ls[4]).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(v.head, last->getValue<std::string>("hash"));
  // Without the key the chain is still checked, the MACs are not.
  const auto noKey = verifyAuditLog(path_);
  EXPECT_TRUE(noKey.ok());
  EXPECT_FALSE(noKey.macsChecked);
}

TEST_F(AuditLogTest, ReopeningContinuesTheChain) {
  writeRecords(2);
  {
    AuditLog log(path_, {"K-1", key('k')});
    EXPECT_EQ(log.nextSeq(), 3u);
    const AuditAnchor anchor = log.append("rules_reloaded", Poco::JSON::Object());
    EXPECT_EQ(anchor.seq, 3u);
    EXPECT_EQ(log.head(), anchor.hash);
    EXPECT_EQ(log.nextSeq(), 4u);
  }
  const auto v = verifyAuditLog(path_, key('k'));
  EXPECT_TRUE(v.ok()) << v.reason;
  EXPECT_EQ(v.records, 3u);
}

TEST_F(AuditLogTest, EditedRecordIsDetected) {
  writeRecords(4);
  auto ls = lines();
  const auto at = ls[2].find("accept");
  ASSERT_NE(at, std::string::npos);
  ls[2].replace(at, 6, "reject");
  setLines(ls);
  const auto v = verifyAuditLog(path_);
  EXPECT_EQ(v.status, AuditVerdict::Status::Broken);
  EXPECT_EQ(v.brokenLine, 3u);
  EXPECT_EQ(v.records, 2u);
  EXPECT_NE(v.reason.find("edited"), std::string::npos) << v.reason;
}

TEST_F(AuditLogTest, DeletedRecordIsDetected) {
  writeRecords(4);
  auto ls = lines();
  ls.erase(ls.begin() + 1);
  setLines(ls);
  const auto v = verifyAuditLog(path_);
  EXPECT_EQ(v.status, AuditVerdict::Status::Broken);
  EXPECT_EQ(v.brokenLine, 2u);
  EXPECT_NE(v.reason.find("deleted"), std::string::npos) << v.reason;
}

// Records cut off the end leave a chain that verifies on its own: only a signed result that names a
// later record (its decision's anchor) shows that the log is short.
TEST_F(AuditLogTest, TruncatedLogIsDetectedByAResultsAnchor) {
  std::vector<AuditAnchor> anchors;
  {
    AuditLog log(path_, {"K-1", key('k')});
    for (int i = 0; i < 4; ++i) anchors.push_back(log.append("decision", Poco::JSON::Object()));
  }
  const AuditAnchor third = anchors[2];
  EXPECT_EQ(third.seq, 3u);
  auto v = verifyAuditLog(path_, key('k'), {third});
  EXPECT_TRUE(v.ok()) << v.reason;

  auto ls = lines();
  ls.resize(2);  // records 3 and 4 cut off
  setLines(ls);
  EXPECT_TRUE(verifyAuditLog(path_, key('k')).ok()) << "without an anchor the cut is invisible";
  v = verifyAuditLog(path_, key('k'), {anchors[0], third});
  EXPECT_EQ(v.status, AuditVerdict::Status::Truncated) << v.reason;
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.records, 2u);
  EXPECT_EQ(v.brokenLine, 3u);
  EXPECT_NE(v.reason.find("ends at record 2"), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("names record 3"), std::string::npos) << v.reason;

  // The same seq with another hash: the log was rewritten (or is another kiosk's), not cut.
  v = verifyAuditLog(path_, key('k'), {AuditAnchor{2, std::string(64, 'f')}});
  EXPECT_EQ(v.status, AuditVerdict::Status::Broken);
  EXPECT_EQ(v.brokenLine, 2u);
  EXPECT_NE(v.reason.find("record 2"), std::string::npos) << v.reason;
}

TEST_F(AuditLogTest, ReorderedRecordsAreDetected) {
  writeRecords(4);
  auto ls = lines();
  std::swap(ls[1], ls[2]);
  setLines(ls);
  const auto v = verifyAuditLog(path_);
  EXPECT_EQ(v.status, AuditVerdict::Status::Broken);
  EXPECT_EQ(v.brokenLine, 2u);
  EXPECT_NE(v.reason.find("reordered"), std::string::npos) << v.reason;
}

TEST_F(AuditLogTest, RewrittenChainWithoutTheKeyIsDetectedByTheMac) {
  writeRecords(2);
  // Someone rewrites the whole log with a consistent SHA-256 chain but without the kiosk key.
  fs::remove(path_);
  {
    AuditLog forged(path_, {"K-1", key('x')});
    Poco::JSON::Object f;
    f.set("decision", "accept");
    forged.append("decision", f);
  }
  EXPECT_TRUE(verifyAuditLog(path_).ok());  // the chain alone holds
  const auto v = verifyAuditLog(path_, key('k'));
  EXPECT_EQ(v.status, AuditVerdict::Status::Broken);
  EXPECT_EQ(v.brokenLine, 1u);
  EXPECT_NE(v.reason.find("MAC"), std::string::npos) << v.reason;
}

TEST_F(AuditLogTest, GarbageLinesAreBroken) {
  writeRecords(1);
  for (const std::string bad : {"", "hello", R"({"seq":2,"hash":"zz"})"}) {
    auto ls = lines();
    ls.resize(1);
    ls.push_back(bad);
    setLines(ls);
    const auto v = verifyAuditLog(path_);
    EXPECT_EQ(v.status, AuditVerdict::Status::Broken) << bad;
    EXPECT_EQ(v.brokenLine, 2u) << bad;
  }
  EXPECT_EQ(verifyAuditLog(dir_ / "absent.log").status, AuditVerdict::Status::Unreadable);
}

TEST_F(AuditLogTest, TornLastLineIsReportedThenRecoveredVisibly) {
  writeRecords(3);
  const std::string whole = text();
  const std::string lastLine = lines().back();
  // A crash in the middle of the last write: half a line, no newline.
  std::ofstream(path_, std::ios::trunc | std::ios::binary)
      << whole.substr(0, whole.size() - lastLine.size() / 2);
  auto v = verifyAuditLog(path_, key('k'));
  EXPECT_EQ(v.status, AuditVerdict::Status::TornTail);
  EXPECT_EQ(v.brokenLine, 3u);
  EXPECT_EQ(v.records, 2u);
  EXPECT_NE(v.reason.find("incomplete"), std::string::npos);

  {
    AuditLog log(path_, {"K-1", key('k')});  // cuts the torn line off and records that it did
    log.append("decision", Poco::JSON::Object());
  }
  v = verifyAuditLog(path_, key('k'));
  EXPECT_TRUE(v.ok()) << v.reason;
  EXPECT_EQ(v.records, 4u);
  EXPECT_EQ(v.tornTailsRecovered, 1u);
  const auto torn = Poco::JSON::Parser().parse(lines()[2]).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(torn->getValue<std::string>("event"), "torn_tail");
  EXPECT_EQ(torn->getObject("fields")->getValue<std::size_t>("bytes"),
            lastLine.size() + 1 - lastLine.size() / 2);  // + its newline
}

TEST_F(AuditLogTest, BrokenLogIsNotAppendedTo) {
  writeRecords(3);
  auto ls = lines();
  ls.erase(ls.begin());
  setLines(ls);
  const std::string before = text();
  try {
    AuditLog log(path_, {"K-1", key('k')});
    FAIL() << "opened a tampered log";
  } catch (const AuditError& e) {
    EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(text(), before);
}

TEST_F(AuditLogTest, SecondWriterIsRefused) {
  AuditLog log(path_, {"K-1", std::nullopt});
  EXPECT_THROW(AuditLog(path_, {"K-1", std::nullopt}), AuditError);
}

TEST_F(AuditLogTest, PersonalDataIsRefused) {
  AuditLog log(path_, {"K-1", key('k')});
  for (const char* field : {"document_number", "Name", "date_of_birth", "mrz", "photo"}) {
    Poco::JSON::Object f;
    f.set(field, "L898902C3");
    EXPECT_THROW(log.append("decision", f), AuditError) << field;
  }
  Poco::JSON::Object::Ptr nested = new Poco::JSON::Object;
  nested->set("primary_identifier", "ERIKSSON");
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  list->add(nested);
  Poco::JSON::Object f;
  f.set("holders", list);
  EXPECT_THROW(log.append("decision", f), AuditError);
  EXPECT_THROW(log.append("Bad Event", Poco::JSON::Object()), AuditError);
  EXPECT_EQ(log.nextSeq(), 1u);
  EXPECT_EQ(text(), "");
  EXPECT_THROW(AuditLog(dir_ / "other.log", {"K", SecretBytes(portti::mrtd::Bytes(8, 1))}), AuditError);
}

TEST_F(AuditLogTest, FieldTextCannotForgeTheTrailer) {
  // A value holding the trailer's characters is escaped inside the JSON string; the real trailer
  // stays the line's end and the record verifies.
  AuditLog log(path_, {"K-1", std::nullopt});
  Poco::JSON::Object f;
  f.set("note", std::string(R"(x","hash":")") + std::string(64, 'a') + "\"}\n{");
  log.append("note", f);
  EXPECT_TRUE(verifyAuditLog(path_).ok());
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(AuditLogTest, FailedWriteLeavesNoPartialRecord) {
  writeRecords(2);
  const std::string before = text();
  AuditLog log(path_, {"K-1", key('k')});
  Poco::JSON::Object big;
  big.set("note", std::string(4096, 'n'));
  // A file size limit just past the current end: the write stops part-way, as on a full disk.
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = before.size() + 100;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  EXPECT_THROW(log.append("note", big), AuditError);
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);

  EXPECT_EQ(text(), before);                     // cut back to the last whole record
  log.append("decision", Poco::JSON::Object());  // and the chain goes on from there
  const auto v = verifyAuditLog(path_, key('k'));
  EXPECT_TRUE(v.ok()) << v.reason;
  EXPECT_EQ(v.records, 3u);
}
