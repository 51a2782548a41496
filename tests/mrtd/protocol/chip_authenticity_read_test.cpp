// Chip and Active Authentication in a whole read: reader <-> virtual chip round trips (ECDH and DH,
// 3DES and AES, RSA and EC), the clone fault caught by both, the rule that CA/AA count only on top
// of Passive Authentication, and hostile chip answers.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>
#include <functional>

#include "mrtd/card/virtual_passport_fixture.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/protocol/chip_auth.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

namespace {

using fixtures::kSpecimenMrz;
using fixtures::testPkiTrust;
VirtualPassportSpec spec(IssuanceFault fault = IssuanceFault::None) { return fixtures::specimenPassport(fault); }

struct Inspected {
  DocumentRead read;
  pki::PassiveAuthResult pa;
  bool chipSecured = false;
};

/// Reads with BAC (the BAC key seed entry point), or with PACE when `access` is given.
Inspected inspect(const IssuedPassport& passport, bool withTrust = true, const std::optional<AccessKey>& access = {}) {
  auto chip = std::make_unique<VirtualChip>(passport.chip);
  VirtualChip& card = *chip;
  SimChannel channel(std::move(chip));
  DocumentReadOptions options;
  if (withTrust) options.trust = &testPkiTrust();
  Inspected v{access ? readDocument(channel, *access, options)
                     : readDocument(channel, bacKeySeed(mrzInformation(parseValidMrz(kSpecimenMrz))), options),
              {}, false};
  std::map<int, Bytes> dgs;
  for (const auto& f : v.read.files)
    if (f.name.rfind("DG", 0) == 0) dgs[std::stoi(f.name.substr(2))] = f.bytes;
  v.pa = pki::verifyPassive(v.read.find("EF.SOD")->bytes, dgs, testPkiTrust());
  requirePassiveAuthentication(v.read.chipAuth, v.read.activeAuth, v.pa);
  v.chipSecured = card.secured();
  for (const auto& f : v.read.files) EXPECT_EQ(f.bytes, passport.chip.files.at(f.name)) << f.name;
  return v;
}

bool contains(const std::string& text, const std::string& word) { return text.find(word) != std::string::npos; }

}  // namespace

TEST(ChipAuthenticityRead, DefaultChipPassesBoth) {
  const Inspected v = inspect(issueVirtualPassport(spec()));
  EXPECT_EQ(v.pa.status, pki::PaStatus::Valid);
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Passed) << v.read.chipAuth.reason;
  EXPECT_EQ(v.read.chipAuth.protocol, "CA-ECDH-AES128");
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Passed) << v.read.activeAuth.reason;
  EXPECT_EQ(v.read.activeAuth.algorithm, "ECDSA-plain-SHA-256");
  EXPECT_TRUE(v.chipSecured);
  // DG14 is read right after EF.SOD, so every other data group comes under the CA keys.
  std::vector<std::string> order;
  for (const auto& f : v.read.files) order.push_back(f.name);
  EXPECT_EQ(order, (std::vector<std::string>{"EF.CardAccess", "EF.COM", "EF.SOD", "DG14", "DG1", "DG2", "DG11", "DG12", "DG15"}));
}

TEST(ChipAuthenticityRead, EveryKeyAgreementCipherAndAaKey) {
  struct Case {
    const char* caKey;
    SymmetricCipher cipher;
    const char* aaKey;
    const char* protocol;
    const char* algorithm;
  };
  const Case cases[] = {
      {"EC:prime256v1", SymmetricCipher::Tdes, "RSA:1024", "CA-ECDH-3DES", "RSA-ISO9796-2-SHA-1"},
      {"EC:brainpoolP384r1", SymmetricCipher::Aes256, "EC:brainpoolP256r1", "CA-ECDH-AES256", "ECDSA-plain-SHA-256"},
      {"EC:secp521r1", SymmetricCipher::Aes192, "RSA:2048", "CA-ECDH-AES192", "RSA-ISO9796-2-SHA-1"},
      {"DH:dh_1024_160", SymmetricCipher::Tdes, "EC:secp384r1", "CA-DH-3DES", "ECDSA-plain-SHA-256"},
      {"DH:dh_2048_224", SymmetricCipher::Aes128, "EC:prime256v1", "CA-DH-AES128", "ECDSA-plain-SHA-256"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.protocol);
    VirtualPassportSpec s = spec();
    s.chipAuthKey = c.caKey;
    s.chipAuthCipher = c.cipher;
    s.activeAuthKey = c.aaKey;
    const Inspected v = inspect(issueVirtualPassport(s));
    EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Passed) << v.read.chipAuth.reason;
    EXPECT_EQ(v.read.chipAuth.protocol, c.protocol);
    EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Passed) << v.read.activeAuth.reason;
    EXPECT_EQ(v.read.activeAuth.algorithm, c.algorithm);
    EXPECT_EQ(v.pa.status, pki::PaStatus::Valid);
  }
}

