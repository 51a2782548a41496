#include "portti/mrtd/protocol/authenticity.hpp"

#include <algorithm>

namespace portti::mrtd {

const char* toString(AuthStatus s) {
  switch (s) {
    case AuthStatus::Passed: return "passed";
    case AuthStatus::Failed: return "failed";
    case AuthStatus::NotSupported: return "not supported";
    case AuthStatus::NotDone: break;
  }
  return "not done";
}

namespace {
template <typename Result>
void require(Result& r, const pki::PassiveAuthResult& pa, int dg) {
  if (r.status == AuthStatus::NotDone || r.status == AuthStatus::NotSupported) return;
  std::string why;
  if (pa.status != pki::PaStatus::Valid) {
    why = std::string("Passive Authentication is ") + pki::toString(pa.status);
  } else if (std::find(pa.checkedDgs.begin(), pa.checkedDgs.end(), dg) == pa.checkedDgs.end()) {
    why = "DG" + std::to_string(dg) + " is not covered by the SOD";
  } else {
    return;
  }
  r.reason = "void: " + why + " (the chip's own answer was: " + toString(r.status) +
             (r.reason.empty() ? "" : ", " + r.reason) + ")";
  r.status = AuthStatus::NotDone;
}
}  // namespace

void requirePassiveAuthentication(ChipAuthResult& chipAuth, ActiveAuthResult& activeAuth,
                                  const pki::PassiveAuthResult& pa) {
  require(chipAuth, pa, 14);
  require(activeAuth, pa, 15);
}

}  // namespace portti::mrtd
