#include "portti/firmware/transaction/live_preview.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace portti::firmware {

namespace {
void wipe(std::vector<std::uint8_t>& bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  bytes.clear();
}
}  // namespace

LivePreview::~LivePreview() {
  clear();
}

void LivePreview::show(const cv::Mat& frame) {
  if (frame.empty()) return;
  cv::Mat small;
  const double scale = std::min(1.0, static_cast<double>(maxSide_) / std::max(frame.cols, frame.rows));
  cv::resize(frame, small, cv::Size(), scale, scale, cv::INTER_AREA);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", small, jpeg, {cv::IMWRITE_JPEG_QUALITY, 75});
  wipeImage(small);
  std::lock_guard lock(mutex_);
  wipe(jpeg_);
  jpeg_ = std::move(jpeg);
  ++number_;
}

void LivePreview::clear() {
  std::lock_guard lock(mutex_);
  wipe(jpeg_);
  jpeg_.shrink_to_fit();
}

std::optional<LivePreview::Picture> LivePreview::latest() const {
  std::lock_guard lock(mutex_);
  if (jpeg_.empty()) return std::nullopt;
  return Picture{jpeg_, number_};
}

}  // namespace portti::firmware
