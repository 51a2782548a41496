// PACE, Password Authenticated Connection Establishment (ICAO Doc 9303 Part 11, 4.4; BSI
// TR-03110-2 3.2): the reader and the chip prove knowledge of a password (the MRZ information or
// the CAN) without revealing it, agree on fresh session keys and start secure messaging.
//   1. MSE:Set AT selects the protocol (OID), the password (83) and the domain parameters (84).
//   2. GA step 1: the chip sends z = E(K_pi, s), a random nonce encrypted under the password key.
//   3. GA step 2: both map s to a new generator (Generic: s*G + H with H from an anonymous key
//      agreement; Integrated: f_G(R(s,t)) with the reader's nonce t; CAM: as Generic).
//   4. GA step 3: ephemeral key agreement on the new generator gives K; KS_enc, KS_mac = KDF(K).
//   5. GA step 4: tokens T = MAC(KS_mac, public key data object of the peer's key) both ways;
//      with CAM the chip adds A_IC = E(KS_enc, SK_IC^-1 * SK_map,IC), which proves its static key.
// The step functions below are the standard's steps by name, so tests check each against the
// worked examples (9303-11 Appendix G and H).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/pace_domain.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

namespace portti::mrtd {

/// The PACE password (9303-11 4.4.1 / 9.7.3): the MRZ information or the Card Access Number.
struct PacePassword {
  enum class Kind { Mrz = 1, Can = 2 };  ///< the values are MSE:Set AT's key reference (DO'83')
  Kind kind = Kind::Mrz;
  SecretBytes value;  ///< MRZ_information (9303-11 9.7.2) or the CAN's digits, as ASCII

