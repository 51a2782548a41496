// ISO/IEC 7816-4 command chaining (5.3.3) and GET RESPONSE (5.3.4) for links without extended
// length: how the reader splits and joins, and how the virtual chip takes a chain and hands out a
// long answer in pieces.
#include <gtest/gtest.h>

#include <deque>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

using namespace portti::mrtd;

namespace {

/// A short-only link that records each command and answers from a script.
class ScriptedLink : public ApduChannel {
 public:
  std::vector<std::string> sent;
  std::deque<std::string> answers;
  Bytes transmitRaw(ByteView raw) override {
    sent.push_back(toHex(raw));
    EXPECT_FALSE(answers.empty()) << "unexpected command " << toHex(raw);
    if (answers.empty()) return fromHex("6F00");
    const Bytes answer = fromHex(answers.front());
    answers.pop_front();
    return answer;
  }
  ChannelLimits limits() const override { return {}; }  // 261 / 258, no extended length
  std::string name() const override { return "scripted"; }
};

std::string hexOf(std::size_t n, const char* byte) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += byte;
  return out;
}

}  // namespace

TEST(CommandChaining, SplitsIntoShortLinksWithLeOnlyOnTheLast) {
  const CommandApdu command{0x00, 0x86, 0x00, 0x00, Bytes(600, 0xAB), 65536};
  const std::vector<CommandApdu> links = splitIntoChain(command, 255);
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].cla, 0x10);
  EXPECT_EQ(links[1].cla, 0x10);
  EXPECT_EQ(links[2].cla, 0x00);
  EXPECT_EQ(links[0].data.size(), 255u);
  EXPECT_EQ(links[2].data.size(), 90u);
  EXPECT_EQ(links[0].ne, 0u);
  EXPECT_EQ(links[2].ne, 256u);  // a longer answer comes by GET RESPONSE
  for (const auto& l : links) EXPECT_FALSE(l.isExtended());
  // A command that fits comes back alone, in short form.
  const std::vector<CommandApdu> one = splitIntoChain(CommandApdu{0x00, 0x88, 0, 0, Bytes(8, 1), 65536}, 255);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(toHex(one[0].encode()), "00880000080101010101010101" "00");
  // PACE's GENERAL AUTHENTICATE steps are links of their own chain already: not split again.
  try {
    splitIntoChain(CommandApdu{0x10, 0x86, 0, 0, Bytes(300, 1), 256}, 255);
    FAIL() << "a link of a chain was split";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Apdu);
    EXPECT_EQ(e.step(), "GENERAL AUTHENTICATE command chaining");
  }
}

TEST(CommandChaining, ShortLinkSendsAChainAndJoinsTheAnswerByGetResponse) {
  ScriptedLink link;
  link.answers = {"9000", hexOf(256, "11") + "6110", hexOf(16, "22") + "9000"};
  const ResponseApdu r = link.transmit(CommandApdu{0x00, 0x22, 0x41, 0xA6, Bytes(300, 0xAB), 0});
  ASSERT_EQ(link.sent.size(), 3u);
  EXPECT_EQ(link.sent[0].substr(0, 10), "102241A6FF");
  EXPECT_EQ(link.sent[1].substr(0, 10), "002241A62D");
  EXPECT_EQ(link.sent[2], "00C0000010");
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(toHex(r.data), hexOf(256, "11") + hexOf(16, "22"));
}

TEST(CommandChaining, RefusedChainIsAClearError) {
  ScriptedLink link;
  link.answers = {"6884"};
  try {
    link.transmit(CommandApdu{0x00, 0x86, 0x00, 0x00, Bytes(264, 0xAB), 256});
    FAIL() << "a refused chain passed";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Apdu);
    EXPECT_EQ(e.step(), "GENERAL AUTHENTICATE command chaining");
    EXPECT_EQ(e.detail(),
              "the chip answered 6884 (command chaining not supported) to link 1 of 2: it does not take this 264-byte "
              "command as a chain, and the link carries only short APDUs (no extended length)");
  }
  EXPECT_EQ(link.sent.size(), 1u);
}

TEST(CommandChaining, VirtualChipJoinsAChainAndRefusesItWhenConfigured) {
  VirtualChip chip(fixtures::syntheticChip());
  // SELECT of the eMRTD application in two links.
  EXPECT_EQ(toHex(chip.transceive(fromHex("10A4040C04A0000002"))), "9000");
  EXPECT_EQ(toHex(chip.transceive(fromHex("00A4040C03471001"))), "9000");
  EXPECT_EQ(toHex(chip.transceive(fromHex("00A4020C020101"))), "9000") << "DG1 not found: the AID was not joined";
  // A chain broken by another command starts over: the last link alone is a wrong AID.
  EXPECT_EQ(toHex(chip.transceive(fromHex("10A4040C04A0000002"))), "9000");
  EXPECT_EQ(toHex(chip.transceive(fromHex("00B0000004"))).substr(8), "9000");
  EXPECT_EQ(toHex(chip.transceive(fromHex("00A4040C03471001"))), "6A82");

  ChipImage image = fixtures::syntheticChip();
  image.config.set("command_chaining", "no");
  VirtualChip refusing(image);
  EXPECT_FALSE(refusing.settings().commandChaining);
  EXPECT_EQ(toHex(refusing.transceive(fromHex("10A4040C04A0000002"))), "6884");
}

TEST(CommandChaining, VirtualChipGetResponseNeedsAPendingAnswer) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  EXPECT_EQ(toHex(chip.transceive(fromHex("00C0000010"))), "6985");  // nothing pending
  // Any other command ends what was pending: GET RESPONSE after it has nothing to give.
  EXPECT_EQ(toHex(chip.transceive(fromHex("00A4040C07A0000002471001"))), "9000");
  EXPECT_EQ(toHex(chip.transceive(fromHex("00C0000010"))), "6985");
}

TEST(CommandChaining, UnderSecureMessagingEachLinkIsProtectedAndABareRefusalIsNamed) {
  const Bytes key(16, 0x11), ssc(16, 0x00);
  ScriptedLink link;
  SecureChannel channel(link, SecureMessaging(SmCipher::Aes, key, key, ssc));
  link.answers = {"6884"};  // a chip that refuses the chain without secure messaging
  try {
    channel.transmit(CommandApdu{0x00, 0x86, 0x00, 0x00, Bytes(264, 0xAB), 256});
    FAIL() << "a refused chain passed";
  } catch (const Error& e) {
    EXPECT_EQ(e.step(), "GENERAL AUTHENTICATE command chaining");
    EXPECT_NE(e.detail().find("6884 (command chaining not supported) to link 1 of 2"), std::string::npos) << e.detail();
  }
  ASSERT_EQ(link.sent.size(), 1u);
  EXPECT_EQ(link.sent[0].substr(0, 2), "1C");  // chained (b5) and protected (b4 b3)
  EXPECT_LE(link.sent[0].size() / 2, 261u);
  EXPECT_TRUE(channel.broken());
}

TEST(CommandChaining, EndlessGetResponseIsBounded) {
  ScriptedLink link;
  for (int i = 0; i < 300; ++i) link.answers.push_back("6100");  // "more to come", and nothing comes
  try {
    link.transmit(CommandApdu{0x00, 0x88, 0x00, 0x00, Bytes(8, 1), 256});
    FAIL() << "endless 61xx accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.step(), "GET RESPONSE");
    EXPECT_NE(e.detail().find("keeps announcing more data"), std::string::npos) << e.detail();
  }
  EXPECT_EQ(link.sent.size(), 257u);  // the command and 256 GET RESPONSEs
}
