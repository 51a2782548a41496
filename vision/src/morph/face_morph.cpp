#include "portti/vision/morph/face_morph.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace portti::vision {

namespace {

using Shape = std::vector<cv::Point2f>;

Shape toShape(const Landmarks68& l) { return Shape(l.begin(), l.end()); }

/// Border points (corners and edge midpoints) keep the background in place while the face moves.
void addBorderPoints(Shape& s, cv::Size size) {
  const float w = static_cast<float>(size.width - 1), h = static_cast<float>(size.height - 1);
  for (const cv::Point2f p : {cv::Point2f(0, 0), cv::Point2f(w / 2, 0), cv::Point2f(w, 0), cv::Point2f(w, h / 2),
                              cv::Point2f(w, h), cv::Point2f(w / 2, h), cv::Point2f(0, h), cv::Point2f(0, h / 2)}) {
    s.push_back(p);
  }
}

void clampInto(Shape& s, cv::Size size) {
  for (auto& p : s) {
    p.x = std::clamp(p.x, 0.0f, static_cast<float>(size.width - 1));
    p.y = std::clamp(p.y, 0.0f, static_cast<float>(size.height - 1));
  }
}

/// Delaunay triangles of `shape` as index triples.
std::vector<std::array<int, 3>> delaunay(const Shape& shape, cv::Size size) {
  cv::Subdiv2D subdiv(cv::Rect(0, 0, size.width, size.height));
  for (const auto& p : shape) subdiv.insert(p);
  std::vector<cv::Vec6f> list;
  subdiv.getTriangleList(list);
  auto indexOf = [&](float x, float y) {
    int best = -1;
    float bestD = 1.0f;  // a vertex Subdiv2D returns is one of ours (or a virtual outer one, far away)
    for (std::size_t i = 0; i < shape.size(); ++i) {
      const float d = std::hypot(shape[i].x - x, shape[i].y - y);
      if (d < bestD) bestD = d, best = static_cast<int>(i);
    }
    return best;
  };
  std::vector<std::array<int, 3>> out;
  for (const auto& t : list) {
    const std::array<int, 3> tri = {indexOf(t[0], t[1]), indexOf(t[2], t[3]), indexOf(t[4], t[5])};
    if (tri[0] < 0 || tri[1] < 0 || tri[2] < 0) continue;
    if (tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2]) continue;
    out.push_back(tri);
  }
  return out;
}

/// Piecewise-affine warp of `src` (points `from`) onto the shape `to`: every destination pixel takes the
/// affine map of the triangle it lies in, then one remap samples the source.
cv::Mat warpPiecewise(const cv::Mat& src, const Shape& from, const Shape& to,
                      const std::vector<std::array<int, 3>>& triangles) {
  const cv::Size size = src.size();
  cv::Mat label(size, CV_32S, cv::Scalar(-1));
  std::vector<cv::Mat> maps;
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    const auto& tri = triangles[t];
    const cv::Point2f dst[3] = {to[tri[0]], to[tri[1]], to[tri[2]]};
    const cv::Point2f srcPts[3] = {from[tri[0]], from[tri[1]], from[tri[2]]};
    maps.push_back(cv::getAffineTransform(dst, srcPts));  // destination -> source
    std::array<cv::Point, 3> poly;
    for (int k = 0; k < 3; ++k) poly[k] = cv::Point(cvRound(dst[k].x), cvRound(dst[k].y));
    cv::fillConvexPoly(label, poly.data(), 3, cv::Scalar(static_cast<int>(t)));
  }
  cv::Mat mapX(size, CV_32F), mapY(size, CV_32F);
  for (int y = 0; y < size.height; ++y) {
    const int* l = label.ptr<int>(y);
    float* mx = mapX.ptr<float>(y);
    float* my = mapY.ptr<float>(y);
    for (int x = 0; x < size.width; ++x) {
      if (l[x] < 0) {
        mx[x] = static_cast<float>(x), my[x] = static_cast<float>(y);
        continue;
      }
      const cv::Mat& m = maps[static_cast<std::size_t>(l[x])];
      mx[x] = static_cast<float>(m.at<double>(0, 0) * x + m.at<double>(0, 1) * y + m.at<double>(0, 2));
      my[x] = static_cast<float>(m.at<double>(1, 0) * x + m.at<double>(1, 1) * y + m.at<double>(1, 2));
    }
  }
  cv::Mat out;
  cv::remap(src, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
  return out;
}

/// Moves `image`'s Lab mean and spread inside `mask` to those of `reference`.
cv::Mat matchColour(const cv::Mat& image, const cv::Mat& reference, const cv::Mat& mask) {
  cv::Mat lab, refLab;
  cv::cvtColor(image, lab, cv::COLOR_BGR2Lab);
  cv::cvtColor(reference, refLab, cv::COLOR_BGR2Lab);
  lab.convertTo(lab, CV_32FC3);
  refLab.convertTo(refLab, CV_32FC3);
  cv::Scalar mean, stddev, refMean, refStddev;
  cv::meanStdDev(lab, mean, stddev, mask);
  cv::meanStdDev(refLab, refMean, refStddev, mask);
  std::vector<cv::Mat> ch;
  cv::split(lab, ch);
  for (int c = 0; c < 3; ++c) {
    const double gain = stddev[c] > 1e-6 ? refStddev[c] / stddev[c] : 1.0;
    ch[static_cast<std::size_t>(c)] = (ch[static_cast<std::size_t>(c)] - mean[c]) * gain + refMean[c];
  }
  cv::merge(ch, lab);
  lab.convertTo(lab, CV_8UC3);
  cv::Mat out;
  cv::cvtColor(lab, out, cv::COLOR_Lab2BGR);
  return out;
}

}  // namespace

