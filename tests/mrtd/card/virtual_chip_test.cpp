// The virtual chip answering raw APDUs (ISO/IEC 7816-4, ICAO Doc 9303-10/-11).
#include <gtest/gtest.h>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"

using namespace portti::mrtd;

namespace {
struct Answer {
  Bytes data;
  std::uint16_t sw;
};

Answer send(VirtualChip& chip, const std::string& hex) {
  const ResponseApdu r = ResponseApdu::decode(chip.transceive(fromHex(hex)));
  return {r.data, r.sw};
}

std::uint16_t swOf(VirtualChip& chip, const std::string& hex) { return send(chip, hex).sw; }

const std::string kSelectApp = "00A4040C07A0000002471001";
}  // namespace

TEST(VirtualChip, SelectsTheApplicationAndReadsEfCom) {
  VirtualChip chip(fixtures::syntheticChip());
  const Bytes com = fixtures::syntheticChip().files["EF.COM"];
  EXPECT_EQ(swOf(chip, kSelectApp), 0x9000);
  EXPECT_EQ(swOf(chip, "00A4020C02011E"), 0x9000);
  Answer a = send(chip, "00B0000004");
  EXPECT_EQ(a.sw, 0x9000);
  EXPECT_EQ(a.data, Bytes(com.begin(), com.begin() + 4));
  a = send(chip, "00B00004" + toHex(Bytes{static_cast<std::uint8_t>(com.size() - 4)}));
  EXPECT_EQ(a.sw, 0x9000);
  EXPECT_EQ(a.data, Bytes(com.begin() + 4, com.end()));
}

TEST(VirtualChip, EndOfFileOffsetPastEndAndMissingFiles) {
  VirtualChip chip(fixtures::syntheticChip());
  ASSERT_EQ(swOf(chip, kSelectApp), 0x9000);
  ASSERT_EQ(swOf(chip, "00A4020C020101"), 0x9000);  // DG1: 61 5B + 91 bytes = 93
  Answer a = send(chip, "00B0005000");  // offset 80, Le=00
  EXPECT_EQ(a.sw, 0x6282);
  EXPECT_EQ(a.data.size(), 13u);
  EXPECT_EQ(swOf(chip, "00B0005D01"), 0x6B00);  // offset 93 = size
  EXPECT_EQ(swOf(chip, "00B0100001"), 0x6B00);
  EXPECT_EQ(swOf(chip, "00A4020C020105"), 0x6A82);  // DG5 absent
  EXPECT_EQ(swOf(chip, "00A4020C02011C"), 0x6A82);  // EF.CardAccess is not in the application
  EXPECT_EQ(swOf(chip, "00A4040C07A0000002471002"), 0x6A82);
  EXPECT_EQ(swOf(chip, "00B0000001"), 0x9000);  // the failed SELECTs kept DG1 current
}

TEST(VirtualChip, CardAccessAtMasterFileLevelWithoutTheApplication) {
  VirtualChip chip(fixtures::syntheticChip("L898902C<369080619406236"));
  EXPECT_EQ(swOf(chip, "00A4020C02011C"), 0x9000);
  const Answer a = send(chip, "00B0000002");
  EXPECT_EQ(toHex(a.data), "3114");
  EXPECT_EQ(swOf(chip, "00A4020C02011E"), 0x6A82);  // EF.COM is in the application
}

TEST(VirtualChip, NoCurrentFileAndWrongParameters) {
  VirtualChip chip(fixtures::syntheticChip());
  EXPECT_EQ(swOf(chip, kSelectApp), 0x9000);
  EXPECT_EQ(swOf(chip, "00B0000004"), 0x6986);
  EXPECT_EQ(swOf(chip, "00A4020002011E"), 0x6A86);  // FCI not offered
  EXPECT_EQ(swOf(chip, "00A4090C02011E"), 0x6A86);
  EXPECT_EQ(swOf(chip, "00A4020C03011E00"), 0x6700);
  EXPECT_EQ(swOf(chip, "80A4020C02011E"), 0x6E00);
  EXPECT_EQ(swOf(chip, "00CA000000"), 0x6D00);
  EXPECT_EQ(swOf(chip, "00A4"), 0x6700);                // shorter than a header
  EXPECT_EQ(swOf(chip, "00B00000030102"), 0x6700);      // Lc does not match
  EXPECT_EQ(swOf(chip, "0CB000000D9701048E08ED6705417E96BA5500"), 0x6882);  // SM on a chip without BAC
}

TEST(VirtualChip, ReadsByShortFileIdentifier) {
  VirtualChip chip(fixtures::syntheticChip());
  ASSERT_EQ(swOf(chip, kSelectApp), 0x9000);
  const Answer a = send(chip, "00B09E0004");  // SFI 1E = EF.COM, offset 0
  EXPECT_EQ(a.sw, 0x9000);
  const Bytes com = fixtures::syntheticChip().files["EF.COM"];
  EXPECT_EQ(toHex(a.data), toHex(Bytes(com.begin(), com.begin() + 4)));
  EXPECT_EQ(swOf(chip, "00B0850001"), 0x6A82);  // SFI 05: DG5 absent
  EXPECT_EQ(swOf(chip, "00B0C10001"), 0x6A86);
}

