// The face pipeline on real portraits (../shared/faces/frll): same person above the threshold,
// different people below, clear errors and named quality reasons on bad captures.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "portti/vision/capture/best_frame.hpp"
#include "portti/vision/error.hpp"
#include "frll_fixture.hpp"
#include "portti/vision/face_image.hpp"
#include "portti/vision/face_verifier.hpp"

using namespace portti::vision;

namespace {

using test_support::kFrll;

bool hasReason(const QualityReport& q, QualityReason r) {
  return std::find(q.reasons.begin(), q.reasons.end(), r) != q.reasons.end();
}

class FaceVerifierTest : public test_support::FrllFaceTest {};

TEST_F(FaceVerifierTest, SamePersonScoresAboveTheThresholdDifferentPeopleBelow) {
  const std::vector<std::string> ids = {"001", "002", "003"};
  std::vector<FaceTemplate> neutral, smiling;
  for (const auto& id : ids) {
    neutral.push_back(describe(portrait(id, "neutral")));
    smiling.push_back(describe(portrait(id, "smiling")));
  }
  double lowestGenuineOnnx = 1, highestImpostorOnnx = -1;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = 0; j < ids.size(); ++j) {
      const auto c = verifier_->compare(neutral[i], smiling[j]);
      ASSERT_TRUE(c.onnxScore.has_value());  // config/face.conf loads the ONNX backend too
      if (i == j) lowestGenuineOnnx = std::min(lowestGenuineOnnx, *c.onnxScore);
      if (i != j) highestImpostorOnnx = std::max(highestImpostorOnnx, *c.onnxScore);
      if (i == j) {
        EXPECT_TRUE(c.match) << ids[i] << " score " << c.score;
        EXPECT_LT(c.distance, 0.47) << ids[i];  // the loader is right: dlib's model gives this on FRLL
      } else {
        EXPECT_FALSE(c.match) << ids[i] << " vs " << ids[j] << " score " << c.score;
        EXPECT_GT(c.distance, 0.45) << ids[i] << " vs " << ids[j];
      }
    }
  }
  // The ONNX network's cosine similarity separates the same pairs by a wide margin.
  EXPECT_GT(lowestGenuineOnnx, highestImpostorOnnx + 0.2);
}

TEST_F(FaceVerifierTest, ArcFaceCropPutsTheEyesOnTheTemplate) {
  const auto a = verifier_->assess(portrait("001", "neutral"));
  ASSERT_EQ(a.arcCrop.size(), cv::Size(112, 112));
  // Re-detect landmarks on the crop: the eye centres land near the template's (38.3, 51.7), (73.5, 51.5).
  const auto lm = verifier_->analyseAligned(a.arcCrop).detection.subject.landmarks;
  cv::Point2f right(0, 0), left(0, 0);
  for (int i = 36; i <= 41; ++i) right += lm[static_cast<std::size_t>(i)] / 6.0f;
  for (int i = 42; i <= 47; ++i) left += lm[static_cast<std::size_t>(i)] / 6.0f;
  EXPECT_NEAR(right.x, 38.3, 4);
  EXPECT_NEAR(left.x, 73.5, 4);
  EXPECT_NEAR(right.y, 51.7, 4);
}

TEST_F(FaceVerifierTest, ChipLikePortraitStillMatches) {
  // A DG2-like photo: 240 px wide, compressed to 12 KB, against the smiling studio portrait.
  const auto chip = encodeChipPortrait(portrait("004", "neutral"), 240, 12000);
  const auto c = verifier_->compare(describe(decodeImage(chip.bytes)), describe(portrait("004", "smiling")));
  EXPECT_TRUE(c.match) << "score " << c.score;
}

