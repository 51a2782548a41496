// Decoding a document's face image (JPEG or JPEG 2000, as extracted from DG2) into pixels.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace portti::vision {

/// An image that cannot be decoded: the message says why ("not a JPEG or JPEG 2000 image", ...).
struct ImageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The encoding of an image, told from its first bytes.
enum class ImageFormat { Unknown, Jpeg, Jpeg2000, Jpeg2000Codestream, Png };

ImageFormat sniffFormat(std::span<const std::uint8_t> bytes);
/// "jpeg", "jpeg2000", "jpeg2000-codestream", "png", "unknown".
const char* formatName(ImageFormat format);

/// Larger images are refused from their header, before decoding (a face needs far fewer pixels).
constexpr std::uint64_t kMaxImagePixels = 40'000'000;

/// Decodes to an 8-bit BGR image (grayscale, 16-bit and CMYK are converted); throws ImageError when the
/// bytes are not a decodable image, are truncated, or are too large.
cv::Mat decodeImage(std::span<const std::uint8_t> bytes);

}  // namespace portti::vision

namespace portti::vision {

/// A portrait encoded as a chip stores it (ICAO Doc 9303-10 DG2: typically 15-20 KB).
struct EncodedPortrait {
  std::vector<std::uint8_t> bytes;
  ImageFormat format = ImageFormat::Jpeg;
  int width = 0;
  int height = 0;
};

/// Scales `image` to `width` pixels wide (keeping its aspect ratio) and encodes it as JPEG or JPEG 2000,
/// lowering the quality until it fits `maxBytes` (or the lowest quality is reached): JPEG from quality 90
/// in steps of 5, JPEG 2000 by a binary search for the largest rate that fits (both land in ICAO's
/// 15-20 KB band for a 480 px portrait and 20 KB).
EncodedPortrait encodeChipPortrait(const cv::Mat& image, int width = 480, std::size_t maxBytes = 20000,
                                   ImageFormat format = ImageFormat::Jpeg);

}  // namespace portti::vision
