#include <exception>

#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome decide(Transaction& tx, DecisionPolicy* policy) {
  if (!policy) {
    tx.decision = Decision{};
    tx.decision->reasons.push_back(kNoRulesReason);
    return StepOutcome::notDone("no decision rules are loaded");
  }
  try {
    tx.decision = policy->decide(tx);
  } catch (const std::exception& e) {
    tx.decision = Decision{};
    tx.decision->reasons.push_back("RULES_ERROR");
    return StepOutcome::failed(std::string("the rules failed: ") + e.what());
  }
  return StepOutcome::passed();
}

}  // namespace portti::firmware::steps
