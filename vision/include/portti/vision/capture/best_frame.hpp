// The capture loop: look at camera frames until one is good enough or the time budget is spent.
// Frames come from a callback, so vision knows nothing of the camera behind it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include <opencv2/core.hpp>

#include "portti/vision/face_verifier.hpp"

namespace portti::vision {

/// Returns the next frame (8-bit BGR), or nothing when the source has ended.
using FrameSource = std::function<std::optional<cv::Mat>()>;

struct CaptureResult {
  bool captured = false;     ///< a frame passed every quality check (and has a descriptor)
  cv::Mat frame;             ///< the best frame seen (acceptable or not); empty if no frame came
  FaceAnalysis analysis;     ///< of that frame; its quality reasons say what to tell the traveller
  int framesSeen = 0;
};

/// How a frame ranks among the frames of one capture (higher is better): its quality score, far below
/// any face when it has none. A caller with its own loop (the kiosk publishes guidance between frames)
/// chooses with the same measure.
double captureScore(const FaceAnalysis& analysis);

/// Assesses frames until one is acceptable (then describes it and returns) or `budget` has passed
/// or the source ends; then returns the best frame seen, not captured, with its reasons.
CaptureResult captureBestFrame(FaceVerifier& verifier, const FrameSource& next, std::chrono::milliseconds budget);

}  // namespace portti::vision
