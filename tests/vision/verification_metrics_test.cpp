#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
