#include <gtest/gtest.h>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

TEST(Tlv, DecodesEfComWithMultiByteTags) {
  // ICAO Doc 9303 Part 11 D.4: EF.COM of the worked example.
  const Bytes com = fromHex("60145F0104303130365F36063034303030305C026175");
  Tlv top = decodeOne(com);
  EXPECT_EQ(top.tag, 0x60u);
  EXPECT_TRUE(top.constructed());
  auto children = decodeAll(top.value);
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].tag, 0x5F01u);
  EXPECT_EQ(toHex(children[0].value), "30313036");
  EXPECT_EQ(children[1].tag, 0x5F36u);
  EXPECT_EQ(children[2].tag, 0x5Cu);
  EXPECT_EQ(toHex(children[2].value), "6175");
  EXPECT_EQ(toHex(children[2].whole), "5C026175");
}

TEST(Tlv, LongFormLengthsRoundTrip) {
  for (std::size_t n : {0u, 1u, 127u, 128u, 255u, 256u, 65535u, 65536u, 70000u}) {
    Bytes value(n, 0xAB);
    Bytes enc = encodeTlv(0x7F61, value);
    Tlv t = decodeOne(enc);
    EXPECT_EQ(t.tag, 0x7F61u);
    EXPECT_EQ(t.value.size(), n);
  }
  EXPECT_EQ(toHex(encodeLength(127)), "7F");
  EXPECT_EQ(toHex(encodeLength(128)), "8180");
  EXPECT_EQ(toHex(encodeLength(256)), "820100");
  EXPECT_EQ(toHex(encodeLength(65536)), "83010000");
  EXPECT_EQ(toHex(encodeTag(0x5F1F)), "5F1F");
}

TEST(Tlv, ThreeByteTag) {
  Tlv t = decodeOne(fromHex("BF8101020102"));
  EXPECT_EQ(t.tag, 0xBF8101u);
  EXPECT_EQ(t.value.size(), 2u);
}

struct BadTlv {
  const char* name;
  const char* hex;
};

class TlvRejects : public ::testing::TestWithParam<BadTlv> {};

TEST_P(TlvRejects, WithATlvError) {
  Bytes data = fromHex(GetParam().hex);
  try {
    decodeOne(data);
    FAIL() << "accepted " << GetParam().name;
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Tlv) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, TlvRejects,
    ::testing::Values(BadTlv{"empty", ""}, BadTlv{"tag only", "61"}, BadTlv{"truncated tag", "5F"},
                      BadTlv{"tag over 4 bytes", "5F818181810100"},
                      BadTlv{"length past the end", "61050102"},
                      BadTlv{"truncated long length", "618201"},
                      BadTlv{"length field of 5 bytes", "61850000000001AA"},
                      BadTlv{"huge length", "6184FFFFFFFF00"}, BadTlv{"indefinite length", "61800000"},
                      BadTlv{"trailing bytes", "610100FF"}, BadTlv{"zero tag", "000100"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

TEST(Tlv, AbsurdNestingIsRefused) {
  // 100 nested constructed objects: depth-first walk stops at the limit instead of recursing on.
  Bytes data;
  for (int i = 0; i < 100; ++i) data = encodeTlv(0x30, data);
  int deepest = 0;
  EXPECT_THROW(walk(data, [&](const Tlv&, int d) { deepest = std::max(deepest, d); }), Error);
  EXPECT_LE(deepest, kMaxTlvDepth);
  // A sensible depth walks fine.
  Bytes shallow;
  for (int i = 0; i < 5; ++i) shallow = encodeTlv(0x30, shallow);
  int count = 0;
  walk(shallow, [&](const Tlv&, int) { ++count; });
  EXPECT_EQ(count, 5);
}

TEST(Tlv, FindChild) {
  Bytes v = fromHex("5F0104303130365C026175");
  auto c = findChild(v, 0x5C);
  ASSERT_TRUE(c);
  EXPECT_EQ(toHex(c->value), "6175");
  EXPECT_FALSE(findChild(v, 0x5F36));
  EXPECT_THROW(requireChild(v, 0x5F36, "EF.COM"), Error);
}
