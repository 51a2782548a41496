// What the live-capture step learns of one camera frame from vision's capture-quality checks
// (ISO/IEC 29794-5 style: one face, size, pose, sharpness, exposure, eyes open): where the face is and
// what to tell the traveller. No biometric template and no pixels: safe to publish to the kiosk UI.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace portti::firmware {

/// A face box in fractions of the frame's width and height (0..1), so the UI can draw it over a
/// preview of any size.
struct FaceBox {
  double x = 0, y = 0, width = 0, height = 0;
};

struct FrameAssessment {
  bool faceFound = false;
  /// Every check passed, one face included: the capture may stop here.
  bool acceptable = false;
  /// For choosing among the frames of one capture; higher is better (vision::captureScore).
  double score = -1e6;
  /// The fact `face.quality`, 0..1: 0.5 and above when every check on the subject's face passed
  /// (size, centring, pose, sharpness, exposure, contrast, eyes open), higher for a larger, sharper,
  /// more frontal face; below 0.5 the share of those checks passed, halved; 0 without a face.
  double quality = 0;
  /// Faces in the frame (the fact `face.count`; more than one at a gate may be a tailgater).
  int faces = 0;
  /// What the traveller should do, as stable codes, most important first (see guidanceCodes()).
  std::vector<std::string> guidance;
  /// The subject's face; none without a face.
  std::optional<FaceBox> box;
};

}  // namespace portti::firmware
