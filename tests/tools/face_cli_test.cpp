// portti face compare and eval as an operator runs them, on the shared FRLL portraits.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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
  EXPECT_EQ(runPortti("face eval --dataset " + kFrll + " --limit many").exitCode, 2);
  EXPECT_EQ(runPortti("face eval --dataset " + kFrll + " --limit 0").exitCode, 2);
  EXPECT_EQ(runPortti("face eval --dataset " + kFrll + " --misses -3").exitCode, 2);
  EXPECT_EQ(runPortti("face eval --dataset " + kFrll + " --target-fmr 1.5 --write-threshold").exitCode, 2);
  EXPECT_EQ(runPortti("face eval --dataset " + kFrll + " --target-fmr 0.1%").exitCode, 2);
  EXPECT_EQ(runPortti("face eval --dataset /nonexistent").exitCode, 3);
}

// Each bad input an operator may hand `face compare`: a clear message (standard error) and exit 3, or,
// where the image is usable, the quality report says what is wrong with it.
TEST_F(FaceCli, BadInputsAreNamedClearly) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "portti_face_bad_input_cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string probe = kFrll + "/010/smiling.jpg";
  const auto file = [&](const std::string& name) { return (dir / name).string(); };
  const auto write = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(file(name), std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                       static_cast<std::streamsize>(bytes.size()));
  };
  const auto fails = [&](const std::string& image, const std::string& message) {
    auto r = runPortti("face compare " + image + " " + probe + " 2>&1");
    EXPECT_EQ(r.exitCode, 3) << image << ": " << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << image << ": " << r.out;
  };
  const cv::Mat face = cv::imread(kFrll + "/010/neutral.jpg");

  cv::imwrite(file("wall.png"), cv::Mat(480, 640, CV_8UC3, cv::Scalar(120, 130, 140)));
  fails(file("wall.png"), "wall.png: no face found");

  std::vector<std::uint8_t> jpg;
  cv::imencode(".jpg", face, jpg);
  jpg.resize(jpg.size() / 2);
  write("truncated.jpg", jpg);
  fails(file("truncated.jpg"), "truncated.jpg: the jpeg image is truncated");
  write("garbage.jpg", std::vector<std::uint8_t>(300, 0x42));
  fails(file("garbage.jpg"), "garbage.jpg: not a JPEG, JPEG 2000 or PNG image");
  // A 10000 x 10000 PNG header (100 megapixels) over a few bytes: refused before any decoding.
  write("huge.png", {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0x27, 0x10,
                     0, 0, 0x27, 0x10, 8, 2, 0, 0, 0});
  fails(file("huge.png"), "huge.png: the png image is too large (more than 40 megapixels)");

  // Usable but wrong for a gate: the report names it.
  cv::Mat two;
  cv::hconcat(face, cv::imread(kFrll + "/011/neutral.jpg"), two);
  cv::imwrite(file("two.png"), two);
  auto r = runPortti("face compare " + file("two.png") + " " + probe + " --json");
  ASSERT_NE(r.exitCode, 3) << r.out;
  auto a = parseJson(r.out)->getObject("quality")->getObject("a");
  EXPECT_EQ(a->getValue<int>("other_faces"), 1);
  EXPECT_FALSE(a->getValue<bool>("acceptable"));
  EXPECT_NE(r.out.find("several_faces"), std::string::npos);

  // Grey and 16-bit portraits: tests/vision (GreyAndSixteenBitPortraitsStillMatch); a tiny face: there too
  // (QualityReasonsFireOnBadCaptures). A CMYK JPEG is decoded, not refused:
  r = runPortti("face compare tests/vision/data/cmyk_patches.jpg " + probe + " 2>&1");
  EXPECT_EQ(r.exitCode, 3) << r.out;  // decoded (no decoding error), but colour patches hold no face
  EXPECT_NE(r.out.find("cmyk_patches.jpg: no face found"), std::string::npos) << r.out;
  fs::remove_all(dir);
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

std::vector<std::string> lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_F(FaceCli, EvalPlotsTheDetCurveAndRecalibratesACopyOfTheConfig) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "portti_face_eval_cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // A copy of config/face.conf whose model paths still resolve from the temporary folder.
  std::vector<std::string> original = lines("config/face.conf");
  {
    std::ofstream out(dir / "face.conf");
    for (std::string line : original) {
      if (line.rfind("model_dir = ../", 0) == 0 || line.rfind("onnx_model = ../", 0) == 0) {
        line.replace(line.find("../"), 3, fs::absolute(".").string() + "/");
      }
      out << line << "\n";
    }
  }
  const auto copy = lines(dir / "face.conf");
  const std::string config = " --config " + (dir / "face.conf").string();

  // 4 identities make 24 impostor pairs: too few to measure FMR 0.1% (the config's target); nothing is written.
  auto refused = runPortti("face eval --dataset " + kFrll + " --limit 4 --write-threshold --json" + config);
  EXPECT_EQ(refused.exitCode, 3) << refused.out;
  EXPECT_EQ(lines(dir / "face.conf"), copy);

  auto r = runPortti("face eval --dataset " + kFrll + " --limit 4 --target-fmr 0.05 --write-threshold --misses 2 --plot " +
                     (dir / "plots").string() + " --json" + config);
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto o = parseJson(r.out);
  auto cal = o->getObject("calibration");
  EXPECT_DOUBLE_EQ(cal->getValue<double>("target_fmr"), 0.05);
  EXPECT_LE(cal->getValue<double>("fmr"), 0.05);
  const double written = cal->getValue<double>("written_threshold");
  EXPECT_GE(written, cal->getValue<double>("threshold"));
  EXPECT_LT(written, o->getValue<double>("lowest_genuine_score"));  // FRLL's genuine pairs stay accepted

  // Only the threshold and target_fmr lines changed; every other line and comment is as it was.
  const auto after = lines(dir / "face.conf");
  ASSERT_EQ(after.size(), copy.size());
  int changed = 0;
  for (std::size_t i = 0; i < copy.size(); ++i) {
    if (after[i] == copy[i]) continue;
    ++changed;
    EXPECT_TRUE(after[i].rfind("threshold = ", 0) == 0 || after[i] == "target_fmr = 0.05") << after[i];
  }
  EXPECT_EQ(changed, 2);
  std::ostringstream expected;
  expected << "threshold = " << std::fixed;
  expected.precision(4);
  expected << written;
  EXPECT_EQ(std::count(after.begin(), after.end(), expected.str() +
                       "  # portti face eval --write-threshold: FMR 0.05 on frll (4 genuine, 24 impostor pairs)"), 1);
  EXPECT_EQ(lines("config/face.conf"), original);  // the project's config was not touched

  // The worst pairs name their files; the DET curve comes as CSV, PNG and SVG with the threshold marked.
  auto worst = o->getArray("lowest_genuine_pairs");
  ASSERT_EQ(worst->size(), 2u);
  EXPECT_EQ(worst->getObject(0)->getValue<std::string>("a").substr(3), "/neutral.jpg");
  EXPECT_EQ(o->getArray("highest_impostor_pairs")->size(), 2u);
  EXPECT_EQ(lines(dir / "plots" / "face_det.csv").front(), "threshold,fmr,fnmr");
  EXPECT_GT(fs::file_size(dir / "plots" / "face_det.png"), 1000u);
  std::ifstream svgIn(dir / "plots" / "face_det.svg");
  const std::string svg((std::istreambuf_iterator<char>(svgIn)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find(">threshold 4: FMR 0%, FNMR 0%</text>"), std::string::npos);
  EXPECT_NE(svg.find(">FMR</text>"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
