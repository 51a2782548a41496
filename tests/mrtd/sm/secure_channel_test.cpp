// SecureChannel over a small in-test chip: reads through SM, limits, and the rule that a
// session is over after any failure.
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

using namespace portti::mrtd;

namespace {

const Bytes kEnc = fromHex("979EC13B1CBFE9DCD01AB0FED307EAE5");
const Bytes kMac = fromHex("F1CB1F1FB5ADF208806B89DC579DC1F8");
const Bytes kSsc = fromHex("887022120C06C226");
const Bytes kEfCom = fromHex("60145F0104303130365F36063034303030305C026175");

/// The card side of SM in front of one transparent file (EF.COM), with ways to misbehave.
class LoopbackChip : public ApduChannel {
 public:
  LoopbackChip() : sm_(SmCipher::Des3, kEnc, kMac, kSsc) {}

  Bytes transmitRaw(ByteView raw) override {
    ++exchanges;
    if (linkDown) throw Error(ErrorArea::Transport, "transmit", "card removed");
    const CommandApdu wire = CommandApdu::decode(raw);
    CommandApdu plain;
    try {
      plain = sm_.unprotectCommand(wire);
    } catch (const Error&) {
      return ResponseApdu{{}, sw::kSmDataObjectsIncorrect}.encode();  // 9303-11 9.8.6: plain 6988
    }
    if (answerPlain) return ResponseApdu{{}, *answerPlain}.encode();
    ResponseApdu answer{{}, sw::kOk};
    if (plain.ins == 0xB0) {
      const std::size_t offset = std::size_t{plain.p1} << 8 | plain.p2;
      const std::size_t n = std::min(plain.ne, kEfCom.size() - std::min(offset, kEfCom.size()));
      answer.data.assign(kEfCom.begin() + static_cast<std::ptrdiff_t>(offset),
                         kEfCom.begin() + static_cast<std::ptrdiff_t>(offset + n));
    } else if (plain.ins == 0xA4 && plain.data != fromHex("011E")) {
      answer.sw = sw::kFileNotFound;
    }
    Bytes out = sm_.protectResponse(answer).encode();
    if (tamper) tamper(out);
    return out;
  }
  ChannelLimits limits() const override { return limits_; }
  std::string name() const override { return "loopback"; }

  ChannelLimits limits_;
  std::optional<std::uint16_t> answerPlain;
  std::function<void(Bytes&)> tamper;
  bool linkDown = false;
  int exchanges = 0;

 private:
  SecureMessaging sm_;
};

SecureMessaging readerSm() { return SecureMessaging(SmCipher::Des3, kEnc, kMac, kSsc); }

}  // namespace

TEST(SecureChannel, ReadsEfComThroughSecureMessaging) {
  LoopbackChip chip;
  CountingChannel counting(chip);
  SecureChannel channel(counting, readerSm());
  EXPECT_EQ(channel.name(), "loopback (secure messaging, 3DES)");
  EXPECT_TRUE(channel.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).ok());
  ResponseApdu head = channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4});
  EXPECT_EQ(toHex(head.data), "60145F01");
  // transmitRaw takes and gives plain encodings.
  EXPECT_EQ(toHex(channel.transmitRaw(fromHex("00B0000412"))), "04303130365F36063034303030305C0261759000");
  EXPECT_EQ(toHex(channel.sm().ssc()), "887022120C06C22C");  // as in 9303-11 D.4
  EXPECT_EQ(counting.counters().apdus, 3u);
  // A protected error status is an authentic answer: the session goes on.
  EXPECT_EQ(channel.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("0103"), 0}).sw, sw::kFileNotFound);
  EXPECT_FALSE(channel.broken());
  EXPECT_TRUE(channel.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).ok());
}

