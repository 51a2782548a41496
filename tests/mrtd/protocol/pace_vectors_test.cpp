// PACE against the worked examples, value by value: ICAO Doc 9303-11 Appendix G.1 (ECDH GM,
// brainpoolP256r1), G.2 (DH GM, RFC 5114 1024/160), H.1 (ECDH IM), H.2 (DH IM) and the BSI EAC
// worked example (ECDH GM), then the reader replaying each example's APDUs byte for byte, and the
// chip side answering with the example's keys. Values: tests/mrtd/protocol/pace_vectors.hpp.
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "pace_vectors.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/sm/crypto.hpp"

using namespace portti::mrtd;
using namespace pace_vectors;

namespace {

// Appendix G: document number T22000129, born 640812, expires 101031.
const std::string kGMrzInformation = "T22000129364081251010318";
// Appendix H and the BSI example: password "123456" (K_pi recomputed from it).
const std::string kHPassword = "123456";

Bytes hex(const char* h) { return fromHex(h); }
Bytes bytes(const SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

PaceInfo paceInfo(const char* der) {
  const Bytes set = concat({Bytes{0x31, static_cast<std::uint8_t>(fromHex(der).size())}, fromHex(der)});
  const SecurityInfos infos = parseCardAccess(set);
  EXPECT_EQ(infos.pace.size(), 1u);
  return infos.pace.at(0);
}

/// Expects each command in turn and answers it.
class ReplayChannel : public ApduChannel {
 public:
  struct Exchange {
    std::string command;
    std::string response;
  };
  explicit ReplayChannel(std::deque<Exchange> script) : script_(std::move(script)) {}
  Bytes transmitRaw(ByteView command) override {
    if (script_.empty()) throw Error(ErrorArea::Transport, "replay", "no exchange left for " + toHex(command));
    Exchange e = std::move(script_.front());
    script_.pop_front();
    EXPECT_EQ(toHex(command), toHex(fromHex(e.command))) << "command " << ++n_;
    return fromHex(e.response);
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "replay"; }
  bool done() const { return script_.empty(); }

 private:
  std::deque<Exchange> script_;
  int n_ = 0;
};

// ---------------------------------------------------------------- G.1: ECDH GM
TEST(PaceG1, PasswordKeyAndNonce) {
  const PacePassword pw = PacePassword::mrz(kGMrzInformation);
  EXPECT_EQ(toHex(bytes(pacePasswordKey(pw))), kG2KPassword);  // same MRZ as G.2
  const SecretBytes kpi = paceKpi(pw, SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(kpi)), kG2Kpi);
  EXPECT_EQ(toHex(bytes(decryptNonce(kpi.view(), hex(kG1z), SymmetricCipher::Aes128))), kG1s);
  EXPECT_EQ(toHex(encryptNonce(kpi.view(), hex(kG1s), SymmetricCipher::Aes128)), kG1z);
}

TEST(PaceG1, MappingKeyAgreementSessionKeysTokens) {
  const PaceInfo info = paceInfo(kG1PaceInfo);
  EXPECT_EQ(paceProtocolName(info), "PACE-ECDH-GM-AES128");
  const PaceDomain d = PaceDomain::standard(13);
  EXPECT_EQ(toHex(d.publicKey(hex(kG1SkMapPcd))), kG1PkMapPcd);
  EXPECT_EQ(toHex(d.publicKey(hex(kG1SkMapPicc))), kG1PkMapPicc);
  const Bytes h = d.agree(hex(kG1SkMapPcd), hex(kG1PkMapPicc), "test");
  EXPECT_EQ(toHex(h), kG1H);
  EXPECT_EQ(toHex(d.agree(hex(kG1SkMapPicc), hex(kG1PkMapPcd), "test")), kG1H);
  const PaceDomain mapped = d.mapGeneric(hex(kG1s), h);
  EXPECT_EQ(toHex(mapped.generator()), kG1Gmapped);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG1SkEphPcd))), kG1PkEphPcd);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG1SkEphPicc))), kG1PkEphPicc);
  const SecretBytes k = mapped.sharedSecret(hex(kG1SkEphPcd), hex(kG1PkEphPicc), "test");
  EXPECT_EQ(toHex(bytes(k)), kG1K);
  EXPECT_EQ(toHex(bytes(mapped.sharedSecret(hex(kG1SkEphPicc), hex(kG1PkEphPcd), "test"))), kG1K);
  const PaceSessionKeys keys = derivePaceSessionKeys(k.view(), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(keys.ksEnc)), kG1KsEnc);
  EXPECT_EQ(toHex(bytes(keys.ksMac)), kG1KsMac);
  EXPECT_EQ(toHex(paceTokenInput(info.protocol, KeyAgreement::Ecdh, hex(kG1PkEphPicc))), kG1TPcdInput);
  EXPECT_EQ(toHex(paceTokenInput(info.protocol, KeyAgreement::Ecdh, hex(kG1PkEphPcd))), kG1TPiccInput);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, info.protocol, KeyAgreement::Ecdh,
                                      hex(kG1PkEphPicc))),
            kG1TPcd);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, info.protocol, KeyAgreement::Ecdh,
                                      hex(kG1PkEphPcd))),
            kG1TPicc);
}

