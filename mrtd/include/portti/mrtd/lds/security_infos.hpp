// SecurityInfos (ICAO Doc 9303 Part 11, 9.2; BSI TR-03110-3 A.1): a SET OF SecurityInfo
// { protocol OBJECT IDENTIFIER, requiredData ANY, optionalData ANY OPTIONAL }, found in DG14
// (tag 6E around the SET), EF.CardAccess (the bare SET) and EF.CardSecurity.
//
// These drive PACE, Chip and Active Authentication, so parsing is strict: malformed TLV and a
// known protocol with a malformed body throw. Unknown protocols (EF.DIR, vendor ones) are kept as
// unknown, not an error. Every info keeps its bytes as read; hash the file as read, never a
// re-encoding (re-encoding changes SET order).
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/lds/deviation.hpp"

namespace portti::mrtd {

/// Object identifiers of Doc 9303 Part 11 / TR-03110-3, as dotted text.
namespace oids {
inline constexpr const char* kBsiDe = "0.4.0.127.0.7";
inline constexpr const char* kPkDh = "0.4.0.127.0.7.2.2.1.1";    ///< id-PK-DH
inline constexpr const char* kPkEcdh = "0.4.0.127.0.7.2.2.1.2";  ///< id-PK-ECDH
inline constexpr const char* kTa = "0.4.0.127.0.7.2.2.2";        ///< id-TA
inline constexpr const char* kCa = "0.4.0.127.0.7.2.2.3";        ///< id-CA
inline constexpr const char* kCaDh = "0.4.0.127.0.7.2.2.3.1";    ///< id-CA-DH
inline constexpr const char* kCaEcdh = "0.4.0.127.0.7.2.2.3.2";  ///< id-CA-ECDH
inline constexpr const char* kPace = "0.4.0.127.0.7.2.2.4";      ///< id-PACE
inline constexpr const char* kActiveAuthentication = "2.23.136.1.1.5";  ///< id-icao-mrtd-security-aaProtocolObject
inline constexpr const char* kEfDir = "2.23.136.1.1.13";               ///< id-EFDIR
}  // namespace oids

enum class KeyAgreement { Dh, Ecdh };
/// Symmetric suite of CA and PACE (TR-03110-3 A.1.1): 3DES-CBC-CBC or AES-CBC-CMAC-128/192/256.
enum class SymmetricCipher { Tdes, Aes128, Aes192, Aes256 };
/// PACE mapping (Doc 9303 Part 11, 4.4.3.3): generic, integrated, chip authentication mapping.
enum class PaceMapping { Generic, Integrated, ChipAuthentication };

const char* keyAgreementName(KeyAgreement ka);   ///< "DH", "ECDH"
const char* cipherName(SymmetricCipher cipher);  ///< "3DES", "AES-128", ...
const char* mappingName(PaceMapping mapping);    ///< "GM", "IM", "CAM"

/// One standardised domain parameter set (Doc 9303 Part 11 9.5.1 / TR-03110-3 Table 4).
struct StandardDomainParameters {
  int id;
  KeyAgreement keyAgreement;
  const char* name;       ///< "brainpoolP320r1", "1024-bit MODP Group with 160-bit Prime Order Subgroup"
  const char* groupName;  ///< OpenSSL 3 group name ("brainpoolP320r1", "dh_1024_160")
};

/// The standardised parameter set with this id (0-2 RFC 5114 DH groups, 8-18 elliptic curves;
/// 14 is brainpoolP320r1), or nullopt for reserved ids.
std::optional<StandardDomainParameters> standardDomainParameters(int id);

/// PACEInfo ::= SEQUENCE { protocol, version INTEGER, parameterId INTEGER OPTIONAL }.
struct PaceInfo {
  std::string protocol;
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  PaceMapping mapping = PaceMapping::Generic;
  SymmetricCipher cipher = SymmetricCipher::Aes128;
  std::int64_t version = 2;
  std::optional<std::int64_t> parameterId;
  Bytes der;  ///< the SecurityInfo as read
};

/// PACEDomainParameterInfo ::= SEQUENCE { protocol id-PACE-{DH,ECDH}-{GM,IM,CAM},
/// domainParameter AlgorithmIdentifier, parameterId INTEGER OPTIONAL } (proprietary parameters).
struct PaceDomainParameterInfo {
  std::string protocol;
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  PaceMapping mapping = PaceMapping::Generic;
  std::string algorithm;   ///< the AlgorithmIdentifier's OID
  Bytes domainParameter;   ///< the whole AlgorithmIdentifier, as read
  std::optional<std::int64_t> parameterId;
  Bytes der;
};

/// ChipAuthenticationInfo ::= SEQUENCE { protocol id-CA-*, version INTEGER, keyId INTEGER OPTIONAL }.
struct ChipAuthenticationInfo {
  std::string protocol;
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  SymmetricCipher cipher = SymmetricCipher::Aes128;
  std::int64_t version = 1;
  std::optional<std::int64_t> keyId;
  Bytes der;
};

/// ChipAuthenticationDomainParameterInfo ::= SEQUENCE { protocol id-CA-DH | id-CA-ECDH,
/// domainParameter AlgorithmIdentifier, keyId INTEGER OPTIONAL }.
struct ChipAuthenticationDomainParameterInfo {
  std::string protocol;
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  std::string algorithm;
  Bytes domainParameter;
  std::optional<std::int64_t> keyId;
  Bytes der;
};

/// ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol id-PK-DH | id-PK-ECDH,
/// chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }.
struct ChipAuthenticationPublicKeyInfo {
  std::string protocol;
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  Bytes subjectPublicKeyInfo;  ///< the SPKI DER as read (d2i_PUBKEY it, or read explicit parameters)
  std::optional<std::int64_t> keyId;
  Bytes der;
};

/// ActiveAuthenticationInfo ::= SEQUENCE { protocol 2.23.136.1.1.5, version INTEGER (1),
/// signatureAlgorithm OBJECT IDENTIFIER } (Doc 9303 Part 11, 9.2.7; ECDSA Active Authentication).
struct ActiveAuthenticationInfo {
  std::int64_t version = 1;
  std::string signatureAlgorithm;
  Bytes der;
};

/// TerminalAuthenticationInfo ::= SEQUENCE { protocol id-TA, version INTEGER, efCVCA OPTIONAL }.
struct TerminalAuthenticationInfo {
  std::int64_t version = 1;
  Bytes efCvca;  ///< the optional FileID's bytes, as read; empty when absent
  Bytes der;
};

/// A SecurityInfo whose protocol is not one of the above: kept, not an error.
struct UnknownSecurityInfo {
  std::string protocol;
  Bytes der;
};

/// Every SecurityInfo of one SET, grouped by kind, in the order read.
struct SecurityInfos {
  std::vector<PaceInfo> pace;
  std::vector<PaceDomainParameterInfo> paceDomainParameters;
  std::vector<ChipAuthenticationInfo> chipAuthentication;
  std::vector<ChipAuthenticationDomainParameterInfo> chipAuthenticationDomainParameters;
  std::vector<ChipAuthenticationPublicKeyInfo> chipAuthenticationPublicKeys;
  std::vector<ActiveAuthenticationInfo> activeAuthentication;
  std::vector<TerminalAuthenticationInfo> terminalAuthentication;
  std::vector<UnknownSecurityInfo> unknown;
  LdsDeviations deviations;  ///< tolerated findings (trailing bytes, unknown id-CA/id-PACE variants)
  Bytes raw;                 ///< the whole file as read (hash this, never a re-encoding)

