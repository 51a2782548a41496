// Reading a whole document with BAC and secure messaging from the virtual chip.
#include <gtest/gtest.h>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/sm/crypto.hpp"

using namespace portti::mrtd;

namespace {
const std::string kMrz = "L898902C<369080619406236";
const SecretBytes kSeed(fromHex("239AB9CB282DAF66231DC5A4DF6BFBAE"));  // Doc 9303-11 D.2

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

const SkippedFile* skipped(const DocumentRead& r, const std::string& name) {
  for (const auto& s : r.notRead)
    if (s.name == name) return &s;
  return nullptr;
}

void expectAllRead(const DocumentRead& r, ChipImage& image, std::size_t files) {
  EXPECT_EQ(r.accessMethod, "BAC");
  EXPECT_EQ(r.files.size(), files);
  for (const auto& f : r.files) EXPECT_EQ(f.bytes, image.files[f.name]) << f.name;
}
}  // namespace

TEST(DocumentReaderBac, ReadsEveryWantedFile) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  VirtualChip chip(image);
  SimChannel channel(chip);
  DocumentReadOptions options;
  options.dataGroups = {1, 2, 3, 11, 14, 15};
  const DocumentRead r = readDocument(channel, kSeed, options);
  expectAllRead(r, image, 7);  // CardAccess, COM, SOD, DG1, DG2, DG11, DG14
  EXPECT_TRUE(chip.secured());
  EXPECT_EQ(skipped(r, "DG3")->reason, "not read: EAC required");
  EXPECT_EQ(skipped(r, "DG15")->reason, "not listed in EF.COM");
  // 3DES SM on a short link: 231 plain bytes per read.
  EXPECT_EQ(r.find("DG2")->stats.apdus, 2 + (20000 + 230) / 231);
  std::size_t fileApdus = 0;
  for (const auto& f : r.files) fileApdus += f.stats.apdus;
  // + SELECT application, GET CHALLENGE, MUTUAL AUTHENTICATE, the refused SELECT of DG3
  EXPECT_EQ(r.totals.apdus, fileApdus + 4);
  EXPECT_GT(r.find("DG2")->stats.bytesReceived, 20004u);  // on the wire, SM included
}

TEST(DocumentReaderBac, ExtendedLengthUnderSecureMessaging) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.files["DG2"] = fixtures::syntheticFile(0x75, 40000);
  image.config.set("extended_length", "yes");
  VirtualChip chip(image);
  SimChannel channel(chip);
  const DocumentRead r = readDocument(channel, kSeed);
  expectAllRead(r, image, 7);
  EXPECT_EQ(r.find("DG2")->stats.apdus, 3u);  // SELECT, header, one extended read
}

TEST(DocumentReaderBac, OddReadBinaryUnderSecureMessaging) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.files["DG2"] = fixtures::syntheticFile(0x75, 40000);
  VirtualChip chip(image);
  SimChannel channel(chip);
  const DocumentRead r = readDocument(channel, kSeed);
  expectAllRead(r, image, 7);
}

TEST(DocumentReaderBac, KeyFromTheChipsMrzInformation) {
  // The chip derives K_seed from chip.conf's mrz_information as the reader does (9303-11 9.7.2).
  const std::string mrz = "D23145890734060211203315";
  const Bytes digest = crypto::sha1(ByteView(reinterpret_cast<const std::uint8_t*>(mrz.data()), mrz.size()));
  ChipImage image = fixtures::syntheticChip(mrz);
  VirtualChip chip(image);
  SimChannel channel(chip);
  expectAllRead(readDocument(channel, SecretBytes(ByteView(digest).first(16))), image, 7);
}

TEST(DocumentReaderBac, WrongMrzIsAccessDenied) {
  VirtualChip chip(fixtures::syntheticChip(kMrz));
  SimChannel channel(chip);
  const Error e = errorOf([&] { readDocument(channel, SecretBytes(fromHex("00112233445566778899AABBCCDDEEFF"))); });
  EXPECT_EQ(e.area(), ErrorArea::Access);
  EXPECT_EQ(e.step(), "MUTUAL AUTHENTICATE");
  EXPECT_EQ(e.detail(), "access denied: check the MRZ");
}