TEST(SecureChannel, FlippedMacByteEndsTheSession) {
  LoopbackChip chip;
  SecureChannel channel(chip, readerSm());
  EXPECT_TRUE(channel.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).ok());
  chip.tamper = [](Bytes& r) { r[r.size() - 3] ^= 0x01; };  // last MAC byte, before SW1 SW2
  try {
    channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4});
    FAIL() << "tampered response accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::SecureMessaging);
    EXPECT_NE(std::string(e.what()).find("MAC is wrong"), std::string::npos);
  }
  EXPECT_TRUE(channel.broken());
  chip.tamper = nullptr;
  const int before = chip.exchanges;
  try {
    channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4});
    FAIL() << "broken channel used";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::SecureMessaging);
    EXPECT_NE(std::string(e.what()).find("authenticate again"), std::string::npos);
  }
  EXPECT_EQ(chip.exchanges, before);  // nothing more reached the chip
}

TEST(SecureChannel, FlippedCiphertextByteEndsTheSession) {
  LoopbackChip chip;
  SecureChannel channel(chip, readerSm());
  chip.tamper = [](Bytes& r) { r[4] ^= 0x80; };  // inside DO'87''s cryptogram
  EXPECT_THROW(channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4}), Error);
  EXPECT_TRUE(channel.broken());
}

TEST(SecureChannel, UnprotectedStatusIsAnErrorWithTheStatusWord) {
  for (std::uint16_t status : {sw::kSmDataObjectsMissing, sw::kSmDataObjectsIncorrect, sw::kFileNotFound}) {
    LoopbackChip chip;
    SecureChannel channel(chip, readerSm());
    chip.answerPlain = status;
    try {
      channel.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("0103"), 0});
      FAIL() << "unprotected status accepted";
    } catch (const UnprotectedStatusError& e) {
      EXPECT_EQ(e.sw(), status);
    }
    EXPECT_TRUE(channel.broken());
    EXPECT_THROW(channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4}), Error);
  }
}

TEST(SecureChannel, KeyMismatchIsSeenByTheChip) {
  LoopbackChip chip;
  SecureChannel channel(chip, SecureMessaging(SmCipher::Des3, kEnc, kEnc, kSsc));  // wrong MAC key
  try {
    channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4});
    FAIL();
  } catch (const UnprotectedStatusError& e) {
    EXPECT_EQ(e.sw(), sw::kSmDataObjectsIncorrect);
  }
  EXPECT_TRUE(channel.broken());
}

TEST(SecureChannel, TransportFailureEndsTheSession) {
  LoopbackChip chip;
  SecureChannel channel(chip, readerSm());
  chip.linkDown = true;
  try {
    channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport);
  }
  chip.linkDown = false;
  EXPECT_TRUE(channel.broken());
  EXPECT_THROW(channel.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4}), Error);
}

TEST(SecureChannel, LimitsLeaveRoomForProtection) {
  LoopbackChip chip;
  SecureChannel des(chip, readerSm());
  // Short link (261 / 258): 3DES fits 231 plain bytes (232 padded: 87 81 E9 01 + 232 + 14 = 250).
  EXPECT_EQ(des.limits().maxResponseBytes, 231u + 2);
  EXPECT_FALSE(des.limits().extendedLength);
  SecureChannel aes(chip, SecureMessaging(SmCipher::Aes, Bytes(16, 1), Bytes(16, 2), Bytes(16, 0)));
  EXPECT_EQ(aes.limits().maxResponseBytes, 223u + 2);
  // Commands: 255 bytes of body hold DO'87' (padded data + 4) + DO'97' (3) + DO'8E' (10).
  const ChannelLimits c = des.limits();
  EXPECT_LE(des.sm().protectedCommandSize(c.maxCommandBytes - 6, 256), chip.limits().maxCommandBytes);
  EXPECT_GT(des.sm().protectedCommandSize(c.maxCommandBytes - 5, 256), chip.limits().maxCommandBytes);
  // Extended link: the limits grow with it.
  chip.limits_ = {65544, 65538, true};
  const ChannelLimits ext = aes.limits();
  EXPECT_TRUE(ext.extendedLength);
  EXPECT_GT(ext.maxResponseBytes, 65000u);
  const std::size_t n = ext.maxResponseBytes - 2;
  EXPECT_LE(n + aes.sm().responseOverhead(n) + 2, 65538u);
  EXPECT_GT(n + 1 + aes.sm().responseOverhead(n + 1) + 2, 65538u);
}