  std::size_t size() const;  ///< number of SecurityInfo elements
};

/// Parses the bare SET OF SecurityInfo (EF.CardAccess). Trailing bytes after the SET are
/// recorded as a deviation.
SecurityInfos parseSecurityInfos(ByteView set);
/// Parses EF.CardAccess (the bare SET; an empty SET is an error: a CardAccess says something).
SecurityInfos parseCardAccess(ByteView cardAccess);
/// Parses DG14 (tag 6E around the SET).
SecurityInfos parseDg14(ByteView dg14);

// Encoders for the virtual chip. Each returns one SecurityInfo's DER.

/// The PACEInfo OID for this combination; throws Error{Lds} for CAM with 3DES or DH (undefined).
std::string paceProtocolOid(KeyAgreement ka, PaceMapping mapping, SymmetricCipher cipher);
/// The ChipAuthenticationInfo OID (id-CA-DH/ECDH-<cipher>).
std::string chipAuthenticationProtocolOid(KeyAgreement ka, SymmetricCipher cipher);

Bytes encodePaceInfo(KeyAgreement ka, PaceMapping mapping, SymmetricCipher cipher,
                     std::optional<std::int64_t> parameterId, std::int64_t version = 2);
Bytes encodeChipAuthenticationInfo(KeyAgreement ka, SymmetricCipher cipher,
                                   std::optional<std::int64_t> keyId = std::nullopt, std::int64_t version = 1);
/// From the chip's CA public key as SubjectPublicKeyInfo DER; `ka` picks id-PK-DH or id-PK-ECDH.
Bytes encodeChipAuthenticationPublicKeyInfo(KeyAgreement ka, ByteView subjectPublicKeyInfo,
                                            std::optional<std::int64_t> keyId = std::nullopt);
/// From an OpenSSL public key (EC -> id-PK-ECDH, DH/DHX -> id-PK-DH); throws Error{Lds} for others.
Bytes encodeChipAuthenticationPublicKeyInfo(const EVP_PKEY* publicKey,
                                            std::optional<std::int64_t> keyId = std::nullopt);
/// `signatureAlgorithm` e.g. "0.4.0.127.0.7.1.1.4.1.3" (ecdsa-plain-SHA256).
Bytes encodeActiveAuthenticationInfo(const std::string& signatureAlgorithm, std::int64_t version = 1);
Bytes encodeTerminalAuthenticationInfo(std::int64_t version = 1);

/// DER SET OF the given SecurityInfos (sorted by encoding, X.690 11.6).
Bytes encodeSecurityInfoSet(std::vector<Bytes> infos);
/// EF.CardAccess: the bare SET.
Bytes encodeCardAccess(std::vector<Bytes> infos);
/// DG14: 6E around the SET.
Bytes encodeDg14(std::vector<Bytes> infos);

}  // namespace portti::mrtd
