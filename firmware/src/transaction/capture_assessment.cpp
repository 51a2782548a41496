#include "portti/firmware/transaction/capture_assessment.hpp"

#include <algorithm>

#include "portti/vision/capture/best_frame.hpp"

namespace portti::firmware {

namespace {

using vision::QualityReason;

/// Guidance for one reason; the table's order is the order of importance (who, where, pose, light,
/// eyes, stillness): a traveller is told one thing at a time, the first.
struct Guide {
  QualityReason reason;
  const char* code;
};
constexpr Guide kGuides[] = {
    {QualityReason::NoFace, "step_in_front"},     {QualityReason::SeveralFaces, "one_person_only"},
    {QualityReason::FaceTooSmall, "move_closer"}, {QualityReason::FaceCut, "move_to_centre"},
    {QualityReason::PoseYaw, "look_at_camera"},   {QualityReason::PosePitch, "look_at_camera"},
    {QualityReason::PoseRoll, "head_straight"},   {QualityReason::TooDark, "too_dark"},
    {QualityReason::TooBright, "too_bright"},     {QualityReason::LowContrast, "uneven_light"},
    {QualityReason::EyesClosed, "eyes_closed"},   {QualityReason::Blurred, "hold_still"},
};

/// Checks of the subject's own face once one is found (every reason but NoFace and SeveralFaces).
constexpr int kFaceChecks = 10;

}  // namespace

std::vector<std::string> guidanceCodes(const std::vector<QualityReason>& reasons) {
  std::vector<std::string> codes;
  for (const Guide& g : kGuides)
    if (std::find(reasons.begin(), reasons.end(), g.reason) != reasons.end() &&
        std::find(codes.begin(), codes.end(), g.code) == codes.end())
      codes.emplace_back(g.code);
  return codes;
}

FrameAssessment frameAssessment(const vision::FaceAnalysis& a, cv::Size frameSize) {
  FrameAssessment f;
  f.faceFound = a.detection.found;
  f.acceptable = a.quality.acceptable;
  f.score = vision::captureScore(a);
  f.guidance = guidanceCodes(a.quality.reasons);
  if (!a.detection.found) return f;
  f.faces = 1 + a.detection.otherFaces;
  int failed = 0;
  for (QualityReason r : a.quality.reasons)
    if (r != QualityReason::NoFace && r != QualityReason::SeveralFaces) ++failed;
  if (failed == 0) {
    // vision's score of a face that passed every check: about 0 (small, soft, turned) to 2 (large,
    // sharp, frontal); several faces take 0.5 off it, not off the subject's own quality.
    const double own = a.quality.score + (a.detection.otherFaces > 0 ? 0.5 : 0.0);
    f.quality = 0.5 + 0.5 * std::clamp(own / 2.0, 0.0, 1.0);
  } else {
    f.quality = 0.5 * static_cast<double>(kFaceChecks - std::min(failed, kFaceChecks)) / kFaceChecks;
  }
  const cv::Rect& b = a.detection.subject.box;
  if (frameSize.width > 0 && frameSize.height > 0) {
    // Clipped to the frame: a face cut by the border is drawn along the border.
    const double x0 = std::clamp(static_cast<double>(b.x) / frameSize.width, 0.0, 1.0);
    const double y0 = std::clamp(static_cast<double>(b.y) / frameSize.height, 0.0, 1.0);
    const double x1 = std::clamp(static_cast<double>(b.x + b.width) / frameSize.width, 0.0, 1.0);
    const double y1 = std::clamp(static_cast<double>(b.y + b.height) / frameSize.height, 0.0, 1.0);
    f.box = FaceBox{x0, y0, x1 - x0, y1 - y0};
  }
  return f;
}

FrameAssessment VisionCaptureAssessor::assess(const cv::Mat& frame) {
  vision::FaceAnalysis a = verifier_.assess(frame);
  FrameAssessment f = frameAssessment(a, frame.size());
  // The aligned crops are face images: overwritten before they are freed.
  for (cv::Mat* m : {&a.chip, &a.arcCrop}) wipeImage(*m);
  return f;
}

}  // namespace portti::firmware
