// bench_face: what each stage of face verification costs (median CPU milliseconds over 7 runs), for a
// 640x480 camera frame and for a DG2-like chip portrait (240x320 JPEG, ~12 KB), with the BLAS limited
// to 1 and to 2 threads, beside a baseline of the same dlib detection/landmark/chip calls written
// plainly. Needs ../shared/faces/frll (a portrait is placed on the camera frame). Prints peak memory.
// The embedding's cost depends on the BLAS dlib links (libblas.so: Debian's OpenBLAS when
// libopenblas0-pthread is installed, else the reference BLAS, ~10x slower): it is printed first.
#include <dlfcn.h>
#include <sys/resource.h>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "portti/vision/detect/face_detector.hpp"
#include "portti/vision/embed/face_embedder.hpp"
#include "portti/vision/face_config.hpp"
#include "portti/vision/face_image.hpp"
#include "portti/vision/quality/capture_quality.hpp"

using namespace portti::vision;

namespace {

constexpr int kRuns = 7;

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Median process CPU milliseconds (all threads): on a machine shared with other work, wall time
/// mostly measures the others; CPU time is what the stage costs.
double medianMs(const std::function<void()>& f) {
  std::vector<double> ms;
  for (int i = 0; i < kRuns; ++i) {
    const double t0 = cpuMs();
    f();
    ms.push_back(cpuMs() - t0);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

/// OpenBLAS's thread setter when the BLAS behind libblas.so is OpenBLAS; null otherwise.
using SetThreads = void (*)(int);
SetThreads openblasSetThreads() { return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")); }

const char* blasName() {
  using GetConfig = char* (*)();
  auto config = reinterpret_cast<GetConfig>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  return config ? config() : "not OpenBLAS (reference BLAS?)";
}

void benchImage(const char* label, const std::vector<std::uint8_t>& encoded, const FaceDetector& detector,
                FaceEmbedder& embedder) {
  cv::Mat image;
  const double decode = medianMs([&] { image = decodeImage(encoded); });
  FaceDetection det;
  const double detectAndLandmarks = medianMs([&] { det = detector.detect(image); });
  if (!det.found) {
    std::printf("%s: no face found\n", label);
    return;
  }
  const double landmarks = medianMs([&] { (void)detector.landmarks(image, det.subject.box); });
  cv::Mat chip;
  const double align = medianMs([&] { chip = alignFaceChip(image, det.subject.landmarks); });
  const double quality = medianMs([&] { (void)assessQuality(image, det, chip); });
  FaceDescriptor d{};
  const double embed = medianMs([&] { d = embedder.embed(chip); });
  const double compare = medianMs([&] { for (int i = 0; i < 1000; ++i) (void)descriptorDistance(d, d); }) / 1000;
  const double total = decode + detectAndLandmarks + align + quality + embed + compare;
  std::printf("%-28s decode %6.1f  detect %6.1f  landmarks %5.1f  align %5.1f  quality %5.1f  embed %6.1f  compare %.4f  | total %6.1f ms CPU\n",
              label, decode, detectAndLandmarks - landmarks, landmarks, align, quality, embed, compare, total);

  // Baseline: the same dlib calls, written plainly (no scaling, no subject choice, no checks).
  static dlib::frontal_face_detector plain = dlib::get_frontal_face_detector();
  static dlib::shape_predictor sp = [] {
    dlib::shape_predictor p;
    dlib::deserialize(FaceDetector::kDefaultLandmarkModel) >> p;
    return p;
  }();
  const double baseline = medianMs([&] {
    cv::Mat img = cv::imdecode(encoded, cv::IMREAD_COLOR);
    dlib::cv_image<dlib::bgr_pixel> dimg(img);
    auto faces = plain(dimg);
    if (faces.empty()) return;
    auto shape = sp(dimg, faces[0]);
    dlib::matrix<dlib::rgb_pixel> c;
    dlib::extract_image_chip(dimg, dlib::get_face_chip_details(shape, 150, 0.25), c);
  });
  const double pipeline = decode + detectAndLandmarks + align;
  std::printf("%-28s baseline decode+detect+landmarks+align %6.1f ms; portti's %6.1f ms (%.2fx)\n", "", baseline,
              pipeline, pipeline / baseline);
}

}  // namespace

int main() {
  const std::string frll = "../shared/faces/frll";
  if (!std::filesystem::exists(frll)) {
    std::printf("bench_face: %s is absent; nothing to measure\n", frll.c_str());
    return 0;
  }
  std::printf("BLAS behind dlib: %s\n", blasName());
  const FaceConfig config = FaceConfig::load("config/face.conf");
  const FaceDetector detector(config.landmarkModel);
  auto embedder = FaceEmbedder::loadFaceApi(config.modelDir);

  // A camera frame: the portrait at 360 px on a grey 640x480 background.
  const cv::Mat portrait = cv::imread(frll + "/001/neutral.jpg");
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(110, 110, 110));
  cv::Mat small;
  cv::resize(portrait, small, cv::Size(360, 360), 0, 0, cv::INTER_AREA);
  small.copyTo(frame(cv::Rect(140, 60, 360, 360)));
  std::vector<std::uint8_t> frameJpeg;
  cv::imencode(".jpg", frame, frameJpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
  const auto chip = encodeChipPortrait(portrait(cv::Rect(60, 0, 480, 600)), 240, 12000);

  auto setThreads = openblasSetThreads();
  for (int threads : {1, 2}) {
    if (setThreads) setThreads(threads);
    cv::setNumThreads(threads);
    std::printf("-- %d thread%s (BLAS and OpenCV)%s\n", threads, threads > 1 ? "s" : "",
                setThreads ? "" : " [BLAS threads not settable]");
    benchImage("camera frame 640x480", frameJpeg, detector, *embedder);
    benchImage("chip portrait 240x300 JPEG", chip.bytes, detector, *embedder);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory (max RSS): %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
