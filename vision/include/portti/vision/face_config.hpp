// config/face.conf: where the models are, the decision threshold and the quality thresholds.
#pragma once

#include <string>

#include "portti/vision/quality/capture_quality.hpp"

namespace portti::vision {

/// Which score decides: dlib's ResNet, the ONNX feature network, or their z-score fusion.
enum class FaceBackend { Dlib, Onnx, Fusion };
const char* backendName(FaceBackend backend);

struct FaceConfig {
  std::string modelDir;       ///< face-api's model/ folder (face_recognition_model*)
  std::string onnxModel;      ///< fr_feature.onnx; empty: the ONNX backend is not loaded
  FaceBackend backend = FaceBackend::Dlib;
  /// Fusion: each score becomes (score - impostor mean) / impostor deviation, then the two are averaged.
  /// The impostor statistics come from `portti face eval` on a calibration set (frll).
  double dlibImpostorMean = 0.3, dlibImpostorStd = 0.07;
  double onnxImpostorMean = 0.0, onnxImpostorStd = 0.1;
  std::string landmarkModel = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
  /// Same person when score >= threshold. Scores: dlib 1 - euclidean distance; onnx cosine similarity;
  /// fusion the mean of the two z-scores.
  double threshold = 0.45;
  double targetFmr = 0.001;  ///< the false-match rate `portti face eval` calibrates the threshold for
  QualityThresholds quality;

  /// Reads `key = value` lines ('#' comments); relative paths are taken from the file's folder.
  /// Throws std::runtime_error naming the file and line of anything it does not understand.
  static FaceConfig load(const std::string& path);
  /// Sets `threshold` (with `note` as the line's comment) and `target_fmr` in the file at `path`, keeping
  /// every other line and comment as it is; a key the file lacks is appended. The threshold is rounded up
  /// to 4 decimals (it still refuses every score the exact one refuses) and returned. The file is replaced
  /// by rename, so a reader sees the old or the new file, never half of one. Throws std::runtime_error.
  static double writeThreshold(const std::string& path, double threshold, double targetFmr, const std::string& note);
};

}  // namespace portti::vision