std::deque<ReplayChannel::Exchange> g1Script() {
  return {
      {"0022C1A412800A04007F0007020204020283010184010D", "9000"},
      {"10860000027C0000", std::string("7C128010") + kG1z + "9000"},
      {std::string("10860000457C438141") + kG1PkMapPcd + "00", std::string("7C438241") + kG1PkMapPicc + "9000"},
      {std::string("10860000457C438341") + kG1PkEphPcd + "00", std::string("7C438441") + kG1PkEphPicc + "9000"},
      {"008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"},
  };
}

TEST(PaceG1, ReaderReplaysTheApdusAndStartsSecureMessaging) {
  ReplayChannel channel(g1Script());
  PaceReaderRandomForTesting fixed;
  fixed.mapPrivateKey = hex(kG1SkMapPcd);
  fixed.ephemeralPrivateKey = hex(kG1SkEphPcd);
  const PaceResult r = performPace(channel, paceInfo(kG1PaceInfo), PacePassword::mrz(kGMrzInformation), fixed);
  EXPECT_TRUE(channel.done());
  EXPECT_EQ(r.protocol, "PACE-ECDH-GM-AES128");
  EXPECT_EQ(toHex(r.ksEncForTesting), kG1KsEnc);
  EXPECT_EQ(toHex(r.ksMacForTesting), kG1KsMac);
  EXPECT_EQ(r.sm.cipher(), SmCipher::Aes);
  EXPECT_EQ(toHex(r.sm.ssc()), std::string(32, '0'));
}

TEST(PaceG1, ReaderRejectsAForgedChipToken) {
  auto script = g1Script();
  script.back().response = "7C0A86083ABB9674BCE93C099000";
  ReplayChannel channel(script);
  PaceReaderRandomForTesting fixed{hex(kG1SkMapPcd), hex(kG1SkEphPcd), {}};
  try {
    performPace(channel, paceInfo(kG1PaceInfo), PacePassword::mrz(kGMrzInformation), fixed);
    FAIL() << "a wrong T_PICC was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access);
    EXPECT_NE(std::string(e.what()).find("token does not verify"), std::string::npos) << e.what();
  }
}

TEST(PaceG1, ChipAnswersTheReaderWithTheExampleKeys) {
  PaceChip::Config config;
  config.offered = {paceInfo(kG1PaceInfo)};
  config.mrz = PacePassword::mrz(kGMrzInformation);
  PaceChip chip(std::move(config));
  chip.randomForTesting().nonce = hex(kG1s);
  chip.randomForTesting().mapPrivateKey = hex(kG1SkMapPicc);
  chip.randomForTesting().ephemeralPrivateKey = hex(kG1SkEphPicc);
  for (const auto& e : g1Script()) {
    const ResponseApdu r = chip.answer(CommandApdu::decode(fromHex(e.command)));
    EXPECT_EQ(toHex(r.encode()), toHex(fromHex(e.response)));
  }
  EXPECT_TRUE(chip.takeSession().has_value());
  EXPECT_EQ(chip.establishedProtocol(), "PACE-ECDH-GM-AES128");
}

