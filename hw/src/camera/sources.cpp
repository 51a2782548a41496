// The frame sources: OpenCV VideoCapture (a V4L2 device or a video file), an image sequence, and a
// synthetic test pattern.
#include <condition_variable>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "camera/frame_source.hpp"

namespace portti::hw::camera {

namespace {

std::string sizeText(const CameraSettings& s) {
  std::string t = std::to_string(s.width);
  t += 'x';
  t += std::to_string(s.height);
  if (s.fps > 0) {
    t += '@';
    t += std::to_string(static_cast<int>(s.fps + 0.5));
  }
  return t;
}

// Sim sources deliver the requested size, as a device configured for it would.
cv::Mat fitted(cv::Mat image, const CameraSettings& requested) {
  if (image.empty()) return image;
  if (image.channels() == 1)
    cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
  else if (image.channels() == 4)
    cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
  if (requested.width > 0 && requested.height > 0 &&
      (image.cols != requested.width || image.rows != requested.height))
    cv::resize(image, image, cv::Size(requested.width, requested.height), 0, 0, cv::INTER_AREA);
  return image;
}

class VideoCaptureSource : public FrameSource {
 public:
  VideoCaptureSource(const std::string& target, bool isDevice, const SourceOptions& o)
      : isDevice_(isDevice), options_(o), target_(target) {
    if (isDevice) {
      const bool index = !target.empty() && target.find_first_not_of("0123456789") == std::string::npos;
      const bool ok =
          index ? capture_.open(std::stoi(target), cv::CAP_V4L2) : capture_.open(target, cv::CAP_V4L2);
      if (!ok)
        throw DeviceError("camera v4l2:" + target,
                          "cannot open the V4L2 device (not there, busy, or no permission)");
      if (o.requested.width > 0) capture_.set(cv::CAP_PROP_FRAME_WIDTH, o.requested.width);
      if (o.requested.height > 0) capture_.set(cv::CAP_PROP_FRAME_HEIGHT, o.requested.height);
      if (o.requested.fps > 0) capture_.set(cv::CAP_PROP_FPS, o.requested.fps);
    } else if (!capture_.open(target)) {
      throw DeviceError("camera sim:" + target, "cannot open the video file (missing or not decodable)");
    }
    actual_.width = static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_WIDTH));
    actual_.height = static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_HEIGHT));
    actual_.fps = capture_.get(cv::CAP_PROP_FPS);
    if (!isDevice) {
      pace_ =
          o.requested.fps > 0 ? o.requested.fps : (actual_.fps > 0 && actual_.fps <= 120 ? actual_.fps : 15);
      actual_.fps = pace_;
      if (o.requested.width > 0 && o.requested.height > 0) {
        actual_.width = o.requested.width;
        actual_.height = o.requested.height;
      }
    }
  }

  cv::Mat next() override {
    cv::Mat image;
    if (capture_.read(image)) return isDevice_ ? image : fitted(image, options_.requested);
    if (isDevice_) throw DeviceError("camera v4l2:" + target_, "the device stopped delivering frames");
    if (!options_.loop) return {};
    capture_.set(cv::CAP_PROP_POS_FRAMES, 0);
    if (capture_.read(image)) return fitted(image, options_.requested);
    return {};
  }

  CameraSettings settings() const override { return actual_; }
  std::string describe() const override {
    return (isDevice_ ? "V4L2 " : "video ") + target_ + " " + sizeText(actual_) +
           (options_.loop ? " (loop)" : "");
  }
  std::string model() const override {
    return "OpenCV " CV_VERSION " videoio (" + capture_.getBackendName() + ")";
  }
  double pacing() const override { return pace_; }

 private:
  bool isDevice_;
  SourceOptions options_;
  std::string target_;
  cv::VideoCapture capture_;
  CameraSettings actual_;
  double pace_ = 0;
};

class ImageSequenceSource : public FrameSource {
 public:
  ImageSequenceSource(std::vector<std::string> files, std::string label, const SourceOptions& o)
      : files_(std::move(files)), label_(std::move(label)), options_(o) {
    if (files_.empty()) throw DeviceError("camera sim:" + label_, "no images found");
    const cv::Mat first = load(0);
    actual_.width = first.cols;
    actual_.height = first.rows;
    actual_.fps = o.requested.fps > 0 ? o.requested.fps : 15;
  }

