// Fuzz target: BER-TLV decoding and a full depth-first walk.
#include <cstddef>
#include <cstdint>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  ByteView input(data, size);
  try {
    std::size_t total = 0;
    walk(input, [&](const Tlv& t, int) { total += t.value.size(); });
    for (const Tlv& t : decodeAll(input)) {
      Bytes again = encodeTlv(t.tag, t.value);
      (void)again;
    }
  } catch (const Error&) {
  }
  return 0;
}