  static PacePassword mrz(std::string_view mrzInformation);
  static PacePassword can(std::string_view can);
  const char* name() const { return kind == Kind::Mrz ? "MRZ" : "CAN"; }
};

// ---- Steps of 9303-11 4.4.3, each testable on its own ----

/// K = SHA-1(MRZ_information) (20 bytes, not truncated) or the CAN as bytes (9.7.3).
SecretBytes pacePasswordKey(const PacePassword& password);
/// K_pi = KDF(K, 3) for the suite's cipher (9.7.1).
SecretBytes paceKpi(const PacePassword& password, SymmetricCipher cipher);
/// s = D(K_pi, z) and z = E(K_pi, s): CBC with IV 0, whole blocks (4.4.3.3).
SecretBytes decryptNonce(ByteView kpi, ByteView z, SymmetricCipher cipher);
Bytes encryptNonce(ByteView kpi, ByteView s, SymmetricCipher cipher);
/// R(s,t) of the Integrated Mapping (4.4.3.3.2, Figure 2), n blocks with n*l >= log2 p + 64.
Bytes integratedMappingRandom(ByteView s, ByteView t, SymmetricCipher cipher, std::size_t fieldBits);
/// Length of the IM nonce t (the cipher's key size k; 16 for 3DES) and of s for IM (l >= k).
std::size_t integratedMappingNonceSize(SymmetricCipher cipher);

struct PaceSessionKeys {
  SecretBytes ksEnc;
  SecretBytes ksMac;
};
/// KS_enc = KDF(K, 1), KS_mac = KDF(K, 2) for the cipher (9.7.1).
PaceSessionKeys derivePaceSessionKeys(ByteView sharedSecret, SymmetricCipher cipher);
/// The public key data object the token covers (4.4.3.4, 9.4): 7F49 { 06 OID, 84 y | 86 point }.
Bytes paceTokenInput(const std::string& protocolOid, KeyAgreement ka, ByteView publicKey);
/// T = MAC(KS_mac, token input): AES-CMAC first 8 bytes, or the 3DES retail MAC (4.4.3.4).
Bytes authenticationToken(ByteView ksMac, SymmetricCipher cipher, const std::string& protocolOid, KeyAgreement ka,
                          ByteView publicKey);
/// A_IC = AES-CBC(KS_enc, IV = E(KS_enc, -1), pad(CA_IC)) and back (4.4.3.5). decrypt throws
/// Error{Access} on bad length or padding.
Bytes encryptChipAuthenticationData(ByteView ksEnc, ByteView caIc);
Bytes decryptChipAuthenticationData(ByteView ksEnc, ByteView aIc);

// ---- Choosing a protocol ----

/// True when portti can run this PACEInfo: version 2, a standardised parameter id it computes on,
/// a known mapping/cipher combination.
bool paceInfoSupported(const PaceInfo& info);
/// The best PACEInfo of EF.CardAccess that portti supports: CAM before GM before IM (CAM proves
/// the chip in the same run), ECDH before DH, the stronger cipher first; nullopt if none.
std::optional<PaceInfo> choosePaceInfo(const SecurityInfos& cardAccess);
/// "PACE-ECDH-GM-AES128" and the like, for results and logs.
std::string paceProtocolName(const PaceInfo& info);

// ---- Reader side ----

/// The reader's random choices, fixed by tests to replay worked examples.
struct PaceReaderRandomForTesting {
  std::optional<Bytes> mapPrivateKey;        ///< SK_map,PCD (GM, CAM)
  std::optional<Bytes> ephemeralPrivateKey;  ///< SK_eph,PCD
  std::optional<Bytes> integratedNonce;      ///< t (IM)
};

/// What PACE-CAM leaves to check (4.4.3.5.2): the chip's mapping key and the decrypted CA_IC.
/// With the chip's static public key (DG14, after Passive Authentication) they prove the chip.
struct PaceCamEvidence {
  PaceInfo info;
  Bytes chipMapPublicKey;        ///< PK_map,IC
  Bytes chipAuthenticationData;  ///< CA_IC
};

/// What a successful PACE run gives.
struct PaceResult {
  PaceInfo info;
  std::string protocol;  ///< paceProtocolName(info)
  SecureMessaging sm;    ///< SSC 0
  std::optional<PaceCamEvidence> cam;  ///< PACE-CAM only
  Bytes ksEncForTesting;  ///< session keys, for tests against worked examples
  Bytes ksMacForTesting;
};

/// Runs PACE over `channel` with `info` (from EF.CardAccess). Throws Error{Access, step, reason}
/// naming the step: the chip refused (MSE:Set AT, GA steps, 6300 at the last step: "access denied:
/// check the MRZ / CAN"), a malformed or invalid answer (wrong length, not on the curve, outside
/// the group), a token that does not verify.
PaceResult performPace(ApduChannel& channel, const PaceInfo& info, const PacePassword& password,
                       const PaceReaderRandomForTesting& fixed = {});

/// PACE-CAM verification (4.4.3.5.2): PK_map,IC = CA_IC x PK_IC, with PK_IC the chip's static
/// public key (SubjectPublicKeyInfo DER of DG14's ChipAuthenticationPublicKeyInfo). False when it
/// does not hold; throws Error{Access} when the key is unusable (wrong curve, malformed).
bool verifyPaceCam(const PaceCamEvidence& evidence, ByteView chipPublicKeyInfo);
/// The same with the key taken from DG14: the ChipAuthenticationPublicKeyInfo whose keyId is the
/// PACE parameter id, or the only one. Throws Error{Access} when DG14 has no usable key.
bool verifyPaceCamWithDg14(const PaceCamEvidence& evidence, ByteView dg14);

// ---- Chip side (the virtual chip) ----

/// The card side of PACE: answers MSE:Set AT and the chain of GENERAL AUTHENTICATE commands.
class PaceChip {
 public:
  struct Config {
    std::vector<PaceInfo> offered;          ///< PACEInfos of the chip's EF.CardAccess
    std::optional<PacePassword> mrz;        ///< MRZ password (absent: refused)
    std::optional<PacePassword> can;        ///< CAN password (absent: refused)
    Bytes camStaticPrivateKey;              ///< SK_IC for CAM (big-endian); empty: CAM refused
    std::optional<std::int64_t> camParameterId;  ///< domain of SK_IC
  };
  /// The chip's random choices, fixed by tests.
  struct RandomForTesting {
    std::optional<Bytes> nonce;                ///< s
    std::optional<Bytes> mapPrivateKey;        ///< SK_map,IC
    std::optional<Bytes> ephemeralPrivateKey;  ///< SK_eph,IC
  };

  explicit PaceChip(Config config);
  ~PaceChip();
  PaceChip(PaceChip&&) noexcept;
  PaceChip& operator=(PaceChip&&) noexcept;

  /// True for the commands PACE answers (MSE:Set AT C1A4, GENERAL AUTHENTICATE, plain).
  static bool handles(const CommandApdu& command);
  /// Answers one command. After the last step succeeds, takeSession() returns the secure
  /// messaging session. Any failure resets the protocol (the reader starts again with MSE:Set AT).
  ResponseApdu answer(const CommandApdu& command);
  /// The session established by the last step, once.
  std::optional<SecureMessaging> takeSession();
  /// The protocol name of the last established session ("PACE-ECDH-GM-AES128").
  const std::string& establishedProtocol() const;
  RandomForTesting& randomForTesting();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portti::mrtd
