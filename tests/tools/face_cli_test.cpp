// portti face compare and eval as an operator runs them, on the shared FRLL portraits.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>

#include "tools/run_portti.hpp"

using portti::testing::runPortti;

namespace {

const std::string kFrll = "../shared/faces/frll";

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class FaceCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kFrll)) GTEST_SKIP() << kFrll << " is absent";
  }
};

TEST_F(FaceCli, CompareSamePersonAndDifferentPeople) {
  auto same = runPortti("face compare " + kFrll + "/010/neutral.jpg " + kFrll + "/010/smiling.jpg --json");
  ASSERT_EQ(same.exitCode, 0) << same.out;
  auto o = parseJson(same.out);
  EXPECT_TRUE(o->getValue<bool>("match"));
  EXPECT_GE(o->getValue<double>("score"), o->getValue<double>("threshold"));
  EXPECT_TRUE(o->getObject("quality")->getObject("a")->getValue<bool>("acceptable"));

  auto other = runPortti("face compare " + kFrll + "/010/neutral.jpg " + kFrll + "/011/smiling.jpg --json");
  ASSERT_EQ(other.exitCode, 1) << other.out;
  EXPECT_FALSE(parseJson(other.out)->getValue<bool>("match"));
}

TEST_F(FaceCli, CompareWithoutAFaceOrFileFailsClearly) {
  EXPECT_EQ(runPortti("face compare /nonexistent.jpg " + kFrll + "/010/smiling.jpg").exitCode, 3);
  EXPECT_EQ(runPortti("face compare " + kFrll + "/010/neutral.jpg").exitCode, 2);  // one image only
}

TEST_F(FaceCli, EvalOnAFewIdentities) {
  auto r = runPortti("face eval --dataset " + kFrll + " --limit 4 --json");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto o = parseJson(r.out);
  EXPECT_EQ(o->getValue<int>("genuine_pairs"), 4);
  EXPECT_EQ(o->getValue<int>("impostor_pairs"), 8 * 7 / 2 - 4);
  EXPECT_EQ(o->getValue<int>("failures_to_enrol"), 0);
  EXPECT_DOUBLE_EQ(o->getValue<double>("fnmr_at_threshold"), 0.0);
  EXPECT_DOUBLE_EQ(o->getValue<double>("fmr_at_threshold"), 0.0);
  EXPECT_TRUE(o->has("fnmr_at_fmr_0_1pct"));
}

}  // namespace
