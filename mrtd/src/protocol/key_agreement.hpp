// Ephemeral-static key agreement on the domain parameters of a given key (DH or ECDH), as Chip
// Authentication uses it (ICAO Doc 9303-11 6.2, BSI TR-03110-3 A.4/A.5): private to mrtd.
#pragma once

#include <openssl/evp.h>

#include "../pki/ossl.hpp"
#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::detail {

using pki::PkeyPtr;

/// A fresh key pair on the domain parameters (curve or DH group) of `domain`.
PkeyPtr generateKeyOn(EVP_PKEY* domain);

/// The public key as sent in CA and PACE: the uncompressed point 04||x||y (ECDH) or the public value
/// as a big-endian integer padded to the length of p (DH).
Bytes encodedPublicKey(EVP_PKEY* key);

/// A public key on the domain parameters of `domain` from its encoding (above). Throws Error{Crypto,
/// step} when it is not a valid public key of that group: an EC point off the curve or the point at
/// infinity, a DH value outside 2..p-2 or outside the subgroup of order q.
PkeyPtr publicKeyOn(EVP_PKEY* domain, ByteView encoded, const char* step);

/// The shared secret: the x coordinate of the shared point (ECDH), or the shared value padded to the
/// length of p (DH). Checks `peer` first (as publicKeyOn).
SecretBytes sharedSecret(EVP_PKEY* own, EVP_PKEY* peer, const char* step);

/// Test hook: an EC key pair from a private scalar and its public point (both big-endian / 04||x||y)
/// on the curve of `domain`.
PkeyPtr ecKeyPairOn(EVP_PKEY* domain, ByteView privateScalar, ByteView publicPoint);

}  // namespace portti::mrtd::detail
