#include "portti/firmware/transaction/face_comparison.hpp"

#include "portti/vision/error.hpp"

namespace portti::firmware {

VisionFaceComparator::VisionFaceComparator(const vision::FaceConfig& config) : verifier_(config) {}

double VisionFaceComparator::compare(const cv::Mat& portrait, const cv::Mat& live) {
  vision::FaceAnalysis chip = verifier_.analyse(portrait);
  if (!chip.descriptor) throw vision::FaceError("no face found in the chip portrait");
  vision::FaceAnalysis camera = verifier_.analyse(live);
  if (!camera.descriptor) throw vision::FaceError("no face found in the live frame");
  const double score = verifier_.compare(*chip.descriptor, *camera.descriptor).score;
  // Both analyses hold aligned face crops: overwrite them before they are freed.
  for (cv::Mat* m : {&chip.chip, &chip.arcCrop, &camera.chip, &camera.arcCrop}) wipeImage(*m);
  return score;
}

}  // namespace portti::firmware
