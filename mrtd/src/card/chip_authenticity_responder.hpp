// The virtual chip's answers to Chip Authentication (MSE:Set KAT, MSE:Set AT + GENERAL
// AUTHENTICATE, Doc 9303-11 6.2) and Active Authentication (INTERNAL AUTHENTICATE, 6.1), with the
// private keys chip.conf names. Private to the virtual chip.
#pragma once

#include <optional>

#include "portti/mrtd/card/apdu.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/protocol/chip_auth.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

namespace portti::mrtd {

class ChipAuthenticityResponder {
 public:
  /// Loads the keys chip.conf names (absent keys: the chip does not offer that protocol). Throws
  /// Error{File, "chip.conf"} when a named key is missing or unreadable.
  explicit ChipAuthenticityResponder(const ChipImage& image);

  /// The answer when the command is one of these protocols, nullopt otherwise (another handler's).
  /// `secured`: secure messaging is on (CA needs a session to restart); `authenticated`: access
  /// control passed (AA needs it).
  std::optional<ResponseApdu> answer(const CommandApdu& c, bool secured, bool authenticated);

  /// After a successful CA: the session to switch to once the answer went out under the old keys.
  std::optional<SecureMessaging> takeSession();

 private:
  std::optional<ChipAuthChip> chipAuth_;
  std::optional<ActiveAuthChip> activeAuth_;
};

}  // namespace portti::mrtd
