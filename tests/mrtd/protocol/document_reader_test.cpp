// Reading a whole document from a virtual chip through SimChannel.
#include <gtest/gtest.h>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;

namespace {
template <typename F>
Error errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no Error thrown";
  return Error(ErrorArea::Apdu, "", "none");
}

std::vector<std::string> names(const DocumentRead& r) {
  std::vector<std::string> out;
  for (const auto& f : r.files) out.push_back(f.name);
  return out;
}

const SkippedFile* skipped(const DocumentRead& r, const std::string& name) {
  for (const auto& s : r.notRead)
    if (s.name == name) return &s;
  return nullptr;
}
}  // namespace

TEST(EfComList, ListsDataGroups) {
  // Doc 9303-11 D.4: EF.COM of the worked example lists DG1 and DG2.
  EXPECT_EQ(dataGroupsListedInCom(fromHex("60145F0104303130365F36063034303030305C026175")), (std::vector<int>{1, 2}));
  EXPECT_EQ(dataGroupsListedInCom(fixtures::efCom(fromHex("617563766566676869706B6C6D6E6F70"))),
            (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 11, 12, 13, 14, 15, 16}));
  for (const char* bad : {"", "6100", "60035F0100", "60025C01", "60035C0177", "6003"}) {
    EXPECT_THROW(dataGroupsListedInCom(fromHex(bad)), Error) << bad;
  }
}

TEST(DocumentReader, ReadsAChipWithoutAccessControl) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  SimChannel channel(chip);
  DocumentReadOptions options;
  options.dataGroups = {1, 2, 3, 11, 12, 14};
  const DocumentRead r = readDocument(channel, std::nullopt, options);
  EXPECT_EQ(r.accessMethod, "none");
  EXPECT_EQ(names(r), (std::vector<std::string>{"EF.CardAccess", "EF.COM", "EF.SOD", "DG1", "DG2", "DG11", "DG14"}));
  for (const auto& f : r.files) EXPECT_EQ(f.bytes, image.files[f.name]) << f.name;
  EXPECT_EQ(r.listedDataGroups, (std::vector<int>{1, 2, 3, 11, 14}));
  ASSERT_TRUE(skipped(r, "DG3"));
  EXPECT_EQ(skipped(r, "DG3")->reason, "not read: EAC required");
  ASSERT_TRUE(skipped(r, "DG12"));
  EXPECT_EQ(skipped(r, "DG12")->reason, "not listed in EF.COM");
  std::size_t apdus = 0;
  for (const auto& f : r.files) apdus += f.stats.apdus;
  // + SELECT of the application + the refused SELECT of DG3
  EXPECT_EQ(r.totals.apdus, apdus + 2);
  EXPECT_EQ(r.find("DG2")->stats.apdus, 2 + (20000 + 255) / 256);
}

TEST(DocumentReader, AbsentCardAccessAndEacGroupIsNotAFailure) {
  ChipImage image = fixtures::syntheticChip();
  image.files.erase("EF.CardAccess");
  image.files.erase("DG3");
  VirtualChip chip(image);
  SimChannel channel(chip);
  DocumentReadOptions options;
  options.dataGroups = {3, 1};
  const DocumentRead r = readDocument(channel, std::nullopt, options);
  EXPECT_EQ(names(r), (std::vector<std::string>{"EF.COM", "EF.SOD", "DG1"}));
  ASSERT_TRUE(skipped(r, "EF.CardAccess"));
  EXPECT_EQ(skipped(r, "DG3")->reason, "not read: EAC required");
}

TEST(DocumentReader, DataGroupListedButAbsentIsAnError) {
  ChipImage image = fixtures::syntheticChip();
  image.files.erase("DG11");
  VirtualChip chip(image);
  SimChannel channel(chip);
  const Error e = errorOf([&] { readDocument(channel, std::nullopt); });
  EXPECT_EQ(e.area(), ErrorArea::File);
  EXPECT_EQ(e.step(), "SELECT DG11");
  EXPECT_EQ(e.detail(), "file not found");
}

TEST(DocumentReader, MissingEfComIsAnError) {
  ChipImage image = fixtures::syntheticChip();
  image.files.erase("EF.COM");
  VirtualChip chip(image);
  SimChannel channel(chip);
  const Error e = errorOf([&] { readDocument(channel, std::nullopt); });
  EXPECT_EQ(e.step(), "SELECT EF.COM");
  EXPECT_EQ(e.detail(), "file not found");
}

TEST(DocumentReader, BacChipWithoutAKeyIsRefused) {
  VirtualChip chip(fixtures::syntheticChip("L898902C<369080619406236"));
  SimChannel channel(chip);
  const Error e = errorOf([&] { readDocument(channel, std::nullopt); });
  EXPECT_EQ(e.area(), ErrorArea::Access);
  EXPECT_EQ(e.step(), "SELECT EF.COM");
  EXPECT_NE(e.detail().find("give the MRZ"), std::string::npos) << e.what();
}
