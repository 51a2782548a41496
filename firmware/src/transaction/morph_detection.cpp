#include "portti/firmware/transaction/morph_detection.hpp"

#include "portti/firmware/transaction.hpp"
#include "portti/vision/mad/dmad.hpp"

namespace portti::firmware {

double VisionMorphDetector::score(const cv::Mat& portrait, const cv::Mat& live) {
  vision::FaceAnalysis document = verifier_.analyse(portrait);
  vision::FaceAnalysis camera = verifier_.analyse(live);
  const double s = model_.score(vision::dmadFeatures(document, camera));
  for (cv::Mat* m : {&document.chip, &document.arcCrop, &camera.chip, &camera.arcCrop}) wipeImage(*m);
  return s;
}

}  // namespace portti::firmware