TEST(ChipAuthenticityRead, ShortApdusOnly) {
  VirtualPassportSpec s = spec();
  s.extendedLength = false;
  s.activeAuthKey = "RSA:1024";
  const Inspected v = inspect(issueVirtualPassport(s));
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Passed) << v.read.chipAuth.reason;
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Passed) << v.read.activeAuth.reason;
}

TEST(ChipAuthenticityRead, CloneFailsBothWhilePassiveAuthenticationPasses) {
  const Inspected v = inspect(issueVirtualPassport(spec(IssuanceFault::Clone)));
  EXPECT_EQ(v.pa.status, pki::PaStatus::Valid);
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Failed);
  EXPECT_TRUE(contains(v.read.chipAuth.reason, "does not hold the DG14 key")) << v.read.chipAuth.reason;
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Failed);
  EXPECT_TRUE(contains(v.read.activeAuth.reason, "does not verify")) << v.read.activeAuth.reason;
  // After the failed CA the reader authenticated again and read everything.
  EXPECT_EQ(v.read.find("DG2")->bytes.size(), issueVirtualPassport(spec()).chip.files.at("DG2").size());
}

TEST(ChipAuthenticityRead, RsaCloneFailsActiveAuthentication) {
  VirtualPassportSpec s = spec(IssuanceFault::Clone);
  s.activeAuthKey = "RSA:1024";
  const Inspected v = inspect(issueVirtualPassport(s));
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Failed);
  EXPECT_EQ(v.read.activeAuth.algorithm, "RSA-ISO9796-2");
}

TEST(ChipAuthenticityRead, PaceGenericMappingThenChipAuthentication) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  Inspected v = inspect(passport, true, AccessKey::mrz(mrzInformation(parseValidMrz(kSpecimenMrz))));
  EXPECT_EQ(v.read.accessMethod, "PACE-ECDH-GM-AES128");
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Passed) << v.read.chipAuth.reason;
  EXPECT_EQ(v.read.chipAuth.protocol, "CA-ECDH-AES128");
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Passed) << v.read.activeAuth.reason;
  v = inspect(passport, true, AccessKey::cardAccessNumber(passport.can));
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Passed) << v.read.chipAuth.reason;
  EXPECT_TRUE(v.chipSecured);
}

TEST(ChipAuthenticityRead, PaceCloneFailsBothAndTheReadGoesOnUnderPace) {
  const IssuedPassport passport = issueVirtualPassport(spec(IssuanceFault::Clone));
  const Inspected v = inspect(passport, true, AccessKey::cardAccessNumber(passport.can));
  EXPECT_EQ(v.read.accessMethod, "PACE-ECDH-GM-AES128");
  EXPECT_EQ(v.pa.status, pki::PaStatus::Valid);
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Failed);
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Failed);
  EXPECT_TRUE(v.read.find("DG2") != nullptr);
}

TEST(ChipAuthenticityRead, PaceCamAuthenticatesTheChipInThePaceRun) {
  VirtualPassportSpec s = spec();
  s.pace = PaceOffer{KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 13};
  Inspected v = inspect(issueVirtualPassport(s), true, AccessKey::mrz(mrzInformation(parseValidMrz(kSpecimenMrz))));
  EXPECT_EQ(v.read.accessMethod, "PACE-ECDH-CAM-AES128");
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Passed) << v.read.chipAuth.reason;
  EXPECT_EQ(v.read.chipAuth.protocol, "PACE-CAM");
  s.fault = IssuanceFault::Clone;
  v = inspect(issueVirtualPassport(s), true, AccessKey::mrz(mrzInformation(parseValidMrz(kSpecimenMrz))));
  EXPECT_EQ(v.pa.status, pki::PaStatus::Valid);
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::Failed);
  EXPECT_EQ(v.read.chipAuth.protocol, "PACE-CAM");
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::Failed);
}

