// 1:1 face verification: detect, judge quality, align, describe, compare.
#pragma once

#include <memory>
#include <optional>

#include <opencv2/core.hpp>

#include "portti/vision/detect/face_detector.hpp"
#include "portti/vision/embed/face_embedder.hpp"
#include "portti/vision/face_config.hpp"
#include "portti/vision/quality/capture_quality.hpp"

namespace portti::vision {

/// One image looked at: where the face is, how good the capture is, and (once described) its descriptor.
struct FaceAnalysis {
  FaceDetection detection;
  QualityReport quality;
  cv::Mat chip;  ///< 150x150 aligned face; empty without a face
  std::optional<FaceDescriptor> descriptor;
};

struct FaceComparison {
  double score = 0;     ///< 1 - euclidean distance: higher is more alike
  double distance = 0;
  double threshold = 0;
  bool match = false;   ///< score >= threshold
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

  FaceComparison compare(const FaceDescriptor& a, const FaceDescriptor& b) const;
  const FaceConfig& config() const { return config_; }

 private:
  FaceConfig config_;
  FaceDetector detector_;
  std::unique_ptr<FaceEmbedder> embedder_;
};

}  // namespace portti::vision
