#include <exception>

#include "portti/vision/face_image.hpp"
#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome compareFaces(Transaction& tx, FaceComparator* comparator, double threshold) {
  if (tx.chip.portrait.empty()) return StepOutcome::notDone("no chip portrait");
  if (tx.liveFrame.empty()) return StepOutcome::notDone("no live frame");
  if (!comparator) return StepOutcome::notDone("no face comparator installed");
  try {
    cv::Mat portrait = vision::decodeImage(tx.chip.portrait);
    const double score = comparator->compare(portrait, tx.liveFrame);
    wipeImage(portrait);
    tx.faceScore = score;
    tx.face = score >= threshold ? Verdict::Passed : Verdict::Failed;
  } catch (const std::exception& e) {
    tx.face = Verdict::Failed;
    return StepOutcome::failed(std::string("face comparison: ") + e.what());
  }
  if (tx.face == Verdict::Passed) return StepOutcome::passed();
  return StepOutcome::failed("face score below " + std::to_string(threshold));
}

}  // namespace portti::firmware::steps
