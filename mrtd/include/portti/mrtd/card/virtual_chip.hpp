// The virtual chip: the card side of an eMRTD, answering command APDUs as a real chip does
// (ICAO Doc 9303 Parts 10 and 11, ISO/IEC 7816-4). Loaded from a chip folder (chip_folder.hpp
// documents the format) or built from a ChipImage in memory.
//
// What it answers:
//   SELECT         P1=04 P2=0C the eMRTD application (AID A0000002471001); P1=00 the MF;
//                  P1=02 P2=0C an EF by file identifier in the current DF (EF.CardAccess 011C and
//                  EF.CardSecurity 011D at MF level, EF.COM 011E, EF.SOD 011D, DGn 0101..0110 in the
//                  application). Missing file: 6A82.
//   GET CHALLENGE  8 random bytes (RND.IC for BAC).
//   MSE:Set AT, GENERAL AUTHENTICATE
//                  PACE (Doc 9303-11 4.4, PaceChip of protocol/pace.hpp) for every PACEInfo of the
//                  chip's EF.CardAccess, with the MRZ (mrz_information) and the CAN (can); PACE-CAM with
//                  the key chip_auth_key names. Success starts 3DES or AES secure messaging.
//                  chip.conf pace_fault makes it fail on purpose (ChipSettings::paceFault).
//   MUTUAL AUTH.   BAC (Doc 9303-11 4.3, via BacChip of protocol/bac.hpp) when chip.conf has
//                  mrz_information: K_seed = first 16 bytes of SHA-1(mrz_information). Wrong key:
//                  6300; a chip without BAC: 6D00. Success starts 3DES secure messaging.
//   READ BINARY    B0 with a 15-bit offset in P1-P2 or the SFI form (P1 = 0x80 | SFI, offset in P2);
//                  B1 with the offset in DO'54' and the data returned in DO'53' (for offsets > 32767).
//                  Fewer bytes left than Ne: the rest and 6282. Offset at or past the end: 6B00.
//                  Ne over the chip's max response: 6700. Extended length only when enabled (else 6700).
// Long commands and answers (ISO/IEC 7816-4 5.3.3, 5.3.4), for links without extended length:
//   a command chain (CLA b5 on all links but the last; under SM each link protected on its own) is
//   joined before the command runs, each link answered 9000 (`command_chaining=no`: 6884); an
//   answer longer than the chip's max response or 256 bytes (short form) goes in pieces: the first
//   with 61xx, the rest by GET RESPONSE (00 C0 00 00 Le, plain even in a session: it moves the
//   pieces of one protected answer).
// Access: with BAC configured, files of the application answer 6982 until BAC succeeds; afterwards
// every command must use secure messaging: a plain command gets 6987, a bad MAC 6988, and both end
// the session (as chips do). DG3/DG4 (or `eac_protected`) always answer 6982 (no EAC here).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/card/chip_folder.hpp"

namespace portti::mrtd {

/// What the chip accepts, from chip.conf.
struct ChipSettings {
  std::size_t maxResponse = 256;             ///< largest response data field per APDU (wire)
  bool extendedLength = false;               ///< accepts extended-length APDUs
  std::optional<std::string> mrzInformation;  ///< BAC and PACE password; absent (and no CAN): no access control
  std::optional<std::string> can;             ///< PACE password (Card Access Number)
  bool bac = true;                            ///< answers BAC (with mrz_information); `bac=no`: PACE only
  bool commandChaining = true;                ///< takes command chains (CLA b5); `command_chaining=no`: 6884
  std::vector<int> eacProtected{3, 4};       ///< data groups refused with 6982
  /// A PACE fault (`pace_fault`), for conformance cases and demos: "refuse-set-at" (MSE:Set AT
  /// answers 6A80), "chip-error" (GENERAL AUTHENTICATE's mapping step answers 6F00), "bad-token"
  /// (the chip's authentication token T_IC has a bit flipped). Empty: none.
  std::string paceFault;

  /// Reads the keys of chip.conf; throws Error{File, "chip.conf"} on a bad value.
  static ChipSettings fromConfig(const ChipConfig& config);
};

/// Test-only misbehaviour, for the reader's negative tests. Every switch is off by default and
/// nothing outside tests sets one.
struct ChipMisbehaviourForTesting {
  bool answerLongerThanAsked = false;  ///< READ BINARY returns one byte more than Ne
  bool corruptResponseMac = false;     ///< flips a bit of DO'8E' in protected responses
  std::uint16_t refuseLe00With = 0;    ///< READ BINARY with short Le=00 answers this SW (6700, 6B00)
  bool answer6CAtEnd = false;          ///< fewer bytes left than Ne: 6Cxx (xx = bytes left) instead of 6282
  std::size_t capReadAt = 0;           ///< READ BINARY with Ne above this answers 6700 (e.g. 160)
  bool dropSessionOnError = false;     ///< under SM, an error status goes out bare and ends the session
};

class VirtualChip {
 public:
  /// Throws Error{File} when chip.conf has bad values.
  explicit VirtualChip(ChipImage image);
  /// Loads a chip folder (chip_folder.hpp).
  static VirtualChip fromFolder(const std::filesystem::path& dir);
  ~VirtualChip();
  VirtualChip(VirtualChip&&) noexcept;
  VirtualChip& operator=(VirtualChip&&) noexcept;

  /// Answers one raw command APDU with a raw response (data + SW1 SW2). Never throws: malformed or
  /// hostile input gets a status word, as on a card.
  Bytes transceive(ByteView command);

  const ChipSettings& settings() const;
  /// True while a BAC or PACE session (secure messaging) is established.
  bool secured() const;

  /// Test-only: the challenges GET CHALLENGE returns are taken from here instead of the RNG.
  void setChallengeSourceForTesting(std::function<Bytes()> source);
  /// Test-only: the chip's BAC key material K.IC is taken from here instead of the RNG.
  void setKeyMaterialSourceForTesting(std::function<Bytes()> source);
  /// Test-only misbehaviour switches.
  ChipMisbehaviourForTesting& misbehaviourForTesting();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portti::mrtd
