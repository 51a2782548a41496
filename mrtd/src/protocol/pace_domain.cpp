// PACE group arithmetic on OpenSSL's BIGNUM and EC_POINT (no EVP: the mapping replaces the
// generator, which EVP keys cannot express). Standard curves here all have cofactor 1, so a point
// on the curve that is not the identity lies in the prime-order group.
#include "portti/mrtd/protocol/pace_domain.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <string>

#include "core/openssl.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kDomainStep = "PACE domain parameters";

using Bn = ossl::SecretBnPtr;  // private scalars and nonces pass through here: cleared when freed
using BnCtx = ossl::BnCtxPtr;
using Group = ossl::EcGroupPtr;
using Point = ossl::EcPointPtr;

[[noreturn]] void fail(const std::string& step, const std::string& what) { ossl::throwCrypto(step, what); }

Bn newBn() {
  Bn b{BN_new()};
  if (!b) fail(kDomainStep, "out of memory");
  return b;
}
Bn bnOf(ByteView bytes) {
  Bn b{BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr)};
  if (!b) fail(kDomainStep, "cannot read a number");
  return b;
}
Bn bnDup(const BIGNUM* b) {
  Bn out{BN_dup(b)};
  if (!out) fail(kDomainStep, "out of memory");
  return out;
}
Bytes bnBytes(const BIGNUM* b, std::size_t size) {
  Bytes out(size);
  if (BN_bn2binpad(b, out.data(), static_cast<int>(size)) < 0) fail(kDomainStep, "number too large for its field");
  return out;
}
BnCtx newCtx() {
  BnCtx c{BN_CTX_new()};
  if (!c) fail(kDomainStep, "out of memory");
  return c;
}

[[noreturn]] void reject(const std::string& step, const std::string& reason) {
  throw Error(ErrorArea::Access, step, reason);
}

}  // namespace

struct PaceDomain::Impl {
  std::int64_t id = -1;
  KeyAgreement ka = KeyAgreement::Ecdh;
  // EC
  Group group;
  Point g;  // current generator
  // DH
  Bn p, q, gDh;
  // both
  Bn order;  // n or q
  std::size_t fieldBits = 0;

  std::unique_ptr<Impl> clone() const {
    auto out = std::make_unique<Impl>();
    out->id = id;
    out->ka = ka;
    out->fieldBits = fieldBits;
    out->order = bnDup(order.get());
    if (ka == KeyAgreement::Ecdh) {
      out->group.reset(EC_GROUP_dup(group.get()));
      out->g.reset(EC_POINT_dup(g.get(), group.get()));
      if (!out->group || !out->g) fail(kDomainStep, "out of memory");
    } else {
      out->p = bnDup(p.get());
      out->q = bnDup(q.get());
      out->gDh = bnDup(gDh.get());
    }
    return out;
  }

  std::size_t fieldSize() const { return (fieldBits + 7) / 8; }
  std::size_t elementSize() const { return ka == KeyAgreement::Ecdh ? 1 + 2 * fieldSize() : fieldSize(); }

