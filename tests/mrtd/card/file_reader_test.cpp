// Reading files through SimChannel: chunk sizes, B1 past offset 32767, and every misbehaviour of a
// chip the reader must handle or refuse with a clear error (QUIRKS.md "Read sizes").
#include <gtest/gtest.h>

#include "mrtd/card/chip_fixtures.hpp"
#include "portti/mrtd/card/file_reader.hpp"
#include "portti/mrtd/card/lds_files.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/error.hpp"

using namespace portti::mrtd;

namespace {
void selectApplication(ApduChannel& channel) {
  ASSERT_EQ(channel.transmit(CommandApdu{0x00, 0xA4, 0x04, 0x0C, fromHex("A0000002471001"), 0}).sw, 0x9000);
}

std::size_t ceilDiv(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

/// Runs `f` and returns the Error it throws (fails the test when it does not throw one).
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

const LdsFile& dg(int n) { return *dataGroupFile(n); }
}  // namespace

TEST(FileReader, ReadsA20KbFileWithShortReads) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  CountingChannel wire(channel);
  FileReader reader(wire, ReadBudget{wire.limits(), {}}, &wire);
  EXPECT_EQ(reader.chunkLimit(), 256u);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  // SELECT, the 4-byte header, then 20000 value bytes in reads of 256.
  EXPECT_EQ(r.stats.apdus, 1 + 1 + ceilDiv(20000, 256));
  EXPECT_EQ(r.stats.apdus, wire.counters().apdus);
  EXPECT_EQ(r.stats.bytesReceived, 20004 + 2 * r.stats.apdus);
  EXPECT_GE(r.stats.milliseconds, 0.0);
}

TEST(FileReader, ReadsA20KbFileWithExtendedLength) {
  ChipImage image = fixtures::syntheticChip();
  image.config.set("extended_length", "yes");
  VirtualChip chip(image);
  SimChannel channel(chip);
  EXPECT_TRUE(channel.limits().extendedLength);
  selectApplication(channel);
  FileReader reader(channel);
  EXPECT_EQ(reader.chunkLimit(), 65536u);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  EXPECT_EQ(r.stats.apdus, 3u);  // SELECT, header, the rest in one extended read
}

TEST(FileReader, ExtendedLengthBoundedByTheChipsMaxResponse) {
  ChipImage image = fixtures::syntheticChip();
  image.config.set("extended_length", "yes");
  image.config.set("max_response", "4096");
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  EXPECT_EQ(r.stats.apdus, 2 + ceilDiv(20000, 4096));
}

TEST(FileReader, ChipWithA231ByteBuffer) {
  ChipImage image = fixtures::syntheticChip();
  image.config.set("max_response", "231");
  VirtualChip chip(image);
  SimChannel channel(chip);
  EXPECT_EQ(channel.limits().maxResponseBytes, 233u);
  selectApplication(channel);
  FileReader reader(channel);
  EXPECT_EQ(reader.chunkLimit(), 231u);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  EXPECT_EQ(r.stats.apdus, 2 + ceilDiv(20000, 231));
}

TEST(FileReader, OffsetsPast32767UseOddReadBinary) {
  ChipImage image = fixtures::syntheticChip();
  image.files["DG2"] = fixtures::syntheticFile(0x75, 40000);  // 40004 bytes
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  // B0 reads of 256 from offset 4 until the offset passes 32767 (4 + 128 * 256 = 32772), then B1
  // reads whose DO'53' (53 81 FD) leaves 253 data bytes in 256.
  const std::size_t b0 = 128, b1 = ceilDiv(40004 - 32772, 253);
  EXPECT_EQ(r.stats.apdus, 1 + 1 + b0 + b1);
}

TEST(FileReader, OddReadBinaryWithExtendedLength) {
  ChipImage image = fixtures::syntheticChip();
  image.files["DG2"] = fixtures::syntheticFile(0x75, 70000);
  image.config.set("extended_length", "yes");
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  // 75 83 011170: the 4-byte probe misses a length byte, so SELECT, probe, the header's end,
  // one B0 of 65536 from offset 8, one B1 for the last 4461 bytes.
  EXPECT_EQ(r.stats.apdus, 5u);
}

TEST(FileReader, TinyFileEndsBeforeTheHeaderProbe) {
  ChipImage image = fixtures::syntheticChip();
  image.files["DG11"] = fromHex("6B00");
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  EXPECT_EQ(toHex(reader.read(dg(11)).bytes), "6B00");
}

TEST(FileReader, LongLengthFieldNeedsASecondHeaderRead) {
  ChipImage image = fixtures::syntheticChip();
  image.files["DG2"] = fixtures::syntheticFile(0x75, 70000);  // 75 83 011170: 5 header bytes
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  EXPECT_EQ(reader.read(dg(2)).bytes, image.files["DG2"]);
}

