#include "portti/vision/mad/dmad.hpp"

#include <algorithm>
#include <cmath>

#include "portti/vision/error.hpp"

namespace portti::vision {

namespace {

cv::Point2f eyeCentre(const Landmarks68& l, int first) {
  cv::Point2f c(0, 0);
  for (int i = first; i < first + 6; ++i) c += l[static_cast<std::size_t>(i)];
  return c * (1.0f / 6);
}

/// The shape with the right eye at (0,0) and the left eye at (1,0).
Landmarks68 normalised(const Landmarks68& l) {
  const cv::Point2f r = eyeCentre(l, 36), e = eyeCentre(l, 42) - r;
  const float d2 = e.dot(e);
  Landmarks68 out{};
  if (d2 <= 0) return out;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const cv::Point2f p = l[i] - r;
    out[i] = cv::Point2f((p.x * e.x + p.y * e.y) / d2, (p.y * e.x - p.x * e.y) / d2);
  }
  return out;
}

}  // namespace

double landmarkShapeDeviation(const Landmarks68& a, const Landmarks68& b) {
  const auto na = normalised(a), nb = normalised(b);
  double sum = 0;
  for (std::size_t i = 0; i < na.size(); ++i) sum += std::hypot(na[i].x - nb[i].x, na[i].y - nb[i].y);
  return sum / static_cast<double>(na.size());
}

std::vector<double> dmadFeatures(const FaceAnalysis& document, const FaceAnalysis& live) {
  if (!document.descriptor) throw FaceError("D-MAD: no face found in the document photo");
  if (!live.descriptor) throw FaceError("D-MAD: no face found in the live capture");
  std::vector<double> f;
  f.reserve(kDmadFeatures);
  // The dlib descriptors: the model was trained on them (the ONNX half of a fused template is unused).
  const FaceDescriptor& doc = document.descriptor->dlib;
  const FaceDescriptor& cam = live.descriptor->dlib;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const double d = static_cast<double>(doc[i]) - cam[i];
    f.push_back(d * d);
  }
  f.push_back(descriptorDistance(doc, cam));
  f.push_back(landmarkShapeDeviation(document.detection.subject.landmarks, live.detection.subject.landmarks));
  return f;
}

}  // namespace portti::vision
