// config/face.conf: where the models are, the decision threshold and the quality thresholds.
#pragma once

#include <string>

#include "portti/vision/quality/capture_quality.hpp"

namespace portti::vision {

struct FaceConfig {
  std::string modelDir;       ///< face-api's model/ folder (face_recognition_model*)
  std::string landmarkModel = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
  /// Same person when score >= threshold; score = 1 - euclidean descriptor distance.
  double threshold = 0.45;
  double targetFmr = 0.001;  ///< the false-match rate `portti face eval` calibrates the threshold for
  QualityThresholds quality;

  /// Reads `key = value` lines ('#' comments); relative paths are taken from the file's folder.
  /// Throws std::runtime_error naming the file and line of anything it does not understand.
  static FaceConfig load(const std::string& path);
};

}  // namespace portti::vision