TEST(FileReader, LongerAnswerThanAskedIsRefused) {
  VirtualChip chip(fixtures::syntheticChip());
  chip.misbehaviourForTesting().answerLongerThanAsked = true;
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const Error e = errorOf([&] { reader.read(dg(1)); });
  EXPECT_EQ(e.area(), ErrorArea::File);
  EXPECT_EQ(e.step(), "READ BINARY DG1");
  EXPECT_EQ(e.detail(), "chip returned 5 bytes, asked for 4");
}

TEST(FileReader, Le00RefusedWith6700StepsDownAndRemembers) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  chip.misbehaviourForTesting().refuseLe00With = 0x6700;
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const FileReader::Result first = reader.read(dg(2));
  EXPECT_EQ(first.bytes, image.files["DG2"]);
  EXPECT_EQ(reader.chunkLimit(), 224u);
  EXPECT_EQ(first.stats.apdus, 1 + 1 + 1 + ceilDiv(20000, 224));  // one refused read
  const FileReader::Result second = reader.read(*findLdsFile("EF.SOD"));  // no second refusal
  EXPECT_EQ(second.bytes, image.files["EF.SOD"]);
  EXPECT_EQ(second.stats.apdus, 1 + 1 + ceilDiv(1500 + 4 - 4, 224));
}

TEST(FileReader, Le00RefusedWith6B00StepsDown) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  chip.misbehaviourForTesting().refuseLe00With = 0x6B00;
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  EXPECT_EQ(reader.read(dg(2)).bytes, image.files["DG2"]);
  EXPECT_EQ(reader.chunkLimit(), 224u);
}

TEST(FileReader, ChipFailingAbove160Bytes) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  chip.misbehaviourForTesting().capReadAt = 160;
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  EXPECT_EQ(reader.chunkLimit(), 160u);
  EXPECT_EQ(r.stats.apdus, 1 + 1 + 2 + ceilDiv(20000, 160));  // 256 and 224 refused once
}

TEST(FileReader, ChipRefusingEverySize) {
  VirtualChip chip(fixtures::syntheticChip());
  chip.misbehaviourForTesting().capReadAt = 3;
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const Error e = errorOf([&] { reader.read(dg(2)); });
  EXPECT_EQ(e.step(), "READ BINARY DG2");
  EXPECT_NE(e.detail().find("refused every read size"), std::string::npos) << e.what();
}

TEST(FileReader, WrongLeAnswerIsRetriedWithTheExactLength) {
  ChipImage image = fixtures::syntheticChip();
  VirtualChip chip(image);
  chip.misbehaviourForTesting().answer6CAtEnd = true;
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const FileReader::Result r = reader.read(dg(2));
  EXPECT_EQ(r.bytes, image.files["DG2"]);
  EXPECT_EQ(r.stats.apdus, 1 + 1 + ceilDiv(20000, 256));  // the exact-length tail needs no retry
  image.files["DG11"] = fromHex("6B03010203");             // 5 bytes: the 8-byte probe hits the end
  VirtualChip chip2(image);
  chip2.misbehaviourForTesting().answer6CAtEnd = true;
  SimChannel channel2(chip2);
  selectApplication(channel2);
  FileReader reader2(channel2);
  reader2.setHeaderProbe(8);
  const FileReader::Result small = reader2.read(dg(11));
  EXPECT_EQ(toHex(small.bytes), "6B03010203");
  EXPECT_EQ(small.stats.apdus, 3u);  // SELECT, 6C05, the retry
}

TEST(FileReader, MissingAndProtectedFiles) {
  VirtualChip chip(fixtures::syntheticChip());
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  Error e = errorOf([&] { reader.read(dg(5)); });
  EXPECT_EQ(e.area(), ErrorArea::File);
  EXPECT_EQ(e.step(), "SELECT DG5");
  EXPECT_EQ(e.detail(), "file not found");
  e = errorOf([&] { reader.read(dg(3)); });
  EXPECT_EQ(e.area(), ErrorArea::Access);
  EXPECT_EQ(e.step(), "SELECT DG3");
  EXPECT_EQ(e.detail(), "access denied (EAC required?)");
  EXPECT_EQ(reader.selectStatus(dg(4)), 0x6A82);
}

TEST(FileReader, FileShorterThanItsLengthField) {
  ChipImage image = fixtures::syntheticChip();
  Bytes dg11 = image.files["DG11"];
  dg11.resize(dg11.size() - 10);  // says 120 value bytes, has 110
  image.files["DG11"] = dg11;
  VirtualChip chip(image);
  SimChannel channel(chip);
  selectApplication(channel);
  FileReader reader(channel);
  const Error e = errorOf([&] { reader.read(dg(11)); });
  EXPECT_EQ(e.step(), "READ BINARY DG11");
  EXPECT_EQ(e.detail(), "file ends after 112 bytes but its length field says 122");
}