  Point newPoint() const {
    Point pt{EC_POINT_new(group.get())};
    if (!pt) fail(kDomainStep, "out of memory");
    return pt;
  }
  Bytes encodePoint(const EC_POINT* pt) const {
    Bytes out(elementSize());
    BnCtx ctx = newCtx();
    if (EC_POINT_point2oct(group.get(), pt, POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(), ctx.get()) !=
        out.size())
      fail(kDomainStep, "cannot encode a point");
    return out;
  }
  /// A checked point from the wire.
  Point decodePoint(ByteView in, const std::string& step) const {
    if (in.size() != elementSize())
      reject(step, "public key of " + std::to_string(in.size()) + " bytes (" + std::to_string(elementSize()) +
                       " expected: 04 || X || Y)");
    if (in[0] != 0x04) reject(step, "public key is not an uncompressed point (first byte not 04)");
    Point pt = newPoint();
    BnCtx ctx = newCtx();
    if (EC_POINT_oct2point(group.get(), pt.get(), in.data(), in.size(), ctx.get()) != 1) {
      ossl::opensslErrors();
      reject(step, "public key is not a point on the curve");
    }
    if (EC_POINT_is_at_infinity(group.get(), pt.get())) reject(step, "public key is the point at infinity");
    if (EC_POINT_is_on_curve(group.get(), pt.get(), ctx.get()) != 1) reject(step, "public key is not on the curve");
    return pt;
  }
  /// A checked DH value from the wire: 1 < y < p-1 and y^q = 1 (RFC 2631 2.1.5).
  Bn decodeDh(ByteView in, const std::string& step) const {
    if (in.size() != fieldSize())
      reject(step, "public value of " + std::to_string(in.size()) + " bytes (" + std::to_string(fieldSize()) +
                       " expected)");
    Bn y = bnOf(in);
    Bn pMinus1 = bnDup(p.get());
    BN_sub_word(pMinus1.get(), 1);
    if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), pMinus1.get()) >= 0)
      reject(step, "public value outside 1 < y < p-1");
    BnCtx ctx = newCtx();
    Bn t = newBn();
    if (BN_mod_exp(t.get(), y.get(), q.get(), p.get(), ctx.get()) != 1) fail(step, "modular exponentiation failed");
    if (!BN_is_one(t.get())) reject(step, "public value is not in the prime-order subgroup (y^q != 1 mod p)");
    return y;
  }
  Bn privateOf(ByteView key) const {
    Bn k = bnOf(key);
    BN_set_flags(k.get(), BN_FLG_CONSTTIME);
    if (BN_is_zero(k.get())) reject(kDomainStep, "private key is zero");
    return k;
  }
};

PaceDomain::PaceDomain(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PaceDomain::~PaceDomain() = default;
PaceDomain::PaceDomain(const PaceDomain& other) : impl_(other.impl_->clone()) {}
PaceDomain::PaceDomain(PaceDomain&&) noexcept = default;
PaceDomain& PaceDomain::operator=(PaceDomain&&) noexcept = default;

PaceDomain PaceDomain::standard(std::int64_t parameterId) {
  const auto params = standardDomainParameters(static_cast<int>(parameterId));
  if (parameterId < 0 || parameterId > 31 || !params)
    reject(kDomainStep, "standardized domain parameter " + std::to_string(parameterId) + " is reserved or unknown");
  auto impl = std::make_unique<Impl>();
  impl->id = parameterId;
  impl->ka = params->keyAgreement;
  if (params->keyAgreement == KeyAgreement::Ecdh) {
    const int nid = OBJ_sn2nid(params->groupName);
    impl->group.reset(nid == NID_undef ? nullptr : EC_GROUP_new_by_curve_name(nid));
    if (!impl->group) fail(kDomainStep, std::string("curve ") + params->groupName + " not available");
    impl->g.reset(EC_POINT_dup(EC_GROUP_get0_generator(impl->group.get()), impl->group.get()));
    impl->order = bnDup(EC_GROUP_get0_order(impl->group.get()));
    impl->fieldBits = static_cast<std::size_t>(EC_GROUP_get_degree(impl->group.get()));
    if (!impl->g) fail(kDomainStep, "out of memory");
  } else {
    // The RFC 5114 groups as OpenSSL names them ("dh_1024_160", ...): p, q and g from the provider.
    ossl::PkeyCtxPtr ctx{EVP_PKEY_CTX_new_from_name(nullptr, "DHX", nullptr)};
    if (!ctx || EVP_PKEY_paramgen_init(ctx.get()) != 1) fail(kDomainStep, "DH parameter context");
    OSSL_PARAM set[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(params->groupName), 0),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_CTX_set_params(ctx.get(), set) != 1 || EVP_PKEY_paramgen(ctx.get(), &raw) != 1)
      fail(kDomainStep, std::string("DH group ") + params->groupName + " not available");
    ossl::PkeyPtr key{raw};
    BIGNUM *p = nullptr, *q = nullptr, *g = nullptr;
    if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_FFC_P, &p) != 1 ||
        EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_FFC_Q, &q) != 1 ||
        EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_FFC_G, &g) != 1)
      fail(kDomainStep, "cannot read the DH group");
    impl->p.reset(p);
    impl->q.reset(q);
    impl->gDh.reset(g);
    impl->order = bnDup(q);
    impl->fieldBits = static_cast<std::size_t>(BN_num_bits(p));
  }
  return PaceDomain(std::move(impl));
}

