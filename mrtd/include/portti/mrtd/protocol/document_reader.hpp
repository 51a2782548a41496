// Reading a whole document: EF.CardAccess (if present), the eMRTD application, access control,
// EF.COM, EF.SOD and the data groups EF.COM lists that the caller wants (ICAO Doc 9303-10 and -11).
// Files come back as raw bytes exactly as read: hashes for Passive Authentication are over these.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/card/file_reader.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/pki/trust_store.hpp"
#include "portti/mrtd/protocol/authenticity.hpp"
#include "portti/mrtd/protocol/pace.hpp"

namespace portti::mrtd {

/// What to read.
struct DocumentReadOptions {
  /// Data groups wanted (read when EF.COM lists them). DG3/DG4 need EAC: refused or absent ones
  /// are reported as "not read: EAC required" (CLARIFICATIONS 12).
  std::vector<int> dataGroups{1, 2, 11, 12, 14, 15};
  bool readCardAccess = true;
  /// Chip Authentication (DG14) runs right after DG14, once DG14 passed Passive Authentication
  /// against this trust store (QUIRKS.md: a key no valid SOD covers proves nothing); the rest of
  /// the read then uses the new keys. Null: CA is not done.
  const pki::TrustStore* trust = nullptr;
  pki::PaOptions paOptions;
  bool chipAuthentication = true;
  /// Active Authentication (DG15) at the end of the read.
  bool activeAuthentication = true;
};

/// One file read.
struct DocumentFile {
  std::string name;  ///< "EF.COM", "DG2", ...
  Bytes bytes;       ///< raw, never re-encoded
  FileReadStats stats;
};

/// A file wanted but not read, and why ("not read: EAC required", "not listed in EF.COM", ...).
struct SkippedFile {
  std::string name;
  std::string reason;
};

/// The access key the reader holds: the MRZ information (BAC or PACE) or the CAN (PACE only).
struct AccessKey {
  std::optional<std::string> mrzInformation;  ///< Doc 9303-11 9.7.2
  std::optional<std::string> can;             ///< Card Access Number (digits)

  static AccessKey mrz(std::string mrzInformation) { return {std::move(mrzInformation), std::nullopt}; }
  static AccessKey cardAccessNumber(std::string can) { return {std::nullopt, std::move(can)}; }
};

struct DocumentRead {
  /// "PACE-ECDH-GM-AES128" (paceProtocolName), "BAC", or "none" for a chip without access control.
  std::string accessMethod;
  /// Set when EF.CardAccess offered PACE and BAC was used all the same (the caller gave only a BAC
  /// key seed): a downgrade, for policy to judge (QUIRKS.md "never fail open").
  std::optional<std::string> downgrade;
  /// PACE-CAM's evidence: it proves the chip only with DG14's key, after DG14 passed Passive
  /// Authentication (verifyPaceCamWithDg14).
  std::optional<PaceCamEvidence> paceCam;
  std::vector<DocumentFile> files;  ///< in reading order
  std::vector<SkippedFile> notRead;
  /// Data groups EF.COM lists.
  std::vector<int> listedDataGroups;
  /// Everything on the wire, access control included, and the whole time.
  FileReadStats totals;
  /// What the chip proved. Count them only with requirePassiveAuthentication() applied: until the
  /// whole read passed PA, a `passed` here proves nothing.
  ChipAuthResult chipAuth;
  ActiveAuthResult activeAuth;

  const DocumentFile* find(std::string_view name) const;
};

/// Data groups listed in EF.COM's tag list (DO'5C'), in list order. Throws Error{Lds} when EF.COM is
/// not a '60' object with a '5C' list or lists an unknown tag.
std::vector<int> dataGroupsListedInCom(ByteView efCom);

/// Reads a document over `channel`: EF.CardAccess (plain, if present), SELECT of the application,
/// BAC when `bacKeySeed` (K_seed of Doc 9303-11 9.7.2, 16 bytes) is given (without it the chip must
/// have no access control), EF.COM, EF.SOD, then the wanted data groups EF.COM lists. A chip that
/// leaves secure messaging with a bare status word on an error gets BAC again and the read goes on
/// (smaller reads after 6700 / 6B00). Errors: Error{Access} for a refused key ("access denied: check
/// the MRZ"), Error{File} for missing or unreadable files (a listed DG that is absent: "file not
/// found"), Error{SecureMessaging} when a response fails its MAC check (the session is over).
DocumentRead readDocument(ApduChannel& channel, const std::optional<SecretBytes>& bacKeySeed,
                          const DocumentReadOptions& options = {});

/// Reads a document with PACE whenever EF.CardAccess offers a PACE protocol portti supports (the best
/// one, choosePaceInfo), with the MRZ or the CAN; BAC (MRZ only) when it offers none. PACE offered
/// but failing is an error (Error{Access} naming the PACE step), never a quiet fallback to BAC. A CAN
/// without PACE on the chip is Error{Access}. Otherwise as above.
DocumentRead readDocument(ApduChannel& channel, const AccessKey& key, const DocumentReadOptions& options = {});

}  // namespace portti::mrtd
