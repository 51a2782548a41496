// portti rules check / eval as an operator runs them, on the shipped rule files and broken ones.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tools/run_portti.hpp"

using portti::testing::quote;
using portti::testing::runPortti;
namespace fs = std::filesystem;

namespace {

class RulesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("portti-rules-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

}  // namespace

TEST_F(RulesCli, ShippedRuleFilesAreValid) {
  for (const char* f : {"config/rules/egate.rules", "config/rules/service-point.rules"}) {
    const auto r = runPortti(std::string("rules check ") + f);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find(std::string(f) + ": ok, "), std::string::npos) << r.out;
  }
}

TEST_F(RulesCli, CheckPrintsEveryErrorWithLineAndColumn) {
  const std::string path = write("bad.rules",
                                 "rule a: face.score >= 0.62 else reject FACE\n"
                                 "rule b: pa.status = valid else reject PA\n"
                                 "rule c: face.scor > 1 else refer X\n");
  const auto r = runPortti("rules check " + quote(path));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out,
            path + ":2:19: '=' alone: compare with '=='\n" + path + ":3:9: unknown fact 'face.scor'\n");
}

TEST_F(RulesCli, MissingFileAndWrongUsage) {
  EXPECT_EQ(runPortti("rules check " + quote((dir_ / "absent.rules").string())).exitCode, 3);
  EXPECT_EQ(runPortti("rules frobnicate x").exitCode, 2);
  EXPECT_EQ(runPortti("rules check").exitCode, 2);
}

TEST_F(RulesCli, EvalPrintsTheDecisionAndTrace) {
  const std::string facts =
      write("facts.json", R"({"pa.status":"valid","chip.auth":"passed","chip.aa":"not done","doc.expiry":"2030-01-31",
    "face.score":0.41,"face.quality":0.8,"face.count":1,"mad.dmad":0.1,"doc.issuing_state":"FIN","holder.age":40})");
  const auto r =
      runPortti("rules eval config/rules/egate.rules --facts " + quote(facts) + " --today 2026-12-04");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  const auto o = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("decision"), "refer");
  EXPECT_EQ(o->getArray("reasons")->getElement<std::string>(0), "FACE_MISMATCH");
  EXPECT_EQ(o->getArray("reasons")->size(), 1u);
  EXPECT_EQ(o->getArray("trace")->size(), 9u);

  const std::string expired =
      write("expired.json", R"({"pa.status":"valid","chip.auth":"not done","chip.aa":"passed","doc.expiry":"2012-04-15",
    "face.score":5.0,"mad.dmad":0.1,"doc.issuing_state":"UTO","holder.age":52})");
  const auto e =
      runPortti("rules eval config/rules/egate.rules --facts " + quote(expired) + " --today 2026-12-04");
  const auto eo = Poco::JSON::Parser().parse(e.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(eo->getValue<std::string>("decision"), "reject");
  EXPECT_EQ(eo->getArray("reasons")->getElement<std::string>(0), "DOC_EXPIRED");
}
