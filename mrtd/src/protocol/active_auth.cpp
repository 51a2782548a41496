// Active Authentication, reader side and chip side (Doc 9303-11 6.1).
#include "portti/mrtd/protocol/active_auth.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>

#include "../pki/ossl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/crypto.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
using pki::BnPtr;
using pki::PkeyPtr;
constexpr const char* kStep = "ACTIVE AUTHENTICATION";
constexpr std::size_t kChallengeSize = 8;
/// The named tolerance for an ECDSA signature sent as DER instead of plain r||s.
constexpr const char* kToleranceDerSignature = "aa-ecdsa-der-signature";


/// ISO/IEC 10118-3 hash identifiers used in the two-byte trailer.
std::optional<std::string> hashOfId(std::uint8_t id) {
  switch (id) {
    case 0x33: return "SHA-1";
    case 0x34: return "SHA-256";
    case 0x35: return "SHA-512";
    case 0x36: return "SHA-384";
    case 0x38: return "SHA-224";
    default: return std::nullopt;
  }
}

Bytes bnBytes(const BIGNUM* bn, std::size_t width) {
  Bytes out(width);
  if (BN_bn2binpad(bn, out.data(), static_cast<int>(width)) < 0) pki::throwCrypto(kStep, "number too large");
  return out;
}

ActiveAuthResult result(AuthStatus s, std::string algorithm, std::string reason = {}) {
  ActiveAuthResult r;
  r.status = s;
  r.algorithm = std::move(algorithm);
  r.reason = std::move(reason);
  return r;
}

/// Plain r || s (each `width` bytes) from a DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER });
/// nullopt with `why` unless it is strict DER (re-encodes to the same bytes, nothing after it) with
/// 0 < r, s that fit the curve's order width.
std::optional<Bytes> plainFromDerEcdsa(ByteView der, std::size_t width, std::string& why) {
  const unsigned char* p = der.data();
  ossl::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  pki::opensslErrors();
  if (!sig) {
    why = "unreadable";
    return std::nullopt;
  }
  if (p != der.data() + der.size()) {
    why = "bytes after the SEQUENCE";
    return std::nullopt;
  }
  unsigned char* reencoded = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &reencoded);
  const bool strict = n > 0 && static_cast<std::size_t>(n) == der.size() && std::equal(der.begin(), der.end(), reencoded);
  OPENSSL_free(reencoded);
  if (!strict) {
    why = "not DER (non-minimal lengths or integers)";
    return std::nullopt;
  }
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  for (const BIGNUM* v : {r, s}) {
    if (BN_is_negative(v) || BN_is_zero(v) || static_cast<std::size_t>(BN_num_bytes(v)) > width) {
      why = "r or s out of range for the curve";
      return std::nullopt;
    }
  }
  return concat({bnBytes(r, width), bnBytes(s, width)});
}

ActiveAuthResult verifyRsa(EVP_PKEY* key, ByteView challenge, ByteView signature) {
  BIGNUM* nRaw = nullptr;
  BIGNUM* eRaw = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &nRaw) != 1 ||
      EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &eRaw) != 1) {
    BN_free(nRaw);
    pki::opensslErrors();
    return result(AuthStatus::NotSupported, "RSA-ISO9796-2", "cannot read the DG15 RSA key");
  }
  BnPtr n(nRaw), e(eRaw);
  const std::size_t k = static_cast<std::size_t>(BN_num_bytes(n.get()));
  if (signature.size() != k)
    return result(AuthStatus::Failed, "RSA-ISO9796-2",
                  "signature of " + std::to_string(signature.size()) + " bytes, the " + std::to_string(BN_num_bits(n.get())) +
                      "-bit key needs " + std::to_string(k));
  BnPtr s(BN_bin2bn(signature.data(), static_cast<int>(signature.size()), nullptr));
  if (BN_cmp(s.get(), n.get()) >= 0) return result(AuthStatus::Failed, "RSA-ISO9796-2", "signature not below the modulus");
  ossl::BnCtxPtr ctx(BN_CTX_new());
  BnPtr j(BN_new());
  if (!ctx || !j || BN_mod_exp(j.get(), s.get(), e.get(), n.get(), ctx.get()) != 1)
    pki::throwCrypto(kStep, "RSA public operation failed");
  // ISO/IEC 9796-2 B.6: the signer sends min(J^d, n - J^d); F is J or n - J, whichever ends in 0xC.
  if (BN_mod_word(j.get(), 16) != 0x0C) BN_sub(j.get(), n.get(), j.get());
  try {
    const Iso9796Block block = decodeIso9796Scheme1(bnBytes(j.get(), k));
    const std::string algorithm = "RSA-ISO9796-2-" + block.hash;
    const Bytes expected = pki::digest(block.hash, concat({block.m1, challenge}));
    if (!crypto::equalConstantTime(expected, block.digest))
      return result(AuthStatus::Failed, algorithm, "the digest does not match the challenge: not signed by the DG15 key");
    return result(AuthStatus::Passed, algorithm);
  } catch (const Error& err) {
    return result(AuthStatus::Failed, "RSA-ISO9796-2", err.detail());
  }
}

