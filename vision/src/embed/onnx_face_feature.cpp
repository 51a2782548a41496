#include "portti/vision/embed/onnx_face_feature.hpp"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>

#include "portti/vision/error.hpp"

namespace portti::vision {

namespace {

cv::Point2f mean(const Landmarks68& lm, int from, int to) {
  cv::Point2f s(0, 0);
  for (int i = from; i <= to; ++i) s += lm[static_cast<std::size_t>(i)];
  return s / static_cast<float>(to - from + 1);
}

/// Least-squares similarity (scale, rotation, translation) taking `from` onto `to`.
cv::Mat similarity(const std::vector<cv::Point2f>& from, const std::vector<cv::Point2f>& to) {
  // [x -y 1 0][a b tx ty]^T = u ; [y x 0 1][...] = v
  cv::Mat A(static_cast<int>(2 * from.size()), 4, CV_64F), b(static_cast<int>(2 * from.size()), 1, CV_64F);
  for (std::size_t i = 0; i < from.size(); ++i) {
    const int r = static_cast<int>(2 * i);
    A.at<double>(r, 0) = from[i].x, A.at<double>(r, 1) = -from[i].y, A.at<double>(r, 2) = 1, A.at<double>(r, 3) = 0;
    A.at<double>(r + 1, 0) = from[i].y, A.at<double>(r + 1, 1) = from[i].x, A.at<double>(r + 1, 2) = 0, A.at<double>(r + 1, 3) = 1;
    b.at<double>(r) = to[i].x, b.at<double>(r + 1) = to[i].y;
  }
  cv::Mat p;
  cv::solve(A, b, p, cv::DECOMP_SVD);
  const double a = p.at<double>(0), s = p.at<double>(1);
  return (cv::Mat_<double>(2, 3) << a, -s, p.at<double>(2), s, a, p.at<double>(3));
}

}  // namespace

cv::Mat alignArcFace(const cv::Mat& bgr, const Landmarks68& lm) {
  static const std::vector<cv::Point2f> kTemplate = {
      {38.2946f, 51.6963f}, {73.5318f, 51.5014f}, {56.0252f, 71.7366f}, {41.5493f, 92.3655f}, {70.7299f, 92.2041f}};
  const std::vector<cv::Point2f> points = {mean(lm, 36, 41), mean(lm, 42, 47), lm[30], lm[48], lm[54]};
  cv::Mat crop;
  cv::warpAffine(bgr, crop, similarity(points, kTemplate), cv::Size(112, 112), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  return crop;
}

double cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size() || a.empty()) return 0;
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

OnnxFaceFeature::OnnxFaceFeature(const std::string& path) {
  if (!std::filesystem::exists(path)) throw ModelError("cannot read " + path);
  try {
    net_ = cv::dnn::readNetFromONNX(path);
  } catch (const cv::Exception& e) {
    throw ModelError(path + ": not a loadable ONNX network (" + e.what() + ")");
  }
  if (embed(cv::Mat(112, 112, CV_8UC3, cv::Scalar(128, 128, 128))).size() != 512) {
    throw ModelError(path + ": the network's output is not 512 values");
  }
}

std::vector<float> OnnxFaceFeature::embed(const cv::Mat& crop) {
  if (crop.rows != 112 || crop.cols != 112 || crop.type() != CV_8UC3) throw FaceError("embed: expects a 112x112 BGR crop");
  // BGR kept (measured better on LFW than the package sample's RGB), (x - 127.5) / 127.5.
  net_.setInput(cv::dnn::blobFromImage(crop, 1.0 / 127.5, cv::Size(112, 112), cv::Scalar(127.5, 127.5, 127.5), false));
  const cv::Mat out = net_.forward();  // owned by the net: copied below
  std::vector<float> v(out.ptr<float>(), out.ptr<float>() + out.total());
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  norm = std::sqrt(norm);
  if (!(norm > 0) || !std::isfinite(norm)) throw FaceError("embed: the ONNX network gave an empty feature");
  for (float& x : v) x = static_cast<float>(x / norm);
  return v;
}

}  // namespace portti::vision
