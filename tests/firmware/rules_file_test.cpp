// Reloading a rule file on change: a good change takes effect, a broken one is refused with
// line:column and the rules in force stay.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "portti/firmware/rules_file.hpp"

using namespace portti::firmware;
namespace fs = std::filesystem;

namespace {

class RulesFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("portti-rules-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = dir_ / "egate.rules";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the file and moves its mtime on by a second each time, so the change is visible even
  // on a file system with coarse timestamps.
  void write(const std::string& text) {
    std::ofstream(path_, std::ios::trunc) << text;
    fs::last_write_time(path_, fs::file_time_type::clock::now() + std::chrono::seconds(++tick_));
  }

  fs::path dir_;
  fs::path path_;
  int tick_ = 0;
};

}  // namespace

TEST_F(RulesFileTest, LoadsAndReloadsOnChange) {
  write("rule face: face.score >= 0.62 else reject FACE_MISMATCH\n");
  RuleFile file(path_);
  const auto first = file.current();
  ASSERT_EQ(first->rules.size(), 1u);
  EXPECT_EQ(first->source, path_.string());
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Unchanged);

  write("rule face: face.score >= 0.7 else reject FACE_MISMATCH\nrule pa: pa.status == valid else reject PA\n");
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Reloaded);
  EXPECT_EQ(file.current()->rules.size(), 2u);
  EXPECT_NE(file.current()->digest, first->digest);
  EXPECT_EQ(first->rules.size(), 1u);  // a snapshot taken before stays as it was
  EXPECT_TRUE(file.lastErrors().empty());
}

TEST_F(RulesFileTest, BrokenChangeIsRefusedAndOldRulesStay) {
  write("rule face: face.score >= 0.62 else reject FACE_MISMATCH\n");
  RuleFile file(path_);
  const std::string digest = file.current()->digest;

  write("rule face: face.score >= 0.62 else reject FACE_MISMATCH\nrule pa: pa.status = valid else reject PA\n");
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Refused);
  EXPECT_EQ(file.current()->digest, digest);
  ASSERT_EQ(file.lastErrors().size(), 1u);
  EXPECT_EQ(file.lastErrors()[0], path_.string() + ":2:20: '=' alone: compare with '=='");
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Unchanged);  // not parsed again until it changes

  write("rule face: face.score >= 0.62 else reject FACE_MISMATCH\nrule pa: pa.status == valid else reject PA\n");
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Reloaded);
  EXPECT_EQ(file.current()->rules.size(), 2u);
  EXPECT_TRUE(file.lastErrors().empty());
}

TEST_F(RulesFileTest, ReplacedByRenameIsSeen) {
  write("rule face: face.score >= 0.62 else reject FACE_MISMATCH\n");
  RuleFile file(path_);
  const auto mtime = fs::last_write_time(path_);
  const fs::path next = dir_ / "next.rules";
  std::ofstream(next) << "rule face: face.score >= 0.99 else reject FACE_MISMATCH\n";
  fs::last_write_time(next, mtime);  // same time and size: only the inode differs
  fs::rename(next, path_);
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Reloaded);
  EXPECT_EQ(conditionText(file.current()->rules[0].condition), "face.score >= 0.99");
}

TEST_F(RulesFileTest, DeletedFileIsRefusedAndOldRulesStay) {
  write("rule face: face.score >= 0.62 else reject FACE_MISMATCH\n");
  RuleFile file(path_);
  fs::remove(path_);
  EXPECT_EQ(file.reloadIfChanged(), RuleFile::Reload::Refused);
  EXPECT_EQ(file.current()->rules.size(), 1u);
  ASSERT_EQ(file.lastErrors().size(), 1u);
  EXPECT_NE(file.lastErrors()[0].find("cannot read"), std::string::npos);
}

TEST_F(RulesFileTest, FirstLoadMustSucceed) {
  write("rule face: face.score >= else reject FACE_MISMATCH\n");
  try {
    RuleFile file(path_);
    FAIL() << "a broken first file was accepted";
  } catch (const RuleFileError& e) {
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_EQ(e.errors[0].pos.line, 1);
    EXPECT_EQ(e.errors[0].pos.column, 26);
    EXPECT_NE(std::string(e.what()).find(path_.string() + ":1:26:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(RuleFile(dir_ / "absent.rules"), RuleFileError);
}