  // Every frame is read from its file again: a test steers what the camera sees by renaming a new
  // image over one of the files (scripts/ui-test: the traveller far away, then near).
  cv::Mat next() override {
    if (index_ >= files_.size()) {
      if (!options_.loop) return {};
      index_ = 0;
    }
    return load(index_++);
  }

  CameraSettings settings() const override { return actual_; }
  std::string describe() const override {
    return "image sequence " + label_ + " (" + std::to_string(files_.size()) + " images) " +
           sizeText(actual_) + (options_.loop ? " (loop)" : "");
  }
  std::string model() const override { return "OpenCV " CV_VERSION " imgcodecs"; }
  double pacing() const override { return actual_.fps; }

 private:
  cv::Mat load(std::size_t i) const {
    cv::Mat image = fitted(cv::imread(files_[i], cv::IMREAD_COLOR), options_.requested);
    if (image.empty()) throw DeviceError("camera sim:" + label_, "cannot decode image " + files_[i]);
    return image;
  }

  std::vector<std::string> files_;
  std::string label_;
  SourceOptions options_;
  CameraSettings actual_;
  std::size_t index_ = 0;
};

// A moving bar over a gradient: frames differ from each other, so a frozen pipeline shows.
class SyntheticSource : public FrameSource {
 public:
  explicit SyntheticSource(const SourceOptions& o) {
    actual_.width = o.requested.width > 0 ? o.requested.width : 640;
    actual_.height = o.requested.height > 0 ? o.requested.height : 480;
    actual_.fps = o.requested.fps > 0 ? o.requested.fps : 30;
  }

  cv::Mat next() override {
    cv::Mat image(actual_.height, actual_.width, CV_8UC3);
    for (int y = 0; y < image.rows; ++y)
      image.row(y).setTo(cv::Scalar(255.0 * y / image.rows, 128, 255.0 - 255.0 * y / image.rows));
    const int x = static_cast<int>((count_ * 8) % static_cast<unsigned>(image.cols));
    cv::rectangle(image, cv::Rect(x, 0, std::max(4, image.cols / 20), image.rows), cv::Scalar(255, 255, 255),
                  cv::FILLED);
    ++count_;
    return image;
  }

  CameraSettings settings() const override { return actual_; }
  std::string describe() const override { return "synthetic test pattern " + sizeText(actual_); }
  std::string model() const override { return "portti synthetic camera"; }
  double pacing() const override { return actual_.fps; }

 private:
  CameraSettings actual_;
  unsigned count_ = 0;
};

// Delivers `frames` frames of the inner source, then blocks in next() as a hung device read does,
// until the camera closes.
class StallingSource : public FrameSource {
 public:
  StallingSource(std::unique_ptr<FrameSource> inner, long frames)
      : inner_(std::move(inner)), left_(frames), stallAt_(frames) {}

  cv::Mat next() override {
    if (left_ > 0) {
      --left_;
      return inner_->next();
    }
    std::unique_lock lock(mutex_);
    woken_.wait(lock, [&] { return interrupted_; });
    return {};
  }

  void interrupt() override {
    {
      std::lock_guard lock(mutex_);
      interrupted_ = true;
    }
    woken_.notify_all();
  }

  CameraSettings settings() const override { return inner_->settings(); }
  std::string describe() const override {
    return inner_->describe() + " (stalls after " + std::to_string(stallAt_) + " frames)";
  }
  std::string model() const override { return inner_->model(); }
  double pacing() const override { return inner_->pacing(); }

 private:
  std::unique_ptr<FrameSource> inner_;
  long left_;
  const long stallAt_;
  std::mutex mutex_;
  std::condition_variable woken_;
  bool interrupted_ = false;
};

}  // namespace

std::unique_ptr<FrameSource> stallAfter(std::unique_ptr<FrameSource> source, long frames) {
  return std::make_unique<StallingSource>(std::move(source), frames);
}

std::unique_ptr<FrameSource> openVideoCapture(const std::string& target, bool isDevice,
                                              const SourceOptions& options) {
  return std::make_unique<VideoCaptureSource>(target, isDevice, options);
}

std::unique_ptr<FrameSource> openImageSequence(const std::vector<std::string>& files,
                                               const std::string& label, const SourceOptions& options) {
  return std::make_unique<ImageSequenceSource>(files, label, options);
}

std::unique_ptr<FrameSource> openSynthetic(const SourceOptions& options) {
  return std::make_unique<SyntheticSource>(options);
}

}  // namespace portti::hw::camera
