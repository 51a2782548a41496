// Explicit elliptic-curve domain parameters (Doc 9303-12 4.1.6 / BSI TR-03111 4.1) mapped to a named curve.
#pragma once

#include <string>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::pki {

/// The named curve (OpenSSL short name, e.g. "prime256v1", "brainpoolP256r1") whose prime field,
/// coefficients a and b, base point G, order n and cofactor h equal the explicit ECParameters
/// (RFC 3279 / X9.62 SEQUENCE, whole DER) exactly. Throws Error{Pki} when they match no known
/// curve, or are not a prime-field curve: portti never computes on an arbitrary curve.
std::string namedCurveOfExplicitParameters(ByteView ecParametersDer);

}  // namespace portti::mrtd::pki
