// EF.COM: ICAO Doc 9303 Part 10, 4.6.1.
#include "portti/mrtd/lds/ef_com.hpp"

#include <algorithm>

#include "lds_text.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/data_group.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kFile = "EF.COM";

bool digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
ByteView view(std::string_view s) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}
}  // namespace

EfCom parseCom(ByteView file) {
  using namespace lds_text;
  const Tlv top = openFile(file, kTagCom, kFile);
  EfCom com;
  bool haveList = false;
  for (const Tlv& t : children(top.value, kFile)) {
    if (t.tag == 0x5F01 && com.ldsVersion.empty()) {
      com.ldsVersion = asText(t.value);
    } else if (t.tag == 0x5F36 && com.unicodeVersion.empty()) {
      com.unicodeVersion = asText(t.value);
    } else if (t.tag == 0x5C && !haveList) {
      haveList = true;
      for (std::uint32_t tag : parseTagList(t.value, kFile)) {
        if (auto dg = dataGroupForTag(tag)) {
          if (std::find(com.dataGroups.begin(), com.dataGroups.end(), *dg) == com.dataGroups.end()) {
            com.dataGroups.push_back(*dg);
          }
        } else {
          com.otherTags.push_back(tag);
        }
      }
    }
  }
  if (!haveList) throw Error(ErrorArea::Lds, kFile, "no tag list (5C)");
  return com;
}

Bytes encodeCom(std::string_view ldsVersion, const std::vector<int>& dataGroups,
                std::string_view unicodeVersion) {
  if (!digits(ldsVersion, 4))
    throw Error(ErrorArea::Lds, "encode EF.COM", "LDS version must be 4 digits, e.g. 0107");
  if (!digits(unicodeVersion, 6)) {
    throw Error(ErrorArea::Lds, "encode EF.COM", "Unicode version must be 6 digits, e.g. 040000");
  }
  Bytes list;
  for (int dg : dataGroups) list.push_back(dataGroupTag(dg));
  return encodeTlv(kTagCom, concat({encodeTlv(0x5F01, view(ldsVersion)),
                                    encodeTlv(0x5F36, view(unicodeVersion)), encodeTlv(0x5C, list)}));
}

}  // namespace portti::mrtd
