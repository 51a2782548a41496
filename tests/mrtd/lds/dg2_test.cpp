#include <gtest/gtest.h>

#include <algorithm>

#include "mrtd/lds/shared_files.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

namespace {
const std::string kFaces = "emrtd/face-records/";

// A tiny stand-in image: JPEG SOI + APP0 marker start + EOI (structure only).
const Bytes kJpeg = fromHex("FFD8FFE000104A46494600FFD9");
const Bytes kJp2 = fromHex("0000000C6A5020200D0A870A00000014667479706A703220");
const Bytes kJ2k = fromHex("FF4FFF51002F000000000100");

// Offset of the ISO/IEC 19794-5 record ('FAC\0') inside an encoded DG2.
std::size_t recordOffset(const Bytes& dg2) {
  const Bytes magic = {'F', 'A', 'C', 0};
  return static_cast<std::size_t>(std::search(dg2.begin(), dg2.end(), magic.begin(), magic.end()) - dg2.begin());
}
}  // namespace

TEST(ImageFormat, SniffsEachSignature) {
  EXPECT_EQ(sniffImageFormat(kJpeg), ImageFormat::Jpeg);
  EXPECT_EQ(sniffImageFormat(kJp2), ImageFormat::Jpeg2000Jp2);
  EXPECT_EQ(sniffImageFormat(kJ2k), ImageFormat::Jpeg2000Codestream);
  EXPECT_EQ(sniffImageFormat(fromHex("89504E470D0A1A0A0000")), ImageFormat::Png);
  EXPECT_EQ(sniffImageFormat(fromHex("FFD8FE")), ImageFormat::Unknown);
  EXPECT_EQ(sniffImageFormat(fromHex("0000000C6A50")), ImageFormat::Unknown);  // truncated box
  EXPECT_EQ(sniffImageFormat({}), ImageFormat::Unknown);
  EXPECT_TRUE(sameImageFamily(ImageFormat::Jpeg2000, ImageFormat::Jpeg2000Codestream));
  EXPECT_FALSE(sameImageFamily(ImageFormat::Jpeg, ImageFormat::Jpeg2000Jp2));
}

TEST(Dg2, Iso19794TestRecordGivesTheExpectedJpeg) {
  PORTTI_SHARED_OR_SKIP(block, kFaces + "ISO19794_Test1_Data.bin");
  PORTTI_SHARED_OR_SKIP(jpg, kFaces + "ISO19794_Test1_Face.jpg");
  auto faces = parseBiometricDataBlock(block);
  ASSERT_EQ(faces.size(), 1u);
  const FaceImage& f = faces[0];
  EXPECT_EQ(f.encoding, FaceRecordEncoding::Iso19794_5);
  EXPECT_EQ(f.image, jpg);
  EXPECT_EQ(f.format, ImageFormat::Jpeg);
  EXPECT_EQ(f.declaredWidth, 148u);
  EXPECT_EQ(f.declaredHeight, 70u);
  // The record's image data type is 1 (JPEG 2000) although the bytes are a JFIF JPEG.
  EXPECT_EQ(f.declaredFormatCode, 1);
  EXPECT_EQ(f.declaredFormat, ImageFormat::Jpeg2000);
  EXPECT_TRUE(hasDeviation(f.deviations, "dg2.image-format-mismatch"));
  EXPECT_FALSE(hasDeviation(f.deviations, "dg2.record-length"));
}

TEST(Dg2, Icao9303Part10ExampleDg2) {
  PORTTI_SHARED_OR_SKIP(dg2, "emrtd/icao9303-p10-examples/DG2.bin");
  PORTTI_SHARED_OR_SKIP(jpg, kFaces + "ISO19794_Test1_Face.jpg");
  Dg2 parsed = parseDg2(dg2);
  EXPECT_EQ(parsed.declaredInstances, 1);
  EXPECT_TRUE(parsed.deviations.empty()) << parsed.deviations[0].code << ": " << parsed.deviations[0].detail;
  ASSERT_EQ(parsed.faces.size(), 1u);
  EXPECT_EQ(parsed.faces[0].image, jpg);
  EXPECT_EQ(parsed.faces[0].format, ImageFormat::Jpeg);
}

TEST(Dg2, InvalidIso19794ImageStillExtracts) {
  PORTTI_SHARED_OR_SKIP(block, kFaces + "ISO19794_Test2_Data_InvalidImage.bin");
  auto faces = parseBiometricDataBlock(block);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].image.size(), block.size() - 46);
  EXPECT_EQ(faces[0].format, ImageFormat::Unknown);
  EXPECT_TRUE(hasDeviation(faces[0].deviations, "dg2.image-unrecognised"));
}

