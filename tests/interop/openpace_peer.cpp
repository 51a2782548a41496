#include "openpace_peer.hpp"

#include <eac/objects.h>
#include <openssl/bn.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/rand.h>

#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/protocol/pace_domain.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::interop {

using namespace portti::mrtd;

Buf toBuf(ByteView b) {
  Buf out(BUF_MEM_new());
  if (!out || (!b.empty() && BUF_MEM_grow(out.get(), b.size()) != b.size()))
    throw std::runtime_error("OpenPACE: BUF_MEM allocation failed");
  if (!b.empty()) std::memcpy(out->data, b.data(), b.size());
  out->length = b.size();
  return out;
}

Bytes bytesOf(const BUF_MEM* m) {
  if (!m) return {};
  const auto* p = reinterpret_cast<const std::uint8_t*>(m->data);
  return Bytes(p, p + m->length);
}

namespace {

Buf buf(ByteView b) { return toBuf(b); }
ByteView viewOf(const BUF_MEM* m) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(m->data), m->length);
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("OpenPACE: " + what + " failed");
}

/// The NID OpenPACE knows for a GM or IM suite.
int openPaceNid(KeyAgreement ka, PaceMapping mapping, SymmetricCipher cipher) {
  const bool ec = ka == KeyAgreement::Ecdh;
  const bool im = mapping == PaceMapping::Integrated;
  switch (cipher) {
    case SymmetricCipher::Tdes:
      return ec ? (im ? NID_id_PACE_ECDH_IM_3DES_CBC_CBC : NID_id_PACE_ECDH_GM_3DES_CBC_CBC)
                : (im ? NID_id_PACE_DH_IM_3DES_CBC_CBC : NID_id_PACE_DH_GM_3DES_CBC_CBC);
    case SymmetricCipher::Aes128:
      return ec ? (im ? NID_id_PACE_ECDH_IM_AES_CBC_CMAC_128 : NID_id_PACE_ECDH_GM_AES_CBC_CMAC_128)
                : (im ? NID_id_PACE_DH_IM_AES_CBC_CMAC_128 : NID_id_PACE_DH_GM_AES_CBC_CMAC_128);
    case SymmetricCipher::Aes192:
      return ec ? (im ? NID_id_PACE_ECDH_IM_AES_CBC_CMAC_192 : NID_id_PACE_ECDH_GM_AES_CBC_CMAC_192)
                : (im ? NID_id_PACE_DH_IM_AES_CBC_CMAC_192 : NID_id_PACE_DH_GM_AES_CBC_CMAC_192);
    case SymmetricCipher::Aes256:
      return ec ? (im ? NID_id_PACE_ECDH_IM_AES_CBC_CMAC_256 : NID_id_PACE_ECDH_GM_AES_CBC_CMAC_256)
                : (im ? NID_id_PACE_DH_IM_AES_CBC_CMAC_256 : NID_id_PACE_DH_GM_AES_CBC_CMAC_256);
  }
  return NID_undef;
}

/// OpenPACE has no CAM OIDs: register id-PACE-ECDH-CAM-<cipher> with OpenSSL once.
int camNid(const std::string& oid) {
  int nid = OBJ_txt2nid(oid.c_str());
  if (nid == NID_undef) {
    const std::string name = "portti-test-" + oid;
    nid = OBJ_create(oid.c_str(), name.c_str(), name.c_str());
  }
  require(nid != NID_undef, "registering the CAM OID");
  return nid;
}

// ---- ICAO's Integrated Mapping in place of OpenPACE's (see the header) ----

std::map<const PACE_CTX*, Variant>& imVariants() {
  static std::map<const PACE_CTX*, Variant> variants;
  return variants;
}

