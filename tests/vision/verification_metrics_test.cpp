#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "portti/vision/eval/verification_metrics.hpp"
#include "portti/vision/face_config.hpp"

using namespace portti::vision;

TEST(VerificationMetrics, ThresholdsSitJustAboveTheAllowedImpostors) {
  // 1000 impostors scoring 0.000..0.999; genuine pairs at 0.9955, 0.9985 and 0.5.
  std::vector<double> impostor;
  for (int i = 0; i < 1000; ++i) impostor.push_back(i / 1000.0);
  const std::vector<double> genuine = {0.9955, 0.9985, 0.5};
  const auto m = verificationMetrics(genuine, impostor, 0.6);
  EXPECT_EQ(m.genuinePairs, 3u);
  EXPECT_EQ(m.impostorPairs, 1000u);
  // FMR 0.1%: one impostor (0.999) may pass; the threshold is just above 0.998.
  EXPECT_NEAR(m.atFmr01pct.threshold, 0.998, 1e-9);
  EXPECT_DOUBLE_EQ(m.atFmr01pct.fmr, 0.001);
  EXPECT_NEAR(m.atFmr01pct.fnmr, 2.0 / 3, 1e-12);  // 0.9955 and 0.5 rejected
  EXPECT_NEAR(m.atFmr1pct.threshold, 0.989, 1e-9);
  EXPECT_NEAR(m.atFmr1pct.fnmr, 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(m.atFmr0.fmr, 0.0);
  EXPECT_DOUBLE_EQ(m.atFmr0.fnmr, 1.0);
  EXPECT_NEAR(m.atThreshold.fmr, 0.4, 1e-12);
  EXPECT_NEAR(m.atThreshold.fnmr, 1.0 / 3, 1e-12);
  EXPECT_THROW(verificationMetrics({}, impostor, 0.5), std::invalid_argument);
}

TEST(VerificationMetrics, OperatingPointAtAnyFmrAndTheDetCurve) {
  std::vector<double> impostor;
  for (int i = 0; i < 1000; ++i) impostor.push_back(i / 1000.0);
  const std::vector<double> genuine = {0.9955, 0.9985, 0.5, 0.97};
  // FMR 5%: 50 impostors (0.950..0.999) may pass, so the threshold is just above 0.949.
  const auto p = operatingPointAtFmr(genuine, impostor, 0.05);
  EXPECT_NEAR(p.threshold, 0.949, 1e-9);
  EXPECT_GT(p.threshold, 0.949);
  EXPECT_DOUBLE_EQ(p.fmr, 0.05);
  EXPECT_DOUBLE_EQ(p.fnmr, 0.25);  // 0.5 rejected
  EXPECT_THROW(operatingPointAtFmr(genuine, {}, 0.05), std::invalid_argument);

  const auto curve = verificationDetCurve(genuine, impostor);
  ASSERT_GE(curve.size(), genuine.size() + 40u);  // every genuine score and up to 20 FMR steps per decade
  EXPECT_DOUBLE_EQ(curve.front().fmr, 1.0);
  EXPECT_DOUBLE_EQ(curve.front().fnmr, 0.0);
  EXPECT_DOUBLE_EQ(curve.back().fmr, 0.0);  // above every impostor
  for (std::size_t i = 1; i < curve.size(); ++i) {
    EXPECT_GT(curve[i].threshold, curve[i - 1].threshold);
    EXPECT_LE(curve[i].fmr, curve[i - 1].fmr);
    EXPECT_GE(curve[i].fnmr, curve[i - 1].fnmr);
  }
  // Millions of impostor pairs still make a short curve.
  std::vector<double> many(2'000'000);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<double>(i) / static_cast<double>(many.size());
  EXPECT_LT(verificationDetCurve(genuine, many).size(), 200u);
}

TEST(FaceConfig, WriteThresholdKeepsEveryOtherLine) {
  const auto dir = std::filesystem::temp_directory_path() / "portti_face_conf_write_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "face.conf").string();
  const std::string before = "# the models\nmodel_dir = models\n# the decision\nthreshold = 4.0\nbackend = dlib\n";
  std::ofstream(path) << before;
  const double written = FaceConfig::writeThreshold(path, 0.51234, 0.01, "calibrated on a test set");
  EXPECT_DOUBLE_EQ(written, 0.5124);  // rounded up: still refuses a score of 0.51234 - epsilon
  std::ifstream in(path);
  const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after,
            "# the models\nmodel_dir = models\n# the decision\nthreshold = 0.5124  # calibrated on a test set\n"
            "backend = dlib\ntarget_fmr = 0.01\n");
  const auto c = FaceConfig::load(path);
  EXPECT_DOUBLE_EQ(c.threshold, 0.5124);
  EXPECT_DOUBLE_EQ(c.targetFmr, 0.01);
  EXPECT_FALSE(std::filesystem::exists(path + ".new"));
  // A file that does not load is left alone.
  std::ofstream(dir / "bad.conf") << "threshold = high\n";
  EXPECT_THROW(FaceConfig::writeThreshold((dir / "bad.conf").string(), 0.5, 0.001, ""), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(FaceConfig, ReadsKeysAndNamesTheBadLine) {
  const auto dir = std::filesystem::temp_directory_path() / "portti_face_conf_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "ok.conf") << "# comment\nmodel_dir = models\nthreshold = 0.5 # trailing\nquality.min_sharpness = 12\n";
    std::ofstream(dir / "bad.conf") << "model_dir = m\nthreshold = high\n";
    std::ofstream(dir / "unknown.conf") << "model_dir = m\ncolour = blue\n";
  }
  const auto c = FaceConfig::load((dir / "ok.conf").string());
  EXPECT_EQ(c.modelDir, (dir / "models").string());
  EXPECT_DOUBLE_EQ(c.threshold, 0.5);
  EXPECT_DOUBLE_EQ(c.quality.minSharpness, 12);
  try {
    (void)FaceConfig::load((dir / "bad.conf").string());
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.conf:2: threshold"), std::string::npos) << e.what();
  }
  EXPECT_THROW(FaceConfig::load((dir / "unknown.conf").string()), std::runtime_error);
  EXPECT_THROW(FaceConfig::load((dir / "missing.conf").string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}
