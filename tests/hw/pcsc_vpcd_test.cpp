// PC/SC end to end: a private Debian pcscd with the vsmartcard vpcd driver, our card side on the
// driver's socket, and PcscReader talking to the card through the real PC/SC API and daemon.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "hw/test_card.hpp"
#include "portti/hw/open_reader.hpp"
#include "portti/hw/pcsc_reader.hpp"
#include "portti/hw/vpcd/pcscd_sandbox.hpp"
#include "portti/hw/vpcd/vpcd_card.hpp"
#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/error.hpp"

using namespace portti::hw;
using portti::mrtd::CommandApdu;
using portti::mrtd::Error;
using portti::mrtd::ErrorArea;
using portti::mrtd::fromHex;
using portti::mrtd::toHex;
using namespace std::chrono_literals;

namespace {

class PcscVpcd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (auto why = vpcd::PcscdSandbox::unavailableReason()) {
      skipReason_ = *why;
      return;
    }
    pcscd_ = std::make_unique<vpcd::PcscdSandbox>();
  }
  static void TearDownTestSuite() { pcscd_.reset(); }

  void SetUp() override {
    if (!pcscd_) GTEST_SKIP() << "pcscd + vpcd end-to-end tests skipped: " << skipReason_;
    card_ = std::make_unique<vpcd::VirtualCard>([this](ByteView apdu) { return fileCard_.answer(apdu); });
  }
  void TearDown() override {
    if (!card_) return;
    card_->remove();
    // pcscd polls the driver: let it see the card gone before the next test inserts another.
    try {
      PcscReader(pcscd_->readerName()).waitForRemoval(5s);
    } catch (const Error&) {
    }
  }

  void insert() { ASSERT_TRUE(card_->insert("127.0.0.1", pcscd_->cardPort(), 5s)) << pcscd_->log(); }

  Bytes readFile(portti::mrtd::ApduChannel& channel, std::size_t chunk) {
    auto sel = channel.transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0});
    EXPECT_EQ(sel.sw, 0x9000);
    Bytes out;
    for (;;) {
      CommandApdu read{0x00, 0xB0, static_cast<std::uint8_t>(out.size() >> 8), static_cast<std::uint8_t>(out.size()), {}, chunk};
      auto r = channel.transmit(read);
      out.insert(out.end(), r.data.begin(), r.data.end());
      if (r.sw != 0x9000 || r.data.size() < chunk) break;
    }
    return out;
  }

  static inline std::unique_ptr<vpcd::PcscdSandbox> pcscd_;
  static inline std::string skipReason_;
  test::FileCard fileCard_{1000};
  std::unique_ptr<vpcd::VirtualCard> card_;
};

}  // namespace

TEST_F(PcscVpcd, ListsTheVirtualReader) {
  auto names = listPcscReaders();
  EXPECT_NE(std::find(names.begin(), names.end(), pcscd_->readerName()), names.end());
  bool seen = false;
  for (const auto& backend : listReaders())
    for (const auto& r : backend.readers) seen |= r.spec == "pcsc:" + pcscd_->readerName();
  EXPECT_TRUE(seen);
}

TEST_F(PcscVpcd, ConnectsAndReadsThroughPcscd) {
  PcscReader reader(pcscd_->readerName());
  EXPECT_FALSE(reader.cardPresent());
  insert();
  ASSERT_TRUE(reader.waitForCard(5s)) << pcscd_->log();
  EXPECT_TRUE(reader.cardPresent());
  EXPECT_EQ(toHex(reader.atr()), "3B80800101");
  EXPECT_EQ(reader.name(), "pcsc:" + pcscd_->readerName());
  EXPECT_NE(reader.readerVersion().find("pcsc-lite"), std::string::npos);
  EXPECT_EQ(readFile(reader, 256), fileCard_.file());
  EXPECT_GE(card_->apdus(), 5u);
}

TEST_F(PcscVpcd, OpenReaderBySpecAndPartName) {
  insert();
  auto reader = openReader("pcsc:Portti Virtual");
  ASSERT_TRUE(reader->waitForCard(5s));
  EXPECT_EQ(reader->readerName(), pcscd_->readerName());
  EXPECT_EQ(readFile(*reader, 200), fileCard_.file());
  try {
    openReader("pcsc:No Such Reader");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport);
    EXPECT_NE(std::string(e.what()).find(pcscd_->readerName()), std::string::npos) << e.what();
  }
}

