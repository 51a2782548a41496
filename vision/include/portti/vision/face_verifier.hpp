// 1:1 face verification: detect, judge quality, align, describe, compare.
#pragma once

#include <memory>
#include <optional>

#include <opencv2/core.hpp>

#include "portti/vision/detect/face_detector.hpp"
#include "portti/vision/embed/face_embedder.hpp"
#include "portti/vision/embed/onnx_face_feature.hpp"
#include "portti/vision/face_config.hpp"
#include "portti/vision/quality/capture_quality.hpp"

namespace portti::vision {

/// What is compared: the dlib descriptor and, when the ONNX model is loaded, its 512-d feature.
struct FaceTemplate {
  FaceDescriptor dlib{};
  std::vector<float> onnx;  ///< empty without the ONNX backend
};

/// One image looked at: where the face is, how good the capture is, and (once described) its descriptor.
struct FaceAnalysis {
  FaceDetection detection;
  QualityReport quality;
  cv::Mat chip;     ///< 150x150 aligned face (dlib); empty without a face
  cv::Mat arcCrop;  ///< 112x112 ArcFace-aligned face (ONNX backend); empty without it
  std::optional<FaceTemplate> descriptor;
};

struct FaceComparison {
  double score = 0;      ///< the configured backend's score: higher is more alike
  double threshold = 0;
  bool match = false;    ///< score >= threshold
  double distance = 0;   ///< dlib descriptor distance
  double dlibScore = 0;  ///< 1 - distance
  std::optional<double> onnxScore;    ///< cosine similarity, with the ONNX backend
  std::optional<double> fusionScore;  ///< mean z-score, with the ONNX backend
};

class FaceVerifier {
 public:
  /// Loads both models (about a second); throws ModelError.
  explicit FaceVerifier(const FaceConfig& config);

  /// Detection, landmarks, chip and quality; no descriptor (cheap enough for every camera frame).
  FaceAnalysis assess(const cv::Mat& bgr) const;
  /// assess() plus the descriptor when a face was found.
  FaceAnalysis analyse(const cv::Mat& bgr);
  /// For an already aligned, tight face crop: the face box is the whole image.
  FaceAnalysis analyseAligned(const cv::Mat& crop);
  /// Adds the descriptor to an assessed frame with a face.
  void describe(FaceAnalysis& analysis);

  /// Throws FaceError when the configured backend's template is missing.
  FaceComparison compare(const FaceTemplate& a, const FaceTemplate& b) const;
  const FaceConfig& config() const { return config_; }

 private:
  FaceConfig config_;
  FaceDetector detector_;
  std::unique_ptr<FaceEmbedder> embedder_;
  std::unique_ptr<OnnxFaceFeature> onnx_;
};

}  // namespace portti::vision