TEST(FileReader, MalformedHeadersAreRefused) {
  for (const char* bad : {"7580", "758501020304050000", "5FFFFF0100"}) {
    ChipImage image = fixtures::syntheticChip();
    image.files["DG2"] = fromHex(bad);
    VirtualChip chip(image);
    SimChannel channel(chip);
    selectApplication(channel);
    FileReader reader(channel);
    const Error e = errorOf([&] { reader.read(dg(2)); });
    EXPECT_EQ(e.area(), ErrorArea::File) << bad;
  }
}

TEST(ReadBudget, LargestReadUnderSecureMessagingOverhead) {
  // 3DES SM around n plain bytes: DO'87' (tag, length, 01, n padded to 8), DO'99' (4), DO'8E' (10).
  auto overhead = [](std::size_t n) {
    const std::size_t body = 1 + (n / 8 + 1) * 8;
    return (1 + (body < 128 ? 1 : body < 256 ? 2 : 3) + body - n) + 4 + 10;
  };
  ReadBudget shortLink{ChannelLimits{261, 258, false}, overhead};
  EXPECT_EQ(shortLink.largestRead(false), 231u);  // 231 -> 87 81 E9 01 + 232 + 99 + 8E = 250 <= 256
  EXPECT_EQ(shortLink.largestRead(true), 231u);   // the link has no extended length
  ReadBudget pn532{ChannelLimits{261, 233, false}, overhead};
  EXPECT_EQ(pn532.largestRead(false), 207u);
  ReadBudget extended{ChannelLimits{65544, 65538, true}, overhead};
  EXPECT_EQ(extended.largestRead(true) + overhead(extended.largestRead(true)) <= 65536, true);
  EXPECT_GT(extended.largestRead(true) + 8 + overhead(extended.largestRead(true) + 8), 65536u);
  ReadBudget plain{ChannelLimits{261, 258, false}, {}};
  EXPECT_EQ(plain.largestRead(false), 256u);
}

TEST(SimChannel, OpensSimReaderStrings) {
  const auto dir = fixtures::freshTempDir("sim-open");
  ChipImage image = fixtures::syntheticChip();
  image.config.set("max_response", "200");
  writeChipFolder(image, dir);
  auto channel = SimChannel::open("sim:" + dir.string());
  EXPECT_EQ(channel->name(), "sim:" + dir.string());
  EXPECT_EQ(channel->limits().maxResponseBytes, 202u);
  EXPECT_FALSE(channel->limits().extendedLength);
  selectApplication(*channel);
  FileReader reader(*channel);
  EXPECT_EQ(reader.read(dg(2)).bytes, image.files["DG2"]);
  EXPECT_THROW(SimChannel::open("pcsc:0"), Error);
  EXPECT_THROW(SimChannel::open("sim:"), Error);
  EXPECT_THROW(SimChannel::open("sim:/nonexistent/portti"), Error);
  // A command longer than the link carries is a transport error, not a chip answer (transmit()
  // would send it as a command chain).
  EXPECT_THROW(channel->transmitRaw(CommandApdu{0x00, 0xD6, 0x00, 0x00, Bytes(300, 0), 0}.encode()), Error);
  std::filesystem::remove_all(dir);
}

TEST(FileReader, ReadsTheIcaoPart10ExamplesThroughAChipFolder) {
  const std::filesystem::path examples = "../shared/emrtd/icao9303-p10-examples";
  if (!std::filesystem::exists(examples)) GTEST_SKIP() << "../shared not found: " << examples;
  const auto dir = fixtures::freshTempDir("p10");
  for (const char* name : {"EF.COM", "DG1.bin", "DG2.bin", "DG11.bin", "DG12.bin", "DG16.bin"})
    std::filesystem::copy_file(examples / name, dir / name);  // a temp folder, not the project
  ChipImage conf;
  writeChipFolder(conf, dir);  // chip.conf only
  const ChipImage loaded = loadChipFolder(dir);
  auto channel = SimChannel::open("sim:" + dir.string());
  selectApplication(*channel);
  FileReader reader(*channel);
  for (const char* name : {"EF.COM", "DG1", "DG2", "DG11", "DG12", "DG16"}) {
    ASSERT_TRUE(loaded.files.count(name)) << name;
    EXPECT_EQ(reader.read(*findLdsFile(name)).bytes, loaded.files.at(name)) << name;
  }
  std::filesystem::remove_all(dir);
}