TEST_F(PcscVpcd, PlainPcscPicksTheReaderHoldingACard) {
  // vpcd has two slots, "... 00 00" on the port and "... 00 01" on port + 1: put the card in
  // the second, so "the first reader" would be the wrong one.
  auto names = listPcscReaders();
  ASSERT_GE(names.size(), 2u);
  const std::string second = pcscd_->readerName().substr(0, pcscd_->readerName().size() - 2) + "01";
  ASSERT_NE(std::find(names.begin(), names.end(), second), names.end());
  EXPECT_EQ(openReader("pcsc")->readerName(), names.front());  // no card anywhere: the first
  ASSERT_TRUE(card_->insert("127.0.0.1", static_cast<std::uint16_t>(pcscd_->cardPort() + 1), 5s));
  PcscReader slot1(second);
  ASSERT_TRUE(slot1.waitForCard(5s));
  auto chosen = openReader("pcsc");
  EXPECT_EQ(chosen->readerName(), second);
  EXPECT_EQ(chosen->transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).sw, 0x9000);
  card_->remove();
  EXPECT_TRUE(slot1.waitForRemoval(5s));
}

TEST_F(PcscVpcd, CarriesExtendedLengthApdus) {
  insert();
  PcscReader reader(pcscd_->readerName());
  // Extended length is the caller's choice (short APDUs by default: transmit() would cap Ne at 256).
  reader.setLimits(portti::mrtd::ChannelLimits{4 + 3 + 65535 + 2, 65538, true});
  ASSERT_TRUE(reader.waitForCard(5s));
  reader.transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0});
  auto r = reader.transmit(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 1000});
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data, fileCard_.file());
}

TEST_F(PcscVpcd, CardPulledMidReadGivesTransportErrorAndRetryWorks) {
  insert();
  PcscReader reader(pcscd_->readerName());
  ASSERT_TRUE(reader.waitForCard(5s));
  card_->removeAfter(3);
  try {
    readFile(reader, 128);
    FAIL() << "the read survived the card being pulled";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport) << e.what();
  }
  EXPECT_TRUE(reader.waitForRemoval(5s));
  EXPECT_FALSE(reader.cardPresent());
  EXPECT_FALSE(reader.waitForCard(300ms));
  card_->remove();
  insert();
  ASSERT_TRUE(reader.waitForCard(5s));
  EXPECT_EQ(readFile(reader, 256), fileCard_.file());
}

TEST_F(PcscVpcd, WaitsHonourTheirTimeouts) {
  PcscReader reader(pcscd_->readerName());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(reader.waitForCard(300ms));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  insert();
  ASSERT_TRUE(reader.waitForCard(5s));
  t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(reader.waitForRemoval(300ms));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_FALSE(waitForPcscReaderChange(200ms));  // nothing attached or detached
  try {
    reader.disconnect();
    card_->remove();
    ASSERT_TRUE(reader.waitForRemoval(5s));
    reader.transmitRaw(fromHex("00A4020C02011E"));
    FAIL() << "transmit without a card";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport) << e.what();
  }
}

TEST_F(PcscVpcd, PcscdRestartUnderARunningReadFailsCleanly) {
  insert();
  auto reader = std::make_unique<PcscReader>(pcscd_->readerName());
  ASSERT_TRUE(reader->waitForCard(5s));
  reader->transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0});
  pcscd_->restart();
  try {
    reader->transmit(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 16});
    FAIL() << "the exchange survived a pcscd restart";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport) << e.what();
  }
  // The transaction retries with a new reader object once the card is back in the new pcscd.
  card_->remove();
  insert();
  reader = std::make_unique<PcscReader>(pcscd_->readerName());
  ASSERT_TRUE(reader->waitForCard(5s));
  EXPECT_EQ(readFile(*reader, 256), fileCard_.file());
}

TEST_F(PcscVpcd, PcscdNotRunningIsATransportError) {
  pcscd_->stop();
  try {
    listPcscReaders();
    FAIL() << "listed readers without pcscd";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Transport);
    EXPECT_NE(std::string(e.what()).find("is pcscd running?"), std::string::npos) << e.what();
  }
  EXPECT_THROW(openReader("pcsc"), Error);
  bool reported = false;
  for (const auto& backend : listReaders())
    if (backend.backend == "pcsc") reported = !backend.problem.empty() && backend.readers.empty();
  EXPECT_TRUE(reported) << "listReaders() must say why it found no PC/SC readers";
  pcscd_->restart();
  EXPECT_FALSE(listPcscReaders().empty());
}
