// ISO/IEC 39794-5 face image data block, ICAO application profile (Doc 9303 Part 10, DG2 tag 7F2E).
// DER with context tags; the parts read here (39794-5 ASN.1 module):
//   [1] { -- the block as stored in DG2 (a tagged wrapper around the data block)
//   FaceImageDataBlock ::= [APPLICATION 5] SEQUENCE {
//     versionBlock [0] { generation [0] INTEGER, year [1] INTEGER },
//     representationBlocks [1] SEQUENCE OF RepresentationBlock }
//   RepresentationBlock ::= SEQUENCE { representationId [0] INTEGER,
//     imageRepresentation [1] CHOICE { base [0] CHOICE { imageRepresentation2DBlock [0] ... },
//                                      extensionBlock [1] ... }, ... }
//   ImageRepresentation2DBlock ::= SEQUENCE { representationData2D [0] OCTET STRING (the image),
//     imageInformation2DBlock [1] SEQUENCE { imageDataFormat [0] CHOICE { code [0] ENUMERATED
//       { unknown(0), other(1), jpeg(2), jpeg2000Lossy(3), jpeg2000Lossless(4), png(5), ... },
//       extensionBlock [1] }, ..., imageSizeBlock [7] { width [0], height [1] } OPTIONAL, ... }, ... }
// The DER inside is read strictly by the TLV layer (never past its container).
#include "lds/face_records.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::detail {

namespace {
constexpr const char* kStep = "parse DG2 ISO/IEC 39794-5 block";

// A small non-negative INTEGER (image sizes, codes, ids): at most 4 content bytes.
std::uint32_t smallUnsigned(const Tlv& t, const char* what) {
  if (t.value.empty() || t.value.size() > 5 || (t.value[0] & 0x80) != 0 ||
      (t.value.size() == 5 && t.value[0] != 0)) {
    throw Error(ErrorArea::Lds, kStep, std::string(what) + " is not a non-negative 32-bit INTEGER");
  }
  std::uint32_t v = 0;
  for (auto b : t.value) v = v << 8 | b;
  return v;
}

ImageFormat declaredFormat(int code) {
  switch (code) {
    case 2: return ImageFormat::Jpeg;
    case 3:
    case 4: return ImageFormat::Jpeg2000;
    case 5: return ImageFormat::Png;
    default: return ImageFormat::Unknown;
  }
}

FaceImage parse2DBlock(const Tlv& block2d) {
  FaceImage face;
  face.encoding = FaceRecordEncoding::Iso39794_5;
  Tlv data = requireChild(block2d.value, 0x80, "ISO/IEC 39794-5 representationData2D");
  face.image.assign(data.value.begin(), data.value.end());
  auto info = findChild(block2d.value, 0xA1);
  if (!info) {
    face.deviations.push_back({"dg2.image-information-missing", "imageInformation2DBlock [1] is missing"});
  } else {
    if (auto format = findChild(info->value, 0xA0)) {
      if (auto code = findChild(format->value, 0x80)) {
        face.declaredFormatCode = static_cast<int>(smallUnsigned(*code, "imageDataFormat code"));
        face.declaredFormat = declaredFormat(face.declaredFormatCode);
      } else {
        face.deviations.push_back({"dg2.image-format-extension", "imageDataFormat is an extension block"});
      }
    } else {
      face.deviations.push_back({"dg2.image-format-missing", "imageDataFormat [0] is missing"});
    }
    if (auto size = findChild(info->value, 0xA7)) {
      face.declaredWidth = smallUnsigned(requireChild(size->value, 0x80, "imageSizeBlock width"), "width");
      face.declaredHeight = smallUnsigned(requireChild(size->value, 0x81, "imageSizeBlock height"), "height");
    }
  }
  checkImageBytes(face);
  return face;
}
}  // namespace

std::vector<FaceImage> parseIso39794_5(ByteView block) {
  LdsDeviations blockDeviations;
  TlvReader top(block);
  Tlv outer = top.next();
  if (!top.atEnd()) {
    blockDeviations.push_back({"dg2.trailing-bytes", std::to_string(top.rest().size()) +
                                                         " bytes after the face image data block"});
  }
  Tlv dataBlock = outer;
  if (outer.tag == 0xA1) {
    dataBlock = decodeFirst(outer.value);
  }
  if (dataBlock.tag != 0x65) {
    throw Error(ErrorArea::Lds, kStep, "no FaceImageDataBlock [APPLICATION 5] (found tag " +
                                           toHex(encodeTag(dataBlock.tag)) + ")");
  }
  if (auto version = findChild(dataBlock.value, 0xA0)) {
    auto generation = findChild(version->value, 0x80);
    if (generation && smallUnsigned(*generation, "version generation") != 3) {
      blockDeviations.push_back({"dg2.39794-version", "version block generation is " +
                                                         std::to_string(smallUnsigned(*generation, "generation")) +
                                                         " (the ICAO profile uses 3)"});
    }
  } else {
    blockDeviations.push_back({"dg2.39794-version", "versionBlock [0] is missing"});
  }
  Tlv representations = requireChild(dataBlock.value, 0xA1, "ISO/IEC 39794-5 representationBlocks");

  std::vector<FaceImage> faces;
  TlvReader reader(representations.value);
  std::size_t index = 0;
  while (!reader.atEnd()) {
    Tlv representation = reader.next();
    ++index;
    if (representation.tag != 0x30) {
      blockDeviations.push_back({"dg2.representation-skipped", "representation " + std::to_string(index) +
                                                                   " is not a SEQUENCE"});
      continue;
    }
    auto imageRep = findChild(representation.value, 0xA1);
    auto base = imageRep ? findChild(imageRep->value, 0xA0) : std::nullopt;
    auto block2d = base ? findChild(base->value, 0xA0) : std::nullopt;
    if (!block2d) {
      blockDeviations.push_back({"dg2.representation-skipped", "representation " + std::to_string(index) +
                                                                   " holds no 2D image (extension or missing)"});
      continue;
    }
    faces.push_back(parse2DBlock(*block2d));
  }
  if (faces.empty()) throw Error(ErrorArea::Lds, kStep, "no 2D face representation in the block");
  if (faces.size() > 1) {
    blockDeviations.push_back({"dg2.representation-count", std::to_string(faces.size()) +
                                                               " representations (the ICAO profile allows one)"});
  }
  for (auto& f : faces) f.deviations.insert(f.deviations.begin(), blockDeviations.begin(), blockDeviations.end());
  return faces;
}

}  // namespace portti::mrtd::detail
