// Private helpers of mrtd/pki: RAII owners for OpenSSL objects, the error queue in messages,
// object identifiers, algorithm identifiers and the one signature-verification routine.
#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "../core/openssl.hpp"
#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::mrtd::pki {

// The RAII owners and error helpers are mrtd's one set (core/openssl.hpp), named here for pki code.
using ossl::AsnObjPtr;
using ossl::BnPtr;
using ossl::MdCtxPtr;
using ossl::opensslErrors;
using ossl::PkeyCtxPtr;
using ossl::PkeyPtr;
using ossl::throwCrypto;
using ossl::X509CrlPtr;
using ossl::X509NamePtr;
using ossl::X509Ptr;

/// Dotted text of an OBJECT IDENTIFIER value (the bytes after tag and length).
std::string oidToText(ByteView oidValue);
/// DER of an OBJECT IDENTIFIER (tag 06) from dotted text.
Bytes oidDer(const std::string& dotted);

/// Well-known object identifiers (ICAO Doc 9303-10 4.6.2, -12; RFC 5652, 5754, 4055, 5758; BSI TR-03111).
namespace oid {
inline const std::string kSignedData = "1.2.840.113549.1.7.2";
inline const std::string kData = "1.2.840.113549.1.7.1";
inline const std::string kLdsSecurityObject = "2.23.136.1.1.1";
inline const std::string kCscaMasterList = "2.23.136.1.1.2";
inline const std::string kContentTypeAttr = "1.2.840.113549.1.9.3";
inline const std::string kMessageDigestAttr = "1.2.840.113549.1.9.4";
inline const std::string kSigningTimeAttr = "1.2.840.113549.1.9.5";
inline const std::string kEcPublicKey = "1.2.840.10045.2.1";
inline const std::string kPrimeField = "1.2.840.10045.1.1";
inline const std::string kRsaEncryption = "1.2.840.113549.1.1.1";
inline const std::string kRsaPss = "1.2.840.113549.1.1.10";
inline const std::string kMgf1 = "1.2.840.113549.1.1.8";
}  // namespace oid

/// Name ("SHA-256") of a digest algorithm OID, or nullopt when it is not one we accept.
std::optional<std::string> digestNameOfOid(const std::string& dotted);
/// OID of a digest name ("SHA-256").
std::string digestOid(const std::string& name);
/// The EVP_MD of a digest name; throws for names we do not know.
const EVP_MD* digestByName(const std::string& name);
/// Hash of `data` with a named digest.
Bytes digest(const std::string& name, ByteView data);

/// The signature scheme an AlgorithmIdentifier selects.
struct SignatureScheme {
  enum class Kind { RsaPkcs1, RsaPss, Ecdsa, EcdsaPlain } kind = Kind::RsaPkcs1;
  std::string hash;        ///< digest over the signed bytes; empty: take it from the context
  std::string mgf1Hash;    ///< RSA-PSS only
  int saltLength = 20;     ///< RSA-PSS only (RFC 4055 default 20)
  std::string name;        ///< for messages: "ecdsa-with-SHA256", "RSASSA-PSS", ...
};
/// Reads a signature AlgorithmIdentifier (whole DER). `contextHash` fills in the hash for bare
/// rsaEncryption / id-ecPublicKey identifiers (the SignerInfo digestAlgorithm). Throws Error{Pki}.
SignatureScheme signatureScheme(ByteView algorithmIdentifier, const std::string& contextHash);

/// Verifies `signature` over `data` with the library (EVP_DigestVerify), never by hand.
/// Returns false on any mismatch (wrong key type, bad signature, malformed signature).
bool verifySignature(EVP_PKEY* key, const SignatureScheme& scheme, ByteView data, ByteView signature);

/// A certificate's subject public key in a form OpenSSL computes with: explicit EC parameters
/// replaced by the named curve they equal exactly (else throws Error{Pki}); RSASSA-PSS keys as plain
/// RSA keys (the scheme comes from the signature algorithm, not the key). `tolerance` is set to
/// "explicit-ec-parameters" when explicit parameters were normalised.
PkeyPtr normalisedPublicKey(ByteView subjectPublicKeyInfo, std::string* tolerance);

/// DER of an X509 object (certificate) or name.
Bytes derOf(X509* cert);
Bytes derOf(const X509_NAME* name);
/// RFC 2253 text of a name.
std::string nameText(const X509_NAME* name);
/// True when two names hold the same set of RDNs, compared canonically (case and inner spaces
/// folded as in RFC 4518), in any order: issuers encode RDN sequences in different orders (MY).
bool sameName(const X509_NAME* a, const X509_NAME* b);

/// Parses a certificate (DER, whole input); throws Error{Pki}.
X509Ptr parseCertificate(ByteView der, const std::string& what);

/// The parts of a signed X.509 structure (certificate or CRL): to-be-signed, algorithm, signature.
struct SignedX509Parts {
  Bytes toBeSigned;  ///< whole DER of tbsCertificate / tbsCertList
  Bytes algorithm;   ///< whole DER of the AlgorithmIdentifier
  Bytes signature;   ///< BIT STRING contents without the unused-bits byte
};
SignedX509Parts splitSigned(ByteView der);

}  // namespace portti::mrtd::pki
