// card-emu as a separate process serving a chip folder: through a PN532 pty to libnfc, and as the
// card of a private pcscd's vpcd reader; the whole virtual passport (BAC + secure messaging) is read
// through each, as `portti read --reader nfc:... / pcsc:...` will.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "portti/hw/open_reader.hpp"
#include "portti/hw/vpcd/pcscd_sandbox.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;
using namespace std::chrono_literals;

namespace {

// A running card-emu; killed (SIGTERM, then SIGKILL) and reaped on destruction.
class CardEmu {
 public:
  explicit CardEmu(const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) return;
    std::vector<char*> argv;
    std::string bin = CARD_EMU_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a test that died
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
  }
  ~CardEmu() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      for (int i = 0; i < 100 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i) ::usleep(20000);
      if (::waitpid(pid_, nullptr, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    if (out_ >= 0) ::close(out_);
  }
  // The exit code once card-emu has ended (at most 5 s), or -1.
  int exitCode() {
    for (int i = 0; i < 250; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::usleep(20000);
    }
    return -1;
  }
  // The first line card-emu prints, waiting at most 5 s.
  std::string firstLine() {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char c;
      if (::read(out_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
};

Bytes patterned(std::uint32_t tag, std::size_t n) {
  Bytes v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 13 + 5);
  return encodeTlv(tag, v);
}

struct ChipFolder {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("portti-card-emu-" + std::to_string(::getpid()));
  ChipImage image;
  ChipFolder() {
    image.files["EF.COM"] = encodeTlv(0x60, concat({encodeTlv(0x5F01, fromHex("30313037")), encodeTlv(0x5F36, fromHex("303430303030")),
                                                    encodeTlv(0x5C, fromHex("6175"))}));
    image.files["EF.SOD"] = patterned(0x77, 1200);
    image.files["DG1"] = patterned(0x61, 91);
    image.files["DG2"] = patterned(0x75, 9000);
    image.config.set("mrz_information", "L898902C<369080619406236");
    std::filesystem::remove_all(dir);
    writeChipFolder(image, dir);
  }
  ~ChipFolder() { std::filesystem::remove_all(dir); }

  void expectReadThrough(portti::hw::CardReader& reader) {
    ASSERT_TRUE(reader.waitForCard(5s));
    // K_seed of the MRZ information above (ICAO Doc 9303-11 Appendix D.2).
    DocumentReadOptions options;
    options.dataGroups = {1, 2};
    options.readCardAccess = false;
    DocumentRead read = readDocument(reader, SecretBytes(fromHex("239AB9CB282DAF66231DC5A4DF6BFBAE")), options);
    EXPECT_EQ(read.accessMethod, "BAC");
    for (const char* name : {"EF.COM", "EF.SOD", "DG1", "DG2"}) {
      const DocumentFile* f = read.find(name);
      ASSERT_NE(f, nullptr) << name;
      EXPECT_EQ(f->bytes, image.files.at(name)) << name;
    }
  }
};

}  // namespace

TEST(CardEmuPn532, ServesAChipFolderToLibnfc) {
  ChipFolder chip;
  CardEmu emu({"pn532", chip.dir.string()});
  const std::string connstring = emu.firstLine();
  ASSERT_EQ(connstring.rfind("pn532_uart:/dev/pts/", 0), 0u) << "card-emu printed '" << connstring << "'";
  auto reader = portti::hw::openReader("nfc:" + connstring);
  chip.expectReadThrough(*reader);
}

TEST(CardEmuVpcd, ServesAChipFolderToPcscd) {
  if (auto why = portti::hw::vpcd::PcscdSandbox::unavailableReason()) GTEST_SKIP() << "pcscd + vpcd not available: " << *why;
  ChipFolder chip;
  portti::hw::vpcd::PcscdSandbox pcscd;
  CardEmu emu({"vpcd", chip.dir.string(), "127.0.0.1", std::to_string(pcscd.cardPort())});
  auto reader = portti::hw::openReader("pcsc:" + pcscd.readerName());
  chip.expectReadThrough(*reader);
}

TEST(CardEmuPn532, RefusesABadChipFolder) {
  CardEmu emu({"pn532", "/nonexistent/chip"});
  EXPECT_EQ(emu.firstLine(), "");
  EXPECT_EQ(emu.exitCode(), 3);
}
