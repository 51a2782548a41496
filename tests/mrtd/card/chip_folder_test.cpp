#include <gtest/gtest.h>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/error.hpp"

using namespace portti::mrtd;

TEST(ChipConfig, ParsesKeysAndKeepsUnknownOnes) {
  const ChipConfig c = ChipConfig::parse(
      "# a chip\n"
      "mrz_information = L898902C<369080619406236\r\n"
      "\n"
      "can=123456\n"
      "max_response=231\n");
  EXPECT_EQ(c.get("mrz_information"), "L898902C<369080619406236");
  EXPECT_EQ(c.get("can"), "123456");
  EXPECT_EQ(c.get("max_response"), "231");
  EXPECT_FALSE(c.get("extended_length"));
  EXPECT_EQ(c.serialize(), "mrz_information=L898902C<369080619406236\ncan=123456\nmax_response=231\n");
}

TEST(ChipConfig, MalformedLineNamesTheLine) {
  try {
    ChipConfig::parse("max_response=231\njust words\n");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::File);
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ChipConfig::parse("=value\n"), Error);
}

TEST(ChipSettings, ReadsValuesAndRefusesBadOnes) {
  ChipSettings s = ChipSettings::fromConfig(ChipConfig::parse("extended_length=yes\n"));
  EXPECT_TRUE(s.extendedLength);
  EXPECT_EQ(s.maxResponse, 65536u);
  EXPECT_FALSE(s.mrzInformation);
  s = ChipSettings::fromConfig(ChipConfig::parse("max_response=231\neac_protected=3,4,7\n"));
  EXPECT_EQ(s.maxResponse, 231u);
  EXPECT_FALSE(s.extendedLength);
  EXPECT_EQ(s.eacProtected, (std::vector<int>{3, 4, 7}));
  for (const char* bad : {"max_response=abc\n", "max_response=300\n", "max_response=5\n", "extended_length=maybe\n",
                          "eac_protected=17\n", "mrz_information=\n"}) {
    EXPECT_THROW(ChipSettings::fromConfig(ChipConfig::parse(bad)), Error) << bad;
  }
}

TEST(ChipFolder, WritesAndLoadsTheSameChip) {
  const auto dir = fixtures::freshTempDir("chip-folder");
  ChipImage image = fixtures::syntheticChip("L898902C<369080619406236");
  image.config.set("pace_mapping", "gm");
  writeChipFolder(image, dir);
  EXPECT_TRUE(std::filesystem::exists(dir / "DG2.bin"));
  EXPECT_TRUE(std::filesystem::exists(dir / "EF.COM"));
  EXPECT_TRUE(std::filesystem::exists(dir / "EF.CardAccess"));
  const ChipImage back = loadChipFolder(dir);
  EXPECT_EQ(back.files, image.files);
  EXPECT_EQ(back.config.entries(), image.config.entries());
  std::filesystem::remove_all(dir);
}

TEST(ChipFolder, MissingFolderOrConfIsAnError) {
  EXPECT_THROW(loadChipFolder("/nonexistent/portti/chip"), Error);
  const auto dir = fixtures::freshTempDir("no-conf");
  try {
    loadChipFolder(dir);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("chip.conf"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
