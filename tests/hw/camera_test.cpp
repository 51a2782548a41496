// The camera backends that run here: the synthetic pattern, image sequences (folder, glob) and a
// video file through OpenCV videoio, and a camera that stops delivering frames. V4L2 needs a
// /dev/video device, which this machine has not: only its "cannot open" path is tested.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "portti/hw/camera.hpp"

namespace portti::hw {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/portti-camera-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

// Joins parts (not "a" + b + "c": GCC 12 -Wrestrict false positive at -O2).
std::string join(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) s.append(p);
  return s;
}

cv::Mat numbered(int n, int w = 64, int h = 48) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(n * 40, 255 - n * 40, 100));
  return m;
}

TEST(Camera, SyntheticDeliversNumberedTimestampedFramesOfTheRequestedSize) {
  auto camera = openCamera("synthetic:160x120,fps=100");
  EXPECT_EQ(camera->settings().width, 160);
  EXPECT_EQ(camera->settings().height, 120);
  auto a = camera->grab(1s);
  auto b = camera->grab(1s);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->image.type(), CV_8UC3);
  EXPECT_EQ(a->image.cols, 160);
  EXPECT_EQ(a->image.rows, 120);
  EXPECT_GT(b->sequence, a->sequence);
  EXPECT_GT(b->captured, a->captured);
  EXPECT_GT(cv::norm(a->image, b->image, cv::NORM_L1), 0) << "frames must differ (moving pattern)";
  EXPECT_NE(camera->describe().find("synthetic"), std::string::npos);
  auto s = camera->selfTest(1s);
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.selfTest, SelfTest::Passed);
  EXPECT_EQ(s.lastError, "");
}

TEST(Camera, ImageFolderPlaysInNameOrderThenEnds) {
  TempDir dir;
  for (int i = 0; i < 3; ++i) cv::imwrite((dir.path / join({"f", std::to_string(i), ".png"})).string(), numbered(i));
  fs::create_directory(dir.path / "sub");  // not an image: ignored
  auto camera = openCamera(join({"sim:", dir.path.string(), ",fps=100"}));
  EXPECT_EQ(camera->settings().width, 64);
  for (int i = 0; i < 3; ++i) {
    auto f = camera->grab(1s);
    ASSERT_TRUE(f) << i;
    EXPECT_EQ(f->sequence, static_cast<std::uint64_t>(i + 1));
    EXPECT_EQ(f->image.at<cv::Vec3b>(0, 0)[0], i * 40) << "frame " << i << " out of order";
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(camera->grab(300ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_NE(camera->status().lastError.find("no loop"), std::string::npos) << camera->status().lastError;
  EXPECT_FALSE(camera->status().present);
}

TEST(Camera, GlobWithLoopAndSizeStartsAgain) {
  TempDir dir;
  for (int i = 0; i < 2; ++i) cv::imwrite((dir.path / join({"f", std::to_string(i), ".jpg"})).string(), numbered(i));
  cv::imwrite((dir.path / "other.png").string(), numbered(5));
  auto camera = openCamera(join({"sim:", (dir.path / "*.jpg").string(), ",loop,size=32x24,fps=100"}));
  for (int i = 0; i < 5; ++i) {
    auto f = camera->grab(1s);
    ASSERT_TRUE(f) << i;
    EXPECT_EQ(f->image.cols, 32);
    EXPECT_EQ(f->image.rows, 24);
  }
  EXPECT_NE(camera->describe().find("2 images"), std::string::npos) << camera->describe();
}

TEST(Camera, VideoFileThroughVideoio) {
  TempDir dir;
  const std::string file = (dir.path / "clip.avi").string();
  {
    cv::VideoWriter writer(file, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25, cv::Size(96, 64));
    ASSERT_TRUE(writer.isOpened()) << "OpenCV cannot write MJPEG AVI here";
    for (int i = 0; i < 4; ++i) writer.write(numbered(i, 96, 64));
  }
  auto camera = openCamera(join({"sim:", file, ",fps=100"}));
  EXPECT_EQ(camera->settings().width, 96);
  EXPECT_EQ(camera->settings().height, 64);
  int frames = 0;
  while (camera->grab(500ms)) ++frames;
  EXPECT_EQ(frames, 4);
  EXPECT_NE(camera->describe().find("video"), std::string::npos);
  EXPECT_NE(camera->status().model.find("videoio"), std::string::npos);
}

TEST(Camera, ACameraThatStopsIsReportedNotWaitedFor) {
  auto camera = openCamera("synthetic:64x48,fps=100,stall-after=3");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(camera->grab(1s)) << i;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(camera->grab(250ms));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 240ms);
  EXPECT_LT(waited, 1s);
  EXPECT_GE(camera->sinceLastFrame(), 240ms);
  const auto s = camera->status();
  EXPECT_EQ(s.lastError.rfind("no frame for ", 0), 0u) << s.lastError;
  EXPECT_EQ(camera->selfTest(200ms).selfTest, SelfTest::Failed);
}

TEST(Camera, BadSpecsSayWhy) {
  auto message = [](const std::string& spec) {
    try {
      openCamera(spec);
    } catch (const DeviceError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("webcam:0").find("unknown camera"), std::string::npos);
  EXPECT_NE(message("sim:/nonexistent/clip.avi").find("no such file"), std::string::npos);
  TempDir empty;
  EXPECT_NE(message("sim:" + empty.path.string()).find("no images"), std::string::npos);
  EXPECT_NE(message("synthetic,fps=fast").find("not a positive number"), std::string::npos);
  // No /dev/video* on this machine: the V4L2 path can only show its clear refusal.
  EXPECT_NE(message("v4l2:/dev/video97").find("cannot open the V4L2 device"), std::string::npos);
}

}  // namespace
}  // namespace portti::hw