ActiveAuthResult verifyEcdsa(EVP_PKEY* key, const std::optional<ActiveAuthenticationInfo>& info, ByteView challenge,
                             ByteView signature) {
  if (!info)
    return result(AuthStatus::NotSupported, "ECDSA", "DG14 has no ActiveAuthenticationInfo naming the ECDSA hash");
  pki::SignatureScheme scheme;
  try {
    scheme = pki::signatureScheme(encodeTlv(0x30, pki::oidDer(info->signatureAlgorithm)), "");
  } catch (const Error&) {
    return result(AuthStatus::NotSupported, "ECDSA", "unknown signature algorithm " + info->signatureAlgorithm);
  }
  if (scheme.kind != pki::SignatureScheme::Kind::EcdsaPlain)
    return result(AuthStatus::NotSupported, "ECDSA", "not a plain ECDSA algorithm: " + info->signatureAlgorithm);
  const std::string algorithm = "ECDSA-plain-" + scheme.hash;
  const std::size_t orderBytes = static_cast<std::size_t>((EVP_PKEY_get_bits(key) + 7) / 8);
  Bytes plain(signature.begin(), signature.end());
  std::vector<std::string> tolerances;
  if (signature.size() != 2 * orderBytes) {
    const std::string sizes =
        "signature of " + std::to_string(signature.size()) + " bytes, plain r||s on this curve is " + std::to_string(2 * orderBytes);
    if (signature.empty() || signature[0] != 0x30) return result(AuthStatus::Failed, algorithm, sizes);
    // Some ID cards answer a DER ECDSA-Sig-Value instead of the plain format of BSI TR-03111:
    // accepted when it is strict DER with r, s that fit the curve, and recorded by name.
    std::string why;
    std::optional<Bytes> fromDer = plainFromDerEcdsa(signature, orderBytes, why);
    if (!fromDer) return result(AuthStatus::Failed, algorithm, sizes + ", and not a DER ECDSA-Sig-Value either (" + why + ")");
    plain = std::move(*fromDer);
    tolerances.push_back(kToleranceDerSignature);
  }
  if (!pki::verifySignature(key, scheme, challenge, plain))
    return result(AuthStatus::Failed, algorithm, "the signature does not verify with the DG15 key");
  ActiveAuthResult passed = result(AuthStatus::Passed, algorithm);
  passed.tolerances = std::move(tolerances);
  return passed;
}
}  // namespace

Iso9796Block decodeIso9796Scheme1(ByteView f) {
  std::size_t start = 0;
  while (start < f.size() && f[start] == 0x00) ++start;
  f = f.subspan(start);
  if (f.size() < 2) throw Error(ErrorArea::Crypto, kStep, "recovered block too short");
  // Header 01 (scheme 1), partial recovery bit 1, padding ends in 1010: 0x6A (ISO/IEC 9796-2 8.1).
  if (f[0] != 0x6A) throw Error(ErrorArea::Crypto, kStep, "bad padding: header " + toHex(f.first(1)) + ", expected 6A");
  Iso9796Block b;
  std::size_t trailer = 1;
  if (f.back() == 0xBC) {
    b.hash = "SHA-1";
  } else if (f.back() == 0xCC) {
    trailer = 2;
    auto h = hashOfId(f[f.size() - 2]);
    if (!h) throw Error(ErrorArea::Crypto, kStep, "bad trailer: unknown hash id " + toHex(f.subspan(f.size() - 2, 1)));
    b.hash = *h;
  } else {
    throw Error(ErrorArea::Crypto, kStep, "bad trailer " + toHex(f.last(1)) + " (expected BC or ..CC)");
  }
  const std::size_t hashLen = pki::digest(b.hash, {}).size();
  if (f.size() < 1 + hashLen + trailer + 1)
    throw Error(ErrorArea::Crypto, kStep, "recovered block too short for a " + b.hash + " digest");
  const std::size_t m1Len = f.size() - 1 - hashLen - trailer;
  b.m1.assign(f.begin() + 1, f.begin() + 1 + static_cast<std::ptrdiff_t>(m1Len));
  b.digest.assign(f.begin() + 1 + static_cast<std::ptrdiff_t>(m1Len),
                  f.begin() + 1 + static_cast<std::ptrdiff_t>(m1Len + hashLen));
  return b;
}

