// MRZ sources: the serial document reader's line protocol over a real pseudo-terminal (termios on
// the slave side, as on a USB CDC-ACM port), manual entry and the CAN.
#include <gtest/gtest.h>

#include <thread>

#include "portti/hw/access_key_source.hpp"
#include "portti/hw/pseudo_terminal.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw {
namespace {

using namespace std::chrono_literals;

// ICAO Doc 9303 specimens.
const std::string kTd3L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kTd3L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const std::string kTd3L2Bad = "L898902C36UTO7408122F1204158ZE184226B<<<<<10";  // expiry check digit wrong
const std::string kTd1[] = {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};

struct SerialLine {
  PseudoTerminal pty;
  SerialMrzReader reader{pty.slavePath(), SerialMrzOptions{9600, 150ms, 128}};
  void send(const std::string& bytes) { ASSERT_TRUE(pty.write(bytes)); }
};

TEST(SerialMrzReader, Td3WithCrLf) {
  SerialLine s;
  EXPECT_FALSE(s.reader.next(50ms)) << "nothing sent yet";
  s.send(kTd3L1 + "\r\n" + kTd3L2 + "\r\n");
  auto key = s.reader.next(1s);
  ASSERT_TRUE(key);
  ASSERT_EQ(key->kind, AccessKey::Kind::Mrz);
  EXPECT_EQ(key->mrz->documentNumber, "L898902C3");
  EXPECT_EQ(key->mrzInformation(), "L898902C3674081221204159");
  EXPECT_EQ(key->bacKeySeed().size(), 16u);
  EXPECT_EQ(s.reader.stats().delivered, 1u);
}

TEST(SerialMrzReader, Td1WithBareCrAndNoiseAroundIt) {
  SerialLine s;
  // STX/ETX framing, a NUL, a banner line and stray bytes: dropped or skipped.
  s.send(std::string("\x02READER V2.1 READY\r\x01\xff", 21));
  s.send(std::string("\x02") + kTd1[0] + "\r" + kTd1[1] + std::string("\x00", 1) + "\r" + kTd1[2] + "\r\x03");
  auto key = s.reader.next(1s);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->mrz->format, mrtd::MrzFormat::TD1);
  EXPECT_EQ(key->mrz->documentNumber, "D23145890");
  const auto st = s.reader.stats();
  EXPECT_GE(st.noiseBytes, 5u);
  EXPECT_EQ(st.ignoredLines, 1u);  // the banner
}

TEST(SerialMrzReader, LinesArrivingByteByByteAndAsOneLine) {
  SerialLine s;
  std::thread trickle([&] {
    for (char c : kTd3L1 + "\n" + kTd3L2 + "\n") {
      s.pty.write(std::string(1, c));
      std::this_thread::sleep_for(100us);
    }
  });
  auto key = s.reader.next(2s);
  trickle.join();
  ASSERT_TRUE(key);
  s.send(kTd3L1 + kTd3L2 + "\n");  // the whole MRZ in one 88-character line
  ASSERT_TRUE(s.reader.next(1s));
}

TEST(SerialMrzReader, AnInvalidMrzIsNeverDelivered) {
  SerialLine s;
  s.send(kTd3L1 + "\n" + kTd3L2Bad + "\n");
  EXPECT_FALSE(s.reader.next(200ms));
  EXPECT_EQ(s.reader.stats().invalidMrz, 1u);
  const auto st = s.reader.status();
  EXPECT_NE(st.lastError.find("failed its checks"), std::string::npos);
  EXPECT_EQ(st.lastError.find("L898902C3"), std::string::npos) << "no personal data in status";
  // The next, good scan is delivered.
  s.send(kTd3L1 + "\n" + kTd3L2 + "\n");
  EXPECT_TRUE(s.reader.next(1s));
}

TEST(SerialMrzReader, APartialLineIsDroppedAfterTheLineTimeout) {
  SerialLine s;
  // The first line stops half way; the rest of it never comes.
  s.send(kTd3L1.substr(0, 20));
  EXPECT_FALSE(s.reader.next(300ms));
  EXPECT_EQ(s.reader.stats().partialLines, 1u);
  // Half a line glued to a whole one would make a 64-character line: the timeout prevents that.
  s.send(kTd3L1 + "\n" + kTd3L2 + "\n");
  EXPECT_TRUE(s.reader.next(1s));
}

