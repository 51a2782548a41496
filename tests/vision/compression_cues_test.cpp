// JPEG compression cues of S-MAD on synthetic textures with known encodings: the quantisation step of a
// frequency is IJG's table entry, an uncompressed image has none, coarse JPEG blocks, and a second
// compression with another step leaves dips in the coefficient histograms that one compression does not.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "portti/vision/mad/compression_cues.hpp"

using namespace portti::vision;

namespace {

/// A smooth random texture (skin-like: most energy at low frequencies), the same for every run.
cv::Mat texture() {
  cv::RNG rng(7);
  cv::Mat noise(256, 256, CV_32FC3);
  rng.fill(noise, cv::RNG::NORMAL, 128, 60);
  cv::GaussianBlur(noise, noise, cv::Size(0, 0), 2.0);
  cv::Mat out;
  noise.convertTo(out, CV_8UC3);
  return out;
}

cv::Mat jpeg(const cv::Mat& image, int quality) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}));
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

/// One frequency's block-DCT coefficients of the luma over the whole image.
std::vector<float> coefficients(const cv::Mat& bgr, int row, int col) {
  cv::Mat f, luma, dct;
  bgr.convertTo(f, CV_32F);
  cv::cvtColor(f, luma, cv::COLOR_BGR2GRAY);
  luma -= 128.0f;
  std::vector<float> out;
  for (int y = 0; y + 8 <= luma.rows; y += 8)
    for (int x = 0; x + 8 <= luma.cols; x += 8) {
      cv::dct(luma(cv::Rect(x, y, 8, 8)), dct);
      out.push_back(dct.at<float>(row, col));
    }
  return out;
}

const cv::Rect kAll(0, 0, 256, 256);

}  // namespace

TEST(CompressionCues, QuantisationStepIsTheJpegTableEntry) {
  // IJG's luminance table at quality 50 is the base table: 11 at (0,1), 12 at (1,0), 14 at (2,0).
  const cv::Mat q50 = jpeg(texture(), 50);
  double strength = 0;
  EXPECT_EQ(quantisationStep(coefficients(q50, 0, 1), strength), 11);
  EXPECT_GT(strength, 0.6);
  EXPECT_EQ(quantisationStep(coefficients(q50, 1, 0), strength), 12);
  EXPECT_EQ(quantisationStep(coefficients(q50, 2, 0), strength), 14);
  // Never compressed: no step, no strength.
  EXPECT_EQ(quantisationStep(coefficients(texture(), 0, 1), strength), 1);
  EXPECT_DOUBLE_EQ(strength, 0.0);
}

TEST(CompressionCues, CompressedAndCoarseImagesShowIt) {
  const auto raw = compressionCues(texture(), kAll);
  const auto coarse = compressionCues(jpeg(texture(), 25), kAll), fine = compressionCues(jpeg(texture(), 75), kAll);
  ASSERT_EQ(raw.size(), kCompressionCues);
  EXPECT_LT(raw[0], 0.1);    // no quantisation strength
  EXPECT_GT(coarse[0], 0.3);  // (frequencies with too few non-zero coefficients count 0)
  EXPECT_GT(fine[0], 0.3);
  EXPECT_GT(coarse[1], fine[1] + 0.2);  // twice the base table's steps against half of them
  EXPECT_LT(raw[1], 0.07);              // step 1 everywhere
  EXPECT_GT(coarse[13], raw[13] + 0.05);  // blocking in the face region
  EXPECT_GT(coarse[14], raw[14] + 0.05);  // and in the whole image
  double digits = 0;
  for (std::size_t d = 3; d < 12; ++d) digits += coarse[d];
  EXPECT_NEAR(digits, 1.0, 1e-9);  // first-digit shares
}

TEST(CompressionCues, DoubleCompressionLeavesHistogramDips) {
  const cv::Mat once = jpeg(texture(), 80), twice = jpeg(jpeg(texture(), 50), 80);
  const auto single = compressionCues(once, kAll), dbl = compressionCues(twice, kAll);
  EXPECT_GT(dbl[2], single[2] + 0.02) << "single " << single[2] << " double " << dbl[2];
  EXPECT_GT(dbl[12], single[12]) << "Benford divergence";
}

TEST(CompressionCues, SmallOrEmptyImagesAreRefusedAndTinyFacesFallBackToTheImage) {
  EXPECT_THROW(compressionCues(cv::Mat(), kAll), std::invalid_argument);
  EXPECT_THROW(compressionCues(cv::Mat(16, 16, CV_8UC3, cv::Scalar(1, 2, 3)), kAll), std::invalid_argument);
  const cv::Mat image = jpeg(texture(), 50);
  EXPECT_EQ(compressionCues(image, cv::Rect(3, 3, 10, 10)), compressionCues(image, kAll));
}
