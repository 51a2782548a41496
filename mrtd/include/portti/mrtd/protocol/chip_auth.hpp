// Chip Authentication v1 (ICAO Doc 9303-11 6.2; BSI TR-03110-1 / -3 A.4): ephemeral-static DH or
// ECDH between a fresh terminal key and the chip's static key from DG14. Both sides derive new
// session keys (9303-11 9.7.1) and secure messaging restarts with them (SSC 0). The chip proves it
// holds the private key implicitly: only then does secure messaging with the new keys work. So a
// run is complete only after one protected exchange with the new keys has verified.
//
// Commands (9303-11 6.2.4): 3DES: MSE:Set KAT (00 22 41 A6, DO'91' ephemeral public key, DO'84'
// key id). AES: MSE:Set AT (00 22 41 A4, DO'80' protocol OID, DO'84' key id) then GENERAL
// AUTHENTICATE (00 86 00 00, 7C{80 ephemeral public key}), answered 7C 00.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

namespace portti::mrtd {

/// What DG14 says to run: one ChipAuthenticationInfo and the public key with the same key id.
struct ChipAuthParameters {
  std::string protocol;  ///< the id-CA-* OID
  KeyAgreement keyAgreement = KeyAgreement::Ecdh;
  SymmetricCipher cipher = SymmetricCipher::Tdes;
  std::optional<std::int64_t> keyId;
  Bytes subjectPublicKeyInfo;  ///< the chip's static key
  std::vector<std::string> tolerances;

  /// "CA-ECDH-AES-128", "CA-DH-3DES", ...
  std::string name() const;
};

/// Picks the parameters from DG14's SecurityInfos: the first ChipAuthenticationInfo whose key id
/// (if any) has a ChipAuthenticationPublicKeyInfo of the same kind. Without a ChipAuthenticationInfo
/// (older documents) a lone public key means 3DES (Doc 9303-11 9.2.5), recorded as the tolerance
/// "ca-info-absent-3des-assumed". Throws Error{Lds, "DG14"} when DG14 offers no usable pair.
ChipAuthParameters selectChipAuthParameters(const SecurityInfos& dg14);

/// How the ephemeral key is sent: by the cipher (Set KAT for 3DES, Set AT + GA for AES), or forced
/// (some reader stacks use Set AT + GA with 3DES too; a recorded run needs that form).
enum class ChipAuthCommands { ByCipher, SetKat, SetAtGeneralAuthenticate };

/// Test hook: a fixed terminal key pair (EC only: private scalar and 04||x||y).
struct EphemeralKeyForTesting {
  Bytes privateKey;
  Bytes publicKey;
};

/// Runs the commands over `secureChannel` (the current session, protected with the old keys) and
/// returns the new session (SSC 0) the chip switches to after its answer. The caller must verify it
/// with one protected exchange before trusting it. Throws Error{Access, step} when the chip refuses
/// a step or answers malformed data, Error{Crypto} when the DG14 key is unusable.
SecureMessaging performChipAuthentication(ApduChannel& secureChannel, const ChipAuthParameters& parameters,
                                          ChipAuthCommands commands = ChipAuthCommands::ByCipher,
                                          const std::optional<EphemeralKeyForTesting>& ephemeral = std::nullopt);

/// The session keys from a CA shared secret (9303-11 9.7.1): KS_enc, KS_mac for the cipher, SSC 0.
SecureMessaging chipAuthSession(SymmetricCipher cipher, ByteView sharedSecret);

/// The chip side, for the virtual chip: holds the private key of DG14 and answers the commands.
class ChipAuthChip {
 public:
  /// `privateKeyPem`: the chip's CA private key (DH or EC). Set KAT gives a 3DES session, Set AT the
  /// cipher of the protocol it names. Throws Error{Crypto} for an unreadable key.
  explicit ChipAuthChip(const std::string& privateKeyPem);
  ~ChipAuthChip();
  ChipAuthChip(ChipAuthChip&&) noexcept;
  ChipAuthChip& operator=(ChipAuthChip&&) noexcept;

  /// MSE:Set KAT / Set AT data (P1P2 41A6 / 41A4); the status word to answer. After a good Set KAT
  /// the new session is ready (takeSession); after Set AT the chip waits for GENERAL AUTHENTICATE.
  std::uint16_t setKeyAgreementTemplate(ByteView data);
  std::uint16_t setAuthenticationTemplate(ByteView data);
  /// True when a Set AT for Chip Authentication waits for its GENERAL AUTHENTICATE.
  bool expectsGeneralAuthenticate() const;
  /// GENERAL AUTHENTICATE data 7C{80 key}: answers 7C 00 and readies the session, or a status word.
  std::uint16_t generalAuthenticate(ByteView data, Bytes& responseData);
  /// The session to switch to after the answer has gone out under the old keys (once).
  std::optional<SecureMessaging> takeSession();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portti::mrtd
