// Fuzz target: DG2 face extraction (ISO/IEC 19794-5 and 39794-5 inside 75/7F61/7F60) and the
// bare biometric data block parser. Only portti::mrtd::Error may escape the parsers.
#include <cstddef>
#include <cstdint>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg2.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  ByteView input(data, size);
  // Invariants: the format comes from the bytes, and no image is larger than the input.
  auto check = [size](const FaceImage& f) {
    if (sniffImageFormat(f.image) != f.format || f.image.size() > size) __builtin_trap();
  };
  try {
    for (const FaceImage& f : parseDg2(input).faces) check(f);
  } catch (const Error&) {
  }
  try {
    for (const FaceImage& f : parseBiometricDataBlock(input)) check(f);
  } catch (const Error&) {
  }
  return 0;
}
