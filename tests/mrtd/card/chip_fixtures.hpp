// Synthetic chips for the card and protocol tests: files are TLVs with patterned values, so the
// tests do not depend on the LDS encoders of other parts.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::fixtures {

/// A TLV with `valueLength` bytes of a recognisable pattern (so misplaced chunks show up).
inline Bytes syntheticFile(std::uint32_t tag, std::size_t valueLength) {
  Bytes value(valueLength);
  for (std::size_t i = 0; i < valueLength; ++i) value[i] = static_cast<std::uint8_t>((i * 7 + i / 251) & 0xFF);
  return encodeTlv(tag, value);
}

/// EF.COM (Doc 9303-10 4.6.1) listing the given EF.COM tags (61 = DG1, 75 = DG2, ...).
inline Bytes efCom(const Bytes& tagList) {
  return encodeTlv(0x60, concat({encodeTlv(0x5F01, fromHex("30313037")), encodeTlv(0x5F36, fromHex("303430303030")),
                                 encodeTlv(0x5C, tagList)}));
}

/// A chip with EF.COM listing DG1, DG2, DG3, DG11, DG14 (DG3 present but EAC-protected), EF.SOD,
/// a 20000-byte DG2 and EF.CardAccess. No access control unless `mrz` is given.
inline ChipImage syntheticChip(const std::string& mrz = "") {
  ChipImage image;
  image.files["EF.COM"] = efCom(fromHex("6175636B6E"));
  image.files["EF.SOD"] = syntheticFile(0x77, 1500);
  image.files["DG1"] = syntheticFile(0x61, 91);
  image.files["DG2"] = syntheticFile(0x75, 20000);
  image.files["DG3"] = syntheticFile(0x63, 3000);
  image.files["DG11"] = syntheticFile(0x6B, 120);
  image.files["DG14"] = syntheticFile(0x6E, 300);
  image.files["EF.CardAccess"] = syntheticFile(0x31, 20);
  if (!mrz.empty()) image.config.set("mrz_information", mrz);
  return image;
}

/// A fresh empty folder under the system temp folder.
inline std::filesystem::path freshTempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("portti-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace portti::mrtd::fixtures
