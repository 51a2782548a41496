// DG1: ICAO Doc 9303 Part 10, 4.7.1.
#include "portti/mrtd/lds/dg1.hpp"

#include "lds_text.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kFile = "DG1";
constexpr std::uint32_t kTagDg1 = 0x61;
constexpr std::uint32_t kTagMrz = 0x5F1F;
}  // namespace

Mrz parseDg1(ByteView file) {
  using namespace lds_text;
  const Tlv top = openFile(file, kTagDg1, kFile);
  std::optional<Tlv> mrz;
  for (const Tlv& t : children(top.value, kFile)) {
    if (t.tag == kTagMrz) {
      mrz = t;
      break;
    }
  }
  if (!mrz) throw Error(ErrorArea::Lds, kFile, "no MRZ data object (5F1F)");
  const std::string text = asText(mrz->value);
  const std::size_t width = text.size() == 90 ? 30 : text.size() == 72 ? 36 : text.size() == 88 ? 44 : 0;
  if (width == 0) {
    throw Error(ErrorArea::Lds, kFile,
                "MRZ of " + std::to_string(text.size()) +
                    " characters; expected 90 (TD1), 72 (TD2, MRV-B) or 88 "
                    "(TD3, MRV-A)");
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < text.size(); i += width) lines.push_back(text.substr(i, width));
  return parseMrzLines(lines);
}

Bytes encodeDg1(const std::vector<std::string>& lines) {
  const Mrz mrz = parseMrzLines(lines);
  if (mrz.format == MrzFormat::Unknown) {
    throw Error(ErrorArea::Lds, "encode DG1", mrz.errors.empty() ? "unknown MRZ layout" : mrz.errors.front());
  }
  std::string text;
  for (const auto& l : lines) text += l;
  return encodeTlv(
      kTagDg1, encodeTlv(kTagMrz, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
}

Bytes encodeDg1(std::string_view mrzText) {
  return encodeDg1(splitMrzLines(mrzText));
}

}  // namespace portti::mrtd
