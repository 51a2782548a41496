// portti face morph / morph-check / mad-eval as an operator runs them, on the shared FRLL portraits
// (001, 003 and 005 are not among the committed models' training identities).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tools/run_portti.hpp"

using portti::testing::runPortti;

namespace {

const std::string kFrll = "../shared/faces/frll";
namespace fs = std::filesystem;

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class MorphCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kFrll)) GTEST_SKIP() << kFrll << " is absent";
    dir_ = fs::temp_directory_path() / ("portti_morph_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(MorphCli, MorphIsSuspectedAgainstALiveCaptureBonaFideIsNot) {
  const std::string morph = (dir_ / "m.jpg").string();
  ASSERT_EQ(runPortti("face morph " + kFrll + "/003/neutral.jpg " + kFrll + "/001/neutral.jpg --splice --match-colour --chip --out " + morph).exitCode, 0);
  auto r = runPortti("face morph-check --document " + morph + " --live " + kFrll + "/003/smiling.jpg --json");
  ASSERT_EQ(r.exitCode, 1) << r.out;
  auto o = parseJson(r.out);
  EXPECT_TRUE(o->getObject("dmad")->getValue<bool>("suspected"));
  EXPECT_TRUE(o->getValue<bool>("morph_suspected"));
  EXPECT_TRUE(o->getObject("smad")->has("score"));

  // A held-out bona fide pair well inside the model's threshold (FRLL BPCER there is 11%: 001 and 009
  // are among the bona fide pairs it flags).
  auto bona = runPortti("face morph-check --document " + kFrll + "/005/neutral.jpg --live " + kFrll + "/005/smiling.jpg --json");
  ASSERT_EQ(bona.exitCode, 0) << bona.out;
  EXPECT_FALSE(parseJson(bona.out)->getObject("dmad")->getValue<bool>("suspected"));
  EXPECT_FALSE(parseJson(bona.out)->getValue<bool>("morph_suspected"));
}

TEST_F(MorphCli, ChipMorphAsJpeg2000IsAChipSizedPortraitThatVerifiesAgainstBoth) {
  // 003 and 010: two women of similar age whose morph verifies against both (tests/vision/face_morph_test).
  const std::string morph = (dir_ / "m.jp2").string();
  auto made = runPortti("face morph " + kFrll + "/003/neutral.jpg " + kFrll + "/010/neutral.jpg --splice --match-colour --chip --out " + morph);
  ASSERT_EQ(made.exitCode, 0) << made.out;
  std::ifstream in(morph, std::ios::binary);
  char magic[12] = {};
  in.read(magic, sizeof magic);
  EXPECT_EQ(std::string(magic + 4, 4), "jP  ");  // a JP2 file, not a JPEG under another name
  const auto size = fs::file_size(morph);
  EXPECT_GE(size, 15000u);
  EXPECT_LE(size, 20000u);
  for (const char* subject : {"003", "010"}) {
    auto c = runPortti("face compare " + morph + " " + kFrll + "/" + subject + "/smiling.jpg --json");
    ASSERT_EQ(c.exitCode, 0) << c.out;
    EXPECT_TRUE(parseJson(c.out)->getValue<bool>("match")) << subject;
  }
  // --chip-format says the same; a contradicting name is a usage error.
  EXPECT_EQ(runPortti("face morph " + kFrll + "/003/neutral.jpg " + kFrll + "/001/neutral.jpg --chip --chip-format jp2 --out " +
                      (dir_ / "m.jpg").string()).exitCode, 2);
}

TEST_F(MorphCli, WithoutLiveCaptureDmadIsNotDone) {
  auto r = runPortti("face morph-check --document " + kFrll + "/001/neutral.jpg --json");
  ASSERT_NE(r.exitCode, 3) << r.out;
  EXPECT_EQ(parseJson(r.out)->getValue<std::string>("dmad"), "not done");
}

TEST_F(MorphCli, BadInputFailsClearly) {
  const std::string blank = (dir_ / "blank.png").string();
  cv::imwrite(blank, cv::Mat(300, 300, CV_8UC3, cv::Scalar(200, 200, 200)));
  EXPECT_EQ(runPortti("face morph-check --document " + blank + " --json").exitCode, 3);
  EXPECT_EQ(runPortti("face morph " + kFrll + "/001/neutral.jpg " + blank + " --out " + (dir_ / "x.png").string()).exitCode, 3);
  // One person twice: the generator says so and writes nothing.
  const std::string same = (dir_ / "same.png").string();
  EXPECT_EQ(runPortti("face morph " + kFrll + "/001/neutral.jpg " + kFrll + "/001/smiling.jpg --out " + same).exitCode, 3);
  EXPECT_FALSE(fs::exists(same));
}

TEST_F(MorphCli, MadEvalOnAFewHeldOutIdentities) {
  auto r = runPortti("face mad-eval --dataset " + kFrll + " --limit 6 --threshold 0.5 --threshold 0.3 --plot " + dir_.string() + " --json");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto o = parseJson(r.out);
  EXPECT_EQ(o->getValue<int>("bona_fide"), 6);
  EXPECT_GT(o->getValue<int>("morphs"), 0);
  EXPECT_EQ(o->getValue<int>("training_identities_left_out"), 35);
  for (const char* key : {"apcer_at_bpcer_1pct", "apcer_at_bpcer_10pct", "eer"}) {
    EXPECT_TRUE(o->getObject("dmad")->has(key)) << key;
    EXPECT_TRUE(o->getObject("smad")->has(key)) << key;
  }
  // The kiosk's operating points, in the order given; a lower threshold flags at least as many of both.
  for (const char* detector : {"dmad", "smad"}) {
    const auto points = o->getObject(detector)->getArray("at_thresholds");
    ASSERT_EQ(points->size(), 2u) << detector;
    const auto gate = points->getObject(0), service = points->getObject(1);
    EXPECT_DOUBLE_EQ(gate->getValue<double>("threshold"), 0.5);
    EXPECT_DOUBLE_EQ(service->getValue<double>("threshold"), 0.3);
    EXPECT_GE(service->getValue<double>("bpcer"), gate->getValue<double>("bpcer")) << detector;
    EXPECT_LE(service->getValue<double>("apcer"), gate->getValue<double>("apcer")) << detector;
  }
  EXPECT_EQ(runPortti("face mad-eval --dataset " + kFrll + " --threshold 1.5 --json").exitCode, 2);
  EXPECT_EQ(o->getValue<std::string>("chip_format"), "jpeg");
  EXPECT_EQ(o->getValue<int>("chip_width"), 480);
  // JPEG 2000 chips on both sides (bona fide and morph): format-matched in the other encoding and size.
  auto jp2 = runPortti("face mad-eval --dataset " + kFrll + " --limit 3 --chip-format jp2 --chip-width 360 --json");
  ASSERT_EQ(jp2.exitCode, 0) << jp2.out;
  EXPECT_EQ(parseJson(jp2.out)->getValue<std::string>("chip_format"), "jpeg2000");
  EXPECT_EQ(parseJson(jp2.out)->getValue<int>("chip_width"), 360);
  EXPECT_EQ(runPortti("face mad-eval --dataset " + kFrll + " --chip-format gif --json").exitCode, 2);
  EXPECT_EQ(runPortti("face mad-eval --dataset " + kFrll + " --chip-width 10 --json").exitCode, 2);
  EXPECT_TRUE(o->getObject("mmpmr")->has("without_mad"));
  EXPECT_TRUE(fs::exists(dir_ / "dmad_det.png"));
  EXPECT_TRUE(fs::exists(dir_ / "smad_det.csv"));
}

}  // namespace