TEST(ChipAuthenticityRead, NothingCountsWithoutValidPassiveAuthentication) {
  // No trust store: DG14 cannot be proved, so CA is not even tried.
  Inspected v = inspect(issueVirtualPassport(spec()), false);
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::NotDone);
  EXPECT_EQ(v.read.chipAuth.reason, "no trust store to prove DG14 with first");

  // A corrupted SOD signature: CA is not run; AA's answer is void.
  v = inspect(issueVirtualPassport(spec(IssuanceFault::BadSignature)));
  EXPECT_EQ(v.pa.status, pki::PaStatus::Invalid);
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::NotDone);
  EXPECT_TRUE(contains(v.read.chipAuth.reason, "DG14 not proved by Passive Authentication (invalid")) << v.read.chipAuth.reason;
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::NotDone);
  EXPECT_TRUE(contains(v.read.activeAuth.reason, "void: Passive Authentication is invalid (the chip's own answer was: passed"))
      << v.read.activeAuth.reason;

  // A CSCA nobody trusts: indeterminate is not valid either.
  v = inspect(issueVirtualPassport(spec(IssuanceFault::UnknownCsca)));
  EXPECT_EQ(v.read.chipAuth.status, AuthStatus::NotDone);
  EXPECT_EQ(v.read.activeAuth.status, AuthStatus::NotDone);
}

TEST(ChipAuthenticityRead, ChipWithoutDg14OrDg15) {
  IssuedPassport passport = issueVirtualPassport(spec());
  DocumentReadOptions options;
  options.trust = &testPkiTrust();
  options.dataGroups = {1, 2};
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  const DocumentRead r = readDocument(channel, bacKeySeed(mrzInformation(parseValidMrz(kSpecimenMrz))), options);
  EXPECT_EQ(r.chipAuth.status, AuthStatus::NotDone);
  EXPECT_EQ(r.chipAuth.reason, "not asked for");
  EXPECT_EQ(r.activeAuth.status, AuthStatus::NotDone);
  EXPECT_EQ(r.activeAuth.reason, "DG15 not read");
}

// ---- hostile chips, one exchange at a time (no secure messaging: the answers are what matters) ----
namespace {
class FakeChip : public ApduChannel {
 public:
  std::function<Bytes(const CommandApdu&)> answer;
  Bytes transmitRaw(ByteView raw) override { return answer(CommandApdu::decode(raw)); }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "fake"; }
};

ChipAuthParameters parametersOf(const IssuedPassport& p) { return selectChipAuthParameters(parseDg14(p.chip.files.at("DG14"))); }

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(ChipAuthenticityHostile, GarbageGeneralAuthenticateAnswerIsRejected) {
  const ChipAuthParameters p = parametersOf(issueVirtualPassport(spec()));
  FakeChip chip;
  chip.answer = [](const CommandApdu& c) { return c.ins == 0x86 ? fromHex("7C0481020102" "9000") : fromHex("9000"); };
  EXPECT_EQ(errorOf([&] { performChipAuthentication(chip, p); }),
            "CHIP AUTHENTICATION GENERAL AUTHENTICATE: malformed answer (expected 7C 00, got 6 bytes)");
  chip.answer = [](const CommandApdu& c) { return c.ins == 0x22 ? fromHex("6A80") : fromHex("7C009000"); };
  EXPECT_EQ(errorOf([&] { performChipAuthentication(chip, p); }), "CHIP AUTHENTICATION MSE:Set AT: chip answered 6A80 (incorrect data)");
  VirtualPassportSpec s = spec();
  s.chipAuthCipher = SymmetricCipher::Tdes;
  const ChipAuthParameters des = parametersOf(issueVirtualPassport(s));
  chip.answer = [](const CommandApdu&) { return fromHex("6F00"); };
  EXPECT_TRUE(contains(errorOf([&] { performChipAuthentication(chip, des); }), "MSE:Set KAT: chip answered 6F00"));
}

