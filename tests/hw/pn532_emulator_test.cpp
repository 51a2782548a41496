// The PN532 emulator's command set (UM0701-02 chapter 7) answered directly, and its UART framing
// on the pseudo-terminal: ACK before every answer, NACK retransmission, garbage and corrupt frames.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>

#include "hw/test_card.hpp"
#include "portti/hw/pn532/emulator.hpp"

using namespace portti::hw;
using namespace portti::hw::pn532;
using portti::mrtd::fromHex;
using portti::mrtd::toHex;

namespace {

std::string answer(Emulator& e, const char* hexBody) {
  auto r = e.handleCommand(fromHex(hexBody));
  return r ? toHex(*r) : "ERROR-FRAME";
}

// The host side of the pty, as a plain file descriptor with timeouts.
struct Host {
  int fd = -1;
  explicit Host(const std::string& path) {
    fd = ::open(path.c_str(), O_RDWR | O_NOCTTY);
    termios t{};
    ::tcgetattr(fd, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(fd, TCSANOW, &t);
  }
  ~Host() { ::close(fd); }
  void send(const Bytes& b) { ASSERT_EQ(::write(fd, b.data(), b.size()), static_cast<ssize_t>(b.size())); }
  // Reads until `n` bytes came or 2 s passed.
  Bytes receive(std::size_t n) {
    Bytes out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      std::uint8_t buf[512];
      ssize_t k = ::read(fd, buf, std::min(sizeof buf, n - out.size()));
      if (k > 0) out.insert(out.end(), buf, buf + k);
    }
    return out;
  }
  // True when nothing arrives within `ms`.
  bool silent(int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 0;
  }
};

}  // namespace

TEST(Pn532Emulator, AnswersTheInitialisationLibnfcSends) {
  Emulator e;
  EXPECT_EQ(answer(e, "D400006C69626E6663"), "D501006C69626E6663");  // Diagnose: echo "libnfc"
  EXPECT_EQ(answer(e, "D402"), "D50332010607");                       // PN532 v1.6, A + B + 18092
  EXPECT_EQ(answer(e, "D4140117"), "D515");                           // SAMConfiguration
  EXPECT_EQ(answer(e, "D41214"), "D513");                             // SetParameters
  // WriteRegister then ReadRegister, batched (several addresses per frame).
  EXPECT_EQ(answer(e, "D408 630280 633C10"), "D509");
  EXPECT_EQ(answer(e, "D406 6302 6303 633C"), "D507800010");
  EXPECT_EQ(answer(e, "D4320101"), "D533");  // RF field on
  EXPECT_TRUE(e.stats().fieldOn);
  EXPECT_EQ(answer(e, "D4320100"), "D533");  // RF field off
  EXPECT_FALSE(e.stats().fieldOn);
  EXPECT_EQ(answer(e, "D416F0"), "D51700");  // PowerDown
  EXPECT_TRUE(e.stats().poweredDown);
  EXPECT_EQ(answer(e, "D45200"), "D55300");  // InRelease
  // Malformed parameters and unknown commands get the application-error frame.
  EXPECT_EQ(answer(e, "D40663"), "ERROR-FRAME");
  EXPECT_EQ(answer(e, "D4FE"), "ERROR-FRAME");
  EXPECT_EQ(answer(e, "D5FE"), "ERROR-FRAME");  // wrong direction TFI
  EXPECT_EQ(e.stats().unknownCommands, 1u);
}

TEST(Pn532Emulator, ListsTypeAWithAtsOnlyUnderAutomaticRats) {
  Emulator e;
  EXPECT_EQ(answer(e, "D44A0100"), "D54B00");  // no card: no target
  test::FileCard card;
  e.insertCard([&](ByteView a) { return card.answer(a); });
  EXPECT_EQ(answer(e, "D44A0100"), "D54B0101004420" "0408A1B2C3");  // no ATS without fAutomaticRATS
  EXPECT_EQ(answer(e, "D41210"), "D513");
  EXPECT_EQ(answer(e, "D44A0100"), "D54B0101004420" "0408A1B2C3" "0578807002");
  EXPECT_EQ(answer(e, "D44A010300"), "D54B00");  // a type A card does not answer type B polling
}

TEST(Pn532Emulator, ListsTypeB) {
  Emulator e;
  test::FileCard card;
  CardProfile b;
  b.typeB = true;
  b.uid = fromHex("11223344");
  e.insertCard([&](ByteView a) { return card.answer(a); }, b);
  EXPECT_EQ(answer(e, "D44A0100"), "D54B00");
  EXPECT_EQ(answer(e, "D44A010300"), "D54B0101" "5011223344" "00000000" "008171" "0100");
}

