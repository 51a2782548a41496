#include <exception>

#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome decide(Transaction& tx, DecisionPolicy* policy) {
  if (!policy) {
    tx.decision = Decision{Outcome::Refer, {{"no-rules", "no decision rules are loaded"}}, "[]"};
    return StepOutcome::notDone("no decision rules are loaded");
  }
  try {
    tx.decision = policy->decide(tx);
  } catch (const std::exception& e) {
    tx.decision = Decision{Outcome::Refer, {{"rules-error", std::string("the rules failed: ") + e.what()}}, "[]"};
    return StepOutcome::failed(tx.decision->reasons.front().text);
  }
  return StepOutcome::passed();
}

}  // namespace portti::firmware::steps
