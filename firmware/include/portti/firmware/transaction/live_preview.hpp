// The kiosk screen's live camera preview: the newest frame of the capture in progress as a small
// JPEG, only in memory, only while the capture runs (clear() overwrites it when the capture ends),
// handed to the local UI by GET /api/camera/preview.jpg. A face image is biometric data: it is never
// written to disk or a log, and it does not outlive the capture.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "portti/firmware/transaction/devices.hpp"

namespace portti::firmware {

class LivePreview : public FramePreview {
 public:
  /// Frames are scaled down to at most `maxSide` pixels (a preview, not a capture).
  explicit LivePreview(int maxSide = 480) : maxSide_(maxSide) {}
  ~LivePreview() override;

  /// Encodes the frame (downscaled JPEG) as the newest preview; the previous one is overwritten.
  void show(const cv::Mat& frame) override;
  /// Overwrites and drops the preview.
  void clear() override;

  struct Picture {
    std::vector<std::uint8_t> jpeg;
    std::uint64_t number = 0;  ///< counts frames shown since start
  };
  /// A copy of the newest preview; none outside a capture.
  std::optional<Picture> latest() const;

 private:
  const int maxSide_;
  mutable std::mutex mutex_;
  std::vector<std::uint8_t> jpeg_;
  std::uint64_t number_ = 0;
};

}  // namespace portti::firmware
