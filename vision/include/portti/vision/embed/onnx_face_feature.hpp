// The second embedding backend: the ONNX face-feature network of the npm package
// faceplugin-face-recognition-js (model/fr_feature.onnx), run through OpenCV's dnn module.
// Input 112x112 BGR aligned to the ArcFace template by a least-squares similarity on 5 landmarks,
// pixels scaled to [-1, 1]; output 512-d, compared by cosine similarity.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "portti/vision/detect/face_detector.hpp"

namespace portti::vision {

/// The 112x112 crop of the ArcFace template (eye centres, nose tip, mouth corners from the 68 points).
cv::Mat alignArcFace(const cv::Mat& bgr, const Landmarks68& landmarks);

/// Cosine similarity of two features.
double cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b);

class OnnxFaceFeature {
 public:
  /// Throws ModelError when the file is missing or is not a network with a 512-d output.
  explicit OnnxFaceFeature(const std::string& onnxPath);
  /// 512 values, L2-normalised. `crop`: 112x112 8-bit BGR from alignArcFace.
  std::vector<float> embed(const cv::Mat& crop);

 private:
  cv::dnn::Net net_;
};

}  // namespace portti::vision
