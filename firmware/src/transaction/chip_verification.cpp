#include <exception>

#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/protocol/authenticity.hpp"
#include "steps.hpp"

namespace portti::firmware::steps {
namespace {

// A failed CA or AA rejects the chip (a clone); otherwise one passed proof is enough.
void judgeChipAuthenticity(ChipEvidence& chip) {
  const auto& ca = chip.chipAuthResult;
  const auto& aa = chip.activeAuthResult;
  using mrtd::AuthStatus;
  if (ca.status == AuthStatus::Failed || aa.status == AuthStatus::Failed) {
    chip.chipAuth = Verdict::Failed;
    chip.chipAuthMethod = ca.status == AuthStatus::Failed ? ca.protocol : "AA " + aa.algorithm;
    chip.chipAuthReason = "failed: " + (ca.status == AuthStatus::Failed ? ca.reason : aa.reason);
  } else if (ca.status == AuthStatus::Passed || aa.status == AuthStatus::Passed) {
    chip.chipAuth = Verdict::Passed;
    chip.chipAuthMethod = ca.status == AuthStatus::Passed ? ca.protocol : "AA " + aa.algorithm;
    if (ca.status == AuthStatus::Passed && aa.status == AuthStatus::Passed) chip.chipAuthMethod += " + AA " + aa.algorithm;
    chip.chipAuthReason = "passed";
  } else {
    chip.chipAuth = Verdict::NotDone;
    chip.chipAuthReason = "not done: " + (ca.reason.empty() ? std::string("the chip offers neither CA nor AA") : ca.reason);
  }
}

}  // namespace

StepOutcome verifyChip(Transaction& tx, const MachineParts& parts) {
  ChipEvidence& chip = tx.chip;
  if (chip.read != Verdict::Passed) return StepOutcome::notDone("the chip was not read");
  if (!parts.trust) return StepOutcome::notDone("no trust store configured");

  // Parsing failures are recorded, never fatal: PA below judges the bytes whatever they hold.
  try {
    if (auto it = chip.dataGroups.find(1); it != chip.dataGroups.end()) chip.dg1 = mrtd::parseDg1(it->second);
  } catch (const std::exception&) {
    chip.dg1.reset();
  }
  try {
    if (auto it = chip.dataGroups.find(2); it != chip.dataGroups.end()) {
      mrtd::Dg2 dg2 = mrtd::parseDg2(it->second);
      if (!dg2.faces.empty()) chip.portrait = std::move(dg2.faces.front().image);
      for (auto& face : dg2.faces) wipeBytes(face.image);
    }
  } catch (const std::exception&) {
    wipeBytes(chip.portrait);
  }

  chip.passiveAuth = mrtd::pki::verifyPassive(chip.sod, chip.dataGroups, *parts.trust);
  const bool paValid = chip.passiveAuth->status == mrtd::pki::PaStatus::Valid;

  // CA/AA only count on top of a valid PA: a clone brings its own key pair (QUIRKS).
  if (!paValid) {
    chip.chipAuth = Verdict::NotDone;
    chip.chipAuthReason = "not done: passive authentication is not valid";
  } else {
    // The read ran CA (or PACE-CAM) and AA; they count only where this PA covered DG14 / DG15.
    mrtd::requirePassiveAuthentication(chip.chipAuthResult, chip.activeAuthResult, *chip.passiveAuth);
    judgeChipAuthenticity(chip);
  }

  if (!paValid) {
    std::string why = std::string("passive authentication ") + mrtd::pki::toString(chip.passiveAuth->status);
    if (!chip.passiveAuth->reasons.empty()) why += ": " + chip.passiveAuth->reasons.front();
    return StepOutcome::failed(why);
  }
  if (!chip.dg1) return StepOutcome::failed("DG1 missing or unreadable");
  if (chip.chipAuth == Verdict::Failed) return StepOutcome::failed("chip authentication " + chip.chipAuthReason);
  if (chip.chipAuth == Verdict::NotDone) return StepOutcome::notDone("chip authentication " + chip.chipAuthReason);
  return StepOutcome::passed();
}

}  // namespace portti::firmware::steps
