// DG2 container (Doc 9303 Part 10, 4.7.2 and ISO/IEC 7816-11 / 19785-3 CBEFF):
//   75 { 7F61 { 02 count, 7F60 { A1 biometric header template, 5F2E | 7F2E data block }... } }
// Lengths are read leniently: real DG2s overrun their container by a few bytes, so a length that
// runs past the end is clamped to what is there and named; nothing is read beyond the buffer.
#include "portti/mrtd/lds/dg2.hpp"

#include <cstring>

#include "lds/face_records.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kStep = "parse DG2";

std::string tagHex(std::uint32_t tag) { return toHex(encodeTag(tag)); }

/// One object read with a length that may overrun its container.
struct LenientTlv {
  std::uint32_t tag = 0;
  ByteView value;
  std::size_t claimed = 0;  ///< the length field's value
};

/// Reads the object at `pos` in `data` like TlvReader, but a length past the end is clamped (the
/// caller records it). Malformed tags and length fields still throw.
[[noreturn]] void fail(const std::string& message) { throw Error(ErrorArea::Tlv, kStep, message); }

LenientTlv readLenient(ByteView data, std::size_t& pos) {
  const std::size_t size = data.size();
  if (pos >= size) fail("no data object");
  std::uint32_t tag = data[pos++];
  if ((tag & 0x1F) == 0x1F) {
    for (int more = 0;; ++more) {
      if (pos >= size || more >= 3) fail("tag truncated or too long");
      std::uint8_t b = data[pos++];
      tag = tag << 8 | b;
      if ((b & 0x80) == 0) break;
    }
  }
  if (pos >= size) fail("length of tag " + tagHex(tag) + " truncated");
  std::size_t length = data[pos++];
  if (length == 0x80) fail("indefinite length in tag " + tagHex(tag));
  if (length > 0x80) {
    const std::size_t count = length & 0x7F;
    if (count > 4 || size - pos < count) fail("bad length field in tag " + tagHex(tag));
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = length << 8 | data[pos++];
  }
  LenientTlv t;
  t.tag = tag;
  t.claimed = length;
  const std::size_t available = std::min(length, size - pos);
  t.value = data.subspan(pos, available);
  pos += available;
  return t;
}

void noteOverrun(const LenientTlv& t, const char* what, LdsDeviations& deviations) {
  if (t.claimed > t.value.size()) {
    deviations.push_back({"dg2.length-overrun", std::string(what) + " (tag " + tagHex(t.tag) + ") claims " +
                                                    std::to_string(t.claimed) + " bytes, " +
                                                    std::to_string(t.value.size()) + " are present"});
  }
}

bool looksLike19794(ByteView block) { return block.size() >= 4 && std::memcmp(block.data(), "FAC\0", 4) == 0; }

std::vector<FaceImage> parseBlock(ByteView block, std::uint32_t tag, LdsDeviations& deviations) {
  const bool iso19794 = looksLike19794(block);
  if (iso19794 != (tag == 0x5F2E)) {
    deviations.push_back({"dg2.data-block-tag", "data block tag " + tagHex(tag) + " holds " +
                                                    (iso19794 ? "ISO/IEC 19794-5" : "ISO/IEC 39794-5") +
                                                    " data; read by its content"});
  }
  return iso19794 ? detail::parseIso19794_5(block) : detail::parseIso39794_5(block);
}

void parseTemplate(ByteView bit, Dg2& out, std::size_t index) {
  std::size_t pos = 0;
  bool found = false;
  while (pos < bit.size()) {
    LenientTlv t = readLenient(bit, pos);
    if (t.tag == 0x5F2E || t.tag == 0x7F2E) {
      noteOverrun(t, "biometric data block", out.deviations);
      auto faces = parseBlock(t.value, t.tag, out.deviations);
      out.faces.insert(out.faces.end(), std::make_move_iterator(faces.begin()), std::make_move_iterator(faces.end()));
      found = true;
    } else if (t.tag != 0xA1) {
      out.deviations.push_back({"dg2.unexpected-tag", "tag " + tagHex(t.tag) + " in biometric information template " +
                                                          std::to_string(index) + " ignored"});
    }
  }
  if (!found) {
    out.deviations.push_back({"dg2.no-data-block", "biometric information template " + std::to_string(index) +
                                                       " has no biometric data block (5F2E/7F2E)"});
  }
}
}  // namespace