TEST_F(FaceVerifierTest, GreyAndSixteenBitPortraitsStillMatch) {
  // A grey JPEG and a 16-bit PNG of the neutral portrait, decoded as the gate decodes files, against the
  // smiling one: both formats become 8-bit BGR and the same person is still accepted.
  const cv::Mat neutral = portrait("006", "neutral");
  const auto smiling = describe(portrait("006", "smiling"));
  cv::Mat grey, deep;
  cv::cvtColor(neutral, grey, cv::COLOR_BGR2GRAY);
  neutral.convertTo(deep, CV_16UC3, 257.0);
  for (const auto& [ext, image] : {std::pair<const char*, cv::Mat>{".jpg", grey}, {".png", deep}}) {
    std::vector<std::uint8_t> bytes;
    ASSERT_TRUE(cv::imencode(ext, image, bytes));
    const cv::Mat decoded = decodeImage(bytes);
    ASSERT_EQ(decoded.type(), CV_8UC3) << ext;
    const auto c = verifier_->compare(describe(decoded), smiling);
    EXPECT_TRUE(c.match) << ext << " score " << c.score;
  }
}

TEST_F(FaceVerifierTest, AlignedCropIsDescribedWithoutTheDetector) {
  const cv::Mat image = portrait("001", "neutral");
  const auto full = verifier_->analyse(image);
  ASSERT_TRUE(full.detection.found);
  const auto crop = verifier_->analyseAligned(image(full.detection.subject.box & cv::Rect(0, 0, image.cols, image.rows)).clone());
  ASSERT_TRUE(crop.descriptor.has_value());
  EXPECT_TRUE(verifier_->compare(*full.descriptor, *crop.descriptor).match);
}

TEST_F(FaceVerifierTest, BrokenOrEmptyImageIsAClearError) {
  std::vector<std::uint8_t> bytes;
  cv::imencode(".jpg", portrait("001", "neutral"), bytes);
  bytes.resize(bytes.size() / 20);  // truncated JPEG
  try {
    (void)decodeImage(bytes);
    ADD_FAILURE() << "a truncated JPEG decoded";
  } catch (const ImageError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  try {
    (void)verifier_->analyse(cv::Mat());
    ADD_FAILURE() << "an empty image was analysed";
  } catch (const FaceError& e) {
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
  }
  EXPECT_THROW(verifier_->analyse(cv::Mat(100, 100, CV_16UC3, cv::Scalar(0))), FaceError);
}

TEST_F(FaceVerifierTest, StudioPortraitPassesEveryQualityCheck) {
  const auto a = verifier_->assess(portrait("002", "neutral"));
  EXPECT_TRUE(a.quality.acceptable);
  EXPECT_TRUE(a.quality.reasons.empty()) << reasonCode(a.quality.reasons.front());
  EXPECT_GT(a.quality.measures.interEyePixels, 60);
  EXPECT_LT(std::abs(a.quality.measures.yawDegrees), 15);
}

TEST_F(FaceVerifierTest, QualityReasonsFireOnBadCaptures) {
  const cv::Mat good = portrait("002", "neutral");

  cv::Mat blurred;
  cv::GaussianBlur(good, blurred, cv::Size(0, 0), 6);
  auto q = verifier_->assess(blurred).quality;
  EXPECT_TRUE(hasReason(q, QualityReason::Blurred)) << "sharpness " << q.measures.sharpness;

  cv::Mat dark = good * 0.2;
  q = verifier_->assess(dark).quality;
  EXPECT_TRUE(hasReason(q, QualityReason::TooDark)) << "brightness " << q.measures.brightness;

  cv::Mat tiny;  // a far-away traveller: the face is found on an enlarged copy, but it is too small
  cv::resize(good, tiny, cv::Size(150, 150), 0, 0, cv::INTER_AREA);
  auto t = verifier_->assess(tiny);
  EXPECT_TRUE(hasReason(t.quality, QualityReason::FaceTooSmall) || hasReason(t.quality, QualityReason::NoFace));
  EXPECT_FALSE(t.quality.acceptable);

  cv::Mat wall(480, 640, CV_8UC3, cv::Scalar(120, 130, 140));
  q = verifier_->assess(wall).quality;
  EXPECT_FALSE(q.acceptable);
  ASSERT_EQ(q.reasons.size(), 1u);
  EXPECT_EQ(q.reasons[0], QualityReason::NoFace);
  EXPECT_STREQ(reasonMessage(q.reasons[0]), "Please step in front of the camera");

  cv::Mat two;
  cv::hconcat(good, portrait("003", "neutral"), two);
  q = verifier_->assess(two).quality;
  EXPECT_TRUE(hasReason(q, QualityReason::SeveralFaces));
  EXPECT_EQ(q.measures.otherFaces, 1);

  // A passer-by, smaller and off-centre, beside the traveller: the traveller is the subject.
  cv::Mat canvas(600, 900, CV_8UC3, cv::Scalar(128, 128, 128)), passerBy;
  good.copyTo(canvas(cv::Rect(150, 0, 600, 600)));
  cv::resize(portrait("003", "neutral"), passerBy, cv::Size(300, 300), 0, 0, cv::INTER_AREA);
  passerBy(cv::Rect(0, 0, 150, 300)).copyTo(canvas(cv::Rect(0, 300, 150, 300)));
  passerBy(cv::Rect(150, 0, 150, 300)).copyTo(canvas(cv::Rect(750, 300, 150, 300)));
  auto crowd = verifier_->assess(canvas);
  ASSERT_TRUE(crowd.detection.found);
  EXPECT_GT(crowd.detection.subject.box.x, 150);
  EXPECT_LT(crowd.detection.subject.box.br().x, 750);

  cv::Mat turned;  // head rolled by 35 degrees
  const cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(300, 300), 35, 1.0);
  cv::warpAffine(good, turned, rot, good.size());
  auto r = verifier_->assess(turned);
  if (r.detection.found) {
    EXPECT_TRUE(hasReason(r.quality, QualityReason::PoseRoll)) << "roll " << r.quality.measures.rollDegrees;
  }
  EXPECT_FALSE(r.quality.acceptable);
}

