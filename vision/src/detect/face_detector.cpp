#include "portti/vision/detect/face_detector.hpp"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv.h>

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "portti/vision/error.hpp"

namespace portti::vision {

namespace {

constexpr int kMaxDetectSide = 800;   // HOG cost grows with the pixel count; faces stay >= 80 px
constexpr int kSmallImageSide = 400;  // below this, retry detection on a 2x enlarged copy

cv::Mat toBgr(const cv::Mat& image) {
  if (image.empty()) throw FaceError("detect: empty image");
  if (image.depth() != CV_8U) throw FaceError("detect: expects an 8-bit image");
  if (image.channels() == 3) return image;
  cv::Mat bgr;
  if (image.channels() == 1) {
    cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
  } else {
    throw FaceError("detect: unsupported channel count");
  }
  return bgr;
}

dlib::full_object_detection toDlib(const Landmarks68& lm, const cv::Rect& box) {
  std::vector<dlib::point> parts;
  for (const auto& p : lm) parts.emplace_back(std::lround(p.x), std::lround(p.y));
  return dlib::full_object_detection(
      dlib::rectangle(box.x, box.y, box.x + box.width - 1, box.y + box.height - 1), parts);
}

}  // namespace

struct FaceDetector::Impl {
  dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  dlib::shape_predictor predictor;
};

FaceDetector::FaceDetector(const std::string& landmarkModel) {
  dlib::shape_predictor predictor;  // read first: a missing file fails before the detector is built
  try {
    dlib::deserialize(landmarkModel) >> predictor;
  } catch (const std::exception& e) {
    throw ModelError("cannot load the landmark model " + landmarkModel + ": " + e.what());
  }
  if (predictor.num_parts() != 68) throw ModelError(landmarkModel + ": not a 68-point shape predictor");
  impl_ = std::make_unique<Impl>();
  impl_->predictor = std::move(predictor);
}

FaceDetector::~FaceDetector() = default;

Landmarks68 FaceDetector::landmarks(const cv::Mat& image, const cv::Rect& box) const {
  const cv::Mat bgr = toBgr(image);
  dlib::cv_image<dlib::bgr_pixel> img(bgr);
  auto shape = impl_->predictor(img, dlib::rectangle(box.x, box.y, box.x + box.width - 1, box.y + box.height - 1));
  Landmarks68 out;
  for (unsigned i = 0; i < 68; ++i) out[i] = cv::Point2f(static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y()));
  return out;
}

FaceDetection FaceDetector::detect(const cv::Mat& image) const {
  const cv::Mat bgr = toBgr(image);
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);

  double scale = 1.0;  // detection image pixels per full-image pixel
  const int side = std::max(gray.cols, gray.rows);
  if (side > kMaxDetectSide) {
    scale = static_cast<double>(kMaxDetectSide) / side;
    cv::resize(gray, gray, cv::Size(), scale, scale, cv::INTER_AREA);
  }
  auto run = [&](const cv::Mat& g) {
    dlib::cv_image<unsigned char> img(g);
    return impl_->detector(img);
  };
  FaceDetection result;
  std::vector<dlib::rectangle> faces = run(gray);
  if (faces.empty() && side < kSmallImageSide) {
    cv::Mat big;
    cv::resize(gray, big, cv::Size(), 2.0, 2.0, cv::INTER_LINEAR);
    faces = run(big);
    scale *= 2.0;
    result.upscaled = true;
  }
  if (faces.empty()) return result;

  // The subject: the largest face, favouring the centre (a passer-by at the edge is not the traveller).
  const cv::Point2d centre(gray.cols / 2.0 * (result.upscaled ? 2 : 1), gray.rows / 2.0 * (result.upscaled ? 2 : 1));
  const double diag = std::hypot(centre.x, centre.y);
  std::size_t best = 0;
  double bestScore = -1;
  for (std::size_t i = 0; i < faces.size(); ++i) {
    const auto& r = faces[i];
    const double d = std::hypot(r.left() + r.width() / 2.0 - centre.x, r.top() + r.height() / 2.0 - centre.y) / diag;
    const double score = static_cast<double>(r.area()) * (1.0 - 0.5 * d);
    if (score > bestScore) bestScore = score, best = i;
  }
  const auto& r = faces[best];
  cv::Rect box(static_cast<int>(std::lround(r.left() / scale)), static_cast<int>(std::lround(r.top() / scale)),
               static_cast<int>(std::lround(r.width() / scale)), static_cast<int>(std::lround(r.height() / scale)));
  result.found = true;
  result.otherFaces = static_cast<int>(faces.size()) - 1;
  result.subject.box = box;
  result.subject.landmarks = landmarks(bgr, box);
  return result;
}

cv::Mat alignFaceChip(const cv::Mat& image, const Landmarks68& lm) {
  const cv::Mat bgr = toBgr(image);
  const auto xs = std::minmax_element(lm.begin(), lm.end(), [](auto a, auto b) { return a.x < b.x; });
  const auto ys = std::minmax_element(lm.begin(), lm.end(), [](auto a, auto b) { return a.y < b.y; });
  const cv::Rect box(cv::Point(static_cast<int>(xs.first->x), static_cast<int>(ys.first->y)),
                     cv::Point(static_cast<int>(xs.second->x) + 1, static_cast<int>(ys.second->y) + 1));
  dlib::cv_image<dlib::bgr_pixel> img(bgr);
  dlib::matrix<dlib::bgr_pixel> chip;
  dlib::extract_image_chip(img, dlib::get_face_chip_details(toDlib(lm, box), 150, 0.25), chip);
  cv::Mat out(150, 150, CV_8UC3);
  for (int y = 0; y < 150; ++y)
    for (int x = 0; x < 150; ++x) {
      const auto& p = chip(y, x);
      out.at<cv::Vec3b>(y, x) = cv::Vec3b(p.blue, p.green, p.red);
    }
  return out;
}

}  // namespace portti::vision
