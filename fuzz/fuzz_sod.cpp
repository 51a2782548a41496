// Fuzz target: EF.SOD parsing (tag 77, CMS SignedData, LDSSecurityObject) and the whole Passive
// Authentication path on hostile input (signer lookup, key normalisation, signature check).
#include <cstddef>
#include <cstdint>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/pki/security_object.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  ByteView input(data, size);
  try {
    pki::SecurityObject so = pki::parseSod(input);
    (void)so;
  } catch (const Error&) {
  }
  static const pki::TrustStore empty;
  // verifyPassive never throws on a bad SOD: the verdict says invalid.
  pki::PassiveAuthResult r = pki::verifyPassive(input, {{1, Bytes{0x61, 0x00}}}, empty);
  if (r.status == pki::PaStatus::Valid) __builtin_trap();  // nothing is trusted: never valid
  return 0;
}
