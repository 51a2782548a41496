// EF.SOD, the Document Security Object (ICAO Doc 9303-10 4.6.2): tag 77 around a CMS SignedData whose
// content is the LDSSecurityObject (the hash of every data group).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/pki/signed_data.hpp"

namespace portti::mrtd::pki {

/// LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues, ldsVersionInfo OPTIONAL }
/// plus the CMS envelope it came in.
struct SecurityObject {
  int version = 0;                       ///< 0 (V0) or 1 (V1, with LDSVersionInfo)
  std::string hashAlgorithm;             ///< "SHA-256" ...: the hash of the data groups
  std::map<int, Bytes> dataGroupHashes;  ///< data group number -> hash value
  std::optional<std::string> ldsVersion;      ///< LDSVersionInfo.ldsVersion, e.g. "0108"
  std::optional<std::string> unicodeVersion;  ///< LDSVersionInfo.unicodeVersion
  /// True when the eContentType was id-data instead of id-icao-mrtd-security-ldsSecurityObject
  /// (a tolerance the caller records as "econtent-type-id-data"; CLARIFICATIONS 4).
  bool eContentTypeIsIdData = false;
  SignedData signedData;                 ///< the CMS pieces, as read
};

/// Name of the tolerance applied when the eContentType is id-data.
inline constexpr const char* kToleranceIdDataContentType = "econtent-type-id-data";

/// Parses an EF.SOD (with its tag 77; a bare ContentInfo is accepted too). Throws Error{Lds or Pki}:
/// "wrong content type" for an eContentType other than the LDS security object (or id-data holding one).
SecurityObject parseSod(ByteView efSod);

}  // namespace portti::mrtd::pki
