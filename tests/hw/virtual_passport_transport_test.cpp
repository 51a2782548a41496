// The virtual passport read whole (BAC, secure messaging, EF.COM, EF.SOD, data groups) through each
// transport: in process (sim:DIR), libnfc + PN532 emulator, and pcscd + vpcd. The bytes must be the
// chip's own on every path; only the read sizes differ (Le <= 256 over libnfc).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include "mrtd/card/chip_fixtures.hpp"
#include "mrtd/card/virtual_passport_fixture.hpp"
#include "portti/hw/nfc_reader.hpp"
#include "portti/hw/open_reader.hpp"
#include "portti/hw/pcsc_reader.hpp"
#include "portti/hw/pn532/emulator.hpp"
#include "portti/hw/sim_reader.hpp"
#include "portti/hw/vpcd/pcscd_sandbox.hpp"
#include "portti/hw/vpcd/vpcd_card.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::hw;
using namespace portti::mrtd;
using namespace std::chrono_literals;

namespace {

// The virtual chip as a card callback; the emulators call it from their own thread.
struct ChipCard {
  explicit ChipCard(ChipImage image) : chip(std::move(image)) {}
  VirtualChip chip;
  std::mutex mutex;
  CardCallback callback() {
    return [this](ByteView apdu) {
      std::lock_guard lock(mutex);
      return chip.transceive(apdu);
    };
  }
};

const char* const kFiles[] = {"EF.COM", "EF.SOD", "DG1", "DG2", "DG11", "DG14"};

const char* const kMrzInformation = "L898902C<369080619406236";
// K_seed for that MRZ information (ICAO Doc 9303-11 Appendix D.2).
SecretBytes keySeed() { return SecretBytes(fromHex("239AB9CB282DAF66231DC5A4DF6BFBAE")); }

// The whole document as the reading flow gets it: SELECT, BAC, then every file under secure
// messaging in the largest chunks the link allows.
std::map<std::string, Bytes> readPassport(ApduChannel& channel) {
  DocumentRead read = readDocument(channel, keySeed());
  EXPECT_EQ(read.accessMethod, "BAC");
  std::map<std::string, Bytes> files;
  for (const auto& f : read.files) files[f.name] = f.bytes;
  return files;
}

void expectWholeDocument(const std::map<std::string, Bytes>& read, const ChipImage& image) {
  for (const char* name : kFiles) {
    auto f = read.find(name);
    ASSERT_NE(f, read.end()) << name << " not read";
    EXPECT_EQ(f->second, image.files.at(name)) << name;
  }
}

}  // namespace

TEST(SimReaderTransport, ReadsTheVirtualPassportFromAChipFolder) {
  ChipImage image = fixtures::syntheticChip(kMrzInformation);
  auto dir = fixtures::freshTempDir("hw-sim");
  struct RemoveDir {
    std::filesystem::path dir;
    ~RemoveDir() { std::filesystem::remove_all(dir); }
  } cleanup{dir};
  writeChipFolder(image, dir);
  auto reader = openReader("sim:" + dir.string());
  EXPECT_TRUE(reader->cardPresent());
  EXPECT_TRUE(reader->waitForCard(10ms));
  EXPECT_FALSE(reader->waitForRemoval(10ms));
  expectWholeDocument(readPassport(*reader), image);
  EXPECT_THROW(openReader("sim:" + (dir / "missing").string()), Error);
  try {
    openReader("usb:0");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport);
  }
}

TEST(LibnfcPn532VirtualChip, ReadsTheVirtualPassportThroughUnmodifiedLibnfc) {
  ChipImage image = fixtures::syntheticChip(kMrzInformation);
  image.config.set("extended_length", "yes");  // the chip could; the libnfc path must not ask
  ChipCard card(image);
  pn532::Emulator emulator;
  emulator.insertCard(card.callback());
  auto reader = openReader("nfc:" + emulator.connstring());
  ASSERT_TRUE(reader->waitForCard(2s));
  CountingChannel wire(*reader);
  expectWholeDocument(readPassport(wire), image);
  EXPECT_EQ(emulator.stats().unknownCommands, 0u);
  EXPECT_EQ(emulator.stats().apdus, wire.counters().apdus);
  // 20 KB of DG2 in reads of at most 256 bytes (less the SM overhead): well over 80 exchanges.
  EXPECT_GT(wire.counters().apdus, 80u);
}

