#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome resolveAccessKey(Transaction& tx, MrzReader* mrzReader) {
  if (tx.accessKey) return StepOutcome::passed();
  if (mrzReader) {
    if (auto key = mrzReader->poll()) {
      tx.accessKey = std::move(*key);
      return StepOutcome::passed();
    }
  }
  return StepOutcome::waiting();  // manual MRZ or CAN entry may still come
}

}  // namespace portti::firmware::steps
