#include "portti/vision/face_image.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace portti::vision {

namespace {
bool startsWith(std::span<const std::uint8_t> b, std::initializer_list<std::uint8_t> prefix) {
  return b.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), b.begin());
}
}  // namespace

ImageFormat sniffFormat(std::span<const std::uint8_t> b) {
  if (startsWith(b, {0xFF, 0xD8, 0xFF})) return ImageFormat::Jpeg;
  // JP2 signature box (ISO/IEC 15444-1 I.5.1) and the bare codestream's SOC + SIZ markers.
  if (startsWith(b, {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20})) return ImageFormat::Jpeg2000;
  if (startsWith(b, {0xFF, 0x4F, 0xFF, 0x51})) return ImageFormat::Jpeg2000Codestream;
  if (startsWith(b, {0x89, 0x50, 0x4E, 0x47})) return ImageFormat::Png;
  return ImageFormat::Unknown;
}

const char* formatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "jpeg";
    case ImageFormat::Jpeg2000: return "jpeg2000";
    case ImageFormat::Jpeg2000Codestream: return "jpeg2000-codestream";
    case ImageFormat::Png: return "png";
    case ImageFormat::Unknown: break;
  }
  return "unknown";
}

cv::Mat decodeImage(std::span<const std::uint8_t> bytes) {
  const ImageFormat format = sniffFormat(bytes);
  if (format == ImageFormat::Unknown) throw ImageError("not a JPEG, JPEG 2000 or PNG image");
  // cv::imdecode takes a Mat header over the buffer; it does not modify it.
  cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data()));
  cv::Mat image;
  try {
    image = cv::imdecode(raw, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    throw ImageError(std::string("cannot decode the ") + formatName(format) + " image: " + e.what());
  }
  if (image.empty()) throw ImageError(std::string("cannot decode the ") + formatName(format) + " image");
  return image;
}

}  // namespace portti::vision

namespace portti::vision {

EncodedPortrait encodeChipPortrait(const cv::Mat& image, int width, std::size_t maxBytes) {
  if (image.empty()) throw ImageError("no image to encode");
  cv::Mat scaled;
  const int height = static_cast<int>(std::lround(static_cast<double>(image.rows) * width / image.cols));
  cv::resize(image, scaled, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  EncodedPortrait out;
  out.width = scaled.cols;
  out.height = scaled.rows;
  for (int quality = 90; quality >= 20; quality -= 5) {
    if (!cv::imencode(".jpg", scaled, out.bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
      throw ImageError("cannot encode the portrait as JPEG");
    if (out.bytes.size() <= maxBytes) break;
  }
  return out;
}

}  // namespace portti::vision