// ---------------------------------------------------------------- G.2: DH GM
TEST(PaceG2, EveryValue) {
  const PaceInfo info = paceInfo(kG2PaceInfo);
  EXPECT_EQ(paceProtocolName(info), "PACE-DH-GM-AES128");
  const SecurityInfos ca = parseCardAccess(hex(kG2CardAccess));
  ASSERT_EQ(ca.pace.size(), 1u);
  const SecretBytes kpi = paceKpi(PacePassword::mrz(kGMrzInformation), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(kpi)), kG2Kpi);
  EXPECT_EQ(toHex(bytes(decryptNonce(kpi.view(), hex(kG2z), SymmetricCipher::Aes128))), kG2s);

  const PaceDomain d = PaceDomain::standard(0);
  EXPECT_EQ(d.fieldSize(), 128u);
  EXPECT_EQ(d.orderSize(), 20u);
  // The 160-bit keys and their 1024-bit forms (equal mod q) give the same public keys.
  EXPECT_EQ(toHex(d.publicKey(hex(kG2SkMapPcd))), kG2PkMapPcd);
  EXPECT_EQ(toHex(d.publicKey(hex(kG2SkMapPcd1024))), kG2PkMapPcd);
  EXPECT_EQ(toHex(d.publicKey(hex(kG2SkMapPicc))), kG2PkMapPicc);
  EXPECT_EQ(toHex(d.publicKey(hex(kG2SkMapPicc1024))), kG2PkMapPicc);
  const Bytes h = d.agree(hex(kG2SkMapPcd), hex(kG2PkMapPicc), "test");
  EXPECT_EQ(toHex(h), kG2H);
  EXPECT_EQ(toHex(d.agree(hex(kG2SkMapPicc1024), hex(kG2PkMapPcd), "test")), kG2H);
  const PaceDomain mapped = d.mapGeneric(hex(kG2s), h);
  EXPECT_EQ(toHex(mapped.generator()), kG2Gmapped);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG2SkEphPcd))), kG2PkEphPcd);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG2SkEphPcd1024))), kG2PkEphPcd);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG2SkEphPicc))), kG2PkEphPicc);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG2SkEphPicc1024))), kG2PkEphPicc);
  const SecretBytes k = mapped.sharedSecret(hex(kG2SkEphPcd), hex(kG2PkEphPicc), "test");
  EXPECT_EQ(toHex(bytes(k)), kG2K);
  EXPECT_EQ(toHex(bytes(mapped.sharedSecret(hex(kG2SkEphPicc1024), hex(kG2PkEphPcd), "test"))), kG2K);
  const PaceSessionKeys keys = derivePaceSessionKeys(k.view(), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(keys.ksEnc)), kG2KsEnc);
  EXPECT_EQ(toHex(bytes(keys.ksMac)), kG2KsMac);
  EXPECT_EQ(toHex(paceTokenInput(info.protocol, KeyAgreement::Dh, hex(kG2PkEphPicc))), kG2TPcdInput);
  EXPECT_EQ(toHex(paceTokenInput(info.protocol, KeyAgreement::Dh, hex(kG2PkEphPcd))), kG2TPiccInput);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, info.protocol, KeyAgreement::Dh,
                                      hex(kG2PkEphPicc))),
            kG2TPcd);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, info.protocol, KeyAgreement::Dh,
                                      hex(kG2PkEphPcd))),
            kG2TPicc);
}

