// bench/transports: the time to read the virtual passport (BAC, then under secure messaging EF.COM,
// EF.SOD, DG1, a 20 KB DG2, DG11, DG14) in process (sim), through the unmodified libnfc + PN532 emulator on a pty, and through a
// private pcscd + the vpcd driver, with the per-APDU overhead of each path over the in-process one.
// Best of 5 reads per path; short APDUs (Le <= 256) everywhere, as the libnfc path requires.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "portti/hw/nfc_reader.hpp"
#include "portti/hw/pcsc_reader.hpp"
#include "portti/hw/pn532/emulator.hpp"
#include "portti/hw/vpcd/pcscd_sandbox.hpp"
#include "portti/hw/vpcd/vpcd_card.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti;
using namespace std::chrono_literals;

namespace {

mrtd::Bytes patterned(std::uint32_t tag, std::size_t n) {
  mrtd::Bytes v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
  return mrtd::encodeTlv(tag, v);
}

mrtd::ChipImage passport() {
  mrtd::ChipImage image;
  image.files["EF.COM"] = mrtd::encodeTlv(0x60, mrtd::concat({mrtd::encodeTlv(0x5F01, mrtd::fromHex("30313037")),
                                                              mrtd::encodeTlv(0x5F36, mrtd::fromHex("303430303030")),
                                                              mrtd::encodeTlv(0x5C, mrtd::fromHex("61756B6E"))}));
  image.files["EF.SOD"] = patterned(0x77, 1500);
  image.files["DG1"] = patterned(0x61, 91);
  image.files["DG2"] = patterned(0x75, 20000);
  image.files["DG11"] = patterned(0x6B, 120);
  image.files["DG14"] = patterned(0x6E, 300);
  image.config.set("mrz_information", "L898902C<369080619406236");  // BAC required
  return image;
}

struct Result {
  double ms = 0;
  std::size_t apdus = 0;
  std::size_t bytes = 0;  // APDU bytes both ways
};

Result best(const std::function<mrtd::ApduChannel&()>& channel) {
  Result r{1e12, 0};
  for (int i = 0; i < 5; ++i) {
    mrtd::CountingChannel wire(channel());
    auto t0 = std::chrono::steady_clock::now();
    // K_seed of the MRZ information above (ICAO Doc 9303-11 Appendix D.2).
    mrtd::readDocument(wire, mrtd::SecretBytes(mrtd::fromHex("239AB9CB282DAF66231DC5A4DF6BFBAE")));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (ms < r.ms) r = {ms, wire.counters().apdus, wire.counters().bytesSent + wire.counters().bytesReceived};
  }
  return r;
}

void print(const char* path, const Result& r, const Result& base) {
  std::printf("%-22s %9.1f ms %6zu APDUs %8.3f ms/APDU  overhead %+8.3f ms/APDU\n", path, r.ms, r.apdus, r.ms / r.apdus,
              r.ms / r.apdus - base.ms / base.apdus);
}

}  // namespace

int main() {
  const mrtd::ChipImage image = passport();
  std::printf("reading the virtual passport (%zu-byte DG2), best of 5\n", image.files.at("DG2").size());

  mrtd::VirtualChip simChip(image);
  mrtd::SimChannel sim(simChip);
  const Result base = best([&]() -> mrtd::ApduChannel& { return sim; });
  print("in-process (sim)", base, base);

  mrtd::VirtualChip chip(image);
  std::mutex mutex;
  hw::CardCallback card = [&](mrtd::ByteView apdu) {
    std::lock_guard lock(mutex);
    return chip.transceive(apdu);
  };

  {
    hw::pn532::Emulator emulator;
    emulator.insertCard(card);
    hw::NfcReader reader(emulator.connstring());
    if (!reader.waitForCard(2s)) {
      std::fprintf(stderr, "bench_transports: the PN532 emulator's card was not found\n");
      return 1;
    }
    const Result nfc = best([&]() -> mrtd::ApduChannel& { return reader; });
    print("libnfc + PN532 emu", nfc, base);
    // The pty moves bytes at memory speed. A real PN532 HSU link runs at 115200 baud (10 bits a
    // byte); per APDU it also carries two frame headers/trailers (2 x 10 bytes with status) and an ACK.
    const double uartMs = (static_cast<double>(nfc.bytes) + static_cast<double>(nfc.apdus) * 26.0) * 10.0 / 115200.0 * 1000.0;
    std::printf("%-22s %9.1f ms more on a 115200-baud UART (estimate, without the RF time)\n", "", uartMs);
  }

  if (auto why = hw::vpcd::PcscdSandbox::unavailableReason()) {
    std::printf("%-22s skipped: %s\n", "pcscd + vpcd", why->c_str());
    return 0;
  }
  hw::vpcd::PcscdSandbox pcscd;
  hw::vpcd::VirtualCard vcard(card);
  if (!vcard.insert("127.0.0.1", pcscd.cardPort(), 5s)) {
    std::fprintf(stderr, "bench_transports: the card could not reach vpcd\n");
    return 1;
  }
  hw::PcscReader reader(pcscd.readerName());
  if (!reader.waitForCard(5s)) {
    std::fprintf(stderr, "bench_transports: pcscd did not see the card\n");
    return 1;
  }
  print("pcscd + vpcd", best([&]() -> mrtd::ApduChannel& { return reader; }), base);
  return 0;
}