TEST(SerialMrzReader, LinesTooFarApartAreNotOneMrz) {
  SerialLine s;
  s.send(kTd3L1 + "\n");
  EXPECT_FALSE(s.reader.next(300ms));
  s.send(kTd3L2 + "\n");
  EXPECT_FALSE(s.reader.next(100ms)) << "a first line 300 ms old (line timeout 150 ms) was used";
}

TEST(SerialMrzReader, GarbageAndOverlongLinesDoNotGrowOrHang) {
  SerialLine s;
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk += static_cast<char>('!' + i % 90);
  s.send(junk + "\n" + "P<UTO<<<\n" + std::string(44, '<') + "\n");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(s.reader.next(200ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_GE(s.reader.stats().partialLines, 1u);
  s.send(kTd3L1 + "\r\n" + kTd3L2 + "\r\n");
  EXPECT_TRUE(s.reader.next(1s));
}

TEST(SerialMrzReader, TwoMrzsInOneBurstAreBothDelivered) {
  SerialLine s;
  s.send(kTd3L1 + "\n" + kTd3L2 + "\n" + kTd1[0] + "\n" + kTd1[1] + "\n" + kTd1[2] + "\n");
  auto a = s.reader.next(1s);
  auto b = s.reader.next(1s);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->mrz->format, mrtd::MrzFormat::TD3);
  EXPECT_EQ(b->mrz->format, mrtd::MrzFormat::TD1);
}

TEST(SerialMrzReader, AnUnpluggedReaderIsAnErrorNotAHang) {
  auto pty = std::make_unique<PseudoTerminal>();
  SerialMrzReader reader(pty->slavePath());
  EXPECT_EQ(reader.selfTest().selfTest, SelfTest::Passed);
  pty.reset();  // the device side disappears, as a USB reader pulled out
  try {
    reader.next(1s);
    FAIL() << "no error after the line went away";
  } catch (const DeviceError& e) {
    EXPECT_NE(std::string(e.what()).find("went away"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(reader.status().present);
  EXPECT_EQ(reader.selfTest().selfTest, SelfTest::Failed);
}

TEST(SerialMrzReader, OpenErrorsSayWhy) {
  EXPECT_THROW(SerialMrzReader("/dev/ttyNOPE0"), DeviceError);
  EXPECT_THROW(SerialMrzReader("/dev/null"), DeviceError);  // not a tty
  EXPECT_THROW(openAccessKeySource("serial:/dev/null,baud=1234"), DeviceError);
  EXPECT_THROW(openAccessKeySource("barcode:"), DeviceError);
}

TEST(ManualEntry, ValidatesMrzAndCan) {
  ManualEntry entry;
  EXPECT_FALSE(entry.next(10ms));
  EXPECT_FALSE(entry.submitMrz(kTd3L1 + "\n" + kTd3L2Bad).empty());
  EXPECT_FALSE(entry.submitMrz("hello").empty());
  EXPECT_FALSE(entry.submitCan("12345").empty());
  EXPECT_FALSE(entry.submitCan("12345a").empty());
  EXPECT_FALSE(entry.next(10ms)) << "a refused entry was queued";
  EXPECT_TRUE(entry.submitMrz(kTd3L1 + "\n" + kTd3L2).empty());
  EXPECT_TRUE(entry.submitCan("123456").empty());
  auto mrz = entry.next(10ms);
  ASSERT_TRUE(mrz);
  EXPECT_EQ(mrz->kind, AccessKey::Kind::Mrz);
  mrz = entry.next(10ms);
  ASSERT_TRUE(mrz);
  EXPECT_EQ(mrz->kind, AccessKey::Kind::Can);
  EXPECT_EQ(mrz->can, "123456");
  EXPECT_THROW(mrz->mrzInformation(), mrtd::Error);
  EXPECT_NE(entry.status().lastError.find("refused"), std::string::npos);
}

TEST(ManualEntry, NextWaitsForTheUi) {
  ManualEntry entry;
  std::thread ui([&] {
    std::this_thread::sleep_for(50ms);
    entry.submitCan("000042");
  });
  auto key = entry.next(2s);
  ui.join();
  ASSERT_TRUE(key);
  EXPECT_EQ(key->can, "000042");
}

}  // namespace
}  // namespace portti::hw