TEST(DocumentReaderBac, ResponseMacErrorEndsTheRead) {
  VirtualChip chip(fixtures::syntheticChip(kMrz));
  chip.misbehaviourForTesting().corruptResponseMac = true;
  SimChannel channel(chip);
  const Error e = errorOf([&] { readDocument(channel, kSeed); });
  EXPECT_EQ(e.area(), ErrorArea::SecureMessaging);
  EXPECT_EQ(e.step(), "reading EF.COM");
  EXPECT_NE(e.detail().find("MAC is wrong"), std::string::npos) << e.what();
}

TEST(DocumentReaderBac, Le00RefusedUnderSecureMessaging) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.config.set("extended_length", "yes");
  image.config.set("max_response", "256");
  VirtualChip chip(image);
  chip.misbehaviourForTesting().refuseLe00With = 0x6B00;
  SimChannel channel(chip);
  const DocumentRead r = readDocument(channel, kSeed);
  expectAllRead(r, image, 7);
}

TEST(DocumentReaderBac, ChipThatDropsSecureMessagingOnErrors) {
  // Fails above 160 bytes and leaves SM with a bare 6700: the reader runs BAC again, steps down
  // and goes on; the refused DG3 (bare 6982) is "not read: EAC required" and a new session follows.
  ChipImage image = fixtures::syntheticChip(kMrz);
  VirtualChip chip(image);
  chip.misbehaviourForTesting().capReadAt = 160;
  chip.misbehaviourForTesting().dropSessionOnError = true;
  SimChannel channel(chip);
  DocumentReadOptions options;
  options.dataGroups = {1, 2, 3, 11, 14};
  const DocumentRead r = readDocument(channel, kSeed, options);
  expectAllRead(r, image, 7);
  EXPECT_EQ(skipped(r, "DG3")->reason, "not read: EAC required");
  EXPECT_EQ(r.find("DG2")->stats.apdus, 2 + (20000 + 159) / 160);  // after the step-down
}

TEST(DocumentReaderBac, MissingDataGroupWhenTheChipDropsSecureMessaging) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.files.erase("DG14");
  VirtualChip chip(image);
  chip.misbehaviourForTesting().dropSessionOnError = true;
  SimChannel channel(chip);
  const Error e = errorOf([&] { readDocument(channel, kSeed); });
  EXPECT_EQ(e.area(), ErrorArea::File);
  EXPECT_EQ(e.step(), "SELECT DG14");
  EXPECT_EQ(e.detail(), "file not found");
}

TEST(DocumentReaderBac, ThroughAChipFolder) {
  const auto dir = fixtures::freshTempDir("doc-bac");
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.config.set("can", "123456");  // unknown to the chip: kept, ignored
  writeChipFolder(image, dir);
  auto channel = SimChannel::open("sim:" + dir.string());
  expectAllRead(readDocument(*channel, kSeed), image, 7);
  std::filesystem::remove_all(dir);
}

TEST(DocumentReaderBac, LongerAnswerThanAskedUnderSecureMessaging) {
  VirtualChip chip(fixtures::syntheticChip(kMrz));
  chip.misbehaviourForTesting().answerLongerThanAsked = true;
  SimChannel channel(chip);
  DocumentReadOptions options;
  options.readCardAccess = false;  // plain; the point here is the read under SM
  const Error e = errorOf([&] { readDocument(channel, kSeed, options); });
  EXPECT_EQ(e.area(), ErrorArea::File);
  EXPECT_EQ(e.step(), "READ BINARY EF.COM");
  EXPECT_EQ(e.detail(), "chip returned 5 bytes, asked for 4");
}

TEST(DocumentReaderBac, WrongLeAnswersUnderSecureMessaging) {
  ChipImage image = fixtures::syntheticChip(kMrz);
  image.files["DG11"] = fromHex("6B0101");  // shorter than the 4-byte header probe: 6C03, then Le=03
  VirtualChip chip(image);
  chip.misbehaviourForTesting().answer6CAtEnd = true;
  SimChannel channel(chip);
  const DocumentRead r = readDocument(channel, kSeed);
  expectAllRead(r, image, 7);
  EXPECT_EQ(r.find("DG11")->stats.apdus, 3u);  // SELECT, 6C03, the retry
}