void installEcGenerator(PACE_CTX* pace, ByteView g) {
  const EC_KEY* base = EVP_PKEY_get0_EC_KEY(pace->static_key);
  std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(EC_GROUP_dup(EC_KEY_get0_group(base)), EC_GROUP_free);
  std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> point(EC_POINT_new(group.get()), EC_POINT_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> order(BN_dup(EC_GROUP_get0_order(group.get())), BN_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> cofactor(BN_dup(EC_GROUP_get0_cofactor(group.get())), BN_free);
  std::unique_ptr<EC_KEY, decltype(&EC_KEY_free)> eph(EC_KEY_new(), EC_KEY_free);
  require(point && order && cofactor && eph &&
              EC_POINT_oct2point(group.get(), point.get(), g.data(), g.size(), nullptr) == 1 &&
              EC_GROUP_set_generator(group.get(), point.get(), order.get(), cofactor.get()) == 1 &&
              EC_KEY_set_group(eph.get(), group.get()) == 1 && EVP_PKEY_set1_EC_KEY(pace->ka_ctx->key, eph.get()) == 1,
          "installing the mapped EC generator");
}

void installDhGenerator(PACE_CTX* pace, ByteView g) {
  const DH* base = EVP_PKEY_get0_DH(pace->static_key);
  const BIGNUM *p = nullptr, *q = nullptr;
  DH_get0_pqg(base, &p, &q, nullptr);
  std::unique_ptr<DH, decltype(&DH_free)> dh(DH_new(), DH_free);
  require(dh && DH_set0_pqg(dh.get(), BN_dup(p), BN_dup(q), BN_bin2bn(g.data(), static_cast<int>(g.size()), nullptr)) == 1 &&
              EVP_PKEY_set1_DH(pace->ka_ctx->key, dh.get()) == 1,
          "installing the mapped DH generator");
}

/// IM's mapping data: the reader's random nonce t, of the cipher's key length (4.4.3.3.2).
BUF_MEM* randomIntegratedNonce(const PACE_CTX* pace, BN_CTX*) {
  const int n = EVP_CIPHER_key_length(pace->ka_ctx->cipher);
  Bytes t(static_cast<std::size_t>(n));
  if (RAND_bytes(t.data(), n) != 1) return nullptr;
  return toBuf(t).release();
}

int icaoIntegratedMapping(PACE_CTX* pace, const BUF_MEM* s, const BUF_MEM* t, BN_CTX*) {
  try {
    const Variant& v = imVariants().at(pace);
    const PaceDomain domain = PaceDomain::standard(v.parameterId);
    const PaceDomain mapped =
        domain.mapIntegrated(integratedMappingRandom(viewOf(s), viewOf(t), v.cipher, domain.fieldBits()));
    if (v.ka == KeyAgreement::Ecdh) installEcGenerator(pace, mapped.generator());
    else installDhGenerator(pace, mapped.generator());
    return 1;
  } catch (const std::exception&) {
    return 0;
  }
}

ResponseApdu status(std::uint16_t s) { return ResponseApdu{{}, s}; }
ResponseApdu dynamicData(ByteView objects) { return ResponseApdu{encodeTlv(0x7C, objects), sw::kOk}; }

}  // namespace

std::string protocolOid(const Variant& v) { return paceProtocolOid(v.ka, v.mapping, v.cipher); }

PaceInfo paceInfoOf(const Variant& v) {
  return parseCardAccess(encodeCardAccess({encodePaceInfo(v.ka, v.mapping, v.cipher, v.parameterId)})).pace.at(0);
}

// ---- OpenPaceSide ----

OpenPaceSide::OpenPaceSide(const Variant& v, const std::string& can) : v_(v) {
  EAC_init();
  ctx_ = EAC_CTX_new();
  // OpenPACE runs the Generic Mapping suite of the same key agreement and cipher; CAM and IM then
  // put their own OID in the tokens, and IM its mapping in the hooks (see the header).
  const int nid = openPaceNid(v.ka, PaceMapping::Generic, v.cipher);
  require(ctx_ && EAC_CTX_init_pace(ctx_, nid, v.parameterId) == 1, std::string("EAC_CTX_init_pace for ") + v.name);
  ctx_->tr_version = EAC_TR_VERSION_2_02;
  if (v.mapping == PaceMapping::ChipAuthentication) ctx_->pace_ctx->protocol = camNid(protocolOid(v));
  if (v.mapping == PaceMapping::Integrated) {
    ctx_->pace_ctx->protocol = openPaceNid(v.ka, v.mapping, v.cipher);
    imVariants()[ctx_->pace_ctx] = v;
    ctx_->pace_ctx->map_generate_key = randomIntegratedNonce;
    ctx_->pace_ctx->map_compute_key = icaoIntegratedMapping;
  }
  secret_ = PACE_SEC_new(can.data(), can.size(), PACE_CAN);
  require(secret_ != nullptr, "PACE_SEC_new");
}

OpenPaceSide::~OpenPaceSide() {
  if (ctx_ && ctx_->pace_ctx) imVariants().erase(ctx_->pace_ctx);
  PACE_SEC_clear_free(secret_);
  EAC_CTX_clear_free(ctx_);
}

Bytes OpenPaceSide::ksEnc() const { return bytesOf(ctx_->pace_ctx->ka_ctx->k_enc); }
Bytes OpenPaceSide::ksMac() const { return bytesOf(ctx_->pace_ctx->ka_ctx->k_mac); }

Bytes OpenPaceSide::mapPrivateKey() const {
  const EC_KEY* key = EVP_PKEY_get0_EC_KEY(ctx_->pace_ctx->static_key);
  const BIGNUM* priv = key ? EC_KEY_get0_private_key(key) : nullptr;
  require(priv != nullptr, "reading the mapping private key");
  Bytes out(static_cast<std::size_t>(BN_num_bytes(priv)));
  BN_bn2bin(priv, out.data());
  return out;
}

namespace {
/// SSC = 2^128 - 1: sixteen FF bytes, the "-1" whose encryption is the CAM IV (9303-11 4.4.3.5.1).
void setSscMinusOne(EAC_CTX* ctx) {
  require(EAC_CTX_set_encryption_ctx(ctx, EAC_ID_PACE) == 1 && BN_set_word(ctx->ssc, 0) == 1 &&
              BN_set_bit(ctx->ssc, 128) == 1 && BN_sub_word(ctx->ssc, 1) == 1,
          "EAC_CTX_set_encryption_ctx");
}
}  // namespace

Bytes OpenPaceSide::camEncrypt(ByteView data) {
  setSscMinusOne(ctx_);
  const Buf in = buf(data);
  const Buf padded(EAC_add_iso_pad(ctx_, in.get()));
  const Buf out(padded ? EAC_encrypt(ctx_, padded.get()) : nullptr);
  require(out != nullptr, "EAC_encrypt of the CAM data");
  return bytesOf(out.get());
}

std::optional<Bytes> OpenPaceSide::camDecrypt(ByteView data) {
  setSscMinusOne(ctx_);
  const Buf in = buf(data);
  const Buf plain(EAC_decrypt(ctx_, in.get()));
  if (!plain) return std::nullopt;
  const Buf unpadded(EAC_remove_iso_pad(plain.get()));
  if (!unpadded) return std::nullopt;
  return bytesOf(unpadded.get());
}

void OpenPaceSide::noteDhValue(ByteView value, bool sentByOpenPace) {
  if (v_.ka != KeyAgreement::Dh) return;
  const std::size_t field = PaceDomain::standard(v_.parameterId).fieldSize();
  if (value.size() < field || (!sentByOpenPace && !value.empty() && value[0] == 0x00)) shortDh_ = true;
}

void OpenPaceSide::noteSharedSecret() {
  if (v_.ka != KeyAgreement::Dh) return;
  const BUF_MEM* k = ctx_->pace_ctx->ka_ctx->shared_secret;
  if (!k || k->length < PaceDomain::standard(v_.parameterId).fieldSize()) shortDh_ = true;
}

// ---- OpenPaceCard ----

OpenPaceCard::OpenPaceCard(const Variant& v, const std::string& can, Bytes camStaticPrivateKey)
    : side_(v, can), camKey_(std::move(camStaticPrivateKey)) {}

ChannelLimits OpenPaceCard::limits() const {
  ChannelLimits l;
  l.extendedLength = true;
  l.maxCommandBytes = 4 + 3 + 65535 + 2;
  l.maxResponseBytes = 65536 + 2;
  return l;
}

Bytes OpenPaceCard::transmitRaw(ByteView command) { return answer(CommandApdu::decode(command)).encode(); }

namespace {
std::optional<Bytes> object(ByteView templ, std::uint32_t tag) {
  const Tlv t = decodeOne(templ);
  if (t.tag != 0x7C) return std::nullopt;
  const auto o = findChild(t.value, tag);
  if (!o) return std::nullopt;
  return Bytes(o->value.begin(), o->value.end());
}

/// CA_IC = SK_IC^-1 * SK_map,IC mod n (9303-11 4.4.3.5.1), FE2OS to the size of n.
Bytes chipAuthenticationData(int parameterId, ByteView skIc, ByteView skMap) {
  const auto params = standardDomainParameters(parameterId);
  std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(
      EC_GROUP_new_by_curve_name(OBJ_sn2nid(params->groupName)), EC_GROUP_free);
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> bn(BN_CTX_new(), BN_CTX_free);
  std::unique_ptr<BIGNUM, decltype(&BN_clear_free)> a(BN_bin2bn(skIc.data(), static_cast<int>(skIc.size()), nullptr),
                                                        BN_clear_free);
  std::unique_ptr<BIGNUM, decltype(&BN_clear_free)> b(BN_bin2bn(skMap.data(), static_cast<int>(skMap.size()), nullptr),
                                                        BN_clear_free);
  std::unique_ptr<BIGNUM, decltype(&BN_clear_free)> r(BN_new(), BN_clear_free);
  const BIGNUM* n = group ? EC_GROUP_get0_order(group.get()) : nullptr;
  require(n && bn && a && b && r && BN_mod_inverse(a.get(), a.get(), n, bn.get()) != nullptr &&
              BN_mod_mul(r.get(), a.get(), b.get(), n, bn.get()) == 1,
          "computing CA_IC");
  Bytes out(static_cast<std::size_t>(BN_num_bytes(n)));
  BN_bn2binpad(r.get(), out.data(), static_cast<int>(out.size()));
  return out;
}
}  // namespace

ResponseApdu OpenPaceCard::answer(const CommandApdu& c) {
  EAC_CTX* ctx = side_.ctx();
  const Variant& v = side_.variant();
  try {
    if (c.ins == 0x22) {
      next_ = 0;
      const auto oid = findChild(c.data, 0x80);
      const auto ref = findChild(c.data, 0x83);
      const auto id = findChild(c.data, 0x84);
      if (!oid || decodeOid(oid->value) != protocolOid(v) || !ref || Bytes(ref->value.begin(), ref->value.end()) != Bytes{0x02} ||
          !id || Bytes(id->value.begin(), id->value.end()) != Bytes{static_cast<std::uint8_t>(v.parameterId)})
        return status(sw::kWrongData);
      next_ = 1;
      return status(sw::kOk);
    }
    if (c.ins != 0x86 || next_ == 0) return status(sw::kConditionsNotSatisfied);
    switch (next_) {
      case 1: {
        const Buf z(PACE_STEP1_enc_nonce(ctx, side_.secret()));
        require(z != nullptr, "PACE_STEP1_enc_nonce");
        next_ = 2;
        return dynamicData(encodeTlv(0x80, bytesOf(z.get())));
      }
      case 2: {
        const auto in = object(c.data, 0x81);
        if (!in) return status(sw::kWrongData);
        next_ = 3;
        if (v.mapping == PaceMapping::Integrated) {
          require(PACE_STEP3A_map_generator(ctx, buf(*in).get()) == 1, "PACE_STEP3A_map_generator");
          return dynamicData(encodeTlv(0x82, Bytes{}));
        }
        side_.noteDhValue(*in, false);
        const Buf mine(PACE_STEP3A_generate_mapping_data(ctx));
        require(mine != nullptr, "PACE_STEP3A_generate_mapping_data");
        side_.noteDhValue(viewOf(mine.get()), true);
        require(PACE_STEP3A_map_generator(ctx, buf(*in).get()) == 1, "PACE_STEP3A_map_generator");
        return dynamicData(encodeTlv(0x82, bytesOf(mine.get())));
      }
      case 3: {
        const auto in = object(c.data, 0x83);
        if (!in) return status(sw::kWrongData);
        side_.noteDhValue(*in, false);
        readerEphemeral_ = *in;
        const Buf mine(PACE_STEP3B_generate_ephemeral_key(ctx));
        require(mine != nullptr, "PACE_STEP3B_generate_ephemeral_key");
        side_.noteDhValue(viewOf(mine.get()), true);
        require(PACE_STEP3B_compute_shared_secret(ctx, buf(*in).get()) == 1, "PACE_STEP3B_compute_shared_secret");
        side_.noteSharedSecret();
        require(PACE_STEP3C_derive_keys(ctx) == 1, "PACE_STEP3C_derive_keys");
        next_ = 4;
        return dynamicData(encodeTlv(0x84, bytesOf(mine.get())));
      }
      default: {
        next_ = 0;
        const auto token = object(c.data, 0x85);
        if (!token) return status(sw::kWrongData);
        readerTokenVerified_ = PACE_STEP3D_verify_authentication_token(ctx, buf(*token).get()) == 1;
        if (!readerTokenVerified_) return status(sw::kAuthenticationFailed);
        const Buf mine(PACE_STEP3D_compute_authentication_token(ctx, buf(readerEphemeral_).get()));
        require(mine != nullptr, "PACE_STEP3D_compute_authentication_token");
        Bytes objects = encodeTlv(0x86, bytesOf(mine.get()));
        if (v.mapping == PaceMapping::ChipAuthentication) {
          const Bytes ca = chipAuthenticationData(v.parameterId, camKey_, side_.mapPrivateKey());
          const Bytes a = encodeTlv(0x8A, side_.camEncrypt(ca));
          objects.insert(objects.end(), a.begin(), a.end());
        }
        return dynamicData(objects);
      }
    }
  } catch (const Error&) {
    next_ = 0;
    return status(sw::kWrongData);
  } catch (const std::runtime_error&) {
    next_ = 0;
    return status(sw::kUnknown);
  }
}

}  // namespace portti::interop
