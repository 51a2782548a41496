// bench_read_chip: what reading a passport costs on the link. A virtual passport with EF.COM,
// EF.SOD, DG1, DG2 (20 KB), DG14 and DG15 is read over BAC + secure messaging from the virtual chip,
// once with short APDUs (Le <= 256) and once with extended length; for each it prints APDUs, bytes
// on the wire, the modelled link time at 424 kbit/s and the measured in-process time, beside the
// lower bound of one APDU per file.
//
// Link model (stated, not measured): ISO/IEC 14443 at 424 kbit/s, 9 bits per byte on air (8 data +
// parity), 3 bytes of block framing per frame (PCB + CRC_A), one command and one response frame per
// APDU, plus a fixed turnaround per APDU (frame delay, chip processing incl. SM crypto) of
// kTurnaroundMs (bench/link_model.hpp). Real chips vary from 2 to 20 ms; the ratio between the modes
// is what to compare.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <vector>

#include "link_model.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;
using portti::bench::linkMs;

namespace {

constexpr int kRuns = 15;
const char* kMrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

struct Measured {
  DocumentRead read;
  double medianMs = 0;
};

Measured measure(const ChipImage& chip) {
  const SecretBytes seed = bacKeySeed(mrzInformation(parseValidMrz(kMrz)));
  DocumentReadOptions options;
  options.dataGroups = {1, 2, 14, 15};
  Measured m;
  std::vector<double> times;
  for (int i = 0; i < kRuns; ++i) {
    SimChannel channel(std::make_unique<VirtualChip>(chip));
    const auto start = std::chrono::steady_clock::now();
    m.read = readDocument(channel, seed, options);
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  m.medianMs = times[times.size() / 2];
  return m;
}

void print(const char* mode, const Measured& m) {
  const std::size_t bytes = m.read.totals.bytesSent + m.read.totals.bytesReceived;
  std::printf("%-22s %6zu %9zu %12.1f %14.2f\n", mode, m.read.totals.apdus, bytes, linkMs(m.read.totals.apdus, bytes),
              m.medianMs);
}

}  // namespace

int main() {
  const auto dir = std::filesystem::temp_directory_path() / ("portti-bench-" + std::to_string(::getpid()));
  pki::makeTestPki(dir.string());

  VirtualPassportSpec spec;
  spec.mrz = kMrz;
  spec.faceImage.assign(20000, 0x5A);  // a 20 KB portrait: only its size matters here
  spec.faceImage[0] = 0xFF, spec.faceImage[1] = 0xD8, spec.faceImage[2] = 0xFF;
  spec.faceWidth = 480;
  spec.faceHeight = 640;
  spec.pkiDir = dir;

  spec.extendedLength = false;
  ChipImage shortChip = issueVirtualPassport(spec).chip;
  spec.extendedLength = true;
  ChipImage extendedChip = issueVirtualPassport(spec).chip;
  std::filesystem::remove_all(dir);

  std::size_t payload = 0, files = 0;
  for (const char* name : {"EF.COM", "EF.SOD", "DG1", "DG2", "DG14", "DG15"}) {
    payload += extendedChip.files.at(name).size();
    ++files;
  }
  std::printf("virtual passport: %zu files, %zu bytes (DG2 %zu); BAC + 3DES secure messaging\n", files, payload,
              extendedChip.files.at("DG2").size());
  portti::bench::printLinkModel();
  std::printf("\n");
  std::printf("%-22s %6s %9s %12s %14s\n", "mode", "APDUs", "bytes", "link ms", "in-process ms");
  const Measured shortReads = measure(shortChip);
  const Measured extended = measure(extendedChip);
  print("short reads (Le<=256)", shortReads);
  print("extended length", extended);
  std::printf("%-22s %6zu %9zu %12.1f %14s\n", "lower bound (1/file)", files, payload, linkMs(files, payload), "-");
  std::printf("\nper file (short / extended APDUs):");
  for (const auto& f : shortReads.read.files) {
    const DocumentFile* e = extended.read.find(f.name);
    std::printf(" %s %zu/%zu", f.name.c_str(), f.stats.apdus, e ? e->stats.apdus : 0);
  }
  const double ratio = linkMs(shortReads.read.totals.apdus,
                              shortReads.read.totals.bytesSent + shortReads.read.totals.bytesReceived) /
                       linkMs(extended.read.totals.apdus, extended.read.totals.bytesSent + extended.read.totals.bytesReceived);
  std::printf("\nshort / extended link time: %.2fx (median of %d in-process runs each)\n", ratio, kRuns);
  return 0;
}
