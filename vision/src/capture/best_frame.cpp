#include "portti/vision/capture/best_frame.hpp"

namespace portti::vision {

double captureScore(const FaceAnalysis& analysis) {
  return analysis.detection.found ? analysis.quality.score : -1e6;
}

CaptureResult captureBestFrame(FaceVerifier& verifier, const FrameSource& next, std::chrono::milliseconds budget) {
  CaptureResult best;
  double bestScore = -1e9;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (std::chrono::steady_clock::now() < deadline) {
    std::optional<cv::Mat> frame = next();
    if (!frame) break;
    if (frame->empty()) continue;  // a dropped frame is not the end of the stream
    ++best.framesSeen;
    FaceAnalysis a = verifier.assess(*frame);
    const double score = captureScore(a);
    if (best.frame.empty() || score > bestScore) {
      bestScore = score;
      best.frame = frame->clone();
      best.analysis = std::move(a);
    }
    if (best.analysis.quality.acceptable) break;
  }
  if (best.analysis.quality.acceptable) {
    verifier.describe(best.analysis);
    best.captured = true;
  }
  return best;
}

}  // namespace portti::vision