TEST(Dg2, Icao39794ProfileWholeDg2Files) {
  PORTTI_SHARED_OR_SKIP(jp2, kFaces + "ICAO_39794_5_AP_Face.jpg");
  for (const char* name : {"ICAO_39794_5_AP_DG2_AllFields.dat", "ICAO_39794_5_AP_DG2_MandFields.dat"}) {
    SCOPED_TRACE(name);
    PORTTI_SHARED_OR_SKIP(dg2, kFaces + name);
    Dg2 parsed = parseDg2(dg2);
    ASSERT_EQ(parsed.faces.size(), 1u);
    const FaceImage& f = parsed.faces[0];
    EXPECT_EQ(f.encoding, FaceRecordEncoding::Iso39794_5);
    EXPECT_EQ(f.image, jp2);
    EXPECT_EQ(f.format, ImageFormat::Jpeg2000Jp2);
    EXPECT_EQ(f.declaredFormatCode, 3);  // jpeg2000Lossy
    EXPECT_FALSE(hasDeviation(f.deviations, "dg2.image-format-mismatch"));
    EXPECT_TRUE(parsed.deviations.empty()) << parsed.deviations[0].detail;
  }
}

TEST(Dg2, Icao39794ProfileBareBlocks) {
  PORTTI_SHARED_OR_SKIP(jp2, kFaces + "ICAO_39794_5_AP_Face.jpg");
  PORTTI_SHARED_OR_SKIP(all, kFaces + "ICAO_39794_5_AP_AllFields.dat");
  auto faces = parseBiometricDataBlock(all);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].image, jp2);
  // AllFields declares 572 x 731 in its imageSizeBlock [7] (80 02 023C, 81 02 02DB).
  EXPECT_EQ(faces[0].declaredWidth, 572u);
  EXPECT_EQ(faces[0].declaredHeight, 731u);

  PORTTI_SHARED_OR_SKIP(mand, kFaces + "ICAO_39794_5_AP_MandFields.dat");
  faces = parseBiometricDataBlock(mand);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].image, jp2);
  EXPECT_FALSE(faces[0].declaredWidth.has_value());  // no imageSizeBlock among mandatory fields

  PORTTI_SHARED_OR_SKIP(bad, kFaces + "ICAO_39794_5_AP_MandFields_InvalidImage.dat");
  faces = parseBiometricDataBlock(bad);
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_EQ(faces[0].image.size(), jp2.size());
  EXPECT_NE(faces[0].image, jp2);
  EXPECT_EQ(faces[0].format, ImageFormat::Unknown);
  EXPECT_EQ(faces[0].declaredFormat, ImageFormat::Jpeg2000);
  EXPECT_TRUE(hasDeviation(faces[0].deviations, "dg2.image-unrecognised"));
}

TEST(Dg2, EncodeRoundTripsEachFormat) {
  struct Case {
    Bytes image;
    ImageFormat format;
  };
  for (const Case& c : {Case{kJpeg, ImageFormat::Jpeg}, Case{kJp2, ImageFormat::Jpeg2000Jp2},
                        Case{kJ2k, ImageFormat::Jpeg2000Codestream}}) {
    Bytes dg2 = encodeDg2(c.image, c.format, 413, 531);
    EXPECT_NO_THROW(decodeOne(dg2));  // strictly valid DER
    Dg2 parsed = parseDg2(dg2);
    EXPECT_TRUE(parsed.deviations.empty());
    ASSERT_EQ(parsed.faces.size(), 1u);
    const FaceImage& f = parsed.faces[0];
    EXPECT_EQ(f.image, c.image);
    EXPECT_EQ(f.format, c.format);
    EXPECT_TRUE(sameImageFamily(f.declaredFormat, c.format));
    EXPECT_EQ(f.declaredWidth, 413u);
    EXPECT_EQ(f.declaredHeight, 531u);
    EXPECT_TRUE(f.deviations.empty()) << f.deviations[0].detail;
  }
}

