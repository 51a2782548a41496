// The elementary files of an eMRTD: names, file identifiers and short EF identifiers
// (ICAO Doc 9303 Part 10, 3.10 / 3.11 and table "Data group file identifiers").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace portti::mrtd {

/// Where a file lives: at master-file level (readable without the eMRTD application) or in it.
enum class LdsLocation { MasterFile, Application };

/// One elementary file of the LDS.
struct LdsFile {
  const char* name;      ///< "EF.COM", "DG1", "EF.CardAccess"
  std::uint16_t fid;     ///< file identifier for SELECT (P1=02)
  std::uint8_t sfi;      ///< short EF identifier for READ BINARY (P1 = 0x80 | SFI)
  LdsLocation location;
  int dataGroup;         ///< 1..16 for DGn, 0 otherwise
};

/// The eMRTD application identifier (Doc 9303-10 3.10): A0 00 00 02 47 10 01.
inline constexpr std::uint8_t kEmrtdAid[] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};

/// Every file known to portti: EF.CardAccess, EF.CardSecurity (MF), EF.COM, EF.SOD, DG1..DG16.
std::span<const LdsFile> ldsFiles();
/// The file with this name, or nullptr.
const LdsFile* findLdsFile(std::string_view name);
/// DGn for n in 1..16, or nullptr.
const LdsFile* dataGroupFile(int n);
/// The file with this identifier at this level, or nullptr.
const LdsFile* findLdsFile(std::uint16_t fid, LdsLocation location);
/// The file with this short EF identifier at this level, or nullptr.
const LdsFile* findLdsFileBySfi(std::uint8_t sfi, LdsLocation location);

}  // namespace portti::mrtd
