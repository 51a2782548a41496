#include <gtest/gtest.h>

#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/error.hpp"

using namespace portti::mrtd;

TEST(CommandApdu, ShortCases) {
  CommandApdu select{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0};
  EXPECT_EQ(toHex(select.encode()), "00A4020C02011E");
  CommandApdu read{0x00, 0xB0, 0x00, 0x00, {}, 4};
  EXPECT_EQ(toHex(read.encode()), "00B0000004");
  CommandApdu read256{0x00, 0xB0, 0x00, 0x00, {}, 256};
  EXPECT_EQ(toHex(read256.encode()), "00B0000000");
  CommandApdu mutual{0x00, 0x82, 0x00, 0x00, Bytes(40, 0x11), 40};
  Bytes enc = mutual.encode();
  EXPECT_EQ(enc.size(), 4u + 1 + 40 + 1);
  CommandApdu back = CommandApdu::decode(enc);
  EXPECT_EQ(back.data, mutual.data);
  EXPECT_EQ(back.ne, 40u);
  EXPECT_FALSE(back.isExtended());
}

TEST(CommandApdu, ExtendedCases) {
  CommandApdu read{0x00, 0xB1, 0x00, 0x00, fromHex("54028000"), 4096};
  Bytes enc = read.encode();
  EXPECT_EQ(toHex(enc), "00B10000000004540280001000");
  CommandApdu back = CommandApdu::decode(enc);
  EXPECT_TRUE(back.isExtended());
  EXPECT_EQ(back.ne, 4096u);
  EXPECT_EQ(toHex(back.data), "54028000");

  CommandApdu all{0x00, 0xB0, 0x00, 0x00, {}, 65536};
  EXPECT_EQ(toHex(all.encode()), "00B00000000000");
  EXPECT_EQ(CommandApdu::decode(all.encode()).ne, 65536u);
  CommandApdu big{0x00, 0xD6, 0x00, 0x00, Bytes(300, 1), 0};
  EXPECT_EQ(CommandApdu::decode(big.encode()).data.size(), 300u);
}

TEST(CommandApdu, MalformedIsRefused) {
  for (const char* hex : {"", "00A402", "00A4020C05011E", "00A4020C0000", "00B000000001"}) {
    EXPECT_THROW(CommandApdu::decode(fromHex(hex)), Error) << hex;
  }
}

TEST(ResponseApdu, SplitsStatusWord) {
  ResponseApdu r = ResponseApdu::decode(fromHex("4608F919887022129000"));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(toHex(r.data), "4608F91988702212");
  EXPECT_EQ(ResponseApdu::decode(fromHex("6A82")).sw, 0x6A82);
  EXPECT_THROW(ResponseApdu::decode(fromHex("90")), Error);
  EXPECT_EQ(describeStatus(0x6A82), "6A82 (file not found)");
}
