// Basic Access Control (ICAO Doc 9303 Part 11, section 4.3; worked example in Appendix D).
// The reader proves knowledge of the MRZ key seed with GET CHALLENGE and MUTUAL AUTHENTICATE;
// both sides then derive 3DES session keys and start secure messaging with a shared SSC.
// The key seed (16 bytes) is the start of SHA-1 over the MRZ information (document number,
// date of birth, date of expiry, each with its check digit): the MRZ module computes it.
#pragma once

#include <optional>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

namespace portti::mrtd {

/// The document basic access keys K_enc and K_mac (9303-11 9.7.1 with counters 1 and 2).
struct BacKeys {
  SecretBytes kEnc;
  SecretBytes kMac;
};

/// Derives the basic access keys from the 16-byte key seed; throws Error{Access} for another length.
BacKeys deriveBacKeys(ByteView keySeed);

/// Runs BAC over `channel` and returns the secure messaging session (3DES, SSC = last 4 bytes of
/// RND.IC || last 4 bytes of RND.IFD). Throws Error{Access, "MUTUAL AUTHENTICATE", "access denied:
/// check the MRZ"} when the chip refuses the key (6300 / 6982) or its answer does not prove the
/// same key (wrong M.IC, RND.IC or RND.IFD not returned); Error{Access} for other refusals (a chip
/// without BAC) and malformed answers.
SecureMessaging performBac(ApduChannel& channel, ByteView keySeed);

/// As above with the reader's random RND.IFD (8 bytes) and key material K.IFD (16 bytes) given:
/// for tests against worked examples.
SecureMessaging performBac(ApduChannel& channel, ByteView keySeed, ByteView rndIfd, ByteView kIfd);

/// The chip side of BAC, for the virtual chip: holds the basic access keys, hands out challenges
/// and checks MUTUAL AUTHENTICATE. A challenge serves one MUTUAL AUTHENTICATE attempt only.
class BacChip {
 public:
  /// What a successful MUTUAL AUTHENTICATE gives: the response data (E.IC || M.IC, 40 bytes; the
  /// chip sends them with 9000) and the session from then on.
  struct Grant {
    Bytes responseData;
    SecureMessaging sm;
  };

  explicit BacChip(ByteView keySeed);

  /// GET CHALLENGE: a fresh random RND.IC (8 bytes), remembered for the next MUTUAL AUTHENTICATE.
  Bytes getChallenge();
  /// Test hook: uses `rndIc` (8 bytes) as the challenge.
  Bytes getChallenge(ByteView rndIc);

  /// Checks MUTUAL AUTHENTICATE command data (E.IFD || M.IFD). nullopt means access denied (no
  /// challenge outstanding, wrong length, wrong MAC, or RND.IC not echoed): the chip answers 6300.
  /// K.IC is random.
  std::optional<Grant> mutualAuthenticate(ByteView commandData);
  /// Test hook: with the chip's key material K.IC (16 bytes) given.
  std::optional<Grant> mutualAuthenticate(ByteView commandData, ByteView kIc);

 private:
  BacKeys keys_;
  std::optional<Bytes> challenge_;
};

}  // namespace portti::mrtd
