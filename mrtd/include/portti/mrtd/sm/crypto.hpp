// Symmetric primitives of ICAO Doc 9303 Part 11 (BAC, secure messaging, PACE), on OpenSSL 3 EVP.
// Only algorithms of OpenSSL's default provider are used: single DES (needed by the retail MAC)
// is computed as two-key DES-EDE with the key K1||K1, so the legacy provider is never loaded.
// Every function throws Error{Crypto} when OpenSSL fails (with OpenSSL's error queue in the
// message) or when a key or input has a length the algorithm cannot take.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::crypto {

/// Block sizes of the two SM ciphers.
inline constexpr std::size_t kDesBlock = 8;
inline constexpr std::size_t kAesBlock = 16;

/// ISO/IEC 9797-1 padding method 2: appends 0x80 and then zeros up to a multiple of
/// `blockSize` (always adds at least one byte).
Bytes pad(ByteView data, std::size_t blockSize);

/// Removes ISO/IEC 9797-1 padding method 2; nullopt when `data` is not a non-empty multiple of
/// `blockSize` or does not end in 0x80 followed by zeros within its last block.
std::optional<Bytes> unpad(ByteView data, std::size_t blockSize);

/// Two-key (16-byte K1||K2) or three-key (24-byte) 3DES in CBC mode without padding; `data` must
/// be a multiple of 8 bytes; `iv` is 8 bytes or empty for zeros (9303-11 9.8.6.1 uses IV 0).
Bytes des3CbcEncrypt(ByteView key, ByteView data, ByteView iv = {});
Bytes des3CbcDecrypt(ByteView key, ByteView data, ByteView iv = {});

/// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, 16-byte key K1||K2, over `data`
/// padded with method 2 (the padding is added here). Returns 8 bytes. 9303-11 9.8.6.2 / D.3.
Bytes retailMac(ByteView key, ByteView data);

/// AES (128/192/256 by key length) in CBC mode without padding; `iv` 16 bytes or empty for zeros.
Bytes aesCbcEncrypt(ByteView key, ByteView data, ByteView iv = {});
Bytes aesCbcDecrypt(ByteView key, ByteView data, ByteView iv = {});
/// AES in ECB mode without padding (one or more whole blocks): the SM IV E(KSenc, SSC) and
/// PACE's nonce use it.
Bytes aesEcbEncrypt(ByteView key, ByteView data);
Bytes aesEcbDecrypt(ByteView key, ByteView data);

/// AES-CMAC (NIST SP 800-38B) over `data` as given (no 9797-1 padding added); 16 bytes.
/// Secure messaging and PACE use the first 8 bytes (9303-11 9.8.6.2).
Bytes aesCmac(ByteView key, ByteView data);

/// The key derivation function of 9303-11 9.7.1: which key a seed yields.
enum class KeyAlgorithm { Des3, Aes128, Aes192, Aes256 };

/// KDF counters (9303-11 9.7.1): 1 = encryption key, 2 = MAC key, 3 = PACE password key.
enum class KdfCounter : std::uint32_t { Enc = 1, Mac = 2, Pace = 3 };

/// K = H(seed || counter as 32-bit big-endian). 3DES: SHA-1, first 16 bytes, DES parity adjusted
/// (K1||K2); AES-128: SHA-1, first 16 bytes; AES-192: SHA-256, first 24; AES-256: SHA-256.
SecretBytes deriveKey(ByteView seed, KeyAlgorithm algorithm, KdfCounter counter);

/// Sets the least significant bit of every byte so each has an odd number of one bits (DES key
/// parity, FIPS 46-3).
Bytes adjustDesParity(ByteView key);

/// SHA-1 and SHA-256 digests.
Bytes sha1(ByteView data);
Bytes sha256(ByteView data);

/// `n` bytes from OpenSSL's CSPRNG (RAND_bytes).
SecretBytes randomBytes(std::size_t n);

/// Compares in time independent of where the first difference is (for MACs).
bool equalConstantTime(ByteView a, ByteView b);

}  // namespace portti::mrtd::crypto
