// Capture quality in the spirit of ISO/IEC 29794-5: measures of one frame, each with a threshold and a
// reason the traveller can act on.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "portti/vision/detect/face_detector.hpp"

namespace portti::vision {

enum class QualityReason {
  NoFace,        ///< "step in front of the camera"
  SeveralFaces,  ///< "one person at a time"
  FaceTooSmall,  ///< inter-eye distance below the minimum: "move closer"
  FaceCut,       ///< the face touches the image border: "move to the centre"
  PoseYaw,       ///< "look at the camera"
  PosePitch,     ///< "look at the camera"
  PoseRoll,      ///< "keep your head straight"
  Blurred,       ///< "hold still"
  TooDark,       ///< "too dark"
  TooBright,     ///< "too bright"
  LowContrast,   ///< "uneven light"
  EyesClosed,    ///< "open your eyes"
};

/// Stable machine name ("too_dark") and the message shown to the traveller ("Move closer").
const char* reasonCode(QualityReason reason);
const char* reasonMessage(QualityReason reason);

/// Thresholds of each measure (config/face.conf may override them).
struct QualityThresholds {
  double minInterEyePixels = 40;  // ICAO asks 90 for enrolment; a 1:1 check still works from ~40
  double maxYawDegrees = 25;
  double maxPitchDegrees = 25;
  double maxRollDegrees = 20;
  double minSharpness = 30;    // variance of the Laplacian on the 150x150 chip
  double minBrightness = 50;   // mean grey of the face, 0..255
  double maxBrightness = 210;
  double minContrast = 18;     // standard deviation of the face's grey levels
  double minEyeOpenness = 0.15;  // eye aspect ratio (height / width)
};

struct QualityMeasures {
  double interEyePixels = 0;
  double yawDegrees = 0, pitchDegrees = 0, rollDegrees = 0;
  double sharpness = 0;
  double brightness = 0;
  double contrast = 0;
  double eyeOpenness = 0;
  int otherFaces = 0;
};

struct QualityReport {
  bool acceptable = false;  ///< false until every measure has passed
  QualityMeasures measures;
  std::vector<QualityReason> reasons;  ///< empty when acceptable
  /// Higher is better; for choosing among several acceptable frames.
  double score = 0;
};

/// Judges one frame from its detection. `chip` is the aligned 150x150 face (alignFaceChip).
QualityReport assessQuality(const cv::Mat& bgr, const FaceDetection& detection, const cv::Mat& chip,
                            const QualityThresholds& thresholds = {});

}  // namespace portti::vision
