#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/data_group.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg11.hpp"
#include "portti/mrtd/lds/dg12.hpp"
#include "portti/mrtd/lds/ef_com.hpp"

using namespace portti::mrtd;

namespace {

const char* kExamples = "../shared/emrtd/icao9303-p10-examples/";

std::optional<Bytes> readExample(const std::string& name) {
  std::ifstream in(std::string(kExamples) + name, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

#define LOAD_EXAMPLE(var, name)                                                 \
  auto var##_opt = readExample(name);                                           \
  if (!var##_opt) GTEST_SKIP() << "../shared not found: " << kExamples << name; \
  const Bytes& var = *var##_opt

/// Runs `f` and returns the Error it throws (area and step checked by the caller).
template <class F>
std::optional<Error> errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST(DataGroupTable, TagsNumbersAndFiles) {
  // Part 10, 4.6: the data group tags.
  const std::pair<std::uint32_t, int> table[] = {
      {0x61, 1}, {0x75, 2},  {0x63, 3},  {0x76, 4},  {0x65, 5},  {0x66, 6},  {0x67, 7},  {0x68, 8},
      {0x69, 9}, {0x6A, 10}, {0x6B, 11}, {0x6C, 12}, {0x6D, 13}, {0x6E, 14}, {0x6F, 15}, {0x70, 16}};
  for (auto [tag, dg] : table) {
    EXPECT_EQ(dataGroupForTag(tag), std::optional<int>(dg));
    EXPECT_EQ(dataGroupTag(dg), tag);
    EXPECT_EQ(dataGroupFileId(dg), 0x0100 + dg);
  }
  EXPECT_EQ(dataGroupForTag(kTagSod), std::nullopt);
  EXPECT_EQ(dataGroupForTag(kTagCom), std::nullopt);
  EXPECT_EQ(dataGroupForTag(0x5F1F), std::nullopt);
  EXPECT_EQ(dataGroupName(14), "DG14");
  EXPECT_THROW(dataGroupTag(0), Error);
  EXPECT_THROW(dataGroupTag(17), Error);
  EXPECT_THROW(dataGroupFileId(-1), Error);
}

TEST(EfCom, IcaoExample) {
  LOAD_EXAMPLE(file, "EF.COM");
  EfCom com = parseCom(file);
  EXPECT_EQ(com.ldsVersion, "0106");
  EXPECT_EQ(com.unicodeVersion, "040000");
  EXPECT_EQ(com.dataGroups, (std::vector<int>{1, 2}));
  EXPECT_TRUE(com.otherTags.empty());
  EXPECT_EQ(encodeCom("0106", {1, 2}), file);
}

TEST(EfCom, Part11D4BytesAndRoundTrip) {
  // Part 11 D.4: the EF.COM read in the secure messaging example.
  const Bytes d4 = fromHex("60145F0104303130365F36063034303030305C026175");
  EXPECT_EQ(encodeCom("0106", {1, 2}, "040000"), d4);
  const Bytes many = encodeCom("0107", {1, 2, 3, 4, 11, 12, 14, 15, 16});
  EfCom com = parseCom(many);
  EXPECT_EQ(com.ldsVersion, "0107");
  EXPECT_EQ(com.dataGroups, (std::vector<int>{1, 2, 3, 4, 11, 12, 14, 15, 16}));
  // Unknown tags in the list are kept apart, duplicates read once.
  com = parseCom(fromHex("60085C06617761775F1F"));
  EXPECT_EQ(com.dataGroups, (std::vector<int>{1}));
  EXPECT_EQ(com.otherTags, (std::vector<std::uint32_t>{0x77, 0x77, 0x5F1F}));
  EXPECT_EQ(com.ldsVersion, "");
  EXPECT_THROW(encodeCom("0107", {0}), Error);
  EXPECT_THROW(encodeCom("1.7", {1}), Error);
  EXPECT_THROW(encodeCom("0107", {1}, "4.0"), Error);
}

TEST(EfCom, NegativeCases) {
  struct Case {
    const char* hex;
    const char* message;
  };
  const Case cases[] = {
      {"", "EF.COM: malformed TLV: no data object at offset 0"},
      {"6114", "EF.COM: malformed TLV: tag 61 claims 20 bytes, only 0 remain"},
      {"61035C0161", "EF.COM: expected tag 60, found 61"},
      {"60045F010130", "EF.COM: no tag list (5C)"},
      {"60045C03617561", "EF.COM: malformed TLV: tag 5C claims 3 bytes, only 2 remain"},
      {"60045C0361", "EF.COM: malformed TLV: tag 60 claims 4 bytes, only 3 remain"},
      {"60035C015F", "EF.COM: tag list (5C) ends inside a tag"},
      {"6080", "EF.COM: malformed TLV: indefinite length in tag 60 (not allowed in the LDS)"},
  };
  for (const Case& c : cases) {
    auto e = errorOf([&] { parseCom(fromHex(c.hex)); });
    ASSERT_TRUE(e) << c.hex;
    EXPECT_EQ(e->area(), ErrorArea::Lds) << c.hex;
    EXPECT_EQ(e->step(), "EF.COM");
    EXPECT_STREQ(e->what(), c.message);
  }
}

TEST(Dg1, IcaoTd2Example) {
  LOAD_EXAMPLE(file, "DG1.bin");
  Mrz mrz = parseDg1(file);
  ASSERT_TRUE(mrz.valid()) << (mrz.errors.empty() ? "" : mrz.errors[0]);
  EXPECT_EQ(mrz.format, MrzFormat::TD2);
  EXPECT_EQ(mrz.documentNumber, "D23145890");
  EXPECT_EQ(mrz.primaryIdentifier, "ERIKSSON");
  EXPECT_EQ(mrz.secondaryIdentifier, "ANNA MARIA");
  EXPECT_EQ(mrz.dateOfBirth, "740812");
  EXPECT_EQ(encodeDg1(mrz.lines), file);
}

TEST(Dg1, RoundTripsEveryLayout) {
  const std::string td3 =
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
  const std::string td1 =
      "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
  for (const std::string& text : {td3, td1}) {
    Bytes dg1 = encodeDg1(text);
    Mrz back = parseDg1(dg1);
    EXPECT_TRUE(back.valid());
    EXPECT_EQ(back.lines, parseMrz(text).lines);
  }
  EXPECT_EQ(toHex(encodeDg1(td3)).substr(0, 10), "615B5F1F58");
  // Check digits are not the encoder's business (fault injection), the layout is.
  std::string wrong = td3;
  wrong[wrong.size() - 1] = '1';
  EXPECT_FALSE(parseDg1(encodeDg1(wrong)).valid());
  EXPECT_THROW(encodeDg1(td3.substr(0, 60)), Error);
}

TEST(Dg1, NegativeCases) {
  struct Case {
    Bytes file;
    const char* message;
  };
  const Case cases[] = {
      {fromHex("6103"), "DG1: malformed TLV: tag 61 claims 3 bytes, only 0 remain"},
      {fromHex("6B03020100"), "DG1: expected tag 61, found 6B"},
      {fromHex("6103020100"), "DG1: no MRZ data object (5F1F)"},
      {fromHex("61055F1F024142"),
       "DG1: MRZ of 2 characters; expected 90 (TD1), 72 (TD2, MRV-B) or 88 (TD3, MRV-A)"},
      {fromHex("61045F1F0541"), "DG1: malformed TLV: tag 5F1F claims 5 bytes, only 1 remain"},
  };
  for (const Case& c : cases) {
    auto e = errorOf([&] { parseDg1(c.file); });
    ASSERT_TRUE(e) << c.message;
    EXPECT_EQ(e->area(), ErrorArea::Lds);
    EXPECT_STREQ(e->what(), c.message);
  }
  // The right length with garbage inside is a readable, invalid MRZ: not an exception.
  Bytes garbage = fromHex("614B5F1F48");
  for (int i = 0; i < 72; ++i) garbage.push_back(static_cast<std::uint8_t>(i % 3 == 0 ? 0 : 'a' + i % 26));
  Mrz m = parseDg1(garbage);
  EXPECT_EQ(m.format, MrzFormat::TD2);
  EXPECT_FALSE(m.valid());
}

TEST(Dg11, IcaoExample) {
  LOAD_EXAMPLE(file, "DG11.bin");
  Dg11 d = parseDg11(file);
  EXPECT_EQ(d.tagList, (std::vector<std::uint32_t>{0x5F0E, 0x5F11, 0x5F42, 0x5F12, 0x5F13}));
  EXPECT_EQ(d.fullName, "SMITH<<JOHN<J");
  EXPECT_EQ(d.placeOfBirth, "ANYTOWN<MN");
  EXPECT_EQ(d.address, "123 MAPLE RD<ANYTOWN<MN");
  EXPECT_EQ(d.telephone, "16125551212");
  EXPECT_EQ(d.profession, "TRAVEL<AGENT");
  EXPECT_FALSE(d.personalNumber);
  EXPECT_TRUE(d.otherNames.empty());
  EXPECT_TRUE(d.otherObjects.empty());
  EXPECT_TRUE(d.deviations.empty()) << d.deviations[0];
  EXPECT_EQ(encodeDg11(d), file);
}

TEST(Dg11, FullRoundTrip) {
  Dg11 d;
  d.fullName = "ERIKSSON<<ANNA<MARIA";
  d.otherNames = {"ERIKSSON<<ANNA", "SVENSSON<<ANNA<MARIA"};
  d.personalNumber = "123456789";
  d.fullDateOfBirth = "19740812";
  d.placeOfBirth = "ZENITH<UTOPIA";
  d.address = "1 MAIN ST<ZENITH";
  d.telephone = "+1 555 0100";
  d.profession = "ENGINEER";
  d.title = "DR";
  d.personalSummary = "SUMMARY";
  d.proofOfCitizenship = Bytes{0xFF, 0xD8, 0xFF, 0xD9};
  d.otherValidTdNumbers = "X1234567<Y7654321";
  d.custodyInformation = "NONE";
  d.otherObjects = {{0x5F7F, {0x01, 0x02}}};
  const Bytes enc = encodeDg11(d);
  Dg11 back = parseDg11(enc);
  EXPECT_TRUE(back.deviations.empty()) << back.deviations[0];
  EXPECT_EQ(back.tagList,
            (std::vector<std::uint32_t>{0x5F0E, 0xA0, 0x5F10, 0x5F2B, 0x5F11, 0x5F42, 0x5F12, 0x5F13, 0x5F14,
                                        0x5F15, 0x5F16, 0x5F17, 0x5F18, 0x5F7F}));
  EXPECT_EQ(back.fullName, d.fullName);
  EXPECT_EQ(back.otherNames, d.otherNames);
  EXPECT_EQ(back.personalNumber, d.personalNumber);
  EXPECT_EQ(back.fullDateOfBirth, d.fullDateOfBirth);
  EXPECT_EQ(back.placeOfBirth, d.placeOfBirth);
  EXPECT_EQ(back.address, d.address);
  EXPECT_EQ(back.telephone, d.telephone);
  EXPECT_EQ(back.profession, d.profession);
  EXPECT_EQ(back.title, d.title);
  EXPECT_EQ(back.personalSummary, d.personalSummary);
  EXPECT_EQ(back.proofOfCitizenship, d.proofOfCitizenship);
  EXPECT_EQ(back.otherValidTdNumbers, d.otherValidTdNumbers);
  EXPECT_EQ(back.custodyInformation, d.custodyInformation);
  EXPECT_EQ(back.otherObjects, d.otherObjects);
  EXPECT_EQ(encodeDg11(back), enc);
  // An empty DG11 is a tag list with nothing in it.
  EXPECT_EQ(toHex(encodeDg11(Dg11{})), "6B025C00");
}

TEST(Dg11, ToleratedDeviationsAreNamed) {
  struct Case {
    const char* hex;
    const char* deviation;
  };
  const Case cases[] = {
      {"6B0A5F0E0141"
       "5F0E0142"
       "5C00",
       "5F0E appears more than once; the first is kept"},
      {"6B045F0E0141", "no tag list (5C)"},
      {"6B085C025F105F0E0141", "tag list names 5F10, which is absent"},
      {"6B085C025F0E5F100131", "5F10 is present but not in the tag list"},
      {"6B0C5C01A0A0070201025F0F0141", "A0: count says 2, found 1"},
      {"6B095C01A0A0045F0F0141", "A0: no count (02)"},
      {"6B0B5C025F2B5F2B0419740812", "5F2B: date in BCD, read as 19740812"},
      {"6B095C025F2B5F2B023132", "5F2B: not a date of 8 digits; kept as read"},
  };
  for (const Case& c : cases) {
    Dg11 d = parseDg11(fromHex(c.hex));
    EXPECT_TRUE(contains(d.deviations, c.deviation))
        << c.hex << ": " << (d.deviations.empty() ? "none" : d.deviations[0]);
  }
  Dg11 first = parseDg11(fromHex("6B0A5F0E01415F0E01425C00"));
  EXPECT_EQ(first.fullName, "A");
  Dg11 bcd = parseDg11(fromHex("6B0B5C025F2B5F2B0419740812"));
  EXPECT_EQ(bcd.fullDateOfBirth, "19740812");
  // The tag list may name 5F0F for the A0 template (some issuers do).
  Dg11 named = parseDg11(fromHex("6B0F5C025F0FA0090201015F0F03414243"));
  EXPECT_TRUE(named.deviations.empty()) << named.deviations[0];
  EXPECT_EQ(named.otherNames, (std::vector<std::string>{"ABC"}));
}

TEST(Dg11, NegativeCases) {
  struct Case {
    const char* hex;
    const char* message;
  };
  const Case cases[] = {
      {"6C025C00", "DG11: expected tag 6B, found 6C"},
      {"6B05", "DG11: malformed TLV: tag 6B claims 5 bytes, only 0 remain"},
      {"6B035C0A5F", "DG11: malformed TLV: tag 5C claims 10 bytes, only 1 remain"},
      {"6B035C015F", "DG11: tag list (5C) ends inside a tag"},
      {"6B07A005020102FFFF", "DG11: malformed TLV: tag truncated at offset 3"},
      {"6B04A0025F0F", "DG11: malformed TLV: length of tag 5F0F truncated"},
  };
  for (const Case& c : cases) {
    auto e = errorOf([&] { parseDg11(fromHex(c.hex)); });
    ASSERT_TRUE(e) << c.hex;
    EXPECT_EQ(e->area(), ErrorArea::Lds);
    EXPECT_EQ(e->step(), "DG11");
    EXPECT_STREQ(e->what(), c.message) << c.hex;
  }
}

TEST(Dg12, IcaoExample) {
  LOAD_EXAMPLE(file, "DG12.bin");
  Dg12 d = parseDg12(file);
  EXPECT_EQ(d.tagList, (std::vector<std::uint32_t>{0x5F55, 0x5F56}));
  EXPECT_EQ(d.personalisationTime, "20161115013612");
  EXPECT_EQ(d.personalisationDeviceSerial, "N-4962");
  EXPECT_FALSE(d.issuingAuthority);
  EXPECT_TRUE(d.deviations.empty()) << d.deviations[0];
  EXPECT_EQ(encodeDg12(d), file);
}

TEST(Dg12, FullRoundTripAndDeviations) {
  Dg12 d;
  d.issuingAuthority = "UTOPIA PASSPORT OFFICE";
  d.dateOfIssue = "20120415";
  d.otherPersons = {"ERIKSSON<<LARS", "ERIKSSON<<SVEN"};
  d.endorsements = "NONE";
  d.taxExitRequirements = "PAID";
  d.imageOfFront = Bytes{1, 2, 3};
  d.imageOfRear = Bytes{4, 5};
  d.personalisationTime = "20120415103000";
  d.personalisationDeviceSerial = "DEV-1";
  const Bytes enc = encodeDg12(d);
  Dg12 back = parseDg12(enc);
  EXPECT_TRUE(back.deviations.empty()) << back.deviations[0];
  EXPECT_EQ(back.issuingAuthority, d.issuingAuthority);
  EXPECT_EQ(back.dateOfIssue, d.dateOfIssue);
  EXPECT_EQ(back.otherPersons, d.otherPersons);
  EXPECT_EQ(back.endorsements, d.endorsements);
  EXPECT_EQ(back.taxExitRequirements, d.taxExitRequirements);
  EXPECT_EQ(back.imageOfFront, d.imageOfFront);
  EXPECT_EQ(back.imageOfRear, d.imageOfRear);
  EXPECT_EQ(back.personalisationTime, d.personalisationTime);
  EXPECT_EQ(back.personalisationDeviceSerial, d.personalisationDeviceSerial);
  EXPECT_EQ(encodeDg12(back), enc);

  // 5F26 and 5F55 in BCD (4 and 7 bytes), as some documents store them.
  Dg12 bcd =
      parseDg12(fromHex("6C175C045F265F555F260420120415"
                        "5F550720120415103000"));
  EXPECT_EQ(bcd.dateOfIssue, "20120415");
  EXPECT_EQ(bcd.personalisationTime, "20120415103000");
  EXPECT_TRUE(contains(bcd.deviations, "5F55: date in BCD, read as 20120415103000"));
  Dg12 unknown = parseDg12(fromHex("6C075C025F7F5F7F00"));
  ASSERT_EQ(unknown.otherObjects.size(), 1u);
  EXPECT_EQ(unknown.otherObjects[0].tag, 0x5F7Fu);
}

TEST(Dg12, NegativeCases) {
  struct Case {
    const char* hex;
    const char* message;
  };
  const Case cases[] = {
      {"6B025C00", "DG12: expected tag 6C, found 6B"},
      {"6C", "DG12: malformed TLV: length of tag 6C truncated"},
      {"6C045C025F", "DG12: malformed TLV: tag 6C claims 4 bytes, only 3 remain"},
      {"6C035C015F", "DG12: tag list (5C) ends inside a tag"},
      {"6C04A0025F1A", "DG12: malformed TLV: length of tag 5F1A truncated"},
  };
  for (const Case& c : cases) {
    auto e = errorOf([&] { parseDg12(fromHex(c.hex)); });
    ASSERT_TRUE(e) << c.hex;
    EXPECT_EQ(e->area(), ErrorArea::Lds);
    EXPECT_EQ(e->step(), "DG12");
    EXPECT_STREQ(e->what(), c.message) << c.hex;
  }
}
