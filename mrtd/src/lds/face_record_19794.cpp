// ISO/IEC 19794-5:2005 facial record data, as Doc 9303 Part 10 puts it in DG2 (tag 5F2E):
//   general header (5.4, 14 bytes): 'FAC\0', version '010\0', record length (4), faces (2);
//   per face: facial information (5.5, 20 bytes: record length (4), feature points (2), gender,
//   eye colour, hair colour, feature mask (3), expression (2), pose angles (3), uncertainty (3)),
//   feature points (5.6, 8 bytes each), image information (5.7, 12 bytes: face image type,
//   image data type (0 JPEG, 1 JPEG 2000), width (2), height (2), colour space, source type,
//   device type (2), quality (2)), then the image data (5.8).
#include <algorithm>
#include <cstring>

#include "lds/face_records.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::mrtd::detail {

namespace {
constexpr std::size_t kGeneralHeader = 14;
constexpr std::size_t kFacialInformation = 20;
constexpr std::size_t kFeaturePoint = 8;
constexpr std::size_t kImageInformation = 12;
constexpr const char* kStep = "parse DG2 ISO/IEC 19794-5 record";

std::uint32_t be16(ByteView d, std::size_t at) { return static_cast<std::uint32_t>(d[at] << 8 | d[at + 1]); }
std::uint32_t be32(ByteView d, std::size_t at) {
  return static_cast<std::uint32_t>(d[at]) << 24 | static_cast<std::uint32_t>(d[at + 1]) << 16 |
         static_cast<std::uint32_t>(d[at + 2]) << 8 | d[at + 3];
}

ImageFormat declaredFormat(int code) {
  switch (code) {
    case 0: return ImageFormat::Jpeg;
    case 1: return ImageFormat::Jpeg2000;
    default: return ImageFormat::Unknown;
  }
}
}  // namespace

std::vector<FaceImage> parseIso19794_5(ByteView block) {
  if (block.size() < kGeneralHeader) {
    throw Error(ErrorArea::Lds, kStep, "general header truncated: " + std::to_string(block.size()) + " bytes");
  }
  if (std::memcmp(block.data(), "FAC\0", 4) != 0) {
    throw Error(ErrorArea::Lds, kStep, "format identifier is " + toHex(block.first(4)) + ", not 'FAC\\0'");
  }
  if (std::memcmp(block.data() + 4, "010\0", 4) != 0) {
    throw Error(ErrorArea::Lds, kStep,
                "version " + toHex(block.subspan(4, 4)) + " is not '010\\0' (ISO/IEC 19794-5:2005)");
  }
  LdsDeviations blockDeviations;
  const std::uint32_t recordLength = be32(block, 8);
  if (recordLength != block.size()) {
    blockDeviations.push_back({"dg2.record-length", "record length field says " + std::to_string(recordLength) +
                                                        " bytes, the data block has " + std::to_string(block.size())});
  }
  const std::uint32_t faceCount = be16(block, 12);
  if (faceCount == 0) blockDeviations.push_back({"dg2.face-count", "the record declares 0 faces"});

  std::vector<FaceImage> faces;
  std::size_t pos = kGeneralHeader;
  for (std::uint32_t i = 0; i < faceCount && pos < block.size(); ++i) {
    const std::size_t remaining = block.size() - pos;
    if (remaining < kFacialInformation) {
      blockDeviations.push_back({"dg2.face-truncated", "face " + std::to_string(i + 1) + " truncated after " +
                                                           std::to_string(remaining) + " bytes"});
      break;
    }
    FaceImage face;
    face.encoding = FaceRecordEncoding::Iso19794_5;
    std::size_t length = be32(block, pos);
    const std::size_t featurePoints = be16(block, pos + 4);
    const std::size_t headerBytes = kFacialInformation + featurePoints * kFeaturePoint + kImageInformation;
    if (length > remaining) {
      // Real documents overrun by a few bytes; keep what is there.
      face.deviations.push_back({"dg2.face-length", "facial record length says " + std::to_string(length) +
                                                        " bytes, only " + std::to_string(remaining) + " remain"});
      length = remaining;
    }
    if (length < headerBytes) {
      if (headerBytes > remaining) {
        throw Error(ErrorArea::Lds, kStep,
                    "face " + std::to_string(i + 1) + " needs " + std::to_string(headerBytes) +
                        " header bytes, only " + std::to_string(remaining) + " remain");
      }
      face.deviations.push_back({"dg2.face-length", "facial record length " + std::to_string(length) +
                                                        " is shorter than its own header (" +
                                                        std::to_string(headerBytes) + "); image taken to the end"});
      length = remaining;
    }
    const std::size_t info = pos + kFacialInformation + featurePoints * kFeaturePoint;
    face.declaredFormatCode = block[info + 1];
    face.declaredFormat = declaredFormat(face.declaredFormatCode);
    face.declaredWidth = be16(block, info + 2);
    face.declaredHeight = be16(block, info + 4);
    ByteView image = block.subspan(pos + headerBytes, length - headerBytes);
    face.image.assign(image.begin(), image.end());
    checkImageBytes(face);
    faces.push_back(std::move(face));
    pos += length;
  }
  if (faces.size() < faceCount) {
    blockDeviations.push_back({"dg2.face-count", "the record declares " + std::to_string(faceCount) + " faces, " +
                                                     std::to_string(faces.size()) + " found"});
  }
  if (pos < block.size()) {
    blockDeviations.push_back({"dg2.trailing-bytes", std::to_string(block.size() - pos) +
                                                         " bytes after the last facial record"});
  }
  if (faces.empty()) throw Error(ErrorArea::Lds, kStep, "no facial record in the data block");
  // Block-level findings belong to every face of this block: they describe its container.
  for (auto& f : faces) f.deviations.insert(f.deviations.begin(), blockDeviations.begin(), blockDeviations.end());
  return faces;
}

}  // namespace portti::mrtd::detail
