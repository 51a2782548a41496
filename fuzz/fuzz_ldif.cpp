// Fuzz target: ICAO PKD LDIF collections (RFC 2849 lines, folding, base64 values) and the trust
// objects inside them. addLdif skips what it cannot read; only portti::mrtd::Error may escape.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string_view>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/pki/trust_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  pki::TrustStore store;
  try {
    store.addLdif(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const Error&) {
  }
  // Nothing was given explicitly: whatever lists the input holds, none may be trusted.
  for (const auto& list : store.masterLists(std::time_t{1800000000}))
    if (list.trusted) __builtin_trap();
  return 0;
}
