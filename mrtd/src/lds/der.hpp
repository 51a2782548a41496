// Internal: small DER helpers shared by the LDS parsers (INTEGER values, expected tags).
#pragma once

#include <cstdint>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::detail {

/// The value of a DER INTEGER (tag 02) of at most 8 content bytes, minimal encoding required.
/// Throws Error{Lds} at `step`, naming `what`.
std::int64_t derInteger(const Tlv& t, const char* step, const char* what);

/// The DER INTEGER object (02 len value) for `v`, minimal two's complement.
Bytes encodeDerInteger(std::int64_t v);

/// Throws Error{Lds} at `step` unless `t` has tag `tag`.
void expectTag(const Tlv& t, std::uint32_t tag, const char* step, const char* what);

}  // namespace portti::mrtd::detail
