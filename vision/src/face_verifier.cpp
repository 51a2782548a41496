#include "portti/vision/face_verifier.hpp"

#include "portti/vision/error.hpp"

namespace portti::vision {

FaceVerifier::FaceVerifier(const FaceConfig& config)
    : config_(config), detector_(config.landmarkModel), embedder_(FaceEmbedder::loadFaceApi(config.modelDir)) {}

FaceAnalysis FaceVerifier::assess(const cv::Mat& bgr) const {
  FaceAnalysis a;
  a.detection = detector_.detect(bgr);
  if (a.detection.found) a.chip = alignFaceChip(bgr, a.detection.subject.landmarks);
  a.quality = assessQuality(bgr, a.detection, a.chip, config_.quality);
  return a;
}

void FaceVerifier::describe(FaceAnalysis& a) {
  if (a.chip.empty()) throw FaceError("describe: no face was found");
  a.descriptor = embedder_->embed(a.chip);
}

FaceAnalysis FaceVerifier::analyse(const cv::Mat& bgr) {
  FaceAnalysis a = assess(bgr);
  if (a.detection.found) describe(a);
  return a;
}

FaceAnalysis FaceVerifier::analyseAligned(const cv::Mat& crop) {
  if (crop.empty()) throw FaceError("analyse: empty image");
  FaceAnalysis a;
  a.detection.found = true;
  a.detection.subject.box = cv::Rect(0, 0, crop.cols, crop.rows);
  a.detection.subject.landmarks = detector_.landmarks(crop, a.detection.subject.box);
  a.chip = alignFaceChip(crop, a.detection.subject.landmarks);
  a.quality = assessQuality(crop, a.detection, a.chip, config_.quality);
  describe(a);
  return a;
}

FaceComparison FaceVerifier::compare(const FaceDescriptor& a, const FaceDescriptor& b) const {
  FaceComparison c;
  c.distance = descriptorDistance(a, b);
  c.score = 1.0 - c.distance;
  c.threshold = config_.threshold;
  c.match = c.score >= c.threshold;
  return c;
}

}  // namespace portti::vision
