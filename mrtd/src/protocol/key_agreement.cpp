#include "key_agreement.hpp"

#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/param_build.h>

#include <string>

namespace portti::mrtd::detail {

namespace {
using pki::BnPtr;
using pki::PkeyCtxPtr;
using pki::throwCrypto;

}  // namespace

PkeyPtr generateKeyOn(EVP_PKEY* domain) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, domain, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_generate(ctx.get(), &key) <= 0)
    throwCrypto("key agreement", "cannot generate an ephemeral key pair");
  return PkeyPtr(key);
}

Bytes encodedPublicKey(EVP_PKEY* key) {
  unsigned char* buf = nullptr;
  const std::size_t n = EVP_PKEY_get1_encoded_public_key(key, &buf);
  if (n == 0 || !buf) throwCrypto("key agreement", "cannot encode a public key");
  Bytes out(buf, buf + n);
  OPENSSL_free(buf);
  return out;
}

PkeyPtr publicKeyOn(EVP_PKEY* domain, ByteView encoded, const char* step) {
  if (encoded.empty()) throw Error(ErrorArea::Crypto, step, "empty public key");
  PkeyPtr peer(EVP_PKEY_new());
  if (!peer || EVP_PKEY_copy_parameters(peer.get(), domain) != 1)
    throwCrypto(step, "cannot copy domain parameters");
  if (EVP_PKEY_set1_encoded_public_key(peer.get(), encoded.data(), encoded.size()) != 1) {
    pki::opensslErrors();
    throw Error(ErrorArea::Crypto, step, "the public key is not a point of the curve or a value of the group");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, peer.get(), nullptr));
  // EC: on the curve, not the identity, of order n. DH: 2 <= y <= p-2 and y^q = 1 (mod p).
  if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1) {
    pki::opensslErrors();
    throw Error(ErrorArea::Crypto, step,
                EVP_PKEY_is_a(domain, "EC") ? "the public key is the identity or not a point of the curve's group"
                                            : "the DH public value is outside the group");
  }
  return peer;
}

SecretBytes sharedSecret(EVP_PKEY* own, EVP_PKEY* peer, const char* step) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0) throwCrypto(step, "cannot start key agreement");
  const bool dh = !EVP_PKEY_is_a(own, "EC");
  if (dh && EVP_PKEY_CTX_set_dh_pad(ctx.get(), 1) <= 0) throwCrypto(step, "cannot pad the DH secret");
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, 1) <= 0) {
    pki::opensslErrors();
    throw Error(ErrorArea::Crypto, step, "the peer's public key is not valid for these domain parameters");
  }
  std::size_t n = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &n) <= 0) throwCrypto(step, "key agreement failed");
  Bytes out(n);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &n) <= 0) throwCrypto(step, "key agreement failed");
  out.resize(n);
  return SecretBytes(std::move(out));
}

PkeyPtr ecKeyPairOn(EVP_PKEY* domain, ByteView privateScalar, ByteView publicPoint) {
  char group[80];
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(domain, group, sizeof group, &len) != 1) throwCrypto("key agreement", "no curve name");
  BnPtr priv(BN_bin2bn(privateScalar.data(), static_cast<int>(privateScalar.size()), nullptr));
  ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!priv || !bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, publicPoint.data(), publicPoint.size()))
    throwCrypto("key agreement", "cannot build a key");
  ossl::ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) <= 0)
    throwCrypto("key agreement", "cannot build a key");
  return PkeyPtr(key);
}

}  // namespace portti::mrtd::detail