Dg2 parseDg2(ByteView dg2) {
  Dg2 out;
  std::size_t pos = 0;
  LenientTlv file = readLenient(dg2, pos);
  if (file.tag != 0x75) throw Error(ErrorArea::Lds, kStep, "not DG2: the file starts with tag " + tagHex(file.tag));
  noteOverrun(file, "DG2", out.deviations);
  if (pos < dg2.size()) {
    out.deviations.push_back({"dg2.trailing-bytes", std::to_string(dg2.size() - pos) + " bytes after DG2"});
  }
  std::size_t inner = 0;
  LenientTlv group = readLenient(file.value, inner);
  if (group.tag != 0x7F61) {
    throw Error(ErrorArea::Lds, kStep, "no biometric information group template 7F61 (found tag " +
                                           tagHex(group.tag) + ")");
  }
  noteOverrun(group, "biometric information group template", out.deviations);

  std::size_t gpos = 0;
  std::size_t templates = 0;
  while (gpos < group.value.size()) {
    LenientTlv t = readLenient(group.value, gpos);
    if (t.tag == 0x02) {
      if (t.value.size() == 1) out.declaredInstances = t.value[0];
      else out.deviations.push_back({"dg2.instance-count", "instance count is not one byte"});
    } else if (t.tag == 0x7F60) {
      ++templates;
      noteOverrun(t, "biometric information template", out.deviations);
      parseTemplate(t.value, out, templates);
    } else {
      out.deviations.push_back({"dg2.unexpected-tag", "tag " + tagHex(t.tag) + " in 7F61 ignored"});
    }
  }
  if (!out.declaredInstances) {
    out.deviations.push_back({"dg2.instance-count", "7F61 has no instance count (tag 02)"});
  } else if (static_cast<std::size_t>(*out.declaredInstances) != templates) {
    out.deviations.push_back({"dg2.instance-count", "7F61 declares " + std::to_string(*out.declaredInstances) +
                                                        " templates, " + std::to_string(templates) + " found"});
  }
  if (out.faces.empty()) throw Error(ErrorArea::Lds, kStep, "DG2 holds no face image");
  return out;
}

std::vector<FaceImage> parseBiometricDataBlock(ByteView block) {
  return looksLike19794(block) ? detail::parseIso19794_5(block) : detail::parseIso39794_5(block);
}

Bytes encodeDg2(ByteView image, ImageFormat format, std::uint32_t width, std::uint32_t height) {
  std::uint8_t imageDataType = 0;
  switch (format) {
    case ImageFormat::Jpeg: imageDataType = 0x00; break;
    case ImageFormat::Jpeg2000:
    case ImageFormat::Jpeg2000Jp2:
    case ImageFormat::Jpeg2000Codestream: imageDataType = 0x01; break;
    default:
      throw Error(ErrorArea::Lds, "encode DG2",
                  std::string("ISO/IEC 19794-5 carries JPEG or JPEG 2000, not ") + imageFormatName(format));
  }
  if (width > 0xFFFF || height > 0xFFFF) {
    throw Error(ErrorArea::Lds, "encode DG2", "image sizes above 65535 do not fit ISO/IEC 19794-5");
  }
  const std::size_t facialLength = 20 + 12 + image.size();
  const std::size_t recordLength = 14 + facialLength;
  if (recordLength > 0xFFFFFFFFu) throw Error(ErrorArea::Lds, "encode DG2", "image too large");
  auto put16 = [](Bytes& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
  };
  auto put32 = [&](Bytes& b, std::size_t v) {
    put16(b, static_cast<std::uint32_t>(v >> 16));
    put16(b, static_cast<std::uint32_t>(v & 0xFFFF));
  };
  Bytes record = {'F', 'A', 'C', 0, '0', '1', '0', 0};
  put32(record, recordLength);
  put16(record, 1);  // one face
  put32(record, facialLength);
  put16(record, 0);  // no feature points
  // gender, eye colour, hair colour: unspecified; feature mask, expression, pose angles and their
  // uncertainty: none stated (ISO/IEC 19794-5:2005 5.5.3-5.5.10).
  record.insert(record.end(), 14, 0x00);
  record.push_back(0x01);  // face image type: full frontal (5.7.1)
  record.push_back(imageDataType);
  put16(record, width);
  put16(record, height);
  record.push_back(0x01);  // colour space: 24-bit RGB (5.7.5)
  record.push_back(0x02);  // source type: digital still camera (5.7.6)
  put16(record, 0);        // device type: unspecified
  put16(record, 0);        // quality: unspecified
  record.insert(record.end(), image.begin(), image.end());

  // Biometric header template (ISO/IEC 19785-3 / Doc 9303 Part 10 Table 35): header version
  // 0101, format owner 0101 (ISO/IEC JTC 1 SC 37), format type 0008 (19794-5 face image).
  const Bytes header = encodeTlv(0xA1, fromHex("800201 01 870201 01 88020008"));
  const Bytes bit = encodeTlv(0x7F60, concat({header, encodeTlv(0x5F2E, record)}));
  const Bytes group = encodeTlv(0x7F61, concat({fromHex("020101"), bit}));
  return encodeTlv(0x75, group);
}

}  // namespace portti::mrtd