std::deque<ReplayChannel::Exchange> g2Script(const std::string& lastResponse) {
  return {
      {"0022C1A412800A04007F00070202040102830101840100", "9000"},
      {"10860000027C0000", std::string("7C128010") + kG2z + "9000"},
      {std::string("10860000867C8183818180") + kG2PkMapPcd + "00", std::string("7C8183828180") + kG2PkMapPicc + "9000"},
      {std::string("10860000867C8183838180") + kG2PkEphPcd + "00", std::string("7C8183848180") + kG2PkEphPicc + "9000"},
      {"008600000C7C0A8508B46DD9BD4D98381F00", lastResponse},
  };
}

TEST(PaceG2, ReaderReplaysBothPublishedForms) {
  // superLOL53's answer (token only) and dmrtd's (token and a CAR in 87, here with 9000 added).
  for (const std::string last : {"7C0A8608917F37B5C0E6D8D19000",
                                 "7C1B8608917F37B5C0E6D8D1870F4445544553544356434130303030339000"}) {
    ReplayChannel channel(g2Script(last));
    PaceReaderRandomForTesting fixed{hex(kG2SkMapPcd), hex(kG2SkEphPcd), {}};
    const PaceResult r = performPace(channel, paceInfo(kG2PaceInfo), PacePassword::mrz(kGMrzInformation), fixed);
    EXPECT_TRUE(channel.done());
    EXPECT_EQ(toHex(r.ksEncForTesting), kG2KsEnc);
    EXPECT_EQ(toHex(r.ksMacForTesting), kG2KsMac);
  }
}

TEST(PaceG2, ChipAnswersTheReaderWithTheExampleKeys) {
  PaceChip::Config config;
  config.offered = {paceInfo(kG2PaceInfo)};
  config.mrz = PacePassword::mrz(kGMrzInformation);
  PaceChip chip(std::move(config));
  chip.randomForTesting().nonce = hex(kG2s);
  chip.randomForTesting().mapPrivateKey = hex(kG2SkMapPicc);
  chip.randomForTesting().ephemeralPrivateKey = hex(kG2SkEphPicc);
  for (const auto& e : g2Script("7C0A8608917F37B5C0E6D8D19000")) {
    const ResponseApdu r = chip.answer(CommandApdu::decode(fromHex(e.command)));
    EXPECT_EQ(toHex(r.encode()), toHex(fromHex(e.response)));
  }
  EXPECT_TRUE(chip.takeSession().has_value());
}

// ---------------------------------------------------------------- H.1: ECDH IM
TEST(PaceH1, EveryValue) {
  const PaceInfo info = paceInfo(kH1PaceInfo);
  EXPECT_EQ(paceProtocolName(info), "PACE-ECDH-IM-AES128");
  const SecretBytes kpi = paceKpi(PacePassword::can(kHPassword), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(kpi)), kH1Kpi);
  EXPECT_EQ(toHex(bytes(decryptNonce(kpi.view(), hex(kH1z), SymmetricCipher::Aes128))), kH1s);
  const PaceDomain d = PaceDomain::standard(13);
  const Bytes r = integratedMappingRandom(hex(kH1s), hex(kH1t), SymmetricCipher::Aes128, d.fieldBits());
  EXPECT_EQ(toHex(r), kH1R);
  EXPECT_EQ(toHex(d.reduceModP(r)), kH1Rp);
  const PaceDomain mapped = d.mapIntegrated(r);
  EXPECT_EQ(toHex(mapped.generator()), kH1Gmapped);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kH1SkEphPcd))), kH1PkEphPcd);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kH1SkEphPicc))), kH1PkEphPicc);
  const SecretBytes k = mapped.sharedSecret(hex(kH1SkEphPcd), hex(kH1PkEphPicc), "test");
  EXPECT_EQ(toHex(bytes(k)), kH1K);
  const PaceSessionKeys keys = derivePaceSessionKeys(k.view(), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(keys.ksEnc)), kH1KsEnc);
  EXPECT_EQ(toHex(bytes(keys.ksMac)), kH1KsMac);
  EXPECT_EQ(toHex(paceTokenInput(info.protocol, KeyAgreement::Ecdh, hex(kH1PkEphPicc))), kH1TPcdInput);
  EXPECT_EQ(toHex(paceTokenInput(info.protocol, KeyAgreement::Ecdh, hex(kH1PkEphPcd))), kH1TPiccInput);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, info.protocol, KeyAgreement::Ecdh,
                                      hex(kH1PkEphPicc))),
            kH1TPcd);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, info.protocol, KeyAgreement::Ecdh,
                                      hex(kH1PkEphPcd))),
            kH1TPicc);
}