TEST(VirtualChip, OddReadBinaryUsesOffsetAndDataObjects) {
  ChipImage image = fixtures::syntheticChip();
  image.files["DG2"] = fixtures::syntheticFile(0x75, 40000);
  const Bytes dg2 = image.files["DG2"];
  VirtualChip chip(std::move(image));
  ASSERT_EQ(swOf(chip, kSelectApp), 0x9000);
  ASSERT_EQ(swOf(chip, "00A4020C020102"), 0x9000);
  Answer a = send(chip, "00B10000045402800010");  // offset 0x8000, Ne 16 (DO'53' included)
  EXPECT_EQ(a.sw, 0x9000);
  EXPECT_EQ(toHex(a.data), "530E" + toHex(Bytes(dg2.begin() + 0x8000, dg2.begin() + 0x8000 + 14)));
  a = send(chip, "00B10000055403009C4000");  // offset 40000, Le=00: 4 bytes left
  EXPECT_EQ(a.sw, 0x6282);
  EXPECT_EQ(toHex(a.data), "5304" + toHex(Bytes(dg2.end() - 4, dg2.end())));
  EXPECT_EQ(swOf(chip, "00B10000045402FFFF00"), 0x6B00);
  EXPECT_EQ(swOf(chip, "00B10000045502800010"), 0x6A80);  // not DO'54'
  EXPECT_EQ(swOf(chip, "00B1000002540010"), 0x6A80);  // empty offset
  EXPECT_EQ(swOf(chip, "00B10101045402000010"), 0x9000);    // P1-P2 = DG1's identifier
}

TEST(VirtualChip, MaxResponseAndExtendedLength) {
  ChipImage image = fixtures::syntheticChip();
  image.config.set("max_response", "231");
  VirtualChip small(image);
  ASSERT_EQ(swOf(small, kSelectApp), 0x9000);
  ASSERT_EQ(swOf(small, "00A4020C020102"), 0x9000);
  EXPECT_EQ(swOf(small, "00B00000E8"), 0x6700);            // 232 > 231
  EXPECT_EQ(send(small, "00B00000E7").data.size(), 231u);  // 231 fits
  EXPECT_EQ(send(small, "00B0000000").data.size(), 231u);  // Le=00: "up to 256", the chip sends what it can
  EXPECT_EQ(swOf(small, "00B00000000400"), 0x6700);        // extended length not enabled

  image.config.set("extended_length", "yes");
  image.config.set("max_response", "65536");
  VirtualChip big(image);
  ASSERT_EQ(swOf(big, kSelectApp), 0x9000);
  ASSERT_EQ(swOf(big, "00A4020C020102"), 0x9000);
  const Answer all = send(big, "00B00000000000");  // extended Le=0000: up to 65536
  EXPECT_EQ(all.sw, 0x6282);
  EXPECT_EQ(all.data, fixtures::syntheticChip().files["DG2"]);
}

TEST(VirtualChip, BacChipRefusesFilesBeforeAccessControl) {
  VirtualChip chip(fixtures::syntheticChip("L898902C<369080619406236"));
  EXPECT_EQ(swOf(chip, kSelectApp), 0x9000);
  EXPECT_EQ(swOf(chip, "00A4020C020101"), 0x6982);
  EXPECT_EQ(swOf(chip, "00A4020C02011E"), 0x6982);
  EXPECT_EQ(swOf(chip, "00B0810004"), 0x6982);  // SFI read of DG1
  EXPECT_EQ(swOf(chip, "00A4020C020105"), 0x6A82);
  EXPECT_FALSE(chip.secured());
}

TEST(VirtualChip, EacProtectedGroupsAreRefused) {
  VirtualChip chip(fixtures::syntheticChip());
  ASSERT_EQ(swOf(chip, kSelectApp), 0x9000);
  EXPECT_EQ(swOf(chip, "00A4020C020103"), 0x6982);  // DG3 present, EAC required
  EXPECT_EQ(swOf(chip, "00B0830004"), 0x6982);
  EXPECT_EQ(swOf(chip, "00A4020C020104"), 0x6A82);  // DG4 absent
}

TEST(VirtualChip, GetChallengeIsInjectableForTests) {
  VirtualChip chip(fixtures::syntheticChip("L898902C<369080619406236"));
  const Answer random1 = send(chip, "0084000008");
  const Answer random2 = send(chip, "0084000008");
  EXPECT_EQ(random1.sw, 0x9000);
  EXPECT_EQ(random1.data.size(), 8u);
  EXPECT_NE(random1.data, random2.data);
  chip.setChallengeSourceForTesting([] { return fromHex("4608F91988702212"); });
  const Answer fixed = send(chip, "0084000008");  // Doc 9303-11 D.3
  EXPECT_EQ(toHex(fixed.data), "4608F91988702212");
  EXPECT_EQ(swOf(chip, "0084000004"), 0x6700);
  EXPECT_EQ(swOf(chip, "0084010008"), 0x6A86);
}

TEST(VirtualChip, MisbehaviourHooks) {
  VirtualChip chip(fixtures::syntheticChip());
  ASSERT_EQ(swOf(chip, kSelectApp), 0x9000);
  ASSERT_EQ(swOf(chip, "00A4020C020102"), 0x9000);
  auto& mis = chip.misbehaviourForTesting();
  mis.answerLongerThanAsked = true;
  EXPECT_EQ(send(chip, "00B0000010").data.size(), 17u);
  mis.answerLongerThanAsked = false;
  mis.refuseLe00With = 0x6B00;
  EXPECT_EQ(swOf(chip, "00B0000000"), 0x6B00);
  EXPECT_EQ(send(chip, "00B00000FF").data.size(), 255u);
  mis.refuseLe00With = 0;
  mis.capReadAt = 160;
  EXPECT_EQ(swOf(chip, "00B00000A1"), 0x6700);
  EXPECT_EQ(send(chip, "00B00000A0").data.size(), 160u);
  mis.capReadAt = 0;
  mis.answer6CAtEnd = true;
  ASSERT_EQ(swOf(chip, "00A4020C020101"), 0x9000);  // DG1: 93 bytes
  EXPECT_EQ(swOf(chip, "00B0005000"), 0x6C0D);       // 13 bytes left
  EXPECT_EQ(send(chip, "00B000500D").sw, 0x9000);
}
