// The face step's comparator over vision's verifier, on shared FRLL portraits.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "kiosk_fixture.hpp"
#include "portti/firmware/transaction/face_comparison.hpp"
#include "portti/vision/error.hpp"

namespace portti::firmware::test {
namespace {

TEST(VisionFaceComparator, SamePersonScoresAboveAnotherAndEmptyFramesThrow) {
  const std::string frll = std::string(PORTTI_SOURCE_DIR) + "/../shared/faces/frll";
  const std::string models = std::string(PORTTI_SOURCE_DIR) + "/assets/npm/vladmandic-face-api-1.7.15/model";
  if (!fs::exists(frll + "/001/neutral.jpg")) GTEST_SKIP() << "../shared/faces is absent";
  if (!fs::exists(models)) GTEST_SKIP() << "face models absent: run scripts/setup";
  VisionFaceComparator comparator(vision::FaceConfig::load(std::string(PORTTI_SOURCE_DIR) + "/config/face.conf"));
  const cv::Mat a1 = cv::imread(frll + "/001/neutral.jpg"), a2 = cv::imread(frll + "/001/smiling.jpg"),
                b1 = cv::imread(frll + "/002/neutral.jpg");
  const double genuine = comparator.compare(a1, a2), impostor = comparator.compare(a1, b1);
  EXPECT_GE(genuine, comparator.threshold());
  EXPECT_LT(impostor, comparator.threshold());
  EXPECT_THROW(comparator.compare(a1, cv::Mat(200, 200, CV_8UC3, cv::Scalar(128, 128, 128))), vision::FaceError);
}

}  // namespace
}  // namespace portti::firmware::test
