// The chip folder: what a virtual chip is made of, on disk.
//
// A folder holds one file per elementary file, named as in the ICAO Doc 9303 Part 10 examples:
//   EF.COM, EF.SOD, EF.CardAccess, EF.CardSecurity   (no extension)
//   DG1.bin .. DG16.bin
// each holding the file's raw bytes exactly as the chip returns them (tag, length, value), and
// `chip.conf`, a text file of `key=value` lines ('#' starts a comment line, blank lines ignored,
// spaces around key and value trimmed). Keys read by the virtual chip:
//   mrz_information=L898902C<369080619406236  document number + check digit + date of birth + check
//                          digit + date of expiry + check digit: the BAC key input of Doc 9303-11
//                          9.7.2. Present: the chip requires BAC. Absent: no access control.
//   max_response=256       largest response data field (bytes, without SW1 SW2) the chip sends in one
//                          APDU; default 256, or 65536 with extended length
//   extended_length=yes|no whether the chip accepts extended-length APDUs (default no)
//   eac_protected=3,4      data groups the chip refuses with 6982 (EAC not implemented; default 3,4)
//   can=123456             the Card Access Number: a PACE password (with EF.CardAccess offering PACE)
//   bac=no                 the chip refuses BAC (a PACE-only document); default yes when mrz_information
//   command_chaining=no    the chip refuses command chains (CLA b5) with 6884; default yes
//   *_key=FILE             a private key file in the folder (chip_auth_key: DG14's key, used by PACE-CAM
//                          and Chip Authentication; active_auth_key: DG15's key), PEM
// Other keys (CAN, PACE, AA/CA keys, ...) are kept in order, so tools may add them and rewrite the file.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

/// The `key=value` settings of chip.conf, in file order; unknown keys are kept.
class ChipConfig {
 public:
  /// Parses chip.conf text; throws Error{File, "chip.conf"} naming the line of a malformed entry.
  static ChipConfig parse(std::string_view text);
  /// The text form, one `key=value` line per entry.
  std::string serialize() const;

  std::optional<std::string> get(std::string_view key) const;
  /// Replaces the value of `key`, or appends it.
  void set(std::string_view key, std::string_view value);
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

/// Everything a virtual chip holds: its files by name ("EF.COM", "DG2", see lds_files.hpp) and its
/// configuration.
struct ChipImage {
  std::map<std::string, Bytes> files;
  ChipConfig config;
  /// Private key files that chip.conf names (`*_key=FILE`): file name -> content. Loaded by
  /// loadChipFolder; writeChipFolder does not write them (the issuer writes keys owner-only).
  std::map<std::string, Bytes> keyFiles;
};

/// The file name inside a chip folder for an LDS file name ("DG2" -> "DG2.bin", "EF.COM" -> "EF.COM").
std::string chipFolderFileName(std::string_view ldsName);

/// Loads a chip folder (format above). Throws Error{File} when the folder or chip.conf is missing
/// or chip.conf is malformed. Files the folder does not have are simply absent from the chip.
ChipImage loadChipFolder(const std::filesystem::path& dir);

/// Writes a chip folder (creates the folder; overwrites chip.conf and the files of `image`).
void writeChipFolder(const ChipImage& image, const std::filesystem::path& dir);

}  // namespace portti::mrtd
