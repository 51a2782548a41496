// 128-d face descriptors from dlib's ResNet-34 face recognition network (dlib's
// dnn_face_recognition_ex), with the weights shipped in the npm package @vladmandic/face-api.
#pragma once

#include <array>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

namespace portti::vision {

/// A face descriptor: dlib's metric space, where one person's faces lie within about 0.6 (euclidean).
using FaceDescriptor = std::array<float, 128>;

/// Euclidean distance between two descriptors.
float descriptorDistance(const FaceDescriptor& a, const FaceDescriptor& b);

class FaceEmbedder {
 public:
  /// Reads `<modelDir>/face_recognition_model-weights_manifest.json` and its .bin shard (TF.js format,
  /// uint8-quantised or float32 tensors) and fills the dlib network layer by layer.
  /// Throws ModelError naming the file or tensor that does not fit.
  static std::unique_ptr<FaceEmbedder> loadFaceApi(const std::string& modelDir);

  virtual ~FaceEmbedder() = default;
  /// `chip`: a 150x150 8-bit BGR face chip as alignFaceChip makes it. Throws FaceError otherwise.
  virtual FaceDescriptor embed(const cv::Mat& chip) = 0;
};

}  // namespace portti::vision
