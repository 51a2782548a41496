#include <condition_variable>
#include <mutex>
#include <thread>

#include "camera/frame_source.hpp"

namespace portti::hw::camera {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Beyond this, status() reports the camera as stalled even when nobody is grabbing.
constexpr milliseconds kStallReport{2000};

class ThreadedCamera : public Camera {
 public:
  ThreadedCamera(std::unique_ptr<FrameSource> source, std::string spec, long stallAfter)
      : source_(std::move(source)), spec_(std::move(spec)), stallAfter_(stallAfter), opened_(Clock::now()) {
    thread_ = std::thread([this] { run(); });
  }

  ~ThreadedCamera() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();  // a device read returns within its own timeout (V4L2: select() with 10 s)
  }

  std::optional<Frame> grab(milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    const bool got = changed_.wait_for(lock, timeout, [&] { return latest_.sequence > delivered_ || ended_; });
    if (got && latest_.sequence > delivered_) {
      delivered_ = latest_.sequence;
      return latest_;
    }
    if (ended_) return std::nullopt;  // lastError says why
    lastError_ = "no frame for " + std::to_string(sinceLastFrameLocked().count()) + " ms";
    return std::nullopt;
  }

  CameraSettings settings() const override { return source_->settings(); }
  std::string describe() const override { return source_->describe(); }

  milliseconds sinceLastFrame() const override {
    std::lock_guard lock(mutex_);
    return sinceLastFrameLocked();
  }

  DeviceStatus status() const override {
    std::lock_guard lock(mutex_);
    DeviceStatus s;
    s.kind = "camera";
    s.spec = spec_;
    s.model = source_->model();
    s.lastError = lastError_;
    const auto quiet = sinceLastFrameLocked();
    if (!ended_ && quiet > kStallReport) s.lastError = "no frame for " + std::to_string(quiet.count()) + " ms";
    s.present = !ended_ && quiet <= kStallReport;
    s.selfTest = selfTest_;
    s.selfTestDetail = selfTestDetail_;
    return s;
  }

  DeviceStatus selfTest(milliseconds timeout) override {
    // Takes whatever frame is newest (a delivered one counts too): the test is "frames are coming".
    std::optional<Frame> frame;
    {
      std::unique_lock lock(mutex_);
      const auto since = latest_.sequence;
      changed_.wait_for(lock, timeout, [&] { return latest_.sequence > since || ended_; });
      if (latest_.sequence > since) frame = latest_;
    }
    SelfTest result = SelfTest::Failed;
    std::string detail;
    if (!frame) {
      detail = "no frame within " + std::to_string(timeout.count()) + " ms";
    } else if (frame->image.empty() || frame->image.type() != CV_8UC3) {
      detail = "frame is not an 8-bit BGR image";
    } else {
      result = SelfTest::Passed;
      detail = "frame " + std::to_string(frame->image.cols) + "x" + std::to_string(frame->image.rows);
    }
    {
      std::lock_guard lock(mutex_);
      selfTest_ = result;
      selfTestDetail_ = detail;
      if (result == SelfTest::Failed) lastError_ = "self-test: " + detail;
    }
    return status();
  }

 private:
  milliseconds sinceLastFrameLocked() const {
    const auto from = latest_.sequence ? latest_.captured : opened_;
    return std::chrono::duration_cast<milliseconds>(Clock::now() - from);
  }

  void run() {
    const double fps = source_->pacing();
    const auto period = fps > 0 ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / fps))
                                : Clock::duration::zero();
    auto due = Clock::now();
    std::uint64_t produced = 0;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        // A stalled camera: the thread stays alive but delivers nothing more.
        const bool stalled = stallAfter_ >= 0 && produced >= static_cast<std::uint64_t>(stallAfter_);
        if (stalled) {
          changed_.wait(lock, [&] { return stop_; });
          return;
        }
        if (changed_.wait_until(lock, due, [&] { return stop_; })) return;
      }
      cv::Mat image;
      std::string error;
      try {
        image = source_->next();
      } catch (const std::exception& e) {
        error = e.what();
      }
      std::lock_guard lock(mutex_);
      if (image.empty()) {
        ended_ = true;
        lastError_ = error.empty() ? "end of " + source_->describe() + " (no loop)" : error;
        changed_.notify_all();
        return;
      }
      latest_.image = std::move(image);
      latest_.captured = Clock::now();
      latest_.sequence = ++produced;
      changed_.notify_all();
      due = period == Clock::duration::zero() ? Clock::now() : std::max(due + period, Clock::now() - period);
    }
  }

  std::unique_ptr<FrameSource> source_;
  const std::string spec_;
  const long stallAfter_;
  const Clock::time_point opened_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  bool ended_ = false;
  Frame latest_;
  std::uint64_t delivered_ = 0;
  std::string lastError_;
  SelfTest selfTest_ = SelfTest::NotDone;
  std::string selfTestDetail_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Camera> makeThreadedCamera(std::unique_ptr<FrameSource> source, std::string spec, long stallAfter) {
  return std::make_unique<ThreadedCamera>(std::move(source), std::move(spec), stallAfter);
}

}  // namespace portti::hw::camera
