// The capture step's judge over vision's capture-quality module: each frame is detected and checked
// (vision::FaceVerifier::assess, no template), and the result turned into what the kiosk publishes
// (guidance codes, the face box) and what the rules see (face.quality, face.count).
#pragma once

#include <string>
#include <vector>

#include "portti/firmware/transaction/devices.hpp"
#include "portti/vision/face_verifier.hpp"

namespace portti::firmware {

/// The traveller guidance for vision's quality reasons: stable codes the UI translates
/// (ui/i18n/*.json `guide.<code>`), most important first, each once:
///   step_in_front, one_person_only, move_closer, move_to_centre, look_at_camera, head_straight,
///   too_dark, too_bright, uneven_light, eyes_closed, hold_still.
std::vector<std::string> guidanceCodes(const std::vector<vision::QualityReason>& reasons);

/// A frame's analysis as the capture step sees it (`frameSize`: the analysed frame's pixels).
FrameAssessment frameAssessment(const vision::FaceAnalysis& analysis, cv::Size frameSize);

class VisionCaptureAssessor : public CaptureAssessor {
 public:
  /// Shares the face comparator's verifier (its models are loaded once); used from one thread.
  explicit VisionCaptureAssessor(vision::FaceVerifier& verifier) : verifier_(verifier) {}
  FrameAssessment assess(const cv::Mat& frame) override;

 private:
  vision::FaceVerifier& verifier_;
};

}  // namespace portti::firmware