TEST(Pn532Emulator, InDataExchangeWithHostChainingAndErrors) {
  Emulator e;
  test::FileCard card(600);
  e.insertCard([&](ByteView a) { return card.answer(a); });
  EXPECT_EQ(answer(e, "D44001 00A4020C02011E"), "D54127");  // before InListPassiveTarget: wrong context
  answer(e, "D44A0100");
  EXPECT_EQ(answer(e, "D44002 00A4020C02011E"), "D54110");  // no target 2: invalid parameter
  // The host sends one APDU in two parts, the first with the MI bit (UM0701-02 7.3.8).
  EXPECT_EQ(answer(e, "D44041 00A402"), "D54100");
  EXPECT_EQ(e.stats().apdus, 0u);
  EXPECT_EQ(answer(e, "D44001 0C02011E"), "D541009000");
  EXPECT_EQ(e.stats().apdus, 1u);
  // 256 bytes + SW fit the PN532 buffer; 600 + SW do not: buffer overflow status, never MI
  // (libnfc 1.8.0 aborts the process on an MI bit in a response).
  auto r = e.handleCommand(fromHex("D44001 00B0000000"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 3u + 258u);
  EXPECT_EQ(toHex(Bytes(r->end() - 2, r->end())), "9000");
  EXPECT_EQ(answer(e, "D44001 00B00000000258"), "D54109");
  // Card pulled: the exchange times out in the field.
  e.removeCard();
  EXPECT_EQ(answer(e, "D44001 00B0000010"), "D54127");  // its target is gone with it
  e.insertCard([&](ByteView a) { return card.answer(a); });
  answer(e, "D44A0100");
  e.removeCardAfter(1);
  EXPECT_EQ(answer(e, "D44001 00B0000010"), "D54101");
  EXPECT_FALSE(e.cardInField());
}

TEST(Pn532Emulator, PresenceCheckAnswersRNakOnlyWithACard) {
  Emulator e;
  test::FileCard card;
  e.insertCard([&](ByteView a) { return card.answer(a); });
  answer(e, "D44A0100");
  EXPECT_EQ(answer(e, "D442B2"), "D54300A2");    // R(NAK) -> R(ACK), ISO/IEC 14443-4 7.5.4
  EXPECT_EQ(answer(e, "D442BB01"), "D54300AB01");  // with a CID: block 1, CID 1
  EXPECT_EQ(answer(e, "D4420600"), "D54301");  // an ST SRx probe: silence
  EXPECT_EQ(answer(e, "D40006"), "D50100");    // Diagnose attention test: present
  e.removeCard();
  EXPECT_EQ(answer(e, "D442B2"), "D54301");
  EXPECT_EQ(answer(e, "D40006"), "D50101");
}

TEST(Pn532Emulator, UartFramingOnThePty) {
  Emulator e;
  Host host(e.devicePath());
  // Wake-up preamble and line noise before GetFirmwareVersion: ACK, then the answer.
  Bytes wire = fromHex("55550000000000000000 13 37");
  Bytes frame = encodeInformation(fromHex("D402"));
  wire.insert(wire.end(), frame.begin(), frame.end());
  host.send(wire);
  EXPECT_EQ(toHex(host.receive(6)), "0000FF00FF00");
  EXPECT_EQ(toHex(host.receive(13)), "0000FF06FAD50332010607E800");
  // NACK: the emulator sends its last answer again.
  host.send(nackFrame());
  EXPECT_EQ(toHex(host.receive(13)), "0000FF06FAD50332010607E800");
  // A frame with a wrong DCS is ignored, as the chip does: no ACK, no answer.
  host.send(fromHex("0000FF02FED4022B00"));
  EXPECT_TRUE(host.silent(200));
  EXPECT_EQ(e.stats().corruptFrames, 1u);
  // A frame split over several writes is answered once complete.
  Bytes diag = encodeInformation(fromHex("D40000AABB"));
  host.send(Bytes(diag.begin(), diag.begin() + 4));
  EXPECT_TRUE(host.silent(100));
  host.send(Bytes(diag.begin() + 4, diag.end()));
  EXPECT_EQ(toHex(host.receive(6)), "0000FF00FF00");
  EXPECT_EQ(toHex(host.receive(12)), toHex(encodeInformation(fromHex("D50100AABB"))));
  // An unknown command: ACK, then the application-error frame.
  host.send(encodeInformation(fromHex("D4FE")));
  EXPECT_EQ(toHex(host.receive(6)), "0000FF00FF00");
  EXPECT_EQ(toHex(host.receive(8)), "0000FF01FF7F8100");
}
