// portti's PACE against OpenPACE, both ways, for the variants without a published worked example
// (CLARIFICATIONS 11): PACE-CAM, 3DES, GM and IM on several curves, DH GM and IM.
//   - OpenPACE as the card, portti's reader (performPace): both derive the same KS_enc / KS_mac,
//     each accepts the other's token, and for CAM portti proves the chip key from OpenPACE's A_IC.
//   - OpenPACE as the terminal, portti's virtual chip (PaceChip): the same, and a command protected
//     with OpenPACE's keys is accepted by the chip's secure messaging (and the answer read back).
// See openpace_peer.hpp for what OpenPACE 1.1.2 lacks (CAM) or does differently (IM) and how.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "openpace_peer.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/protocol/pace_domain.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;
using portti::interop::OpenPaceCard;
using portti::interop::OpenPaceSide;
using portti::interop::Variant;

namespace {

const std::string kCan = "123456";
// A DH run is repeated when OpenPACE wrote a DH integer without its leading zero (~1 in 100 runs;
// see OpenPaceSide::shortDhEncoding); every other failure fails the test.
constexpr int kAttempts = 8;

using KA = KeyAgreement;
using PM = PaceMapping;
using SC = SymmetricCipher;

// Variants without a published run. The ICAO worked examples (pace_vectors_test) cover
// ECDH-GM-AES128 on brainpoolP256r1, DH-GM-AES128 on group 0, ECDH-IM and DH-IM with AES-128.
const Variant kVariants[] = {
    {KA::Ecdh, PM::Generic, SC::Aes128, 12, "PACE-ECDH-GM-AES128"},    // NIST P-256
    {KA::Ecdh, PM::Generic, SC::Aes192, 16, "PACE-ECDH-GM-AES192"},    // brainpoolP384r1
    {KA::Ecdh, PM::Generic, SC::Aes256, 18, "PACE-ECDH-GM-AES256"},    // NIST P-521
    {KA::Ecdh, PM::Generic, SC::Aes256, 17, "PACE-ECDH-GM-AES256"},    // brainpoolP512r1
    {KA::Ecdh, PM::Generic, SC::Tdes, 12, "PACE-ECDH-GM-3DES"},        // NIST P-256
    {KA::Ecdh, PM::Generic, SC::Tdes, 13, "PACE-ECDH-GM-3DES"},        // brainpoolP256r1
    {KA::Dh, PM::Generic, SC::Tdes, 0, "PACE-DH-GM-3DES"},             // RFC 5114 1024/160
    {KA::Dh, PM::Generic, SC::Aes128, 1, "PACE-DH-GM-AES128"},         // RFC 5114 2048/224
    {KA::Dh, PM::Generic, SC::Aes256, 2, "PACE-DH-GM-AES256"},         // RFC 5114 2048/256
    {KA::Ecdh, PM::Integrated, SC::Aes128, 12, "PACE-ECDH-IM-AES128"},  // NIST P-256
    {KA::Ecdh, PM::Integrated, SC::Aes256, 16, "PACE-ECDH-IM-AES256"},  // brainpoolP384r1
    {KA::Ecdh, PM::Integrated, SC::Tdes, 13, "PACE-ECDH-IM-3DES"},     // brainpoolP256r1
    {KA::Dh, PM::Integrated, SC::Aes128, 1, "PACE-DH-IM-AES128"},      // RFC 5114 2048/224
    {KA::Dh, PM::Integrated, SC::Tdes, 0, "PACE-DH-IM-3DES"},          // RFC 5114 1024/160
    {KA::Ecdh, PM::ChipAuthentication, SC::Aes128, 12, "PACE-ECDH-CAM-AES128"},  // NIST P-256
    {KA::Ecdh, PM::ChipAuthentication, SC::Aes128, 13, "PACE-ECDH-CAM-AES128"},  // brainpoolP256r1
    {KA::Ecdh, PM::ChipAuthentication, SC::Aes192, 16, "PACE-ECDH-CAM-AES192"},  // brainpoolP384r1
    {KA::Ecdh, PM::ChipAuthentication, SC::Aes256, 18, "PACE-ECDH-CAM-AES256"},  // NIST P-521
};

std::string testName(const ::testing::TestParamInfo<Variant>& p) {
  std::string n = std::string(p.param.name).substr(5) + "_" + std::to_string(p.param.parameterId);
  for (char& c : n)
    if (c == '-') c = '_';
  return n;
}

/// A chip's static CAM key pair on the variant's curve: the private scalar and the SPKI DER.
struct ChipKey {
  Bytes privateScalar;
  Bytes subjectPublicKeyInfo;
};

ChipKey makeChipKey(int parameterId) {
  const auto params = standardDomainParameters(parameterId);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen(params->groupName), EVP_PKEY_free);
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  BIGNUM* priv = nullptr;
  EVP_PKEY_get_bn_param(key.get(), "priv", &priv);
  ChipKey out;
  out.privateScalar.resize(static_cast<std::size_t>(BN_num_bytes(priv)));
  BN_bn2bin(priv, out.privateScalar.data());
  BN_clear_free(priv);
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key.get(), &der);
  out.subjectPublicKeyInfo.assign(der, der + n);
  OPENSSL_free(der);
  return out;
}