KeyAgreement PaceDomain::keyAgreement() const { return impl_->ka; }
std::int64_t PaceDomain::parameterId() const { return impl_->id; }
std::size_t PaceDomain::fieldBits() const { return impl_->fieldBits; }
std::size_t PaceDomain::fieldSize() const { return impl_->fieldSize(); }
std::size_t PaceDomain::orderSize() const { return static_cast<std::size_t>(BN_num_bytes(impl_->order.get())); }
std::size_t PaceDomain::elementSize() const { return impl_->elementSize(); }

Bytes PaceDomain::generator() const {
  if (impl_->ka == KeyAgreement::Ecdh) return impl_->encodePoint(impl_->g.get());
  return bnBytes(impl_->gDh.get(), fieldSize());
}

SecretBytes PaceDomain::randomPrivateKey() const {
  Bn k = newBn();
  do {
    if (BN_priv_rand_range(k.get(), impl_->order.get()) != 1) fail(kDomainStep, "random private key");
  } while (BN_is_zero(k.get()));
  return SecretBytes(bnBytes(k.get(), orderSize()));
}

Bytes PaceDomain::publicKey(ByteView privateKey) const {
  const Impl& d = *impl_;
  Bn k = d.privateOf(privateKey);
  BnCtx ctx = newCtx();
  if (d.ka == KeyAgreement::Ecdh) {
    Point pt = d.newPoint();
    if (EC_POINT_mul(d.group.get(), pt.get(), nullptr, d.g.get(), k.get(), ctx.get()) != 1)
      fail(kDomainStep, "point multiplication failed");
    return d.encodePoint(pt.get());
  }
  Bn y = newBn();
  if (BN_mod_exp_mont_consttime(y.get(), d.gDh.get(), k.get(), d.p.get(), ctx.get(), nullptr) != 1)
    fail(kDomainStep, "modular exponentiation failed");
  return bnBytes(y.get(), fieldSize());
}

void PaceDomain::checkElement(ByteView element, const std::string& step) const {
  if (impl_->ka == KeyAgreement::Ecdh) impl_->decodePoint(element, step);
  else impl_->decodeDh(element, step);
}

Bytes PaceDomain::agree(ByteView privateKey, ByteView peerElement, const std::string& step) const {
  const Impl& d = *impl_;
  Bn k = d.privateOf(privateKey);
  BnCtx ctx = newCtx();
  if (d.ka == KeyAgreement::Ecdh) {
    Point peer = d.decodePoint(peerElement, step);
    Point r = d.newPoint();
    if (EC_POINT_mul(d.group.get(), r.get(), nullptr, peer.get(), k.get(), ctx.get()) != 1)
      fail(step, "point multiplication failed");
    if (EC_POINT_is_at_infinity(d.group.get(), r.get())) reject(step, "key agreement gave the point at infinity");
    return d.encodePoint(r.get());
  }
  Bn peer = d.decodeDh(peerElement, step);
  Bn r = newBn();
  if (BN_mod_exp_mont_consttime(r.get(), peer.get(), k.get(), d.p.get(), ctx.get(), nullptr) != 1)
    fail(step, "modular exponentiation failed");
  if (BN_is_one(r.get())) reject(step, "key agreement gave the identity");
  return bnBytes(r.get(), fieldSize());
}

SecretBytes PaceDomain::sharedSecret(ByteView privateKey, ByteView peerElement, const std::string& step) const {
  Bytes element = agree(privateKey, peerElement, step);
  if (impl_->ka == KeyAgreement::Ecdh) {
    SecretBytes x(ByteView(element).subspan(1, fieldSize()));
    std::fill(element.begin(), element.end(), 0);
    return x;
  }
  return SecretBytes(std::move(element));
}