TEST_F(FaceVerifierTest, CaptureLoopReturnsTheFirstGoodFrame) {
  const cv::Mat good = portrait("005", "neutral");
  cv::Mat blurred;
  cv::GaussianBlur(good, blurred, cv::Size(0, 0), 6);
  std::vector<cv::Mat> frames = {cv::Mat(480, 640, CV_8UC3, cv::Scalar(0, 0, 0)), blurred, good, good};
  std::size_t i = 0;
  FrameSource source = [&]() -> std::optional<cv::Mat> {
    if (i == frames.size()) return std::nullopt;
    return frames[i++];
  };
  auto r = captureBestFrame(*verifier_, source, std::chrono::seconds(30));
  EXPECT_TRUE(r.captured);
  EXPECT_EQ(r.framesSeen, 3);
  ASSERT_TRUE(r.analysis.descriptor.has_value());
  EXPECT_TRUE(verifier_->compare(*r.analysis.descriptor, describe(portrait("005", "smiling"))).match);
}

TEST_F(FaceVerifierTest, CaptureLoopWithOnlyBadFramesSaysWhy) {
  const cv::Mat good = portrait("005", "neutral");
  cv::Mat blurred;
  cv::GaussianBlur(good, blurred, cv::Size(0, 0), 6);
  int n = 0;
  FrameSource source = [&]() -> std::optional<cv::Mat> {
    if (n++ == 3) return std::nullopt;
    return blurred;
  };
  auto r = captureBestFrame(*verifier_, source, std::chrono::seconds(30));
  EXPECT_FALSE(r.captured);
  EXPECT_EQ(r.framesSeen, 3);
  EXPECT_FALSE(r.analysis.descriptor.has_value());
  EXPECT_TRUE(hasReason(r.analysis.quality, QualityReason::Blurred));
}

TEST(FaceModels, MissingModelsAreNamed) {
  try {
    (void)FaceEmbedder::loadFaceApi("/nonexistent");
    ADD_FAILURE() << "loaded a model from nowhere";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/face_recognition_model-weights_manifest.json"), std::string::npos);
  }
  EXPECT_THROW(FaceDetector("/nonexistent.dat"), ModelError);
}

}  // namespace