/// 3DES keys without their parity bits: portti sets DES parity on KS_enc / KS_mac, OpenPACE leaves
/// the KDF output as it is; DES ignores those bits, so both are the same key.
std::string keyBits(const Bytes& key, SymmetricCipher c) {
  Bytes k = key;
  if (c == SymmetricCipher::Tdes)
    for (auto& b : k) b &= 0xFE;
  return toHex(k);
}

SmCipher smCipherOf(SymmetricCipher c) { return c == SymmetricCipher::Tdes ? SmCipher::Des3 : SmCipher::Aes; }
Bytes zeroSsc(SymmetricCipher c) { return Bytes(c == SymmetricCipher::Tdes ? 8 : 16, 0x00); }

class OpenPaceCardVsPorttiReader : public ::testing::TestWithParam<Variant> {};

TEST_P(OpenPaceCardVsPorttiReader, SameSessionKeysAndBothTokensVerify) {
  const Variant v = GetParam();
  const bool cam = v.mapping == PaceMapping::ChipAuthentication;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    const ChipKey chipKey = cam ? makeChipKey(v.parameterId) : ChipKey{};
    OpenPaceCard card(v, kCan, chipKey.privateScalar);
    std::optional<PaceResult> result;
    try {
      result = performPace(card, portti::interop::paceInfoOf(v), PacePassword::can(kCan));
    } catch (const Error& e) {
      if (card.side().shortDhEncoding()) continue;
      FAIL() << v.name << " on " << v.parameterId << ": " << e.what();
    }
    const PaceResult& r = *result;
    EXPECT_EQ(r.protocol, v.name);
    EXPECT_TRUE(card.readerTokenVerified()) << "OpenPACE refused portti's token";
    EXPECT_EQ(keyBits(r.ksEncForTesting, v.cipher), keyBits(card.side().ksEnc(), v.cipher));
    EXPECT_EQ(keyBits(r.ksMacForTesting, v.cipher), keyBits(card.side().ksMac(), v.cipher));
    ASSERT_EQ(r.cam.has_value(), cam);
    if (cam) {
      EXPECT_TRUE(verifyPaceCam(*r.cam, chipKey.subjectPublicKeyInfo)) << "the chip key does not verify";
      // A clone answers with its own key: the genuine chip's public key does not match.
      EXPECT_FALSE(verifyPaceCam(*r.cam, makeChipKey(v.parameterId).subjectPublicKeyInfo));
    }
    return;
  }
  FAIL() << "OpenPACE wrote a short DH value in every one of " << kAttempts << " runs";
}

