// The morph generator on real portraits (../shared/faces/frll): the morph verifies against both
// contributors with the plain verifier; one person twice, and an image without a face, are refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "frll_fixture.hpp"
#include "portti/vision/face_image.hpp"
#include "portti/vision/mad/dmad.hpp"
#include "portti/vision/mad/smad.hpp"
#include "portti/vision/morph/face_morph.hpp"

using namespace portti::vision;

namespace {

using test_support::kFrll;
// Two women of similar age (info.csv) whom the verifier tells apart (score 0.43 < 0.45).
const char* const kIdA = "003";
const char* const kIdB = "010";

class FaceMorphTest : public test_support::FrllFaceTest {};

TEST_F(FaceMorphTest, MorphVerifiesAgainstBothContributors) {
  // The second image is 0.4 of the first's size: the generator has to bring it into the first's frame.
  const cv::Mat a = portrait(kIdA, "neutral");
  cv::Mat b;
  cv::resize(portrait(kIdB, "neutral"), b, cv::Size(), 0.4, 0.4, cv::INTER_AREA);
  ASSERT_FALSE(verifier_->compare(describe(a), describe(b)).match);
  const cv::Mat m = morphFaces(*verifier_, a, b);
  EXPECT_EQ(m.size(), a.size());
  const auto morph = describe(m);
  // Live probes: the smiling portraits, which the generator never saw.
  const auto withA = verifier_->compare(morph, describe(portrait(kIdA, "smiling")));
  const auto withB = verifier_->compare(morph, describe(portrait(kIdB, "smiling")));
  EXPECT_TRUE(withA.match) << "score " << withA.score;
  EXPECT_TRUE(withB.match) << "score " << withB.score;
}

TEST_F(FaceMorphTest, ChipMorphInJpegAndJpeg2000LandsInTheChipSizeBandAndStillVerifies) {
  const cv::Mat m = morphFaces(*verifier_, portrait(kIdA, "neutral"), portrait(kIdB, "neutral"));
  const auto withA = describe(portrait(kIdA, "smiling")), withB = describe(portrait(kIdB, "smiling"));
  for (const auto format : {ImageFormat::Jpeg, ImageFormat::Jpeg2000}) {
    const auto chip = encodeChipPortrait(m, 480, 20000, format);
    EXPECT_EQ(sniffFormat(chip.bytes), format);
    EXPECT_GE(chip.bytes.size(), 15000u) << formatName(format);  // ICAO's typical 15-20 KB
    EXPECT_LE(chip.bytes.size(), 20000u) << formatName(format);
    const auto doc = describe(decodeImage(chip.bytes));
    EXPECT_TRUE(verifier_->compare(doc, withA).match) << formatName(format);
    EXPECT_TRUE(verifier_->compare(doc, withB).match) << formatName(format);
  }
}

TEST_F(FaceMorphTest, SamePersonIsRefused) {
  EXPECT_THROW(morphFaces(*verifier_, portrait("001", "neutral"), portrait("001", "smiling")), MorphError);
}

TEST_F(FaceMorphTest, ImageWithoutFaceIsAFaceError) {
  const cv::Mat blank(400, 400, CV_8UC3, cv::Scalar(200, 200, 200));
  try {
    morphFaces(*verifier_, portrait("001", "neutral"), blank);
    FAIL() << "a blank image was morphed";
  } catch (const MorphError&) {
    FAIL() << "a missing face must not be reported as the same person";
  } catch (const FaceError& e) {
    EXPECT_NE(std::string(e.what()).find("second image"), std::string::npos) << e.what();
  }
}

TEST_F(FaceMorphTest, DetectorFeaturesNeedFaces) {
  const cv::Mat photo = portrait("001", "neutral");
  const auto a = verifier_->analyse(photo);
  const FaceAnalysis none;
  EXPECT_EQ(dmadFeatures(a, a).size(), kDmadFeatures);
  EXPECT_NEAR(landmarkShapeDeviation(a.detection.subject.landmarks, a.detection.subject.landmarks), 0.0, 1e-9);
  EXPECT_THROW(dmadFeatures(none, a), FaceError);
  EXPECT_THROW(dmadFeatures(a, none), FaceError);
  EXPECT_EQ(smadFeatures(photo, a).size(), kSmadFeatures);
  EXPECT_THROW(smadFeatures(photo, none), FaceError);  // a document photo without a face
}

}  // namespace