std::deque<ReplayChannel::Exchange> h1Script() {
  // Password "123456" sent as a CAN (83 02); the GA2 answer is an empty 82 (4.4.5.2.2).
  return {
      {"0022C1A412800A04007F0007020204040283010284010D", "9000"},
      {"10860000027C0000", std::string("7C128010") + kH1z + "9000"},
      {"10860000147C1281105DD4CBFC96F5453B130D890A1CDBAE3200", "7C0282009000"},
      {std::string("10860000457C438341") + kH1PkEphPcd + "00", std::string("7C438441") + kH1PkEphPicc + "9000"},
      {"008600000C7C0A8508450F02B86F6A090900", "7C0A860875D4D96E8D5B03089000"},
  };
}

TEST(PaceH1, ReaderReplaysAndChipAnswers) {
  ReplayChannel channel(h1Script());
  PaceReaderRandomForTesting fixed{{}, hex(kH1SkEphPcd), hex(kH1t)};
  const PaceResult r = performPace(channel, paceInfo(kH1PaceInfo), PacePassword::can(kHPassword), fixed);
  EXPECT_TRUE(channel.done());
  EXPECT_EQ(toHex(r.ksEncForTesting), kH1KsEnc);

  PaceChip::Config config;
  config.offered = {paceInfo(kH1PaceInfo)};
  config.can = PacePassword::can(kHPassword);
  PaceChip chip(std::move(config));
  chip.randomForTesting().nonce = hex(kH1s);
  chip.randomForTesting().ephemeralPrivateKey = hex(kH1SkEphPicc);
  for (const auto& e : h1Script()) {
    const ResponseApdu a = chip.answer(CommandApdu::decode(fromHex(e.command)));
    EXPECT_EQ(toHex(a.encode()), toHex(fromHex(e.response)));
  }
  EXPECT_TRUE(chip.takeSession().has_value());
}

// ---------------------------------------------------------------- H.2: DH IM
TEST(PaceH2, EveryValue) {
  const std::string oid = paceProtocolOid(KeyAgreement::Dh, PaceMapping::Integrated, SymmetricCipher::Aes128);
  EXPECT_EQ(oid, "0.4.0.127.0.7.2.2.4.3.2");
  const SecretBytes kpi = paceKpi(PacePassword::can(kHPassword), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(kpi)), kH2Kpi);
  EXPECT_EQ(toHex(bytes(decryptNonce(kpi.view(), hex(kH2z), SymmetricCipher::Aes128))), kH2s);
  const PaceDomain d = PaceDomain::standard(0);
  const Bytes r = integratedMappingRandom(hex(kH2s), hex(kH2t), SymmetricCipher::Aes128, d.fieldBits());
  EXPECT_EQ(toHex(r), kH2R);
  EXPECT_EQ(toHex(d.reduceModP(r)), kH2Rp);
  const PaceDomain mapped = d.mapIntegrated(r);
  EXPECT_EQ(toHex(mapped.generator()), kH2Gmapped);
  // H.2 prints the 1024-bit G.2 ephemeral keys.
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG2SkEphPcd1024))), kH2PkEphPcd);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kG2SkEphPicc1024))), kH2PkEphPicc);
  const SecretBytes k = mapped.sharedSecret(hex(kG2SkEphPcd1024), hex(kH2PkEphPicc), "test");
  EXPECT_EQ(toHex(bytes(k)), kH2K);
  EXPECT_EQ(toHex(bytes(mapped.sharedSecret(hex(kG2SkEphPicc), hex(kH2PkEphPcd), "test"))), kH2K);
  const PaceSessionKeys keys = derivePaceSessionKeys(k.view(), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(keys.ksEnc)), kH2KsEnc);
  EXPECT_EQ(toHex(bytes(keys.ksMac)), kH2KsMac);
  EXPECT_EQ(toHex(paceTokenInput(oid, KeyAgreement::Dh, hex(kH2PkEphPicc))),
            std::string("7F49818F060A04007F00070202040302848180") + kH2PkEphPicc);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, oid, KeyAgreement::Dh,
                                      hex(kH2PkEphPicc))),
            kH2TPcd);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, oid, KeyAgreement::Dh,
                                      hex(kH2PkEphPcd))),
            kH2TPicc);
}

