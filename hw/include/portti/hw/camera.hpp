// The kiosk camera: frames with a capture timestamp and a sequence number, and a grab() that waits
// at most its timeout. A camera that stops delivering frames is noticed ("no frame for N ms") and
// shows in status(); nothing waits on it forever.
//
// openCamera(spec) picks the backend:
//   "v4l2:0", "v4l2:/dev/video0"   a V4L2 device through OpenCV VideoCapture (CAP_V4L2);
//   "sim:FILE"                     a video file (anything OpenCV's videoio decodes) played as a camera;
//   "sim:DIR" / "sim:GLOB"         an image sequence: every image in DIR, or the files matching GLOB
//                                  ("frames/*.png"), in name order;
//   "synthetic" / "synthetic:WxH"  a generated moving test pattern (no file needed).
// Options follow the spec after commas: ",loop" (sim: start again at the end), ",fps=N" (pace the
// simulated camera; a V4L2 device is asked for N), ",size=WxH" (V4L2: asked for; sim: frames are
// scaled), ",stall-after=N" (sim/synthetic: deliver N frames then stop, like a camera that hangs).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <opencv2/core/mat.hpp>

#include "portti/hw/device_status.hpp"

namespace portti::hw {

/// One captured image.
struct Frame {
  cv::Mat image;  ///< BGR, 8 bits per channel
  std::chrono::steady_clock::time_point captured;  ///< when the backend handed it over
  std::uint64_t sequence = 0;  ///< 1, 2, 3, ... in capture order; a gap means frames were dropped
};

/// Requested (or, from settings(), actual) capture format; 0 means "the device's default".
struct CameraSettings {
  int width = 0;
  int height = 0;
  double fps = 0;
};

class Camera {
 public:
  virtual ~Camera() = default;

  /// The newest frame not yet returned, waiting up to `timeout` for one. nullopt when none came:
  /// the camera stalled, or a non-looping sim camera reached its end (status().lastError says which).
  virtual std::optional<Frame> grab(std::chrono::milliseconds timeout) = 0;
  /// The format actually in use (what the device accepted, or the sim source's).
  virtual CameraSettings settings() const = 0;
  /// Human-readable source: "V4L2 /dev/video0 640x480@30", "video sample.avi (loop)".
  virtual std::string describe() const = 0;
  /// Time since the last frame arrived (since opening when none has); the "no frame for N ms" check.
  virtual std::chrono::milliseconds sinceLastFrame() const = 0;
  /// Present, model, last error (e.g. "no frame for 1200 ms").
  virtual DeviceStatus status() const = 0;
  /// Grabs one frame within `timeout` and checks it is a non-empty BGR image.
  virtual DeviceStatus selfTest(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) = 0;
};

/// Opens the camera named by `spec` (see above). Throws DeviceError naming the spec and the
/// reason (no such device, unreadable file, empty folder, bad option).
std::unique_ptr<Camera> openCamera(const std::string& spec);

}  // namespace portti::hw
