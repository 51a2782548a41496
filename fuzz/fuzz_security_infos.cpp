// Fuzz target: SecurityInfos as found in DG14 (6E), EF.CardAccess (bare SET) and DG15's
// SubjectPublicKeyInfo (6F), including OID decoding and OpenSSL's key loading on the SPKIs.
#include <cstddef>
#include <cstdint>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/security_infos.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  ByteView input(data, size);
  auto keys = [](const SecurityInfos& s) {
    for (const auto& pk : s.chipAuthenticationPublicKeys) {
      try {
        parseSubjectPublicKeyInfo(pk.subjectPublicKeyInfo);
      } catch (const Error&) {
      }
    }
    for (const auto& p : s.pace)
      if (p.parameterId) (void)standardDomainParameters(static_cast<int>(*p.parameterId & 0xFF));
  };
  try {
    keys(parseDg14(input));
  } catch (const Error&) {
  }
  try {
    keys(parseCardAccess(input));
  } catch (const Error&) {
  }
  try {
    Dg15 dg15 = parseDg15(input);
    if (dg15.subjectPublicKeyInfo.size() > size) __builtin_trap();
  } catch (const Error&) {
  }
  return 0;
}
