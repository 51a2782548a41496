// The bridge from a transaction to the decision rules: the facts it established (names from
// FactCatalog::standard()), and the decision policy that runs the kiosk's rule file over them.
// A check that was not done leaves its fact missing or "not done": rules never see an invented pass.
#pragma once

#include <memory>

#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/transaction.hpp"
#include "portti/firmware/transaction/devices.hpp"

namespace portti::firmware {

/// The facts of `tx` on `today` (for holder.age).
Facts transactionFacts(const Transaction& tx, const Date& today);

/// Decides with the rules in force of a rule file, reloading it when it changed (a broken file is
/// refused and the old rules stay: RuleFile).
class RuleFilePolicy : public DecisionPolicy {
 public:
  explicit RuleFilePolicy(std::shared_ptr<RuleFile> rules) : rules_(std::move(rules)) {}
  Decision decide(const Transaction& tx) override;
  RuleFile& ruleFile() { return *rules_; }

 private:
  std::shared_ptr<RuleFile> rules_;
};

}  // namespace portti::firmware