TEST(OpenPaceCardVsPorttiReaderNegative, AWrongCanIsRefusedByOpenPace) {
  const Variant v = kVariants[0];
  OpenPaceCard card(v, kCan);
  try {
    performPace(card, portti::interop::paceInfoOf(v), PacePassword::can("654321"));
    FAIL() << "OpenPACE accepted a token made with another CAN";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("access denied: check the CAN"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(card.readerTokenVerified());
}

INSTANTIATE_TEST_SUITE_P(Variants, OpenPaceCardVsPorttiReader, ::testing::ValuesIn(kVariants), testName);

// ---- OpenPACE as the terminal ----

/// One GENERAL AUTHENTICATE to the chip; returns the 7C template's content, or nullopt on an error status.
std::optional<Bytes> ga(PaceChip& chip, const Bytes& objects, bool last, std::uint16_t* status = nullptr) {
  const CommandApdu c{static_cast<std::uint8_t>(last ? 0x00 : 0x10), 0x86, 0x00, 0x00, encodeTlv(0x7C, objects), 256};
  const ResponseApdu r = chip.answer(c);
  if (status) *status = r.sw;
  if (!r.ok()) return std::nullopt;
  const Tlv t = decodeOne(r.data);
  return Bytes(t.value.begin(), t.value.end());
}

Bytes child(ByteView content, std::uint32_t tag) {
  const auto t = findChild(content, tag);
  if (!t) throw std::runtime_error("answer lacks tag " + std::to_string(tag));
  return Bytes(t->value.begin(), t->value.end());
}

using portti::interop::Buf;
using portti::interop::bytesOf;
Buf buf(ByteView b) { return portti::interop::toBuf(b); }

enum class Outcome { Established, ShortDh, Refused };

/// OpenPACE drives PACE against portti's chip. Fills `chipMap` (PK_map,IC), `camData` (8A) and
/// `refusedWith` (the chip's status when it refused a step).
Outcome runTerminal(OpenPaceSide& t, PaceChip& chip, Bytes& chipMap, Bytes& camData, std::uint16_t& refusedWith) {
  const Variant& v = t.variant();
  EAC_CTX* ctx = t.ctx();
  const Bytes setAt = concat({encodeTlv(0x80, encodeOidContent(portti::interop::protocolOid(v))),
                              encodeTlv(0x83, Bytes{0x02}),
                              encodeTlv(0x84, Bytes{static_cast<std::uint8_t>(v.parameterId)})});
  const ResponseApdu mse = chip.answer({0x00, 0x22, 0xC1, 0xA4, setAt, 0});
  if (!mse.ok()) throw std::runtime_error("chip refused MSE:Set AT: " + describeStatus(mse.sw));

  const auto a1 = ga(chip, {}, false, &refusedWith);
  if (!a1) return Outcome::Refused;
  if (PACE_STEP2_dec_nonce(ctx, t.secret(), buf(child(*a1, 0x80)).get()) != 1)
    throw std::runtime_error("PACE_STEP2_dec_nonce failed");

  const Buf mine(PACE_STEP3A_generate_mapping_data(ctx));
  if (!mine) throw std::runtime_error("PACE_STEP3A_generate_mapping_data failed");
  const auto a2 = ga(chip, encodeTlv(0x81, bytesOf(mine.get())), false, &refusedWith);
  if (!a2) return t.shortDhEncoding() ? Outcome::ShortDh : Outcome::Refused;
  if (v.mapping == PaceMapping::Integrated) {
    if (PACE_STEP3A_map_generator(ctx, mine.get()) != 1) throw std::runtime_error("PACE_STEP3A_map_generator failed");
  } else {
    t.noteDhValue(bytesOf(mine.get()), true);
    chipMap = child(*a2, 0x82);
    t.noteDhValue(chipMap, false);
    if (PACE_STEP3A_map_generator(ctx, buf(chipMap).get()) != 1)
      throw std::runtime_error("PACE_STEP3A_map_generator failed");
  }

  const Buf eph(PACE_STEP3B_generate_ephemeral_key(ctx));
  if (!eph) throw std::runtime_error("PACE_STEP3B_generate_ephemeral_key failed");
  t.noteDhValue(bytesOf(eph.get()), true);
  if (t.shortDhEncoding()) return Outcome::ShortDh;  // the chip would refuse the short value
  const auto a3 = ga(chip, encodeTlv(0x83, bytesOf(eph.get())), false, &refusedWith);
  if (!a3) return Outcome::Refused;
  const Bytes chipEph = child(*a3, 0x84);
  t.noteDhValue(chipEph, false);
  if (PACE_STEP3B_compute_shared_secret(ctx, buf(chipEph).get()) != 1 || PACE_STEP3C_derive_keys(ctx) != 1)
    throw std::runtime_error("PACE_STEP3B/3C failed");
  t.noteSharedSecret();
  if (t.shortDhEncoding()) return Outcome::ShortDh;

  const Buf token(PACE_STEP3D_compute_authentication_token(ctx, buf(chipEph).get()));
  if (!token) throw std::runtime_error("PACE_STEP3D_compute_authentication_token failed");
  const auto a4 = ga(chip, encodeTlv(0x85, bytesOf(token.get())), true, &refusedWith);
  if (!a4) return Outcome::Refused;
  if (PACE_STEP3D_verify_authentication_token(ctx, buf(child(*a4, 0x86)).get()) != 1)
    throw std::runtime_error("OpenPACE refused the chip's token");
  if (const auto a = findChild(*a4, 0x8A)) camData.assign(a->value.begin(), a->value.end());
  return Outcome::Established;
}

PaceChip chipFor(const Variant& v, const ChipKey& key) {
  PaceChip::Config config;
  config.offered = {portti::interop::paceInfoOf(v)};
  config.can = PacePassword::can(kCan);
  if (v.mapping == PaceMapping::ChipAuthentication) {
    config.camStaticPrivateKey = key.privateScalar;
    config.camParameterId = v.parameterId;
  }
  return PaceChip(std::move(config));
}

class OpenPaceTerminalVsPorttiChip : public ::testing::TestWithParam<Variant> {};

TEST_P(OpenPaceTerminalVsPorttiChip, SameSessionKeysTokensAndSecureMessaging) {
  const Variant v = GetParam();
  const bool cam = v.mapping == PaceMapping::ChipAuthentication;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    const ChipKey chipKey = cam ? makeChipKey(v.parameterId) : ChipKey{};
    PaceChip chip = chipFor(v, chipKey);
    OpenPaceSide terminal(v, kCan);
    Bytes chipMap, camData;
    std::uint16_t refused = 0;
    const Outcome o = runTerminal(terminal, chip, chipMap, camData, refused);
    if (o == Outcome::ShortDh) continue;
    ASSERT_EQ(o, Outcome::Established) << "the chip refused OpenPACE: " << describeStatus(refused);
    EXPECT_EQ(chip.establishedProtocol(), v.name);

    // The chip's session and one built from OpenPACE's keys talk to each other.
    std::optional<SecureMessaging> chipSm = chip.takeSession();
    ASSERT_TRUE(chipSm.has_value());
    SecureMessaging terminalSm(smCipherOf(v.cipher), terminal.ksEnc(), terminal.ksMac(), zeroSsc(v.cipher));
    const CommandApdu select{0x00, 0xA4, 0x02, 0x0C, Bytes{0x01, 0x1E}, 0};
    const CommandApdu unwrapped = chipSm->unprotectCommand(terminalSm.protectCommand(select));
    EXPECT_EQ(toHex(unwrapped.data), "011E");
    const ResponseApdu answer = terminalSm.unprotectResponse(chipSm->protectResponse({fromHex("60145F01"), sw::kOk}));
    EXPECT_EQ(toHex(answer.data), "60145F01");

    ASSERT_EQ(!camData.empty(), cam) << "8A present outside CAM or missing in CAM";
    if (cam) {
      // OpenPACE decrypts A_IC with KS_enc; portti's verification proves the chip key from it.
      const auto caIc = terminal.camDecrypt(camData);
      ASSERT_TRUE(caIc.has_value()) << "OpenPACE could not decrypt the CAM data";
      const PaceCamEvidence evidence{portti::interop::paceInfoOf(v), chipMap, *caIc};
      EXPECT_TRUE(verifyPaceCam(evidence, chipKey.subjectPublicKeyInfo));
      EXPECT_FALSE(verifyPaceCam(evidence, makeChipKey(v.parameterId).subjectPublicKeyInfo));
    }
    return;
  }
  FAIL() << "OpenPACE wrote a short DH value in every one of " << kAttempts << " runs";
}

TEST(OpenPaceTerminalVsPorttiChipNegative, AWrongCanIsRefusedByTheChip) {
  const Variant v = kVariants[0];
  PaceChip chip = chipFor(v, {});
  OpenPaceSide terminal(v, "654321");
  Bytes chipMap, camData;
  std::uint16_t refused = 0;
  EXPECT_EQ(runTerminal(terminal, chip, chipMap, camData, refused), Outcome::Refused);
  EXPECT_EQ(refused, sw::kAuthenticationFailed);
  EXPECT_FALSE(chip.takeSession().has_value());
}

INSTANTIATE_TEST_SUITE_P(Variants, OpenPaceTerminalVsPorttiChip, ::testing::ValuesIn(kVariants), testName);

}  // namespace
