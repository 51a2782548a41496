// DG12, additional document details: ICAO Doc 9303 Part 10, 4.7.12.
#include "portti/mrtd/lds/dg12.hpp"

#include <algorithm>

#include "lds_text.hpp"
#include "lds_text_writer.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kFile = "DG12";
constexpr std::uint32_t kTagDg12 = 0x6C;
constexpr std::uint32_t kTagOtherPersons = 0xA0;
constexpr std::uint32_t kTagOtherPerson = 0x5F1A;
}  // namespace

Dg12 parseDg12(ByteView file) {
  using namespace lds_text;
  Dg12 d;
  walkTextDataGroup(file, kTagDg12, kFile, kTagOtherPersons, kTagOtherPerson, d.tagList, d.deviations,
                    [&d](const Tlv& t) {
                      const std::string text = asText(t.value);
                      switch (t.tag) {
                        case 0x5F19:
                          d.issuingAuthority = text;
                          break;
                        case 0x5F26:
                          d.dateOfIssue = dateText(t.value, 8, t.tag, d.deviations);
                          break;
                        case kTagOtherPersons:
                          parseNameList(t.value, kTagOtherPerson, d.otherPersons, d.deviations, kFile);
                          break;
                        case kTagOtherPerson:
                          d.otherPersons.push_back(text);
                          d.deviations.push_back("5F1A outside an A0 template");
                          break;
                        case 0x5F1B:
                          d.endorsements = text;
                          break;
                        case 0x5F1C:
                          d.taxExitRequirements = text;
                          break;
                        case 0x5F1D:
                          d.imageOfFront = Bytes(t.value.begin(), t.value.end());
                          break;
                        case 0x5F1E:
                          d.imageOfRear = Bytes(t.value.begin(), t.value.end());
                          break;
                        case 0x5F55:
                          d.personalisationTime = dateText(t.value, 14, t.tag, d.deviations);
                          break;
                        case 0x5F56:
                          d.personalisationDeviceSerial = text;
                          break;
                        default:
                          d.otherObjects.push_back({t.tag, Bytes(t.value.begin(), t.value.end())});
                          break;
                      }
                    });
  return d;
}

Bytes encodeDg12(const Dg12& d) {
  lds_text::Writer w;
  w.text(0x5F19, d.issuingAuthority);
  w.text(0x5F26, d.dateOfIssue);
  if (!d.otherPersons.empty())
    w.raw(kTagOtherPersons, lds_text::encodeNameList(d.otherPersons, kTagOtherPerson));
  w.text(0x5F1B, d.endorsements);
  w.text(0x5F1C, d.taxExitRequirements);
  w.bytes(0x5F1D, d.imageOfFront);
  w.bytes(0x5F1E, d.imageOfRear);
  w.text(0x5F55, d.personalisationTime);
  w.text(0x5F56, d.personalisationDeviceSerial);
  for (const DataObject& o : d.otherObjects) w.bytes(o.tag, o.value);
  return w.finish(kTagDg12);
}

}  // namespace portti::mrtd
