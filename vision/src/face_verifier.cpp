#include "portti/vision/face_verifier.hpp"

#include "portti/vision/error.hpp"

namespace portti::vision {

FaceVerifier::FaceVerifier(const FaceConfig& config)
    : config_(config), detector_(config.landmarkModel), embedder_(FaceEmbedder::loadFaceApi(config.modelDir)) {
  if (!config.onnxModel.empty()) onnx_ = std::make_unique<OnnxFaceFeature>(config.onnxModel);
}

FaceAnalysis FaceVerifier::assess(const cv::Mat& bgr) const {
  FaceAnalysis a;
  a.detection = detector_.detect(bgr);
  if (a.detection.found) {
    a.chip = alignFaceChip(bgr, a.detection.subject.landmarks);
    if (onnx_) a.arcCrop = alignArcFace(bgr, a.detection.subject.landmarks);
  }
  a.quality = assessQuality(bgr, a.detection, a.chip, config_.quality);
  return a;
}

void FaceVerifier::describe(FaceAnalysis& a) {
  if (a.chip.empty()) throw FaceError("describe: no face was found");
  FaceTemplate t;
  t.dlib = embedder_->embed(a.chip);
  if (onnx_) {
    if (a.arcCrop.empty()) throw FaceError("describe: no ArcFace crop");
    t.onnx = onnx_->embed(a.arcCrop);
  }
  a.descriptor = std::move(t);
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
  if (onnx_) a.arcCrop = alignArcFace(crop, a.detection.subject.landmarks);
  a.quality = assessQuality(crop, a.detection, a.chip, config_.quality);
  describe(a);
  return a;
}

FaceComparison FaceVerifier::compare(const FaceTemplate& a, const FaceTemplate& b) const {
  FaceComparison c;
  c.distance = descriptorDistance(a.dlib, b.dlib);
  c.dlibScore = 1.0 - c.distance;
  if (!a.onnx.empty() && !b.onnx.empty()) {
    c.onnxScore = cosineSimilarity(a.onnx, b.onnx);
    c.fusionScore = ((c.dlibScore - config_.dlibImpostorMean) / config_.dlibImpostorStd +
                     (*c.onnxScore - config_.onnxImpostorMean) / config_.onnxImpostorStd) / 2.0;
  }
  switch (config_.backend) {
    case FaceBackend::Dlib: c.score = c.dlibScore; break;
    case FaceBackend::Onnx:
    case FaceBackend::Fusion: {
      const auto& s = config_.backend == FaceBackend::Onnx ? c.onnxScore : c.fusionScore;
      if (!s) throw FaceError(std::string("compare: no ONNX feature for the ") + backendName(config_.backend) + " backend");
      c.score = *s;
      break;
    }
  }
  c.threshold = config_.threshold;
  c.match = c.score >= c.threshold;
  return c;
}

}  // namespace portti::vision
