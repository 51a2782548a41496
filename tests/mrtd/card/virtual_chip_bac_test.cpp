// The virtual chip with BAC and secure messaging, against ICAO Doc 9303-11 Appendix D
// (../shared/vectors/icao9303-11-bac-sm.md): with RND.IC and K.IC injected, the chip's answers on
// the wire are the published ones, byte for byte.
#include <gtest/gtest.h>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/file_reader.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/bac.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

using namespace portti::mrtd;

namespace {
/// Records every raw exchange on the wire.
class RecordingChannel : public ApduChannel {
 public:
  explicit RecordingChannel(ApduChannel& inner) : inner_(inner) {}
  Bytes transmitRaw(ByteView command) override {
    Bytes response = inner_.transmitRaw(command);
    log.push_back({toHex(command), toHex(response)});
    return response;
  }
  ChannelLimits limits() const override { return inner_.limits(); }
  std::string name() const override { return inner_.name(); }
  std::vector<std::pair<std::string, std::string>> log;

 private:
  ApduChannel& inner_;
};

const char* kMrz = "L898902C<369080619406236";  // D.2
const Bytes kSeed = fromHex("239AB9CB282DAF66231DC5A4DF6BFBAE");
const Bytes kEfCom = fromHex("60145F0104303130365F36063034303030305C026175");

ChipImage appendixDChip() {
  ChipImage image;
  image.files["EF.COM"] = kEfCom;
  image.config.set("mrz_information", kMrz);
  return image;
}

void injectAppendixD(VirtualChip& chip) {
  chip.setChallengeSourceForTesting([] { return fromHex("4608F91988702212"); });
  chip.setKeyMaterialSourceForTesting([] { return fromHex("0B4F80323EB3191CB04970CB4052790B"); });
}

SecureMessaging appendixDBac(ApduChannel& channel) {
  return performBac(channel, kSeed, fromHex("781723860C06C226"), fromHex("0B795240CB7049B01C19B33E32804F0B"));
}

void selectApplication(ApduChannel& channel) {
  ASSERT_EQ(channel.transmit(CommandApdu{0x00, 0xA4, 0x04, 0x0C, fromHex("A0000002471001"), 0}).sw, 0x9000);
}
}  // namespace

TEST(VirtualChipBac, ReproducesAppendixD) {
  VirtualChip chip(appendixDChip());
  injectAppendixD(chip);
  SimChannel sim(chip);
  RecordingChannel wire(sim);
  selectApplication(wire);
  SecureChannel secure(wire, appendixDBac(wire));
  EXPECT_TRUE(chip.secured());
  FileReader reader(secure, ReadBudget{wire.limits(), [&](std::size_t n) { return secure.sm().responseOverhead(n); }});
  EXPECT_EQ(reader.read(*findLdsFile("EF.COM")).bytes, kEfCom);

  ASSERT_EQ(wire.log.size(), 1u + 2 + 3);
  // D.3: GET CHALLENGE and MUTUAL AUTHENTICATE.
  EXPECT_EQ(wire.log[1].first, "0084000008");
  EXPECT_EQ(wire.log[1].second, "4608F919887022129000");
  EXPECT_EQ(wire.log[2].first,
            "0082000028"
            "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
            "5F1448EEA8AD90A728");
  EXPECT_EQ(wire.log[2].second,
            "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
            "9000");
  // D.4: SELECT EF.COM, READ BINARY of 4 bytes, READ BINARY of the remaining 18.
  EXPECT_EQ(wire.log[3].first, "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  EXPECT_EQ(wire.log[3].second, "990290008E08FA855A5D4C50A8ED9000");
  EXPECT_EQ(wire.log[4].first, "0CB000000D9701048E08ED6705417E96BA5500");
  EXPECT_EQ(wire.log[4].second, "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000");
  EXPECT_EQ(wire.log[5].first, "0CB000040D9701128E082EA28A70F3C7B53500");
  EXPECT_EQ(wire.log[5].second, "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000");
  EXPECT_EQ(toHex(secure.sm().ssc()), "887022120C06C22C");  // D.4: final SSC
}

TEST(VirtualChipBac, WrongKeyIsRefusedWith6300) {
  VirtualChip chip(appendixDChip());
  SimChannel sim(chip);
  selectApplication(sim);
  try {
    performBac(sim, fromHex("00000000000000000000000000000000"));
    FAIL() << "BAC with a wrong key succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access);
    EXPECT_EQ(e.detail(), "access denied: check the MRZ");
  }
  EXPECT_FALSE(chip.secured());
  // The files stay closed.
  EXPECT_EQ(sim.transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).sw, 0x6982);
}

