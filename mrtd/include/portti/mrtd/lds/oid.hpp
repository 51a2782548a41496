// OBJECT IDENTIFIER values as dotted text (ITU-T X.690 8.19), for SecurityInfos, SPKIs and the
// SOD. Only the content bytes (the value of tag 06) are handled here; the TLV layer does the rest.
#pragma once

#include <string>
#include <string_view>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

/// Dotted text of an OID's content bytes, e.g. 67 81 08 01 01 05 -> "2.23.136.1.1.5".
/// Throws Error{Lds} on empty content, a truncated or non-minimal sub-identifier, or an arc
/// that does not fit 64 bits (none in eMRTDs does).
std::string decodeOid(ByteView content);

/// Content bytes of a dotted OID; throws Error{Lds} on malformed text (fewer than two arcs,
/// a first arc above 2, a second arc above 39 under 0 or 1, empty or non-digit arcs).
Bytes encodeOidContent(std::string_view dotted);

/// The whole DER object: 06, length, content.
Bytes encodeOid(std::string_view dotted);

/// True when `oid` is `prefix` itself or lies below it ("0.4.0.127.0.7.2.2.4.2.2" below
/// "0.4.0.127.0.7.2.2.4"). Compares whole arcs, never a text prefix.
bool oidIsUnder(std::string_view oid, std::string_view prefix);

}  // namespace portti::mrtd