TEST(LibnfcPn532VirtualChip, DhChipAuthenticationAndRsaActiveAuthenticationOverShortApdus) {
  // A DH-2048 Chip Authentication key (256-byte public keys: command chaining) and an RSA-2048
  // Active Authentication key (a protected 256-byte signature: 61xx + GET RESPONSE) on the libnfc
  // path, whose PN532 buffer takes no extended-length APDU (CLARIFICATIONS 13).
  VirtualPassportSpec spec = fixtures::specimenPassport();
  spec.chipAuthKey = "DH:dh_2048_224";
  spec.activeAuthKey = "RSA:2048";
  spec.extendedLength = true;  // the chip could; the link cannot
  const IssuedPassport passport = issueVirtualPassport(spec);
  ChipCard card(passport.chip);
  pn532::Emulator emulator;
  emulator.insertCard(card.callback());
  NfcReader reader(emulator.connstring());
  ASSERT_TRUE(reader.waitForCard(2s));
  DocumentReadOptions options;
  options.trust = &fixtures::testPkiTrust();
  const DocumentRead r =
      readDocument(reader, AccessKey::mrz(mrzInformation(parseValidMrz(fixtures::kSpecimenMrz))), options);
  EXPECT_EQ(r.chipAuth.status, AuthStatus::Passed) << r.chipAuth.reason;
  EXPECT_EQ(r.chipAuth.protocol, "CA-DH-AES128");
  EXPECT_EQ(r.activeAuth.status, AuthStatus::Passed) << r.activeAuth.reason;
  EXPECT_EQ(r.activeAuth.algorithm, "RSA-ISO9796-2-SHA-1");
  for (const auto& f : r.files) EXPECT_EQ(f.bytes, passport.chip.files.at(f.name)) << f.name;
  EXPECT_EQ(emulator.stats().unknownCommands, 0u);
}

TEST(LibnfcPn532VirtualChip, CardPulledDuringDg2IsACleanTransportFailure) {
  ChipImage image = fixtures::syntheticChip(kMrzInformation);
  ChipCard card(image);
  pn532::Emulator emulator;
  emulator.insertCard(card.callback());
  NfcReader reader(emulator.connstring());
  ASSERT_TRUE(reader.waitForCard(2s));
  emulator.removeCardAfter(30);  // BAC, EF.COM, EF.SOD, DG1, then part of DG2
  try {
    readPassport(reader);
    FAIL() << "the read survived the card being pulled";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport) << e.what();
  }
  // The traveller puts the passport back: a new transaction reads it whole.
  emulator.insertCard(card.callback());
  ASSERT_TRUE(reader.waitForCard(2s));
  expectWholeDocument(readPassport(reader), image);
}

TEST(PcscVpcdVirtualChip, ReadsTheVirtualPassportThroughPcscd) {
  if (auto why = vpcd::PcscdSandbox::unavailableReason())
    GTEST_SKIP() << "pcscd + vpcd end-to-end test skipped: " << *why;
  vpcd::PcscdSandbox pcscd;
  ChipImage image = fixtures::syntheticChip(kMrzInformation);
  ChipCard card(image);
  vpcd::VirtualCard vcard(card.callback());
  ASSERT_TRUE(vcard.insert("127.0.0.1", pcscd.cardPort(), 5s));
  auto reader = openReader("pcsc:" + pcscd.readerName());
  ASSERT_TRUE(reader->waitForCard(5s)) << pcscd.log();
  expectWholeDocument(readPassport(*reader), image);
}
