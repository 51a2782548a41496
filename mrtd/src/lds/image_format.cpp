#include <algorithm>

#include "portti/mrtd/lds/dg2.hpp"

namespace portti::mrtd {

namespace {
bool startsWith(ByteView data, std::initializer_list<std::uint8_t> magic) {
  return data.size() >= magic.size() && std::equal(magic.begin(), magic.end(), data.begin());
}
}  // namespace

const char* imageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::Unknown: return "unknown";
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Jpeg2000: return "JPEG2000";
    case ImageFormat::Jpeg2000Jp2: return "JPEG2000 (JP2)";
    case ImageFormat::Jpeg2000Codestream: return "JPEG2000 (codestream)";
    case ImageFormat::Png: return "PNG";
  }
  return "unknown";
}

ImageFormat sniffImageFormat(ByteView image) {
  // ISO/IEC 10918-1 SOI followed by a marker; ISO/IEC 15444-1 Annex I (JP2 signature box) and
  // Annex A (SOC then SIZ); PNG signature (ISO/IEC 15948).
  if (startsWith(image, {0xFF, 0xD8, 0xFF})) return ImageFormat::Jpeg;
  if (startsWith(image, {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A}))
    return ImageFormat::Jpeg2000Jp2;
  if (startsWith(image, {0xFF, 0x4F, 0xFF, 0x51})) return ImageFormat::Jpeg2000Codestream;
  if (startsWith(image, {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::Png;
  return ImageFormat::Unknown;
}

bool sameImageFamily(ImageFormat a, ImageFormat b) {
  auto family = [](ImageFormat f) {
    return f == ImageFormat::Jpeg2000Jp2 || f == ImageFormat::Jpeg2000Codestream ? ImageFormat::Jpeg2000 : f;
  };
  return family(a) == family(b);
}

}  // namespace portti::mrtd
