#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "portti/vision/face_image.hpp"

using namespace portti::vision;

namespace {
std::vector<std::uint8_t> encode(const char* ext, const cv::Mat& image) {
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(cv::imencode(ext, image, out));
  return out;
}
cv::Mat gradient() {
  cv::Mat m(48, 40, CV_8UC3);
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x) m.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 6, y * 5, 128);
  return m;
}
}  // namespace

TEST(FaceImage, DecodesJpegAndJpeg2000) {
  for (const char* ext : {".jpg", ".jp2"}) {
    auto bytes = encode(ext, gradient());
    cv::Mat back = decodeImage(bytes);
    EXPECT_EQ(back.cols, 40) << ext;
    EXPECT_EQ(back.rows, 48) << ext;
  }
  EXPECT_EQ(sniffFormat(encode(".jpg", gradient())), ImageFormat::Jpeg);
  EXPECT_EQ(sniffFormat(encode(".jp2", gradient())), ImageFormat::Jpeg2000);
}

TEST(FaceImage, GarbageIsAClearError) {
  std::vector<std::uint8_t> garbage(500, 0x42);
  EXPECT_THROW(decodeImage(garbage), ImageError);
  // A JPEG header followed by nothing useful.
  std::vector<std::uint8_t> broken = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46};
  broken.resize(300, 0x00);
  EXPECT_THROW(decodeImage(broken), ImageError);
  EXPECT_THROW(decodeImage({}), ImageError);
}

TEST(FaceImage, HugeImageIsRefusedFromItsHeader) {
  // A 12000x9000 PNG header (108 megapixels) over a few bytes: refused before any pixel is decoded.
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                   0, 0, 0x2E, 0xE0, 0, 0, 0x23, 0x28, 8, 2, 0, 0, 0};
  try {
    (void)decodeImage(png);
    ADD_FAILURE() << "a 108-megapixel image was accepted";
  } catch (const ImageError& e) {
    EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
  }
  // The same from a JPEG's SOF0 segment.
  cv::Mat small(16, 16, CV_8UC3, cv::Scalar(1, 2, 3));
  std::vector<std::uint8_t> jpg;
  ASSERT_TRUE(cv::imencode(".jpg", small, jpg));
  for (std::size_t i = 2; i + 9 < jpg.size(); i += 2 + (jpg[i + 2] << 8 | jpg[i + 3])) {
    if (jpg[i + 1] == 0xC0) {
      jpg[i + 5] = 0x2E, jpg[i + 6] = 0xE0, jpg[i + 7] = 0x23, jpg[i + 8] = 0x28;
      break;
    }
  }
  EXPECT_THROW(decodeImage(jpg), ImageError);
}

TEST(FaceImage, GrayscaleSixteenBitAndTruncatedInputs) {
  cv::Mat gray(40, 30, CV_8UC1, cv::Scalar(77));
  cv::Mat deep(40, 30, CV_16UC3, cv::Scalar(30000, 20000, 10000));
  for (const cv::Mat& m : {gray, deep}) {
    std::vector<std::uint8_t> png;
    ASSERT_TRUE(cv::imencode(".png", m, png));
    const cv::Mat back = decodeImage(png);
    EXPECT_EQ(back.type(), CV_8UC3);  // always 8-bit BGR for the face pipeline
    EXPECT_EQ(back.cols, 30);
  }
  auto jpg = encode(".jpg", gradient());
  jpg.resize(jpg.size() - 10);
  try {
    (void)decodeImage(jpg);
    ADD_FAILURE() << "a truncated JPEG decoded";
  } catch (const ImageError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

TEST(FaceImage, CmykJpegBecomesBgrWithItsColours) {
  // tests/vision/data/cmyk_patches.jpg (made by make_cmyk_jpeg.c beside it): Adobe CMYK, inverted inks, as
  // Photoshop and ImageMagick write it. Patches, top left to bottom right: red, green, blue, skin (RGB).
  std::ifstream in(PORTTI_SOURCE_DIR "/tests/vision/data/cmyk_patches.jpg", std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);
  ASSERT_EQ(sniffFormat(bytes), ImageFormat::Jpeg);
  const cv::Mat bgr = decodeImage(bytes);
  ASSERT_EQ(bgr.type(), CV_8UC3);
  ASSERT_EQ(bgr.size(), cv::Size(64, 64));
  const std::vector<std::pair<cv::Point, cv::Vec3b>> expected = {
      {{16, 16}, {0, 0, 255}}, {{48, 16}, {0, 160, 0}}, {{16, 48}, {200, 60, 40}}, {{48, 48}, {140, 172, 224}}};
  for (const auto& [at, colour] : expected) {
    const cv::Vec3b got = bgr.at<cv::Vec3b>(at);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], colour[c], 8) << "patch at " << at << " channel " << c;
  }
}

TEST(FaceImage, HugeJpeg2000IsRefusedFromItsHeader) {
  // The ihdr box of a real JP2 rewritten to 10000 x 10000 (100 megapixels): refused from the header.
  auto jp2 = encode(".jp2", gradient());
  bool patched = false;
  for (std::size_t i = 0; i + 12 < jp2.size() && !patched; ++i) {
    if (jp2[i] == 'i' && jp2[i + 1] == 'h' && jp2[i + 2] == 'd' && jp2[i + 3] == 'r') {
      for (int k : {4, 8}) jp2[i + k] = 0, jp2[i + k + 1] = 0, jp2[i + k + 2] = 0x27, jp2[i + k + 3] = 0x10;
      patched = true;
    }
  }
  ASSERT_TRUE(patched);
  try {
    (void)decodeImage(jp2);
    ADD_FAILURE() << "a 100-megapixel JPEG 2000 was accepted";
  } catch (const ImageError& e) {
    EXPECT_NE(std::string(e.what()).find("jpeg2000 image is too large"), std::string::npos) << e.what();
  }
}
