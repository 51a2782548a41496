#include <exception>

#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome deliverResult(Transaction& tx, ResultSink* sink) {
  // Without a durable record the gate must not open: the transaction fails safe to an officer.
  auto failSafe = [&tx](const std::string& why) {
    if (!tx.decision) tx.decision = Decision{};
    tx.decision->outcome = Outcome::Refer;
    tx.decision->reasons.push_back("RESULT_NOT_STORED");
    return StepOutcome::failed(why);
  };
  if (!sink) return failSafe("no outbox configured: the result cannot be stored");
  try {
    sink->commit(tx);
  } catch (const std::exception& e) {
    return failSafe(std::string("the result could not be stored: ") + e.what());
  }
  tx.resultCommitted = true;
  return StepOutcome::passed();
}

}  // namespace portti::firmware::steps
