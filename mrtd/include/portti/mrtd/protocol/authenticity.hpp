// Is the chip the one that was issued? Chip Authentication (DG14) and Active Authentication (DG15)
// answer that, but only on top of Passive Authentication: a clone brings its own key pair, so a key
// not covered by a valid SOD proves nothing (QUIRKS.md "never fail open"). Every status starts
// `not done` and becomes `passed` only on proof.
#pragma once

#include <string>
#include <vector>

#include "portti/mrtd/pki/passive_auth.hpp"

namespace portti::mrtd {

enum class AuthStatus { NotDone, Passed, Failed, NotSupported };

/// "not done", "passed", "failed", "not supported".
const char* toString(AuthStatus s);

/// Chip Authentication v1 (Doc 9303-11 6.2).
struct ChipAuthResult {
  AuthStatus status = AuthStatus::NotDone;
  std::string protocol;  ///< "CA-ECDH-AES128", "CA-DH-3DES", ..., or "PACE-CAM" (proved in the PACE run)
  std::string reason;    ///< why not passed
  std::vector<std::string> tolerances;  ///< named deviations accepted (e.g. "ca-info-absent-3des-assumed")
};

/// Active Authentication (Doc 9303-11 6.1).
struct ActiveAuthResult {
  AuthStatus status = AuthStatus::NotDone;
  std::string algorithm;  ///< "RSA-ISO9796-2-SHA-1", "ECDSA-plain-SHA-256", ...
  std::string reason;
  std::vector<std::string> tolerances;  ///< named deviations accepted (e.g. "aa-ecdsa-der-signature")
};

/// Applies the rule above once Passive Authentication of the whole read is known: unless PA is
/// `valid` and covered DG14 (for CA) / DG15 (for AA), the result becomes `not done` with the reason
/// (a failed PA voids a passed or failed CA/AA alike).
void requirePassiveAuthentication(ChipAuthResult& chipAuth, ActiveAuthResult& activeAuth,
                                  const pki::PassiveAuthResult& pa);

}  // namespace portti::mrtd