TEST(Dg2, EncodeMatchesThePart10ExampleLayout) {
  PORTTI_SHARED_OR_SKIP(dg2, "emrtd/icao9303-p10-examples/DG2.bin");
  PORTTI_SHARED_OR_SKIP(jpg, kFaces + "ISO19794_Test1_Face.jpg");
  Bytes ours = encodeDg2(jpg, ImageFormat::Jpeg, 148, 70);
  // Same size and the same bytes through the general header and facial information (0x24 + 14 +
  // 20); the image information differs (the example says token face / JPEG 2000 / colour space
  // unspecified, ours full frontal / JPEG / 24-bit RGB / digital still).
  ASSERT_EQ(ours.size(), dg2.size());
  EXPECT_EQ(toHex(ByteView(ours).first(0x46)), toHex(ByteView(dg2).first(0x46)));
  EXPECT_EQ(toHex(ByteView(ours).subspan(0x46, 12)), "01000094004601020000" "0000");
  EXPECT_EQ(toHex(ByteView(ours).last(jpg.size())), toHex(jpg));
}

TEST(Dg2, EncodeRejectsWhatDoesNotFit) {
  EXPECT_THROW(encodeDg2(kJpeg, ImageFormat::Png, 1, 1), Error);
  EXPECT_THROW(encodeDg2(kJpeg, ImageFormat::Unknown, 1, 1), Error);
  EXPECT_THROW(encodeDg2(kJpeg, ImageFormat::Jpeg, 70000, 1), Error);
}

TEST(Dg2, LenientLengthsAreClampedAndNamed) {
  Bytes dg2 = encodeDg2(kJpeg, ImageFormat::Jpeg, 10, 10);
  // Cut the last 5 bytes: every enclosing length now overruns the data by 5.
  Bytes cut(dg2.begin(), dg2.end() - 5);
  Dg2 parsed = parseDg2(cut);
  ASSERT_EQ(parsed.faces.size(), 1u);
  EXPECT_TRUE(hasDeviation(parsed.deviations, "dg2.length-overrun"));
  EXPECT_TRUE(hasDeviation(parsed.faces[0].deviations, "dg2.record-length"));
  EXPECT_TRUE(hasDeviation(parsed.faces[0].deviations, "dg2.face-length"));
  EXPECT_EQ(parsed.faces[0].image, Bytes(kJpeg.begin(), kJpeg.end() - 5));

  // Record length off by +3 with the data intact, plus trailing bytes after the file.
  Bytes longer = dg2;
  longer[recordOffset(dg2) + 11] += 3;  // least significant byte of the record length
  longer.push_back(0x00);
  parsed = parseDg2(longer);
  ASSERT_EQ(parsed.faces.size(), 1u);
  EXPECT_EQ(parsed.faces[0].image, kJpeg);
  EXPECT_TRUE(hasDeviation(parsed.faces[0].deviations, "dg2.record-length"));
  EXPECT_TRUE(hasDeviation(parsed.deviations, "dg2.trailing-bytes"));
}

TEST(Dg2, MalformedInputsThrowOnlyMrtdErrors) {
  const Bytes good = encodeDg2(kJpeg, ImageFormat::Jpeg, 10, 10);
  struct Case {
    const char* what;
    Bytes data;
  };
  std::vector<Case> cases = {
      {"empty", {}},
      {"wrong file tag", fromHex("6102AABB")},
      {"no 7F61", fromHex("75035F2E00")},
      {"indefinite length", fromHex("7580")},
      {"length field too long", fromHex("7585FFFFFFFFFF")},
      {"7F60 without a data block only", fromHex("75097F6106020101 7F6000")},
  };
  const std::size_t rec = recordOffset(good);
  cases.push_back({"general header cut", Bytes(good.begin(), good.begin() + rec + 10)});
  cases.push_back({"facial header cut", Bytes(good.begin(), good.begin() + rec + 14 + 10)});
  cases.push_back({"image information cut", Bytes(good.begin(), good.begin() + rec + 14 + 25)});
  // 'FAC\0' with a version this parser does not read (19794-5:2011 '030\0').
  Bytes v3 = good;
  v3[rec + 5] = '3';
  cases.push_back({"version 030", v3});
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_THROW(parseDg2(c.data), Error);
  }
}

namespace {
// An ICAO 39794-5 block built from its parts: [1] { [APPLICATION 5] { version, representations } }.
Bytes block39794(const Bytes& representations, bool withVersion = true) {
  Bytes version = encodeTlv(0xA0, fromHex("800103 810207E3"));
  Bytes content = withVersion ? concat({version, encodeTlv(0xA1, representations)}) : encodeTlv(0xA1, representations);
  return encodeTlv(0xA1, encodeTlv(0x65, content));
}
Bytes representation2d(const Bytes& image, const Bytes& info) {
  Bytes block2d = encodeTlv(0xA0, concat({encodeTlv(0x80, image), info}));
  return encodeTlv(0x30, concat({fromHex("800100"), encodeTlv(0xA1, encodeTlv(0xA0, block2d))}));
}
Bytes info(int code) { return encodeTlv(0xA1, encodeTlv(0xA0, encodeTlv(0x80, Bytes{static_cast<std::uint8_t>(code)}))); }
}  // namespace

