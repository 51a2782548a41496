#include "portti/mrtd/card/lds_files.hpp"

#include <array>

namespace portti::mrtd {

namespace {
constexpr auto kMf = LdsLocation::MasterFile;
constexpr auto kApp = LdsLocation::Application;

constexpr std::array<LdsFile, 20> kFiles{{
    {"EF.CardAccess", 0x011C, 0x1C, kMf, 0},
    {"EF.CardSecurity", 0x011D, 0x1D, kMf, 0},
    {"EF.COM", 0x011E, 0x1E, kApp, 0},
    {"EF.SOD", 0x011D, 0x1D, kApp, 0},
    {"DG1", 0x0101, 0x01, kApp, 1},
    {"DG2", 0x0102, 0x02, kApp, 2},
    {"DG3", 0x0103, 0x03, kApp, 3},
    {"DG4", 0x0104, 0x04, kApp, 4},
    {"DG5", 0x0105, 0x05, kApp, 5},
    {"DG6", 0x0106, 0x06, kApp, 6},
    {"DG7", 0x0107, 0x07, kApp, 7},
    {"DG8", 0x0108, 0x08, kApp, 8},
    {"DG9", 0x0109, 0x09, kApp, 9},
    {"DG10", 0x010A, 0x0A, kApp, 10},
    {"DG11", 0x010B, 0x0B, kApp, 11},
    {"DG12", 0x010C, 0x0C, kApp, 12},
    {"DG13", 0x010D, 0x0D, kApp, 13},
    {"DG14", 0x010E, 0x0E, kApp, 14},
    {"DG15", 0x010F, 0x0F, kApp, 15},
    {"DG16", 0x0110, 0x10, kApp, 16},
}};
}  // namespace

std::span<const LdsFile> ldsFiles() { return kFiles; }

const LdsFile* findLdsFile(std::string_view name) {
  for (const LdsFile& f : kFiles)
    if (name == f.name) return &f;
  return nullptr;
}

const LdsFile* dataGroupFile(int n) {
  if (n < 1 || n > 16) return nullptr;
  return &kFiles[static_cast<std::size_t>(n) + 3];
}

const LdsFile* findLdsFile(std::uint16_t fid, LdsLocation location) {
  for (const LdsFile& f : kFiles)
    if (f.fid == fid && f.location == location) return &f;
  return nullptr;
}

const LdsFile* findLdsFileBySfi(std::uint8_t sfi, LdsLocation location) {
  for (const LdsFile& f : kFiles)
    if (f.sfi == sfi && f.location == location) return &f;
  return nullptr;
}

}  // namespace portti::mrtd
