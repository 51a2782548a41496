// Fuzz target: the LDS text files (EF.COM, DG1, DG11, DG12). Each parser gets the input; what
// parses is encoded again and must parse again (DG11/DG12 re-encodings must be stable).
#include <cstddef>
#include <cstdint>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg11.hpp"
#include "portti/mrtd/lds/dg12.hpp"
#include "portti/mrtd/lds/ef_com.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  const ByteView input(data, size);
  try {
    const EfCom com = parseCom(input);
    (void)com;
  } catch (const Error&) {
  }
  try {
    const Mrz mrz = parseDg1(input);
    if (mrz.format != MrzFormat::Unknown && parseDg1(encodeDg1(mrz.lines)).lines != mrz.lines)
      __builtin_trap();
  } catch (const Error&) {
  }
  try {
    const Bytes again = encodeDg11(parseDg11(input));
    if (encodeDg11(parseDg11(again)) != again) __builtin_trap();
  } catch (const Error&) {
  }
  try {
    const Bytes again = encodeDg12(parseDg12(input));
    if (encodeDg12(parseDg12(again)) != again) __builtin_trap();
  } catch (const Error&) {
  }
  return 0;
}
