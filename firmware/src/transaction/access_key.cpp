#include <exception>

#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome resolveAccessKey(Transaction& tx, hw::AccessKeySource& manual, hw::AccessKeySource* mrzReader) {
  if (tx.accessKey) return StepOutcome::passed();
  // A key typed at the UI wins over the reader; neither source ever delivers an invalid MRZ or CAN.
  for (hw::AccessKeySource* source : {&manual, mrzReader}) {
    if (!source) continue;
    try {
      if (auto key = source->next(std::chrono::milliseconds(0))) {
        tx.accessKey = std::move(*key);
        return StepOutcome::passed();
      }
    } catch (const std::exception& e) {
      if (source == mrzReader) return StepOutcome::failed(std::string("MRZ reader: ") + e.what());
    }
  }
  return StepOutcome::waiting();
}

}  // namespace portti::firmware::steps
