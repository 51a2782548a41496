#include <gtest/gtest.h>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"

using namespace portti::mrtd;

TEST(Oid, DecodesEmrtdOids) {
  // X.690 8.19: first sub-identifier 40 * X + Y; 2.23 -> 103 (0x67), 136 -> 81 08.
  EXPECT_EQ(decodeOid(fromHex("6781080101 05")), "2.23.136.1.1.5");
  EXPECT_EQ(decodeOid(fromHex("04007F00070202040202")), "0.4.0.127.0.7.2.2.4.2.2");
  EXPECT_EQ(decodeOid(fromHex("2A864886F70D010101")), "1.2.840.113549.1.1.1");
  EXPECT_EQ(decodeOid(fromHex("2A8648CE3D0201")), "1.2.840.10045.2.1");
  EXPECT_EQ(decodeOid(fromHex("8837")), "2.999");  // first sub-identifier above 127
}

TEST(Oid, EncodeRoundTrips) {
  for (const char* oid : {"2.23.136.1.1.5", "0.4.0.127.0.7.2.2.4.6.4", "1.2.840.113549.1.1.10", "2.999.1",
                          "1.3.36.3.3.2.8.1.1.7", "0.0", "2.18446744073709551535"}) {
    EXPECT_EQ(decodeOid(encodeOidContent(oid)), oid);
  }
  EXPECT_EQ(toHex(encodeOid("2.23.136.1.1.5")), "06066781080101" "05");
}

TEST(Oid, RejectsMalformedContent) {
  for (const char* hex : {"", "2A86", "2A8648CE3D02 81", "80 01", "2A 8001", "2A FFFFFFFFFFFFFFFFFF7F"}) {
    SCOPED_TRACE(hex);
    EXPECT_THROW(decodeOid(fromHex(hex)), Error);
  }
}

TEST(Oid, RejectsMalformedText) {
  for (const char* text : {"", "1", "3.1", "1.40", "0.99", "1..2", "1.2.", ".1.2", "a.b", "1.2.x", "1.2 .3",
                           "1.99999999999999999999999"}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(encodeOidContent(text), Error);
  }
}

TEST(Oid, PrefixComparesWholeArcs) {
  EXPECT_TRUE(oidIsUnder("0.4.0.127.0.7.2.2.4.2.2", "0.4.0.127.0.7.2.2.4"));
  EXPECT_TRUE(oidIsUnder("0.4.0.127.0.7.2.2.4", "0.4.0.127.0.7.2.2.4"));
  EXPECT_FALSE(oidIsUnder("0.4.0.127.0.7.2.2.41", "0.4.0.127.0.7.2.2.4"));
  EXPECT_FALSE(oidIsUnder("0.4.0.127.0.7.2.2", "0.4.0.127.0.7.2.2.4"));
}
