// Serves a virtual chip (a chip folder) to the real reader stacks, for demos and benchmarks:
//   card-emu pn532 DIR            a PN532 on a pseudo-terminal; prints the libnfc connstring, so
//                                 `portti read --reader nfc:pn532_uart:/dev/pts/N` reads the chip
//   card-emu vpcd DIR [HOST] [PORT] the card side of vsmartcard's vpcd driver (default localhost
//                                 35963, Debian's /etc/reader.conf.d/vpcd), so pcscd sees the chip
// Runs until SIGINT/SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "portti/hw/pn532/emulator.hpp"
#include "portti/hw/vpcd/vpcd_card.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"

namespace {

std::atomic<bool> stop{false};
void onSignal(int) { stop = true; }

int usage() {
  std::fprintf(stderr,
               "usage: card-emu pn532 CHIPDIR\n"
               "       card-emu vpcd CHIPDIR [HOST] [PORT]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string mode = argv[1];
  ::signal(SIGINT, onSignal);
  ::signal(SIGTERM, onSignal);
  try {
    auto chip = portti::mrtd::VirtualChip::fromFolder(argv[2]);
    std::mutex mutex;
    portti::hw::CardCallback card = [&](portti::mrtd::ByteView apdu) {
      std::lock_guard lock(mutex);
      return chip.transceive(apdu);
    };
    if (mode == "pn532") {
      portti::hw::pn532::Emulator emulator;
      emulator.insertCard(card);
      std::printf("%s\n", emulator.connstring().c_str());
      std::fflush(stdout);
      while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return 0;
    }
    if (mode == "vpcd") {
      const std::string host = argc > 3 ? argv[3] : "localhost";
      const auto port = static_cast<std::uint16_t>(argc > 4 ? std::stoi(argv[4]) : 35963);
      portti::hw::vpcd::VirtualCard vcard(card);
      while (!stop) {
        if (!vcard.inserted() && !vcard.insert(host, port, std::chrono::seconds(1))) continue;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      return 0;
    }
    return usage();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "card-emu: %s\n", e.what());
    return 3;
  }
}