TEST(VirtualChipBac, MutualAuthenticateNeedsAChallengeAndTheRightShape) {
  VirtualChip chip(appendixDChip());
  SimChannel sim(chip);
  const Bytes data = fromHex(
      "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
  EXPECT_EQ(sim.transmit(CommandApdu{0x00, 0x82, 0x00, 0x00, data, 40}).sw, 0x6300);  // no challenge
  EXPECT_EQ(sim.transmit(CommandApdu{0x00, 0x82, 0x00, 0x00, Bytes(data.begin(), data.end() - 1), 40}).sw, 0x6700);
  EXPECT_EQ(sim.transmit(CommandApdu{0x00, 0x82, 0x01, 0x00, data, 40}).sw, 0x6A86);
  VirtualChip plainChip(fixtures::syntheticChip());
  SimChannel plainSim(plainChip);
  EXPECT_EQ(plainSim.transmit(CommandApdu{0x00, 0x82, 0x00, 0x00, data, 40}).sw, 0x6D00);
}

TEST(VirtualChipBac, PlainCommandAfterBacEndsTheSession) {
  VirtualChip chip(appendixDChip());
  SimChannel sim(chip);
  selectApplication(sim);
  SecureChannel secure(sim, performBac(sim, kSeed));
  ASSERT_TRUE(chip.secured());
  // A plain SELECT in the secured state: 6987 and the session is gone.
  EXPECT_EQ(toHex(sim.transmitRaw(fromHex("00A4020C02011E"))), "6987");
  EXPECT_FALSE(chip.secured());
  EXPECT_EQ(toHex(sim.transmitRaw(fromHex("00A4020C02011E"))), "6982");  // files closed again
  // The reader's next protected command finds no session: a bare 6988, which ends its side too.
  try {
    secure.transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0});
    FAIL() << "no error";
  } catch (const UnprotectedStatusError& e) {
    EXPECT_EQ(e.sw(), 0x6988);
  }
  EXPECT_TRUE(secure.broken());
}

TEST(VirtualChipBac, BadCommandMacEndsTheSession) {
  VirtualChip chip(appendixDChip());
  injectAppendixD(chip);
  SimChannel sim(chip);
  selectApplication(sim);
  appendixDBac(sim);
  // D.4's protected SELECT with one MAC bit flipped.
  EXPECT_EQ(toHex(sim.transmitRaw(fromHex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F900"))), "6988");
  EXPECT_FALSE(chip.secured());
}

TEST(VirtualChipBac, CorruptResponseMacIsDetectedByTheReader) {
  VirtualChip chip(appendixDChip());
  SimChannel sim(chip);
  selectApplication(sim);
  SecureChannel secure(sim, performBac(sim, kSeed));
  chip.misbehaviourForTesting().corruptResponseMac = true;
  FileReader reader(secure, ReadBudget{sim.limits(), [&](std::size_t n) { return secure.sm().responseOverhead(n); }});
  try {
    reader.read(*findLdsFile("EF.COM"));
    FAIL() << "a corrupted MAC was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::SecureMessaging);
    EXPECT_EQ(e.step(), "reading EF.COM");
    EXPECT_NE(e.detail().find("MAC is wrong"), std::string::npos) << e.what();
    EXPECT_NE(e.detail().find("session has ended"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(secure.broken());
}

TEST(VirtualChipBac, ProtectedResponsesFitTheChipsBuffer) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.config.set("max_response", "231");
  VirtualChip chip(image);
  SimChannel sim(chip);
  CountingChannel wire(sim);
  selectApplication(wire);
  SecureChannel secure(wire, performBac(wire, kSeed));
  FileReader reader(secure, ReadBudget{wire.limits(), [&](std::size_t n) { return secure.sm().responseOverhead(n); }},
                    &wire);
  // 3DES: 207 plain bytes -> 87 81 D1 01 + 208 + DO'99' 4 + DO'8E' 10 = 230 <= 231.
  EXPECT_EQ(reader.chunkLimit(), 207u);
  const FileReader::Result r = reader.read(*dataGroupFile(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  EXPECT_EQ(r.stats.apdus, 2 + (20000 + 206) / 207);
  // Asking for more than fits: the chip refuses (protected 6700), the reader steps down.
  FileReader greedy(secure, ReadBudget{ChannelLimits{261, 258, false}, [&](std::size_t n) {
                                         return secure.sm().responseOverhead(n);
                                       }});
  EXPECT_EQ(greedy.read(*dataGroupFile(1)).bytes, image.files["DG1"]);
  EXPECT_EQ(greedy.read(*dataGroupFile(2)).bytes, image.files["DG2"]);
  EXPECT_EQ(greedy.chunkLimit(), 160u);
}
