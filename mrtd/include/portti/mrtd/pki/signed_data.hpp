// CMS SignedData (RFC 5652 5) as ICAO uses it for EF.SOD (Doc 9303-10 4.6.2) and CSCA master lists
// (Doc 9303-12 8). Parsed with the bounds-checked TLV reader; the pieces are kept as the exact bytes
// that were signed, so verification never depends on a re-encoding.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::pki {

/// One SignerInfo (RFC 5652 5.3).
struct SignerInfo {
  int version = 0;
  Bytes issuer;                ///< sid issuerAndSerialNumber: issuer Name, whole DER (empty for SKI sid)
  Bytes serialNumber;          ///< sid: INTEGER contents, big-endian
  Bytes subjectKeyIdentifier;  ///< sid [0] form (version 3), else empty
  Bytes digestAlgorithm;       ///< AlgorithmIdentifier, whole DER
  Bytes signedAttributes;      ///< whole DER re-tagged as SET (0x31): the bytes the signature covers
  std::optional<std::string> contentTypeAttribute;  ///< OID text of the contentType attribute
  std::optional<Bytes> messageDigestAttribute;      ///< value of the messageDigest attribute
  Bytes signatureAlgorithm;    ///< AlgorithmIdentifier, whole DER
  Bytes signature;             ///< signature OCTET STRING contents
};

/// The parts of a SignedData that verification needs.
struct SignedData {
  std::string eContentType;               ///< OID text of encapContentInfo.eContentType
  Bytes eContent;                         ///< OCTET STRING contents (the signed content)
  std::vector<Bytes> certificates;        ///< certificates [0], each whole DER
  std::vector<SignerInfo> signerInfos;
};

/// Parses a ContentInfo holding SignedData. Throws Error{Pki, step} on any malformed or missing part.
SignedData parseSignedData(ByteView contentInfo, const std::string& step);

}  // namespace portti::mrtd::pki
