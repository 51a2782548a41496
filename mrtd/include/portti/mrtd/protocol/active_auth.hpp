// Active Authentication (ICAO Doc 9303-11 6.1): the chip signs a fresh 8-byte challenge from the
// reader (INTERNAL AUTHENTICATE) with the private key whose public half is DG15.
//   RSA:   ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery. The recovered
//          block is F = 6A || M1 || H(M1 || challenge) || trailer; trailer BC = SHA-1, or
//          <hash id> CC with the ISO/IEC 10118-3 ids 33 SHA-1, 34 SHA-256, 35 SHA-512, 36 SHA-384,
//          38 SHA-224 (9303-11 6.1.2).
//   ECDSA: plain r || s (BSI TR-03111 5.2.1) with the hash DG14's ActiveAuthenticationInfo names.
//          Some ID cards send a DER ECDSA-Sig-Value instead: accepted when it is strict DER, and
//          recorded as the tolerance "aa-ecdsa-der-signature".
// The signature proves the chip holds the DG15 key; it counts only when PA covered DG15.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/authenticity.hpp"

namespace portti::mrtd {

/// What an ISO/IEC 9796-2 scheme 1 block F carries.
struct Iso9796Block {
  Bytes m1;          ///< the recoverable part of the message
  Bytes digest;      ///< D = H(M1 || M2)
  std::string hash;  ///< "SHA-1", "SHA-256", ... from the trailer
};

/// Decodes F (leading zero bytes, as a raw RSA operation may leave, are skipped). Throws
/// Error{Crypto, "ACTIVE AUTHENTICATION"} naming the problem: header not 6A, unknown trailer or hash
/// id, a block too short for the digest.
Iso9796Block decodeIso9796Scheme1(ByteView f);

/// Verifies a signature over `challenge` with the DG15 key; `info` from DG14 (needed for ECDSA).
/// Never throws: a wrong size, bad trailer, bad padding or wrong digest is `failed` with the reason;
/// a key or algorithm portti cannot check is `not supported`.
ActiveAuthResult verifyActiveAuthentication(const Dg15& dg15, const std::optional<ActiveAuthenticationInfo>& info,
                                            ByteView challenge, ByteView signature);

/// INTERNAL AUTHENTICATE with a fresh random challenge (or `challengeForTesting`), then verifies.
/// Never throws for the chip's answers (a refusal or a broken session is `failed`).
ActiveAuthResult performActiveAuthentication(ApduChannel& channel, const Dg15& dg15,
                                             const std::optional<ActiveAuthenticationInfo>& info,
                                             const std::optional<Bytes>& challengeForTesting = std::nullopt);

/// The chip side, for the virtual chip: the DG15 private key (RSA: ISO/IEC 9796-2 with SHA-1;
/// EC: ECDSA plain with `ecHash`, "SHA-256" as the virtual passport announces in DG14).
class ActiveAuthChip {
 public:
  /// Throws Error{Crypto} for an unreadable key.
  explicit ActiveAuthChip(const std::string& privateKeyPem, std::string ecHash = "SHA-256");
  ~ActiveAuthChip();
  ActiveAuthChip(ActiveAuthChip&&) noexcept;
  ActiveAuthChip& operator=(ActiveAuthChip&&) noexcept;

  /// The signature over an 8-byte challenge; throws Error{Crypto}.
  Bytes sign(ByteView challenge) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portti::mrtd
