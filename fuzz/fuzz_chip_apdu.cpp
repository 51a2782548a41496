// Fuzz target: the virtual chip's APDU dispatcher, which takes hostile input from a reader.
// The input is split into commands at 0xFF 0xFF 0xFF 0xFF markers (so a seed can first select the
// application and a file, then read); each command goes to the same chip, which must answer every
// one with at least a status word and never throw or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/tlv.hpp"

namespace {
portti::mrtd::ChipImage makeImage(bool bac, bool extended) {
  using namespace portti::mrtd;
  ChipImage image;
  image.files["EF.COM"] = fromHex("60145F0104303130365F36063034303030305C026175");
  image.files["DG1"] = encodeTlv(0x61, Bytes(91, 0x3C));
  image.files["DG2"] = encodeTlv(0x75, Bytes(40000, 0xA5));
  image.files["DG3"] = encodeTlv(0x63, Bytes(10, 0x01));
  image.files["EF.CardAccess"] = encodeTlv(0x31, Bytes(20, 0x02));
  if (bac) image.config.set("mrz_information", "L898902C<369080619406236");
  if (extended) image.config.set("extended_length", "yes");
  return image;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  if (size == 0) return 0;
  // The first byte picks the chip's configuration.
  VirtualChip chip(makeImage(data[0] & 1, data[0] & 2));
  chip.misbehaviourForTesting().answer6CAtEnd = data[0] & 4;
  ByteView rest(data + 1, size - 1);
  while (true) {
    std::size_t cut = rest.size();
    for (std::size_t i = 0; i + 4 <= rest.size(); ++i) {
      if (rest[i] == 0xFF && rest[i + 1] == 0xFF && rest[i + 2] == 0xFF && rest[i + 3] == 0xFF) {
        cut = i;
        break;
      }
    }
    const Bytes response = chip.transceive(rest.first(cut));
    if (response.size() < 2) std::abort();  // every answer carries a status word
    if (cut == rest.size()) break;
    rest = rest.subspan(cut + 4);
  }
  return 0;
}
