// Standardised domain parameters for PACE and CA: Doc 9303 Part 11, 9.5.1 and BSI TR-03110-3,
// Table 4. Ids 3-7 and 19-31 are reserved. Note 14 = brainpoolP320r1 (a known mix-up with P512r1).
#include "portti/mrtd/lds/security_infos.hpp"

namespace portti::mrtd {

namespace {
constexpr StandardDomainParameters kTable[] = {
    {0, KeyAgreement::Dh, "1024-bit MODP Group with 160-bit Prime Order Subgroup (RFC 5114)", "dh_1024_160"},
    {1, KeyAgreement::Dh, "2048-bit MODP Group with 224-bit Prime Order Subgroup (RFC 5114)", "dh_2048_224"},
    {2, KeyAgreement::Dh, "2048-bit MODP Group with 256-bit Prime Order Subgroup (RFC 5114)", "dh_2048_256"},
    {8, KeyAgreement::Ecdh, "NIST P-192 (secp192r1)", "prime192v1"},
    {9, KeyAgreement::Ecdh, "brainpoolP192r1", "brainpoolP192r1"},
    {10, KeyAgreement::Ecdh, "NIST P-224 (secp224r1)", "secp224r1"},
    {11, KeyAgreement::Ecdh, "brainpoolP224r1", "brainpoolP224r1"},
    {12, KeyAgreement::Ecdh, "NIST P-256 (secp256r1)", "prime256v1"},
    {13, KeyAgreement::Ecdh, "brainpoolP256r1", "brainpoolP256r1"},
    {14, KeyAgreement::Ecdh, "brainpoolP320r1", "brainpoolP320r1"},
    {15, KeyAgreement::Ecdh, "NIST P-384 (secp384r1)", "secp384r1"},
    {16, KeyAgreement::Ecdh, "brainpoolP384r1", "brainpoolP384r1"},
    {17, KeyAgreement::Ecdh, "brainpoolP512r1", "brainpoolP512r1"},
    {18, KeyAgreement::Ecdh, "NIST P-521 (secp521r1)", "secp521r1"},
};
}  // namespace

std::optional<StandardDomainParameters> standardDomainParameters(int id) {
  for (const auto& p : kTable)
    if (p.id == id) return p;
  return std::nullopt;
}

const char* keyAgreementName(KeyAgreement ka) { return ka == KeyAgreement::Dh ? "DH" : "ECDH"; }

const char* cipherName(SymmetricCipher cipher) {
  switch (cipher) {
    case SymmetricCipher::Tdes: return "3DES";
    case SymmetricCipher::Aes128: return "AES-128";
    case SymmetricCipher::Aes192: return "AES-192";
    case SymmetricCipher::Aes256: return "AES-256";
  }
  return "?";
}

const char* mappingName(PaceMapping mapping) {
  switch (mapping) {
    case PaceMapping::Generic: return "GM";
    case PaceMapping::Integrated: return "IM";
    case PaceMapping::ChipAuthentication: return "CAM";
  }
  return "?";
}

}  // namespace portti::mrtd
