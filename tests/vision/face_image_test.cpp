#include <gtest/gtest.h>

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
