#include <algorithm>

#include "lds/face_records.hpp"

namespace portti::mrtd::detail {

void checkImageBytes(FaceImage& face) {
  face.format = sniffImageFormat(face.image);
  if (face.image.empty()) {
    face.deviations.push_back({"dg2.image-empty", "the face record holds no image bytes"});
    return;
  }
  if (face.format == ImageFormat::Unknown) {
    const std::size_t n = std::min<std::size_t>(face.image.size(), 4);
    const std::string start = toHex(ByteView(face.image).first(n));
    face.deviations.push_back({"dg2.image-unrecognised",
                               std::string("image bytes start with ") + start +
                                   ": neither JPEG nor JPEG 2000 (header says " +
                                   imageFormatName(face.declaredFormat) + ")"});
    return;
  }
  if (face.declaredFormat == ImageFormat::Unknown || !sameImageFamily(face.format, face.declaredFormat)) {
    face.deviations.push_back({"dg2.image-format-mismatch",
                               std::string("header says ") + imageFormatName(face.declaredFormat) +
                                   " (code " + std::to_string(face.declaredFormatCode) + "), bytes are " +
                                   imageFormatName(face.format) + "; the bytes are trusted"});
  }
}

}  // namespace portti::mrtd::detail
