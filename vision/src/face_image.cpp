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

std::uint32_t be(std::span<const std::uint8_t> b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}

/// Width x height from the header alone (0 when not found), so that a huge image is refused before
/// the decoder allocates it.
std::uint64_t headerPixels(std::span<const std::uint8_t> b, ImageFormat format) {
  switch (format) {
    case ImageFormat::Png:  // IHDR is the first chunk: width and height at offsets 16 and 20
      return b.size() >= 24 ? std::uint64_t{be(b, 16, 4)} * be(b, 20, 4) : 0;
    case ImageFormat::Jpeg:  // walk the markers to the first SOFn (ITU-T T.81 B.2.2)
      for (std::size_t i = 2; i + 9 < b.size();) {
        if (b[i] != 0xFF) return 0;
        const std::uint8_t marker = b[i + 1];
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
          return std::uint64_t{be(b, i + 5, 2)} * be(b, i + 7, 2);
        }
        i += 2 + be(b, i + 2, 2);
      }
      return 0;
    case ImageFormat::Jpeg2000:  // the ihdr box: height then width (ISO/IEC 15444-1 I.5.3.1)
      for (std::size_t i = 0; i + 12 < b.size() && i < 4096; ++i) {
        if (b[i] == 'i' && b[i + 1] == 'h' && b[i + 2] == 'd' && b[i + 3] == 'r') {
          return std::uint64_t{be(b, i + 4, 4)} * be(b, i + 8, 4);
        }
      }
      return 0;
    case ImageFormat::Jpeg2000Codestream:  // SIZ: Xsiz, Ysiz after Lsiz and Rsiz
      return b.size() >= 16 ? std::uint64_t{be(b, 8, 4)} * be(b, 12, 4) : 0;
    case ImageFormat::Unknown: break;
  }
  return 0;
}

/// A JPEG ends with EOI (FF D9), perhaps followed by padding; libjpeg silently greys out a cut-off rest.
bool jpegComplete(std::span<const std::uint8_t> b) {
  std::size_t end = b.size();
  while (end > 0 && (b[end - 1] == 0x00 || b[end - 1] == '\n' || b[end - 1] == '\r' || b[end - 1] == ' ')) --end;
  return end >= 4 && b[end - 2] == 0xFF && b[end - 1] == 0xD9;
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
  if (headerPixels(bytes, format) > kMaxImagePixels) {
    throw ImageError(std::string("the ") + formatName(format) + " image is too large (more than " +
                     std::to_string(kMaxImagePixels / 1000000) + " megapixels)");
  }
  if (format == ImageFormat::Jpeg && !jpegComplete(bytes)) throw ImageError("the jpeg image is truncated");
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

EncodedPortrait encodeChipPortrait(const cv::Mat& image, int width, std::size_t maxBytes, ImageFormat format) {
  if (image.empty()) throw ImageError("no image to encode");
  cv::Mat scaled;
  const int height = static_cast<int>(std::lround(static_cast<double>(image.rows) * width / image.cols));
  cv::resize(image, scaled, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  EncodedPortrait out;
  out.width = scaled.cols;
  out.height = scaled.rows;
  out.format = format;
  if (format == ImageFormat::Jpeg2000) {
    // OpenJPEG's rate in thousandths of the raw size: the file grows with it, so a binary search finds
    // the largest rate that fits (the chip's 15-20 KB band when `maxBytes` is 20 KB, as on real chips).
    const auto encodeAt = [&](int rate) {
      std::vector<std::uint8_t> bytes;
      if (!cv::imencode(".jp2", scaled, bytes, {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, rate}))
        throw ImageError("cannot encode the portrait as JPEG 2000");
      return bytes;
    };
    int lo = 1, hi = 1000;
    out.bytes = encodeAt(lo);  // the smallest it can be, when nothing fits
    while (lo < hi) {
      const int mid = (lo + hi + 1) / 2;
      auto bytes = encodeAt(mid);
      if (bytes.size() <= maxBytes) {
        lo = mid;
        out.bytes = std::move(bytes);
      } else {
        hi = mid - 1;
      }
    }
    return out;
  }
  if (format != ImageFormat::Jpeg) throw ImageError("a chip portrait is JPEG or JPEG 2000");
  for (int quality = 90; quality >= 20; quality -= 5) {
    if (!cv::imencode(".jpg", scaled, out.bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
      throw ImageError("cannot encode the portrait as JPEG");
    if (out.bytes.size() <= maxBytes) break;
  }
  return out;
}

}  // namespace portti::vision
