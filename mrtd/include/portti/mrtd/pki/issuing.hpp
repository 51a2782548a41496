// The issuing side, for tests and the virtual passport (`portti chip make`): a small test PKI,
// EF.SOD (Doc 9303-10 4.6.2) and CSCA master lists (Doc 9303-12 8) signed with it, and CRLs.
// Not for production issuance: keys are generated in memory and written unencrypted.
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::pki {

/// A certificate with its private key.
struct SignerCredentials {
  Bytes certificate;       ///< X.509, DER
  SecretBytes privateKey;  ///< PKCS#8 PrivateKeyInfo, DER
};

/// Reads a certificate (DER or PEM) and its private key (PKCS#8 PEM or DER). Throws Error{Pki}.
SignerCredentials loadSigner(const std::string& certificatePath, const std::string& keyPath);

/// What to put into a test certificate.
struct CertificateRequest {
  std::string commonName;
  std::string country = "UT";          ///< the ICAO specimen State
  bool ca = false;                      ///< CSCA (basicConstraints cA, keyCertSign+cRLSign) or DSC
  std::time_t notBefore = 0;
  std::time_t notAfter = 0;
  long serial = 1;
  std::string key = "EC:prime256v1";    ///< "EC:<curve>" or "RSA:<bits>"
  bool explicitEcParameters = false;    ///< encode the EC key with explicit domain parameters
  /// Certify this existing key (PKCS#8 DER) instead of generating one (re-issued and link
  /// certificates); `key` and `explicitEcParameters` are then ignored.
  std::optional<SecretBytes> existingKey;
  /// keyUsage extension value as OpenSSL config text ("critical,digitalSignature"); empty: the
  /// default of a CSCA or DSC (faults: a DSC that may only sign certificates).
  std::string keyUsage;
  /// Adds a critical extension of a private OID no verifier knows (fault: RFC 5280 4.2 says reject).
  bool unknownCriticalExtension = false;
  /// Flips a bit of the certificate's signature (fault: the issuer's key does not verify it).
  bool corruptSignature = false;
};

/// Generates a key pair and a certificate for it, signed by `issuer` (nullptr: self-signed) with
/// SHA-256. Throws Error{Crypto}.
SignerCredentials issueCertificate(const CertificateRequest& request, const SignerCredentials* issuer);

/// Faults of a CMS SignedData, each something a verifier must refuse (conformance suite). All off
/// by default.
struct SignedDataFaults {
  bool corruptSignature = false;   ///< flips a bit of the signature
  bool omitCertificate = false;    ///< no certificates [0]: the signer certificate is missing
  bool wrongMessageDigest = false; ///< the messageDigest attribute does not match (still signed)
  bool noSignedAttributes = false; ///< signature directly over the content, no signedAttrs
  std::optional<std::string> contentTypeAttribute;  ///< a contentType attribute other than eContentType
  std::optional<Bytes> signOtherContent;  ///< the signature is over the attributes of this content
  std::optional<std::string> signerInfoDigestOid;   ///< SignerInfo digestAlgorithm written as this OID
};

/// CMS SignedData ContentInfo over `content` (eContentType `contentType`, dotted OID) with signed
/// attributes contentType and messageDigest, signed by `signer` with `digestName` ("SHA-256").
/// `corruptSignature` flips a bit of the signature (fault injection).
Bytes buildSignedData(const std::string& contentType, ByteView content, const SignerCredentials& signer,
                      const std::string& digestName, bool corruptSignature = false);
/// The same with any set of faults.
Bytes buildSignedData(const std::string& contentType, ByteView content, const SignerCredentials& signer,
                      const std::string& digestName, const SignedDataFaults& faults);

struct SodOptions {
  std::string eContentType = "2.23.136.1.1.1";  ///< id-icao-mrtd-security-ldsSecurityObject
  bool corruptSignature = false;                ///< fault `bad-signature`
  SignedDataFaults faults;                      ///< conformance faults of the CMS envelope
  std::optional<std::string> hashAlgorithmOid;  ///< LDSSecurityObject hashAlgorithm written as this OID
  int version = 0;                              ///< LDSSecurityObject version as written
};

/// EF.SOD (tag 77) holding an LDSSecurityObject V0 with `hashAlgorithm` ("SHA-256", ...) hashes of
/// `dataGroups` (number -> raw DG bytes, tag included), signed by `signer` (the DSC, embedded).
Bytes buildSod(const std::string& hashAlgorithm, const std::map<int, Bytes>& dataGroups,
               const SignerCredentials& signer, const SodOptions& options = {});

/// A CscaMasterList (version 0, the given CSCA certificates) signed by `signer`.
Bytes buildMasterList(const std::vector<Bytes>& cscaCertificates, const SignerCredentials& signer);

/// A v2 CRL of `issuer` (a CSCA) listing `revoked` certificates, valid from `thisUpdate` for
/// `validDays` days (nextUpdate; issuers publish at least every 90 days).
Bytes buildCrl(const SignerCredentials& issuer, const std::vector<Bytes>& revoked, std::time_t thisUpdate,
               long validDays = 90);

/// Paths of what makeTestPki wrote.
struct TestPki {
  std::string dir;
  std::string csca;            ///< DIR/csca.der: the test CSCA (brainpoolP256r1), self-signed
  std::string dsc, dscKey;     ///< DIR/dsc.der, DIR/dsc.key.pem: document signer (P-256)
  std::string rsaDsc, rsaDscKey;          ///< DIR/dsc-rsa.der, .key.pem: an RSA-2048 document signer
  std::string expiredDsc, expiredDscKey;  ///< DIR/dsc-expired.*: validity entirely in the past
  std::string revokedDsc, revokedDscKey;  ///< DIR/dsc-revoked.*: listed in DIR/crl.der
  std::string unknownCscaDsc, unknownCscaDscKey;  ///< DIR/dsc-unknown-csca.*: issued by a second
                                                  ///< CSCA whose certificate is written nowhere
  std::string masterList;      ///< DIR/masterlist.ml: holds csca.der, signed by a master-list
                               ///< signer issued by the CSCA (signer embedded in the list)
  std::string crl;             ///< DIR/crl.der: signed by the CSCA, revokes dsc-revoked
};

/// Writes a complete test PKI into `dir` (created if missing), valid from yesterday for years:
///   csca.der, dsc.der + dsc.key.pem, dsc-rsa.der + dsc-rsa.key.pem, dsc-expired.der + .key.pem,
///   dsc-revoked.der + .key.pem, dsc-unknown-csca.der + .key.pem, masterlist.ml, crl.der.
/// `--trust DIR` then trusts csca.der (and masterlist.ml); the DSCs in DIR are never anchors and
/// the private keys are skipped. Throws Error on failure.
TestPki makeTestPki(const std::string& dir);

}  // namespace portti::mrtd::pki
