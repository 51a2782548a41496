// PN532 host-link frames (UM0701-02 6.2.1): encoding, checksums, ACK/NACK, noise and partial frames.
#include <gtest/gtest.h>

#include "portti/hw/pn532/frame.hpp"
#include "portti/mrtd/error.hpp"

using namespace portti::hw::pn532;
using portti::mrtd::fromHex;
using portti::mrtd::toHex;

TEST(Pn532Frame, EncodesNormalFrameWithChecksums) {
  // GetFirmwareVersion as the user manual shows it: 00 00 FF 02 FE D4 02 2A 00.
  EXPECT_EQ(toHex(encodeInformation(fromHex("D402"))), "0000FF02FED4022A00");
  // Its answer for a PN532 v1.6: 00 00 FF 06 FA D5 03 32 01 06 07 E8 00.
  EXPECT_EQ(toHex(encodeInformation(fromHex("D50332010607"))), "0000FF06FAD50332010607E800");
}

TEST(Pn532Frame, EncodesExtendedFrameAbove255Bytes) {
  Bytes body(264, 0x01);  // TFI + command + status + 258-byte response + 3
  body[0] = 0xD5;
  Bytes f = encodeInformation(body);
  ASSERT_EQ(f.size(), 3u + 2 + 3 + 264 + 2);
  EXPECT_EQ(toHex(Bytes(f.begin(), f.begin() + 8)), "0000FFFFFF0108F7");  // LEN 0x0108, LCS 0xF7
  FrameDecoder d;
  d.feed(f);
  auto frame = d.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->kind, FrameKind::Information);
  EXPECT_EQ(frame->body, body);
  EXPECT_THROW(encodeInformation(Bytes(266, 0)), portti::mrtd::Error);
  EXPECT_THROW(encodeInformation(Bytes{}), portti::mrtd::Error);
}

TEST(Pn532Frame, ControlFrames) {
  EXPECT_EQ(toHex(ackFrame()), "0000FF00FF00");
  EXPECT_EQ(toHex(nackFrame()), "0000FFFF0000");
  EXPECT_EQ(toHex(applicationErrorFrame()), "0000FF01FF7F8100");
  FrameDecoder d;
  d.feed(ackFrame());
  d.feed(nackFrame());
  d.feed(applicationErrorFrame());
  EXPECT_EQ(d.next()->kind, FrameKind::Ack);
  EXPECT_EQ(d.next()->kind, FrameKind::Nack);
  EXPECT_EQ(d.next()->kind, FrameKind::ApplicationError);
  EXPECT_FALSE(d.next());
  EXPECT_EQ(d.pendingBytes(), 0u);
}

TEST(Pn532Frame, SkipsWakeUpPreambleAndNoise) {
  FrameDecoder d;
  // libnfc's HSU wake-up, then line noise, then SAMConfiguration (normal mode).
  d.feed(fromHex("5555000000"));
  d.feed(fromHex("13 37 FF 42"));
  d.feed(encodeInformation(fromHex("D4140114")));  // SAMConfiguration: normal mode, timeout 0x14
  auto f = d.next();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, FrameKind::Information);
  EXPECT_EQ(toHex(f->body), "D4140114");
  EXPECT_EQ(d.skippedBytes(), 4u);  // the noise, not the wake-up bytes
}

TEST(Pn532Frame, WaitsForPartialFramesByteByByte) {
  Bytes f = encodeInformation(fromHex("D44001 00A4020C02011E"));
  FrameDecoder d;
  // Complete once the DCS is in; the postamble is optional on the wire.
  for (std::size_t i = 0; i + 2 < f.size(); ++i) {
    d.feed(portti::mrtd::ByteView(&f[i], 1));
    EXPECT_FALSE(d.next()) << "complete after " << i + 1 << " of " << f.size() << " bytes";
  }
  d.feed(portti::mrtd::ByteView(&f[f.size() - 2], 1));
  auto frame = d.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(toHex(frame->body), "D4400100A4020C02011E");
  d.feed(portti::mrtd::ByteView(&f.back(), 1));  // the postamble
  d.feed(ackFrame());
  EXPECT_EQ(d.next()->kind, FrameKind::Ack);
  EXPECT_FALSE(d.next());
  EXPECT_EQ(d.pendingBytes(), 0u);
  EXPECT_EQ(d.skippedBytes(), 0u);
}

TEST(Pn532Frame, BadChecksumsAreReportedOrResynchronised) {
  struct Case {
    const char* name;
    const char* wire;
    FrameKind first;
  };
  const Case cases[] = {
      // DCS wrong: the frame is complete but corrupt.
      {"bad DCS", "0000FF02FED4022B00", FrameKind::Corrupt},
      // LCS wrong: not a frame at all; the decoder skips the start code and finds the next one.
      {"bad LCS then good frame", "0000FF02FDD4022A00 0000FF02FED4022A00", FrameKind::Information},
      // Extended length checksum wrong, then an ACK.
      {"bad extended LCS then ACK", "0000FFFFFF012CD4 0000FF00FF00", FrameKind::Ack},
      // Extended length zero is not allowed, then a NACK.
      {"zero extended length then NACK", "0000FFFFFF000000 0000FFFF0000", FrameKind::Nack},
  };
  for (const auto& c : cases) {
    FrameDecoder d;
    d.feed(fromHex(c.wire));
    auto f = d.next();
    ASSERT_TRUE(f) << c.name;
    EXPECT_EQ(f->kind, c.first) << c.name;
  }
}

TEST(Pn532Frame, TwoFramesInOneRead) {
  FrameDecoder d;
  Bytes both = encodeInformation(fromHex("D402"));
  Bytes second = encodeInformation(fromHex("D41401"));
  both.insert(both.end(), second.begin(), second.end());
  d.feed(both);
  EXPECT_EQ(toHex(d.next()->body), "D402");
  EXPECT_EQ(toHex(d.next()->body), "D41401");
  EXPECT_FALSE(d.next());
}

TEST(Pn532Frame, GarbageNeverCrashesOrLoops) {
  // Every byte string of a pseudo-random stream: the decoder must consume it and stay bounded.
  std::uint32_t x = 12345;
  FrameDecoder d;
  for (int round = 0; round < 2000; ++round) {
    Bytes chunk;
    for (int i = 0; i < 37; ++i) {
      x = x * 1103515245u + 12345u;
      std::uint8_t b = static_cast<std::uint8_t>(x >> 16);
      chunk.push_back((x & 0x300) == 0 ? 0x00 : (x & 0xC00) == 0 ? 0xFF : b);
    }
    d.feed(chunk);
    while (d.next()) {
    }
    ASSERT_LT(d.pendingBytes(), 300u);
  }
}
