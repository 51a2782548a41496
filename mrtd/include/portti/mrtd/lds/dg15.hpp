// DG15, the Active Authentication public key (ICAO Doc 9303 Part 11, 6.1; Part 10, 4.7.15):
// tag 6F around a SubjectPublicKeyInfo, RSA or EC. EC keys may carry explicit curve parameters
// (as many real documents do): the SPKI bytes are always kept; an EVP_PKEY is given when OpenSSL
// parses it, and a key OpenSSL refuses is recorded, not a parse failure.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/lds/deviation.hpp"

namespace portti::mrtd {

/// A shared, reference-counted OpenSSL public key (freed with EVP_PKEY_free).
using PublicKeyPtr = std::shared_ptr<EVP_PKEY>;

enum class PublicKeyType { Rsa, Ec, Other };

/// The parsed DG15.
struct Dg15 {
  Bytes subjectPublicKeyInfo;  ///< the SPKI DER, exactly as stored
  std::string algorithm;       ///< the SPKI's algorithm OID (1.2.840.113549.1.1.1, 1.2.840.10045.2.1, ...)
  PublicKeyType type = PublicKeyType::Other;
  bool explicitEcParameters = false;  ///< EC parameters given as a SEQUENCE, not a named-curve OID
  /// For EC keys: the named curve (OpenSSL short name) the parameters equal, if any. With explicit
  /// parameters this is set only when (p, a, b, G, n, h) match a known curve exactly.
  std::optional<std::string> curveName;
  /// Null when OpenSSL could not load the key (see keyError). With explicit EC parameters and no
  /// `curveName`, OpenSSL may still load it: callers must not verify with such a key (QUIRKS.md:
  /// never compute on an arbitrary curve); the deviation "dg15.unnamed-ec-parameters" says so.
  PublicKeyPtr key;
  std::string keyError;        ///< why `key` is null
  LdsDeviations deviations;
};

/// Parses DG15 (tag 6F). Throws Error{Lds}/Error{Tlv} when the file or the SPKI structure is
/// malformed (bytes after the SPKI inside 6F included); an SPKI whose key OpenSSL refuses still
/// parses (key null, keyError set). Bytes after 6F are a named deviation.
Dg15 parseDg15(ByteView dg15);

/// Reads a bare SubjectPublicKeyInfo the same way (no 6F; e.g. a DG14 chip authentication key).
Dg15 parseSubjectPublicKeyInfo(ByteView spki);

/// DG15 from SPKI DER (checked to be one SEQUENCE) or from an OpenSSL public key.
Bytes encodeDg15(ByteView subjectPublicKeyInfo);
Bytes encodeDg15(const EVP_PKEY* publicKey);

}  // namespace portti::mrtd
