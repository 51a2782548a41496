// Private to the camera backends: where frames come from. A source may block in next() (a device
// waiting for its next frame); ThreadedCamera calls it from its own capture thread so grab() never
// waits longer than its timeout.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "portti/hw/camera.hpp"

namespace portti::hw::camera {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  /// The next BGR image; an empty Mat when the source has ended (a video file without loop).
  /// Throws DeviceError when the device fails.
  virtual cv::Mat next() = 0;
  virtual CameraSettings settings() const = 0;
  virtual std::string describe() const = 0;
  virtual std::string model() const = 0;
  /// Frames per second ThreadedCamera paces the source at; 0 when the source paces itself (a device).
  virtual double pacing() const = 0;
};

/// Options after the spec's commas.
struct SourceOptions {
  bool loop = false;
  CameraSettings requested;
  long stallAfter = -1;  ///< -1: never
};

std::unique_ptr<FrameSource> openVideoCapture(const std::string& pathOrIndex, bool isDevice, const SourceOptions& options);
std::unique_ptr<FrameSource> openImageSequence(const std::vector<std::string>& files, const std::string& label, const SourceOptions& options);
std::unique_ptr<FrameSource> openSynthetic(const SourceOptions& options);

/// The camera over any source: a capture thread keeps the newest frame; grab() waits for it.
std::unique_ptr<Camera> makeThreadedCamera(std::unique_ptr<FrameSource> source, std::string spec, long stallAfter);

}  // namespace portti::hw::camera
