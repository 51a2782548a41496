#include <algorithm>

#include "portti/hw/access_key_source.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw {

AccessKey AccessKey::fromMrz(std::string_view text) {
  AccessKey key;
  key.kind = Kind::Mrz;
  key.mrz = mrtd::parseValidMrz(text);
  return key;
}

AccessKey AccessKey::fromCan(std::string_view digits) {
  if (digits.size() != 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw mrtd::Error(mrtd::ErrorArea::Access, "CAN", "the CAN is six digits 0-9");
  AccessKey key;
  key.kind = Kind::Can;
  key.can = std::string(digits);
  return key;
}

std::string AccessKey::mrzInformation() const {
  if (kind != Kind::Mrz || !mrz) throw mrtd::Error(mrtd::ErrorArea::Access, "access key", "a CAN has no MRZ information");
  return mrtd::mrzInformation(*mrz);
}

mrtd::SecretBytes AccessKey::bacKeySeed() const { return mrtd::bacKeySeed(mrzInformation()); }

}  // namespace portti::hw
