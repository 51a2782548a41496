#include "portti/mrtd/lds/data_group.hpp"

#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {
// Part 10, 4.6: the tag of each data group, DG1 first.
constexpr std::uint8_t kTags[16] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
                                    0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70};

void requireNumber(int number) {
  if (number < 1 || number > 16) {
    throw Error(ErrorArea::Lds, "data group", "no data group " + std::to_string(number) + " (1-16 exist)");
  }
}
}  // namespace

std::optional<int> dataGroupForTag(std::uint32_t tag) {
  for (int i = 0; i < 16; ++i) {
    if (kTags[i] == tag) return i + 1;
  }
  return std::nullopt;
}

std::uint8_t dataGroupTag(int number) {
  requireNumber(number);
  return kTags[number - 1];
}

std::uint16_t dataGroupFileId(int number) {
  requireNumber(number);
  return static_cast<std::uint16_t>(0x0100 + number);
}

std::string dataGroupName(int number) {
  return "DG" + std::to_string(number);
}

}  // namespace portti::mrtd