TEST(ChipAuthenticityHostile, Dg14KeyOffTheCurveIsRefused) {
  ChipAuthParameters p = parametersOf(issueVirtualPassport(spec()));
  p.subjectPublicKeyInfo.back() ^= 0x01;  // y of the point changed: no longer on the curve
  FakeChip chip;
  chip.answer = [](const CommandApdu&) { return fromHex("9000"); };
  EXPECT_TRUE(contains(errorOf([&] { performChipAuthentication(chip, p); }), "DG14 chip authentication key"));
}

TEST(ChipAuthenticityHostile, ChipRefusesTerminalKeysOffTheCurveOrTheIdentity) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  ChipAuthChip chip(passport.privateKeys.at("chip_auth.key.pem"));
  EXPECT_EQ(chip.setAuthenticationTemplate(fromHex("800A04007F00070202030202")), 0x9000);
  Bytes offCurve(65, 0x01);
  offCurve[0] = 0x04;
  Bytes out;
  EXPECT_EQ(chip.generalAuthenticate(encodeTlv(0x7C, encodeTlv(0x80, offCurve)), out), 0x6A80);
  EXPECT_EQ(chip.setKeyAgreementTemplate(encodeTlv(0x91, Bytes{0x00})), 0x6A80);  // the point at infinity
  EXPECT_FALSE(chip.takeSession().has_value());
}

TEST(ChipAuthenticityHostile, ActiveAuthenticationAnswersOfTheWrongSize) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  const Dg15 dg15 = parseDg15(passport.chip.files.at("DG15"));
  const auto info = parseDg14(passport.chip.files.at("DG14")).activeAuthentication.front();
  FakeChip chip;
  chip.answer = [](const CommandApdu&) { return concat({Bytes(63, 0x11), fromHex("9000")}); };
  ActiveAuthResult r = performActiveAuthentication(chip, dg15, info);
  EXPECT_EQ(r.status, AuthStatus::Failed);
  EXPECT_EQ(r.reason, "signature of 63 bytes, plain r||s on this curve is 64");
  chip.answer = [](const CommandApdu&) { return fromHex("6982"); };
  r = performActiveAuthentication(chip, dg15, info);
  EXPECT_EQ(r.status, AuthStatus::Failed);
  EXPECT_EQ(r.reason, "INTERNAL AUTHENTICATE: chip answered 6982 (security status not satisfied)");
  // A fresh challenge each time.
  std::vector<Bytes> challenges;
  chip.answer = [&](const CommandApdu& c) {
    challenges.push_back(c.data);
    return fromHex("6982");
  };
  performActiveAuthentication(chip, dg15, info);
  performActiveAuthentication(chip, dg15, info);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].size(), 8u);
  EXPECT_NE(challenges[0], challenges[1]);
}

TEST(ChipAuthenticityHostile, ChipRefusesDhValuesOutsideTheGroup) {
  VirtualPassportSpec s = spec();
  s.chipAuthKey = "DH:dh_1024_160";
  const IssuedPassport passport = issueVirtualPassport(s);
  ChipAuthChip chip(passport.privateKeys.at("chip_auth.key.pem"));
  // RFC 5114 2.1 p, as 128 bytes
  const Bytes p = fromHex(
        "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA9061123"
        "24975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65"
        "E68CFDA76D4DA708DF1FB2BC2E4A4371");
  ASSERT_EQ(p.size(), 128u);
  Bytes pMinus1 = p;
  pMinus1[127] = 0x70;
  Bytes one(128, 0x00);
  one[127] = 0x01;
  for (const Bytes& y : {one, pMinus1, p, Bytes(p.size(), 0x00)}) {
    EXPECT_EQ(chip.setKeyAgreementTemplate(encodeTlv(0x91, y)), 0x6A80) << toHex(ByteView(y).last(2));
    EXPECT_FALSE(chip.takeSession().has_value());
  }
}

TEST(ChipAuthenticityHostile, VirtualChipAnswersCaAndAaOnlyAfterAccessControl) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  VirtualChip chip(passport.chip);
  chip.transceive(fromHex("00A4040C07A0000002471001"));
  EXPECT_EQ(toHex(chip.transceive(fromHex("0088000008010203040506070800"))), "6982");  // INTERNAL AUTHENTICATE
  EXPECT_EQ(toHex(chip.transceive(fromHex("002241A40C800A04007F00070202030202"))), "6985");  // MSE:Set AT (CA)
}
