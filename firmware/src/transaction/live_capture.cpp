#include <algorithm>
#include <exception>

#include "steps.hpp"

namespace portti::firmware::steps {

namespace {

/// The capture is over: its verdict is the chosen frame's quality.
StepOutcome finishCapture(Transaction& tx) {
  if (!tx.liveAssessment) {
    tx.liveCapture = Verdict::NotDone;
    return StepOutcome::notDone("no capture-quality check installed: the first frame is used");
  }
  if (tx.liveAssessment->acceptable) {
    tx.liveCapture = Verdict::Passed;
    return StepOutcome::passed();
  }
  tx.liveCapture = Verdict::Failed;
  std::string codes;
  for (const auto& g : tx.liveAssessment->guidance) codes += (codes.empty() ? "" : ", ") + g;
  return StepOutcome::failed("no frame passed the capture-quality checks within the budget (" + codes + ")");
}

}  // namespace

StepOutcome captureFrame(Transaction& tx, const MachineParts& parts,
                         std::chrono::steady_clock::time_point deadline, int maxFrames,
                         std::optional<FrameAssessment>& latest) {
  latest.reset();
  hw::Camera* camera = parts.camera;
  if (!camera) return StepOutcome::notDone("no camera configured");
  const Clock& clock = *parts.clock;
  if (!tx.liveFrame.empty() && (clock.now() >= deadline || tx.liveFramesSeen >= maxFrames))
    return finishCapture(tx);
  cv::Mat frame;
  try {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now());
    // Short waits: the machine checks for a removed document and a cancel between frames.
    std::optional<hw::Frame> grabbed =
        camera->grab(std::clamp(left, std::chrono::milliseconds(1), std::chrono::milliseconds(250)));
    if (grabbed) frame = grabbed->image;
    if (frame.empty()) {
      if (clock.now() < deadline) return StepOutcome::waiting();
      const std::string why = camera->status().lastError;
      return StepOutcome::failed("no camera frame within the capture budget" +
                                 (why.empty() ? "" : ": " + why));
    }
    ++tx.liveFramesSeen;
    if (parts.preview) parts.preview->show(frame);
    if (!parts.captureAssessor) {
      // Nothing to choose by: the first frame, unjudged (face.quality stays missing).
      tx.liveFrame = frame;
      return finishCapture(tx);
    }
    latest = parts.captureAssessor->assess(frame);
  } catch (const std::exception& e) {
    wipeImage(frame);
    if (tx.liveFrame.empty()) return StepOutcome::failed(std::string("live capture: ") + e.what());
    return finishCapture(tx);
  }
  if (tx.liveFrame.empty() || latest->score > tx.liveAssessment->score) {
    wipeImage(tx.liveFrame);
    tx.liveFrame = frame;
    tx.liveAssessment = latest;
  } else {
    wipeImage(frame);
  }
  if (tx.liveAssessment->acceptable) return finishCapture(tx);
  return StepOutcome::waiting();
}

}  // namespace portti::firmware::steps