PaceDomain PaceDomain::mapGeneric(ByteView nonce, ByteView h) const {
  const std::string step = "PACE Generic Mapping";
  auto out = impl_->clone();
  Bn s = bnOf(nonce);
  BnCtx ctx = newCtx();
  if (impl_->ka == KeyAgreement::Ecdh) {
    Point hp = impl_->decodePoint(h, step);
    Point sg = impl_->newPoint();
    if (EC_POINT_mul(out->group.get(), sg.get(), nullptr, impl_->g.get(), s.get(), ctx.get()) != 1 ||
        EC_POINT_add(out->group.get(), out->g.get(), sg.get(), hp.get(), ctx.get()) != 1)
      fail(step, "point arithmetic failed");
    if (EC_POINT_is_at_infinity(out->group.get(), out->g.get())) reject(step, "mapped generator is the identity");
  } else {
    Bn hv = impl_->decodeDh(h, step);
    Bn gs = newBn();
    if (BN_mod_exp(gs.get(), impl_->gDh.get(), s.get(), impl_->p.get(), ctx.get()) != 1 ||
        BN_mod_mul(out->gDh.get(), gs.get(), hv.get(), impl_->p.get(), ctx.get()) != 1)
      fail(step, "modular arithmetic failed");
    if (BN_is_one(out->gDh.get())) reject(step, "mapped generator is 1");
  }
  return PaceDomain(std::move(out));
}

Bytes PaceDomain::reduceModP(ByteView r) const {
  BnCtx ctx = newCtx();
  Bn p = newBn();
  if (impl_->ka == KeyAgreement::Ecdh) {
    if (EC_GROUP_get_curve(impl_->group.get(), p.get(), nullptr, nullptr, ctx.get()) != 1) fail(kDomainStep, "curve");
  } else {
    p = bnDup(impl_->p.get());
  }
  Bn x = bnOf(r);
  Bn rp = newBn();
  if (BN_nnmod(rp.get(), x.get(), p.get(), ctx.get()) != 1) fail(kDomainStep, "modular reduction failed");
  return bnBytes(rp.get(), fieldSize());
}

