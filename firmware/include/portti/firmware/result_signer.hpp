// Origin and integrity of a verification result: the kiosk signs the exact body bytes with its
// device key (ECDSA P-256, SHA-256), the case system verifies with the kiosk's certificate.
#pragma once

#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace portti::firmware {

/// The algorithm name carried next to a signature (header `Portti-Signature-Alg`).
inline constexpr std::string_view kResultSignatureAlg = "ecdsa-p256-sha256";

/// Signs result documents with the kiosk's device key. Only EC P-256 keys are accepted.
class ResultSigner {
 public:
  /// Loads an unencrypted PEM private key; throws DeliveryError naming the file if it is
  /// unreadable or not a P-256 key.
  static ResultSigner fromPemFile(const std::string& path);
  static ResultSigner fromPem(std::string_view pem);

  /// A detached signature over exactly `body`: base64 of the DER ECDSA-Sig-Value.
  std::string sign(std::string_view body) const;
  /// The public half as PEM (SubjectPublicKeyInfo), for configuring a case system.
  std::string publicKeyPem() const;

 private:
  explicit ResultSigner(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

/// True only when `signatureBase64` is a valid ECDSA P-256/SHA-256 signature over exactly `body`
/// by the key in `keyPem` (a certificate or a public key, PEM). Any malformed input is false.
bool verifyResultSignature(std::string_view body, std::string_view signatureBase64,
                           std::string_view keyPem);

/// Keyed pseudonyms (HMAC-SHA256 with a kiosk secret) so a document number can be matched by
/// someone holding the secret but is never stored or sent in clear.
class Pseudonymizer {
 public:
  /// Throws DeliveryError if the secret is shorter than 16 bytes.
  explicit Pseudonymizer(std::string secret);
  ~Pseudonymizer();  // wipes the secret
  Pseudonymizer(const Pseudonymizer&) = default;
  Pseudonymizer& operator=(const Pseudonymizer&) = default;
  /// Lowercase hex of HMAC-SHA256(secret, value).
  std::string pseudonym(std::string_view value) const;

 private:
  std::string secret_;
};

}  // namespace portti::firmware
