#include <exception>

#include "steps.hpp"

namespace portti::firmware::steps {

std::string closingMessage(const Transaction& tx) {
  if (tx.cancelled) return "Transaction cancelled: please take your document";
  const bool accepted = tx.decision && tx.decision->outcome == Outcome::Accept && tx.resultCommitted;
  if (!accepted) return "Please see an officer";
  return tx.mode == Mode::Egate ? "Please proceed through the gate" : "Verified: please continue with the clerk";
}

StepOutcome actuate(Transaction& tx, hw::Gate* gate, std::chrono::milliseconds openFor) {
  tx.applicantMessage = closingMessage(tx);
  const bool open = tx.decision && tx.decision->outcome == Outcome::Accept && tx.resultCommitted;
  if (!gate) return open ? StepOutcome::notDone("no gate configured") : StepOutcome::passed();
  try {
    if (open) {
      gate->open(openFor);
      tx.gateOpened = true;
    } else {
      gate->close();
    }
  } catch (const std::exception& e) {
    return StepOutcome::failed(std::string("gate: ") + e.what());
  }
  return StepOutcome::passed();
}

}  // namespace portti::firmware::steps