TEST(PaceH2, ReaderReplaysTheApdus) {
  const Bytes infoDer = encodePaceInfo(KeyAgreement::Dh, PaceMapping::Integrated, SymmetricCipher::Aes128, 0);
  ReplayChannel channel({
      {"0022C1A412800A04007F00070202040302830102840100", "9000"},
      {"10860000027C0000", std::string("7C128010") + kH2z + "9000"},
      {"10860000147C128110B3A6DB3C870C3E99245E0D1C06B747DE00", "7C009000"},
      {std::string("10860000867C8183838180") + kH2PkEphPcd + "00", std::string("7C8183848180") + kH2PkEphPicc + "9000"},
      {"008600000C7C0A850855D61977CBF5307E00", "7C0A8608C2F04230187E15259000"},
  });
  PaceReaderRandomForTesting fixed{{}, hex(kG2SkEphPcd1024), hex(kH2t)};
  const PaceResult r = performPace(channel, paceInfo(toHex(infoDer).c_str()), PacePassword::can(kHPassword), fixed);
  EXPECT_TRUE(channel.done());
  EXPECT_EQ(toHex(r.ksMacForTesting), kH2KsMac);
}

// ---------------------------------------------------------------- BSI EAC worked example (ECDH GM)
TEST(PaceBsiWorkedExample, EveryValue) {
  const SecretBytes kpi = paceKpi(PacePassword::can(kHPassword), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(decryptNonce(kpi.view(), hex(kBsiz), SymmetricCipher::Aes128))), kBsis);
  const PaceDomain d = PaceDomain::standard(13);
  EXPECT_EQ(toHex(d.publicKey(hex(kBsiSkMapPcd))), kBsiPkMapPcd);
  EXPECT_EQ(toHex(d.publicKey(hex(kBsiSkMapPicc))), kBsiPkMapPicc);
  const Bytes h = d.agree(hex(kBsiSkMapPcd), hex(kBsiPkMapPicc), "test");
  EXPECT_EQ(toHex(h), kBsiH);
  const PaceDomain mapped = d.mapGeneric(hex(kBsis), h);
  EXPECT_EQ(toHex(mapped.generator()), kBsiGmapped);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kBsiSkEphPcd))), kBsiPkEphPcd);
  EXPECT_EQ(toHex(mapped.publicKey(hex(kBsiSkEphPicc))), kBsiPkEphPicc);
  const SecretBytes k = mapped.sharedSecret(hex(kBsiSkEphPcd), hex(kBsiPkEphPicc), "test");
  EXPECT_EQ(toHex(bytes(k)), kBsiK);
  const PaceSessionKeys keys = derivePaceSessionKeys(k.view(), SymmetricCipher::Aes128);
  EXPECT_EQ(toHex(bytes(keys.ksEnc)), kBsiKsEnc);
  EXPECT_EQ(toHex(bytes(keys.ksMac)), kBsiKsMac);
  const std::string oid = "0.4.0.127.0.7.2.2.4.2.2";
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, oid, KeyAgreement::Ecdh,
                                      hex(kBsiPkEphPicc))),
            kBsiTPcd);
  EXPECT_EQ(toHex(authenticationToken(keys.ksMac.view(), SymmetricCipher::Aes128, oid, KeyAgreement::Ecdh,
                                      hex(kBsiPkEphPcd))),
            kBsiTPicc);
}

}  // namespace
