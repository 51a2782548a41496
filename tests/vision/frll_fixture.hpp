// A test fixture with the face verifier loaded once per suite and the shared FRLL portraits
// (../shared/faces/frll); its tests skip with a clear message when the folder is absent.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "portti/vision/face_verifier.hpp"

namespace portti::vision::test_support {

inline const std::string kFrll = std::string(PORTTI_SOURCE_DIR) + "/../shared/faces/frll";

class FrllFaceTest : public ::testing::Test {
 protected:
  // The models load once for the suite (about a second).
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kFrll)) return;
    verifier_ = std::make_unique<FaceVerifier>(FaceConfig::load(std::string(PORTTI_SOURCE_DIR) + "/config/face.conf"));
  }
  static void TearDownTestSuite() { verifier_.reset(); }
  void SetUp() override {
    if (!verifier_) GTEST_SKIP() << "../shared/faces/frll is absent";
  }
  static cv::Mat portrait(const std::string& id, const std::string& which) {
    cv::Mat m = cv::imread(kFrll + "/" + id + "/" + which + ".jpg");
    EXPECT_FALSE(m.empty()) << id << "/" << which;
    return m;
  }
  static FaceTemplate describe(const cv::Mat& image) {
    auto a = verifier_->analyse(image);
    EXPECT_TRUE(a.descriptor.has_value());
    return a.descriptor.value_or(FaceTemplate{});
  }
  static inline std::unique_ptr<FaceVerifier> verifier_;
};

}  // namespace portti::vision::test_support
