// DG2, the encoded face (ICAO Doc 9303 Part 10, 4.7.2): a Biometric Information Group Template
// (7F61) holding Biometric Information Templates (7F60), each with a biometric data block that is
// an ISO/IEC 19794-5:2005 facial record (5F2E) or an ISO/IEC 39794-5 face image data block
// (7F2E, the ICAO application profile).
//
// mrtd does not decode pixels: it extracts the encoded image bytes, their format and the declared
// size; vision/ decodes them. DG2 is only displayed and compared (its integrity comes from the SOD
// hash over the raw bytes), so the parser is lenient about lengths and names every deviation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/lds/deviation.hpp"

namespace portti::mrtd {

/// Encoded image formats found in DG2. `Jpeg2000` means "JPEG 2000, container not stated": a header
/// can say it, the bytes never do (they are a JP2 file or a raw codestream).
enum class ImageFormat { Unknown, Jpeg, Jpeg2000, Jpeg2000Jp2, Jpeg2000Codestream, Png };

/// "JPEG", "JPEG2000 (JP2)", "JPEG2000 (codestream)", ... for messages and JSON.
const char* imageFormatName(ImageFormat format);

/// The format told by the image's first bytes: JPEG SOI FFD8FF, the JP2 signature box
/// 0000000C6A5020200D0A870A, the J2K codestream SOC+SIZ FF4FFF51, the PNG signature; else Unknown.
ImageFormat sniffImageFormat(ByteView image);

/// True when both name the same family (JPEG 2000 in any container counts as one family).
bool sameImageFamily(ImageFormat a, ImageFormat b);

/// Which standard the biometric data block follows.
enum class FaceRecordEncoding { Iso19794_5, Iso39794_5 };

/// One face image extracted from DG2.
struct FaceImage {
  FaceRecordEncoding encoding = FaceRecordEncoding::Iso19794_5;
  Bytes image;                                      ///< the encoded image bytes, exactly as stored
  ImageFormat format = ImageFormat::Unknown;        ///< from the bytes (trusted over the header)
  ImageFormat declaredFormat = ImageFormat::Unknown;  ///< what the record header says
  int declaredFormatCode = -1;                      ///< raw header code (19794-5 image data type or
                                                    ///< 39794-5 ImageDataFormatCode); -1 if absent
  std::optional<std::uint32_t> declaredWidth;       ///< width the header declares, in pixels
  std::optional<std::uint32_t> declaredHeight;      ///< height the header declares, in pixels
  LdsDeviations deviations;                         ///< deviations found in this face's record
};

/// The parsed DG2.
struct Dg2 {
  std::optional<int> declaredInstances;  ///< the 7F61 count (tag 02), if present
  std::vector<FaceImage> faces;          ///< every face found, in file order
  LdsDeviations deviations;              ///< deviations at file / template level
};

/// Parses a whole DG2 file (tag 75). Throws Error{Lds} (or Error{Tlv}) when no face record can be
/// found at all; lengths that overrun their container are clamped and recorded, never read past.
Dg2 parseDg2(ByteView dg2);

/// Extracts the faces of one bare biometric data block, told apart by its content ('FAC\0' for
/// 19794-5, [1]/[APPLICATION 5] for 39794-5). Throws Error{Lds}/Error{Tlv} when it is neither or
/// when its structure cannot hold an image.
std::vector<FaceImage> parseBiometricDataBlock(ByteView block);

/// A DG2 with one ISO/IEC 19794-5:2005 facial record (full frontal, 24-bit RGB, digital still)
/// around `image`, as Doc 9303 Part 10 shows it. `format` is JPEG or any JPEG 2000 form; the
/// image bytes are not checked, so a test chip may carry a broken image. Throws Error{Lds} for
/// other formats or sizes above 65535.
Bytes encodeDg2(ByteView image, ImageFormat format, std::uint32_t width, std::uint32_t height);

}  // namespace portti::mrtd
