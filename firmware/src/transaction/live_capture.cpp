#include <exception>

#include <opencv2/imgproc.hpp>

#include "steps.hpp"

namespace portti::firmware::steps {

double frameSharpness(const cv::Mat& frame) {
  if (frame.empty()) return 0;
  cv::Mat grey, lap;
  if (frame.channels() == 3) cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
  else grey = frame;
  cv::Laplacian(grey, lap, CV_64F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(lap, mean, stddev);
  return stddev[0] * stddev[0];
}

StepOutcome captureLive(Transaction& tx, hw::Camera* camera, const Clock& clock, const MachineTimeouts& timeouts) {
  if (!camera) return StepOutcome::notDone("no camera configured");
  const auto deadline = clock.now() + timeouts.captureBudget;
  int frames = 0;
  try {
    while (frames < timeouts.captureMaxFrames) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now());
      if (left.count() <= 0 && frames > 0) break;
      std::optional<hw::Frame> grabbed = camera->grab(std::max(left, std::chrono::milliseconds(1)));
      cv::Mat frame = grabbed ? grabbed->image : cv::Mat();
      if (frame.empty()) {
        if (clock.now() >= deadline) break;
        continue;
      }
      ++frames;
      const double quality = frameSharpness(frame);
      if (tx.liveFrame.empty() || quality > tx.liveQuality) {
        wipeImage(tx.liveFrame);
        tx.liveFrame = frame;
        tx.liveQuality = quality;
      } else {
        wipeImage(frame);
      }
      if (quality >= timeouts.captureGoodEnough) break;
    }
  } catch (const std::exception& e) {
    if (tx.liveFrame.empty()) return StepOutcome::failed(std::string("camera: ") + e.what());
  }
  if (tx.liveFrame.empty()) {
    const std::string why = camera->status().lastError;
    return StepOutcome::failed("no camera frame within the capture budget" + (why.empty() ? "" : ": " + why));
  }
  tx.liveCapture = Verdict::Passed;
  return StepOutcome::passed();
}

}  // namespace portti::firmware::steps