ActiveAuthResult verifyActiveAuthentication(const Dg15& dg15, const std::optional<ActiveAuthenticationInfo>& info,
                                            ByteView challenge, ByteView signature) {
  PkeyPtr key;
  try {
    std::string tolerance;
    key = pki::normalisedPublicKey(dg15.subjectPublicKeyInfo, &tolerance);
  } catch (const Error& e) {
    return result(AuthStatus::NotSupported, "", "DG15 key: " + e.detail());
  }
  if (!key) return result(AuthStatus::NotSupported, "", "DG15 key unreadable");
  try {
    if (EVP_PKEY_is_a(key.get(), "RSA")) return verifyRsa(key.get(), challenge, signature);
    if (EVP_PKEY_is_a(key.get(), "EC")) return verifyEcdsa(key.get(), info, challenge, signature);
  } catch (const Error& e) {
    return result(AuthStatus::Failed, "", e.what());
  }
  return result(AuthStatus::NotSupported, "", "DG15 key is neither RSA nor EC");
}

ActiveAuthResult performActiveAuthentication(ApduChannel& channel, const Dg15& dg15,
                                             const std::optional<ActiveAuthenticationInfo>& info,
                                             const std::optional<Bytes>& challengeForTesting) {
  Bytes challenge;
  if (challengeForTesting) {
    challenge = *challengeForTesting;
  } else {
    const SecretBytes fresh = crypto::randomBytes(kChallengeSize);
    challenge.assign(fresh.view().begin(), fresh.view().end());
  }
  if (challenge.size() != kChallengeSize) return result(AuthStatus::Failed, "", "challenge must be 8 bytes");
  const std::size_t ne = channel.limits().extendedLength ? 65536 : 256;
  ResponseApdu r;
  try {
    r = channel.transmit(CommandApdu{0x00, 0x88, 0x00, 0x00, challenge, ne});
  } catch (const Error& e) {
    return result(AuthStatus::Failed, "", std::string("INTERNAL AUTHENTICATE: ") + e.what());
  }
  if (!r.ok()) return result(AuthStatus::Failed, "", "INTERNAL AUTHENTICATE: chip answered " + describeStatus(r.sw));
  return verifyActiveAuthentication(dg15, info, challenge, r.data);
}

// ---- chip side ----

struct ActiveAuthChip::Impl {
  PkeyPtr key;
  std::string ecHash;
};

ActiveAuthChip::ActiveAuthChip(const std::string& pem, std::string ecHash) : impl_(std::make_unique<Impl>()) {
  impl_->key = ossl::privateKeyFromPem(pem);
  if (!impl_->key) pki::throwCrypto("active authentication key", "cannot read the chip's private key");
  impl_->ecHash = std::move(ecHash);
}
ActiveAuthChip::~ActiveAuthChip() = default;
ActiveAuthChip::ActiveAuthChip(ActiveAuthChip&&) noexcept = default;
ActiveAuthChip& ActiveAuthChip::operator=(ActiveAuthChip&&) noexcept = default;

Bytes ActiveAuthChip::sign(ByteView challenge) const {
  EVP_PKEY* key = impl_->key.get();
  if (EVP_PKEY_is_a(key, "RSA")) {
    // F = 6A || M1 || SHA-1(M1 || challenge) || BC, as long as the modulus; then F^d mod n.
    const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(key));
    const SecretBytes m1 = crypto::randomBytes(k - 2 - 20);
    const Bytes d = crypto::sha1(concat({m1.view(), challenge}));
    const Bytes f = concat({Bytes{0x6A}, m1.view(), d, Bytes{0xBC}});
    pki::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    std::size_t n = k;
    Bytes sig(k);
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) <= 0 ||
        EVP_PKEY_sign(ctx.get(), sig.data(), &n, f.data(), f.size()) <= 0)
      pki::throwCrypto(kStep, "RSA signing failed");
    sig.resize(n);
    return sig;
  }
  // ECDSA, then the DER signature as plain r || s of the order's width.
  pki::MdCtxPtr md(EVP_MD_CTX_new());
  std::size_t n = 0;
  if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, impl_->ecHash.c_str(), nullptr, nullptr, key, nullptr) <= 0 ||
      EVP_DigestSign(md.get(), nullptr, &n, challenge.data(), challenge.size()) <= 0)
    pki::throwCrypto(kStep, "ECDSA signing failed");
  Bytes der(n);
  if (EVP_DigestSign(md.get(), der.data(), &n, challenge.data(), challenge.size()) <= 0)
    pki::throwCrypto(kStep, "ECDSA signing failed");
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(n));
  if (!sig) pki::throwCrypto(kStep, "ECDSA signature unreadable");
  const std::size_t width = static_cast<std::size_t>((EVP_PKEY_get_bits(key) + 7) / 8);
  Bytes out = concat({bnBytes(ECDSA_SIG_get0_r(sig), width), bnBytes(ECDSA_SIG_get0_s(sig), width)});
  ECDSA_SIG_free(sig);
  return out;
}

}  // namespace portti::mrtd