PaceDomain PaceDomain::mapIntegrated(ByteView r) const {
  const std::string step = "PACE Integrated Mapping";
  auto out = impl_->clone();
  BnCtx c = newCtx();
  BN_CTX* ctx = c.get();
  const Bytes rpBytes = reduceModP(r);
  Bn t = bnOf(rpBytes);
  if (impl_->ka == KeyAgreement::Dh) {
    // f_g(x) = x^((p-1)/q) mod p; g' = 1 is refused (4.4.3.3.2).
    Bn e = bnDup(impl_->p.get());
    BN_sub_word(e.get(), 1);
    Bn rem = newBn();
    if (BN_div(e.get(), rem.get(), e.get(), impl_->q.get(), ctx) != 1 ||
        BN_mod_exp(out->gDh.get(), t.get(), e.get(), impl_->p.get(), ctx) != 1)
      fail(step, "modular arithmetic failed");
    if (BN_is_one(out->gDh.get()) || BN_is_zero(out->gDh.get())) reject(step, "mapped generator is 1");
    return PaceDomain(std::move(out));
  }
  // Point encoding f_G (9303-11 Appendix B, Brier et al. / Icart-style SWU for p = 3 mod 4):
  //   alpha = -t^2; X2 = -b/a * (1 + 1/(alpha + alpha^2)); X3 = alpha*X2;
  //   h2 = X2^3 + a X2 + b; h3 = X3^3 + a X3 + b; U = t^3 h2; A = h2^(p-1-(p+1)/4);
  //   A^2 h2 = 1 ? (X2, A h2) : (X3, A U).
  Bn p = newBn(), a = newBn(), b = newBn();
  if (EC_GROUP_get_curve(impl_->group.get(), p.get(), a.get(), b.get(), ctx) != 1) fail(step, "curve");
  if (BN_mod_word(p.get(), 4) != 3) reject(step, "the curve's prime is not 3 mod 4: no point encoding");
  Bn alpha = newBn(), tmp = newBn(), tmp2 = newBn(), x2 = newBn(), x3 = newBn(), h2 = newBn(), h3 = newBn(),
     u = newBn(), ae = newBn(), A = newBn(), x = newBn(), y = newBn();
  auto ok = [&](int r) {
    if (r != 1) fail(step, "modular arithmetic failed");
  };
  ok(BN_mod_sqr(tmp.get(), t.get(), p.get(), ctx));
  ok(BN_mod_sub(alpha.get(), p.get(), tmp.get(), p.get(), ctx));  // -t^2
  ok(BN_mod_sqr(tmp.get(), alpha.get(), p.get(), ctx));
  ok(BN_mod_add(tmp.get(), tmp.get(), alpha.get(), p.get(), ctx));  // alpha + alpha^2
  if (BN_is_zero(tmp.get())) reject(step, "degenerate nonce (alpha + alpha^2 = 0)");
  if (!BN_mod_inverse(tmp.get(), tmp.get(), p.get(), ctx)) fail(step, "inverse");
  ok(BN_add_word(tmp.get(), 1) ? 1 : 0);
  ok(BN_nnmod(tmp.get(), tmp.get(), p.get(), ctx));  // 1 + 1/(alpha+alpha^2)
  if (!BN_mod_inverse(tmp2.get(), a.get(), p.get(), ctx)) fail(step, "inverse");
  ok(BN_mod_mul(tmp2.get(), tmp2.get(), b.get(), p.get(), ctx));  // b/a
  ok(BN_mod_sub(tmp2.get(), p.get(), tmp2.get(), p.get(), ctx));  // -b/a
  ok(BN_mod_mul(x2.get(), tmp2.get(), tmp.get(), p.get(), ctx));
  ok(BN_mod_mul(x3.get(), alpha.get(), x2.get(), p.get(), ctx));
  auto curveRhs = [&](BIGNUM* out, const BIGNUM* xv) {
    ok(BN_mod_sqr(tmp.get(), xv, p.get(), ctx));
    ok(BN_mod_add(tmp.get(), tmp.get(), a.get(), p.get(), ctx));
    ok(BN_mod_mul(tmp.get(), tmp.get(), xv, p.get(), ctx));
    ok(BN_mod_add(out, tmp.get(), b.get(), p.get(), ctx));
  };
  curveRhs(h2.get(), x2.get());
  curveRhs(h3.get(), x3.get());
  ok(BN_mod_sqr(tmp.get(), t.get(), p.get(), ctx));
  ok(BN_mod_mul(tmp.get(), tmp.get(), t.get(), p.get(), ctx));
  ok(BN_mod_mul(u.get(), tmp.get(), h2.get(), p.get(), ctx));
  // exponent p - 1 - (p+1)/4
  ok(BN_copy(tmp.get(), p.get()) ? 1 : 0);
  ok(BN_add_word(tmp.get(), 1));
  ok(BN_rshift(tmp.get(), tmp.get(), 2));
  ok(BN_copy(ae.get(), p.get()) ? 1 : 0);
  ok(BN_sub_word(ae.get(), 1));
  ok(BN_sub(ae.get(), ae.get(), tmp.get()));
  ok(BN_mod_exp(A.get(), h2.get(), ae.get(), p.get(), ctx));
  ok(BN_mod_sqr(tmp.get(), A.get(), p.get(), ctx));
  ok(BN_mod_mul(tmp.get(), tmp.get(), h2.get(), p.get(), ctx));
  if (BN_is_one(tmp.get())) {
    ok(BN_copy(x.get(), x2.get()) ? 1 : 0);
    ok(BN_mod_mul(y.get(), A.get(), h2.get(), p.get(), ctx));
  } else {
    ok(BN_copy(x.get(), x3.get()) ? 1 : 0);
    ok(BN_mod_mul(y.get(), A.get(), u.get(), p.get(), ctx));
  }
  if (EC_POINT_set_affine_coordinates(out->group.get(), out->g.get(), x.get(), y.get(), ctx) != 1 ||
      EC_POINT_is_on_curve(out->group.get(), out->g.get(), ctx) != 1 ||
      EC_POINT_is_at_infinity(out->group.get(), out->g.get()))
    reject(step, "point encoding did not give a point on the curve");
  return PaceDomain(std::move(out));
}

Bytes PaceDomain::chipAuthenticationData(ByteView staticPrivateKey, ByteView mapPrivateKey) const {
  const std::string step = "PACE-CAM chip authentication data";
  Bn sk = impl_->privateOf(staticPrivateKey);
  Bn skMap = impl_->privateOf(mapPrivateKey);
  BnCtx ctx = newCtx();
  Bn inv{BN_mod_inverse(nullptr, sk.get(), impl_->order.get(), ctx.get())};
  if (!inv) fail(step, "the static key has no inverse");
  Bn ca = newBn();
  if (BN_mod_mul(ca.get(), inv.get(), skMap.get(), impl_->order.get(), ctx.get()) != 1) fail(step, "modular product");
  return bnBytes(ca.get(), orderSize());
}

}  // namespace portti::mrtd
