// The virtual passport maker: issues a complete eMRTD into a chip folder (chip_folder.hpp) from an
// MRZ, a face image and a test PKI (pki/issuing.hpp), the way an issuer personalises a chip:
// EF.COM, DG1, DG2, DG11, DG12, DG14 (Chip Authentication key), DG15 (Active Authentication key),
// EF.SOD over all of them signed by a Document Signer, and chip.conf with the access key.
// For tests, demos and benchmarks; faults make documents that a verifier must reject.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/lds/security_infos.hpp"

namespace portti::mrtd {

/// Ways an issued document can be wrong, each caught by Passive Authentication with its own reason.
enum class IssuanceFault {
  None,
  BadDgHash,     ///< DG2 changed after signing: its hash no longer matches the SOD
  BadSignature,  ///< the SOD's signature is corrupted
  UnknownCsca,   ///< signed under a CSCA the test PKI does not publish: no anchor
  ExpiredDsc,    ///< signed by a Document Signer whose validity has ended
  RevokedDsc,    ///< signed by a Document Signer listed in the test PKI's CRL
  /// Data groups and SOD of a genuine issuance on a chip with other keys: Passive Authentication
  /// passes, Chip and Active Authentication fail.
  Clone,
  // Access faults (the reader must refuse or report them):
  WrongCan,  ///< the chip's CAN differs from the one recorded (printed) for the document
  PaceOnly,  ///< the chip refuses BAC
  BacOnly,   ///< no EF.CardAccess: the chip offers BAC only
  // PACE failures: the reader must end the read with the reason, never fall back to BAC.
  PaceRefused,     ///< MSE:Set AT answers 6A80 (chip.conf pace_fault=refuse-set-at)
  PaceChipError,   ///< GENERAL AUTHENTICATE's mapping step answers 6F00 (pace_fault=chip-error)
  PaceBadToken,    ///< the chip's authentication token does not verify (pace_fault=bad-token)
  BadCardAccess,   ///< EF.CardAccess whose PACEInfo is cut short: not a SecurityInfos SET
  PaceUnsupported, ///< EF.CardAccess offers only a PACEInfo portti does not run (version 1)
};

/// "bad-dg-hash", ... as on the command line; nullopt for an unknown name.
std::optional<IssuanceFault> issuanceFaultFromName(const std::string& name);

/// One PACE protocol a chip offers in EF.CardAccess (ICAO Doc 9303-11 9.2.1).
struct PaceOffer {
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  PaceMapping mapping = PaceMapping::Generic;
  SymmetricCipher cipher = SymmetricCipher::Aes128;
  int parameterId = 13;  ///< standardised domain parameters (13: brainpoolP256r1)
};

struct VirtualPassportSpec {
  std::string mrz;        ///< MRZ text (must be valid: check digits are computed by the issuer)
  Bytes faceImage;        ///< encoded portrait as stored in DG2 (JPEG or JPEG 2000)
  ImageFormat faceFormat = ImageFormat::Jpeg;
  std::uint32_t faceWidth = 0;
  std::uint32_t faceHeight = 0;
  std::filesystem::path pkiDir;   ///< written by pki::makeTestPki
  IssuanceFault fault = IssuanceFault::None;
  std::string chipAuthKey = "EC:prime256v1";    ///< DG14 key: "EC:<curve>" or "DH:<group>" (dh_2048_224, ...)
  SymmetricCipher chipAuthCipher = SymmetricCipher::Aes128;  ///< DG14's ChipAuthenticationInfo
  std::string activeAuthKey = "EC:prime256v1";  ///< DG15 key: "EC:<curve>" or "RSA:<bits>"
  bool extendedLength = true;                    ///< the chip accepts extended-length APDUs
  /// PACE in EF.CardAccess (and DG14); default PACE-ECDH-GM-AES128 on brainpoolP256r1 beside BAC.
  /// For PACE-CAM the chip authentication key is made on the PACE curve. nullopt: BAC only.
  std::optional<PaceOffer> pace = PaceOffer{};
  std::string can;  ///< the Card Access Number (6 digits); empty: a random one
};

/// Issues the document in memory: the chip's files, chip.conf and its private keys
/// (`chip_auth.key.pem` and `active_auth.key.pem`, in `privateKeys` and as the chip's `keyFiles`).
struct IssuedPassport {
  ChipImage chip;
  std::string can;  ///< the CAN as printed on the document (with WrongCan the chip holds another)
  std::map<std::string, std::string> privateKeys;  ///< file name -> PEM
};
IssuedPassport issueVirtualPassport(const VirtualPassportSpec& spec);

/// Issues the document and writes it as a chip folder (with the private key files, and the printed
/// CAN in `can.txt`) into `outDir`; returns the printed CAN.
std::string makeVirtualPassport(const VirtualPassportSpec& spec, const std::filesystem::path& outDir);

}  // namespace portti::mrtd