TEST(Dg2, Iso39794RepresentationsAndTheirDeviations) {
  // Two 2D representations (the profile allows one) and one extension-only representation.
  Bytes extension = encodeTlv(0x30, concat({fromHex("800101"), encodeTlv(0xA1, fromHex("A100"))}));
  Bytes block = block39794(concat({representation2d(kJpeg, info(2)), extension, representation2d(kJ2k, info(4))}));
  auto faces = parseBiometricDataBlock(block);
  ASSERT_EQ(faces.size(), 2u);
  EXPECT_EQ(faces[0].image, kJpeg);
  EXPECT_EQ(faces[0].format, ImageFormat::Jpeg);
  EXPECT_EQ(faces[1].format, ImageFormat::Jpeg2000Codestream);
  EXPECT_EQ(faces[1].declaredFormat, ImageFormat::Jpeg2000);
  EXPECT_TRUE(hasDeviation(faces[0].deviations, "dg2.representation-skipped"));
  EXPECT_TRUE(hasDeviation(faces[0].deviations, "dg2.representation-count"));
  EXPECT_FALSE(hasDeviation(faces[1].deviations, "dg2.image-format-mismatch"));

  // Declared PNG, bytes JPEG: the bytes win and the mismatch is named.
  faces = parseBiometricDataBlock(block39794(representation2d(kJpeg, info(5))));
  EXPECT_EQ(faces.at(0).declaredFormat, ImageFormat::Png);
  EXPECT_EQ(faces[0].format, ImageFormat::Jpeg);
  EXPECT_TRUE(hasDeviation(faces[0].deviations, "dg2.image-format-mismatch"));

  // No imageInformation2DBlock and no version block: extracted, both named.
  faces = parseBiometricDataBlock(block39794(representation2d(kJpeg, {}), false));
  EXPECT_TRUE(hasDeviation(faces.at(0).deviations, "dg2.image-information-missing"));
  EXPECT_TRUE(hasDeviation(faces[0].deviations, "dg2.39794-version"));

  // A 39794 block under the 19794 tag 5F2E is read by its content, and named.
  Bytes bit = encodeTlv(0x7F60, concat({fromHex("A100"), encodeTlv(0x5F2E, block39794(representation2d(kJpeg, info(2))))}));
  Dg2 dg2 = parseDg2(encodeTlv(0x75, encodeTlv(0x7F61, concat({fromHex("020101"), bit}))));
  ASSERT_EQ(dg2.faces.size(), 1u);
  EXPECT_EQ(dg2.faces[0].encoding, FaceRecordEncoding::Iso39794_5);
  EXPECT_TRUE(hasDeviation(dg2.deviations, "dg2.data-block-tag"));
}

TEST(Dg2, Iso39794MalformedBlocksThrow) {
  struct Case {
    const char* what;
    Bytes block;
  };
  const Case cases[] = {
      {"not APPLICATION 5", encodeTlv(0xA1, encodeTlv(0x30, fromHex("0500")))},
      {"no representations", encodeTlv(0xA1, encodeTlv(0x65, encodeTlv(0xA0, fromHex("800103"))))},
      {"only an extension representation",
       block39794(encodeTlv(0x30, concat({fromHex("800101"), encodeTlv(0xA1, fromHex("A100"))})))},
      {"2D block without image data", block39794(encodeTlv(0x30, concat({fromHex("800100"),
                                                                          encodeTlv(0xA1, encodeTlv(0xA0, encodeTlv(0xA0, info(2))))})))},
      {"format code not an integer", block39794(representation2d(kJpeg, encodeTlv(0xA1, encodeTlv(0xA0, fromHex("8000")))))},
      {"size without height", block39794(representation2d(kJpeg, encodeTlv(0xA1, concat({encodeTlv(0xA0, fromHex("800102")),
                                                                                        fromHex("A703 800110")}))))},
      {"inner length overrun", fromHex("A1 05 65 03 A1 10 30")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_THROW(parseBiometricDataBlock(c.block), Error);
  }
}
