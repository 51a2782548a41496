#include <exception>

#include "portti/vision/face_image.hpp"
#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome checkMorph(Transaction& tx, MorphDetector* detector, double threshold) {
  if (!detector) return StepOutcome::notDone(tx.morphReason);  // no MAD yet: never a pass
  if (tx.chip.portrait.empty() || tx.liveFrame.empty()) {
    tx.morphReason = "no chip portrait or live frame";
    return StepOutcome::notDone(tx.morphReason);
  }
  try {
    cv::Mat portrait = vision::decodeImage(tx.chip.portrait);
    const double score = detector->score(portrait, tx.liveFrame);
    wipeImage(portrait);
    tx.morphScore = score;
    tx.morph = score < threshold ? Verdict::Passed : Verdict::Failed;
    tx.morphReason = tx.morph == Verdict::Passed ? "" : "morph score at or above " + std::to_string(threshold);
  } catch (const std::exception& e) {
    tx.morph = Verdict::Failed;
    tx.morphReason = std::string("morph check: ") + e.what();
  }
  if (tx.morph == Verdict::Passed) return StepOutcome::passed();
  return StepOutcome::failed(tx.morphReason);
}

}  // namespace portti::firmware::steps
