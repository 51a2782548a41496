// DG11, additional personal details: ICAO Doc 9303 Part 10, 4.7.11.
#include "portti/mrtd/lds/dg11.hpp"

#include <algorithm>

#include "lds_text.hpp"
#include "lds_text_writer.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kFile = "DG11";
constexpr std::uint32_t kTagDg11 = 0x6B;
constexpr std::uint32_t kTagOtherNames = 0xA0;
constexpr std::uint32_t kTagOtherName = 0x5F0F;
}  // namespace

Dg11 parseDg11(ByteView file) {
  using namespace lds_text;
  Dg11 d;
  walkTextDataGroup(file, kTagDg11, kFile, kTagOtherNames, kTagOtherName, d.tagList, d.deviations,
                    [&d](const Tlv& t) {
                      const std::string text = asText(t.value);
                      switch (t.tag) {
                        case 0x5F0E:
                          d.fullName = text;
                          break;
                        case kTagOtherNames:
                          parseNameList(t.value, kTagOtherName, d.otherNames, d.deviations, kFile);
                          break;
                        case kTagOtherName:
                          d.otherNames.push_back(text);
                          d.deviations.push_back("5F0F outside an A0 template");
                          break;
                        case 0x5F10:
                          d.personalNumber = text;
                          break;
                        case 0x5F2B:
                          d.fullDateOfBirth = dateText(t.value, 8, t.tag, d.deviations);
                          break;
                        case 0x5F11:
                          d.placeOfBirth = text;
                          break;
                        case 0x5F42:
                          d.address = text;
                          break;
                        case 0x5F12:
                          d.telephone = text;
                          break;
                        case 0x5F13:
                          d.profession = text;
                          break;
                        case 0x5F14:
                          d.title = text;
                          break;
                        case 0x5F15:
                          d.personalSummary = text;
                          break;
                        case 0x5F16:
                          d.proofOfCitizenship = Bytes(t.value.begin(), t.value.end());
                          break;
                        case 0x5F17:
                          d.otherValidTdNumbers = text;
                          break;
                        case 0x5F18:
                          d.custodyInformation = text;
                          break;
                        default:
                          d.otherObjects.push_back({t.tag, Bytes(t.value.begin(), t.value.end())});
                          break;
                      }
                    });
  return d;
}

Bytes encodeDg11(const Dg11& d) {
  lds_text::Writer w;
  w.text(0x5F0E, d.fullName);
  if (!d.otherNames.empty()) w.raw(kTagOtherNames, lds_text::encodeNameList(d.otherNames, kTagOtherName));
  w.text(0x5F10, d.personalNumber);
  w.text(0x5F2B, d.fullDateOfBirth);
  w.text(0x5F11, d.placeOfBirth);
  w.text(0x5F42, d.address);
  w.text(0x5F12, d.telephone);
  w.text(0x5F13, d.profession);
  w.text(0x5F14, d.title);
  w.text(0x5F15, d.personalSummary);
  w.bytes(0x5F16, d.proofOfCitizenship);
  w.text(0x5F17, d.otherValidTdNumbers);
  w.text(0x5F18, d.custodyInformation);
  for (const DataObject& o : d.otherObjects) w.bytes(o.tag, o.value);
  return w.finish(kTagDg11);
}

}  // namespace portti::mrtd