cv::Mat morphFaces(const FaceVerifier& verifier, const cv::Mat& a, const FaceAnalysis& analysisA, const cv::Mat& b,
                   const FaceAnalysis& analysisB, const MorphOptions& options) {
  if (!analysisA.detection.found || !analysisA.descriptor) throw FaceError("morph: no face found in the first image");
  if (!analysisB.detection.found || !analysisB.descriptor) throw FaceError("morph: no face found in the second image");
  if (options.alpha < 0 || options.alpha > 1) throw std::invalid_argument("morph: alpha must be in 0..1");
  const auto same = verifier.compare(*analysisA.descriptor, *analysisB.descriptor);
  if (same.match) {
    throw MorphError("morph: the two images show the same person (score " + std::to_string(same.score) +
                     " >= threshold " + std::to_string(same.threshold) + ")");
  }
  cv::Mat srcA = a.channels() == 3 ? a : cv::Mat();
  cv::Mat srcB = b.channels() == 3 ? b : cv::Mat();
  if (srcA.empty()) cv::cvtColor(a, srcA, cv::COLOR_GRAY2BGR);
  if (srcB.empty()) cv::cvtColor(b, srcB, cv::COLOR_GRAY2BGR);

  // Bring b into a's frame: a similarity transform from b's landmarks to a's (any sizes).
  Shape shapeA = toShape(analysisA.detection.subject.landmarks);
  Shape shapeB = toShape(analysisB.detection.subject.landmarks);
  const cv::Mat sim = cv::estimateAffinePartial2D(shapeB, shapeA);
  if (sim.empty()) throw FaceError("morph: the two faces' landmarks cannot be aligned");
  cv::Mat bInA;
  cv::warpAffine(srcB, bInA, sim, srcA.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
  cv::transform(shapeB, shapeB, sim);

  const cv::Size size = srcA.size();
  Shape average(shapeA.size());
  const float alpha = static_cast<float>(options.alpha);
  for (std::size_t i = 0; i < shapeA.size(); ++i) average[i] = shapeA[i] * (1 - alpha) + shapeB[i] * alpha;
  for (Shape* s : {&shapeA, &shapeB, &average}) {
    clampInto(*s, size);
    addBorderPoints(*s, size);
  }
  const auto triangles = delaunay(average, size);
  if (triangles.empty()) throw FaceError("morph: the averaged shape cannot be triangulated");
  const cv::Mat warpedA = warpPiecewise(srcA, shapeA, average, triangles);
  cv::Mat warpedB = warpPiecewise(bInA, shapeB, average, triangles);

  // The inner face (hull of the 68 points), shrunk a little and feathered, carries the blend.
  std::vector<cv::Point> hull;
  std::vector<cv::Point> facePoints;
  for (int i = 0; i < 68; ++i) facePoints.emplace_back(cvRound(average[i].x), cvRound(average[i].y));
  cv::convexHull(facePoints, hull);
  cv::Mat mask(size, CV_8U, cv::Scalar(0));
  cv::fillConvexPoly(mask, hull, cv::Scalar(255));
  const double faceWidth = cv::boundingRect(hull).width;
  const int erode = std::max(1, static_cast<int>(faceWidth * 0.03));
  cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * erode + 1, 2 * erode + 1)));
  if (options.matchColour) warpedB = matchColour(warpedB, warpedA, mask);
  cv::Mat soft;
  mask.convertTo(soft, CV_32F, 1.0 / 255);
  const double sigma = std::max(1.0, faceWidth * 0.04);
  cv::GaussianBlur(soft, soft, cv::Size(0, 0), sigma);

  cv::Mat fa, fb;
  warpedA.convertTo(fa, CV_32FC3);
  warpedB.convertTo(fb, CV_32FC3);
  cv::Mat blend = fa * (1 - options.alpha) + fb * options.alpha;
  cv::Mat soft3;
  cv::merge(std::vector<cv::Mat>{soft, soft, soft}, soft3);
  cv::Mat out = options.splice ? cv::Mat(blend.mul(soft3) + fa.mul(cv::Scalar::all(1.0) - soft3)) : blend;
  out.convertTo(out, CV_8UC3);
  return out;
}

cv::Mat printScan(const cv::Mat& bgr, unsigned seed) {
  cv::Mat f;
  bgr.convertTo(f, CV_32F, 1.0 / 255);
  cv::GaussianBlur(f, f, cv::Size(0, 0), 1.0);
  cv::pow(f, 0.9, f);  // paper and scanner lift the mid-tones
  cv::Mat noise(f.size(), f.type());
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 0.015);
  f += noise;
  cv::Mat out;
  f.convertTo(out, CV_8U, 255);
  return out;
}

cv::Mat morphFaces(FaceVerifier& verifier, const cv::Mat& a, const cv::Mat& b, const MorphOptions& options) {
  if (a.empty() || b.empty()) throw FaceError("morph: empty image");
  const auto fa = verifier.analyse(a);
  if (!fa.descriptor) throw FaceError("morph: no face found in the first image");
  const auto fb = verifier.analyse(b);
  if (!fb.descriptor) throw FaceError("morph: no face found in the second image");
  return morphFaces(verifier, a, fa, b, fb, options);
}

}  // namespace portti::vision
