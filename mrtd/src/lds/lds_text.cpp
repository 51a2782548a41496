#include "lds_text.hpp"

#include <algorithm>
#include <cstdio>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd::lds_text {

std::string tagHex(std::uint32_t tag) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02X", tag);
  return buf;
}

Tlv openFile(ByteView file, std::uint32_t tag, const char* name) {
  Tlv top;
  try {
    top = decodeFirst(file);
  } catch (const Error& e) {
    throw Error(ErrorArea::Lds, name, "malformed TLV: " + e.detail());
  }
  if (top.tag != tag) {
    throw Error(ErrorArea::Lds, name, "expected tag " + tagHex(tag) + ", found " + tagHex(top.tag));
  }
  return top;
}

std::vector<Tlv> children(ByteView value, const char* file) {
  try {
    return decodeAll(value);
  } catch (const Error& e) {
    throw Error(ErrorArea::Lds, file, "malformed TLV: " + e.detail());
  }
}

std::vector<std::uint32_t> parseTagList(ByteView value, const char* file) {
  std::vector<std::uint32_t> tags;
  std::size_t i = 0;
  while (i < value.size()) {
    std::uint32_t tag = value[i++];
    if ((tag & 0x1F) == 0x1F) {
      int more = 0;
      while (true) {
        if (i >= value.size()) throw Error(ErrorArea::Lds, file, "tag list (5C) ends inside a tag");
        if (++more > 3) throw Error(ErrorArea::Lds, file, "tag list (5C) holds a tag longer than 4 bytes");
        const std::uint8_t b = value[i++];
        tag = tag << 8 | b;
        if ((b & 0x80) == 0) break;
      }
    }
    tags.push_back(tag);
  }
  return tags;
}

Bytes encodeTagList(const std::vector<std::uint32_t>& tags) {
  Bytes out;
  for (std::uint32_t t : tags) {
    Bytes b = encodeTag(t);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

std::string asText(ByteView value) {
  return std::string(value.begin(), value.end());
}

std::string dateText(ByteView value, std::size_t digits, std::uint32_t tag,
                     std::vector<std::string>& deviations) {
  const bool ascii = value.size() == digits && std::all_of(value.begin(), value.end(), [](std::uint8_t b) {
                       return b >= '0' && b <= '9';
                     });
  if (ascii) return asText(value);
  const bool bcd = value.size() * 2 == digits && std::all_of(value.begin(), value.end(), [](std::uint8_t b) {
                     return (b >> 4) <= 9 && (b & 0x0F) <= 9;
                   });
  if (bcd) {
    std::string out;
    for (std::uint8_t b : value) {
      out.push_back(static_cast<char>('0' + (b >> 4)));
      out.push_back(static_cast<char>('0' + (b & 0x0F)));
    }
    deviations.push_back(tagHex(tag) + ": date in BCD, read as " + out);
    return out;
  }
  deviations.push_back(tagHex(tag) + ": not a date of " + std::to_string(digits) + " digits; kept as read");
  return asText(value);
}

void parseNameList(ByteView value, std::uint32_t nameTag, std::vector<std::string>& names,
                   std::vector<std::string>& deviations, const char* file) {
  std::optional<std::size_t> count;
  std::size_t found = 0;
  for (const Tlv& t : children(value, file)) {
    if (t.tag == 0x02) {
      if (t.value.empty() || t.value.size() > 4) {
        deviations.push_back("A0: count (02) of " + std::to_string(t.value.size()) + " bytes ignored");
        continue;
      }
      std::size_t n = 0;
      for (std::uint8_t b : t.value) n = n << 8 | b;
      count = n;
    } else if (t.tag == nameTag) {
      names.push_back(asText(t.value));
      ++found;
    } else {
      deviations.push_back("A0: unexpected tag " + tagHex(t.tag) + " ignored");
    }
  }
  if (!count) {
    deviations.push_back("A0: no count (02)");
  } else if (*count != found) {
    deviations.push_back("A0: count says " + std::to_string(*count) + ", found " + std::to_string(found));
  }
}

Bytes encodeNameList(const std::vector<std::string>& names, std::uint32_t nameTag) {
  // A DER INTEGER: minimal big-endian, with a leading zero byte if the top bit is set.
  Bytes count;
  for (std::size_t n = names.size(); n > 0; n >>= 8)
    count.insert(count.begin(), static_cast<std::uint8_t>(n & 0xFF));
  if (count.empty() || (count[0] & 0x80)) count.insert(count.begin(), 0x00);
  Bytes value = encodeTlv(0x02, count);
  for (const auto& n : names) {
    Bytes one = encodeTlv(nameTag, ByteView(reinterpret_cast<const std::uint8_t*>(n.data()), n.size()));
    value.insert(value.end(), one.begin(), one.end());
  }
  return encodeTlv(0xA0, value);
}

void compareTagList(const std::vector<std::uint32_t>& listed, const std::vector<std::uint32_t>& present,
                    std::uint32_t constructed, std::uint32_t equivalent,
                    std::vector<std::string>& deviations) {
  auto has = [](const std::vector<std::uint32_t>& v, std::uint32_t t) {
    return std::find(v.begin(), v.end(), t) != v.end();
  };
  for (std::uint32_t t : listed) {
    const bool ok = has(present, t) || (equivalent != 0 && t == equivalent && has(present, constructed));
    if (!ok) deviations.push_back("tag list names " + tagHex(t) + ", which is absent");
  }
  for (std::uint32_t t : present) {
    const bool ok = has(listed, t) || (equivalent != 0 && t == constructed && has(listed, equivalent));
    if (!ok) deviations.push_back(tagHex(t) + " is present but not in the tag list");
  }
}

void walkTextDataGroup(ByteView file, std::uint32_t fileTag, const char* fileName, std::uint32_t nameList,
                       std::uint32_t nameItem, std::vector<std::uint32_t>& tagList, std::vector<std::string>& deviations,
                       const std::function<void(const Tlv&)>& onElement) {
  const Tlv top = openFile(file, fileTag, fileName);
  bool haveList = false;
  std::vector<std::uint32_t> present;
  for (const Tlv& t : children(top.value, fileName)) {
    if (t.tag == 0x5C) {
      if (haveList) {
        deviations.push_back("a second tag list (5C) ignored");
      } else {
        tagList = parseTagList(t.value, fileName);
        haveList = true;
      }
      continue;
    }
    const bool seen = std::find(present.begin(), present.end(), t.tag) != present.end();
    if (seen && t.tag != nameList) {
      deviations.push_back(tagHex(t.tag) + " appears more than once; the first is kept");
      continue;
    }
    if (!seen) present.push_back(t.tag);
    onElement(t);
  }
  if (!haveList) {
    deviations.push_back("no tag list (5C)");
  } else {
    compareTagList(tagList, present, nameList, nameItem, deviations);
  }
}

}  // namespace portti::mrtd::lds_text
