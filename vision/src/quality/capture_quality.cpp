#include "portti/vision/quality/capture_quality.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace portti::vision {

const char* reasonCode(QualityReason r) {
  switch (r) {
    case QualityReason::NoFace: return "no_face";
    case QualityReason::SeveralFaces: return "several_faces";
    case QualityReason::FaceTooSmall: return "face_too_small";
    case QualityReason::FaceCut: return "face_cut";
    case QualityReason::PoseYaw: return "pose_yaw";
    case QualityReason::PosePitch: return "pose_pitch";
    case QualityReason::PoseRoll: return "pose_roll";
    case QualityReason::Blurred: return "blurred";
    case QualityReason::TooDark: return "too_dark";
    case QualityReason::TooBright: return "too_bright";
    case QualityReason::LowContrast: return "low_contrast";
    case QualityReason::EyesClosed: return "eyes_closed";
  }
  return "unknown";
}

const char* reasonMessage(QualityReason r) {
  switch (r) {
    case QualityReason::NoFace: return "Please step in front of the camera";
    case QualityReason::SeveralFaces: return "One person at a time, please";
    case QualityReason::FaceTooSmall: return "Move closer";
    case QualityReason::FaceCut: return "Move to the centre";
    case QualityReason::PoseYaw:
    case QualityReason::PosePitch: return "Look at the camera";
    case QualityReason::PoseRoll: return "Keep your head straight";
    case QualityReason::Blurred: return "Hold still";
    case QualityReason::TooDark: return "It is too dark";
    case QualityReason::TooBright: return "It is too bright";
    case QualityReason::LowContrast: return "The light is uneven";
    case QualityReason::EyesClosed: return "Open your eyes";
  }
  return "";
}

namespace {

cv::Point2f mean(const Landmarks68& lm, int from, int to) {
  cv::Point2f s(0, 0);
  for (int i = from; i <= to; ++i) s += lm[static_cast<std::size_t>(i)];
  return s / static_cast<float>(to - from + 1);
}

double dist(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Eye aspect ratio of the six points from `i` (Soukupova & Cech 2016): low when the eye is closed.
double eyeAspect(const Landmarks68& lm, std::size_t i) {
  return (dist(lm[i + 1], lm[i + 5]) + dist(lm[i + 2], lm[i + 4])) / (2.0 * dist(lm[i], lm[i + 3]));
}

/// Yaw, pitch and roll (degrees) of a generic 3D face fitted to six landmarks.
cv::Vec3d headPose(const Landmarks68& lm, cv::Size size) {
  // A generic face in millimetres (nose tip at the origin), as used in many head-pose examples.
  const std::vector<cv::Point3d> model = {
      {0.0, 0.0, 0.0},          // nose tip (30)
      {0.0, -330.0, -65.0},     // chin (8)
      {-225.0, 170.0, -135.0},  // subject's right eye outer corner (36)
      {225.0, 170.0, -135.0},   // subject's left eye outer corner (45)
      {-150.0, -150.0, -125.0}, // right mouth corner (48)
      {150.0, -150.0, -125.0}}; // left mouth corner (54)
  const std::vector<cv::Point2d> image = {lm[30], lm[8], lm[36], lm[45], lm[48], lm[54]};
  const double f = size.width;
  const cv::Matx33d camera(f, 0, size.width / 2.0, 0, f, size.height / 2.0, 0, 0, 1);
  cv::Mat rvec, tvec;
  // Model y points up, image y points down: flip the model's y and z so that a frontal face is identity.
  std::vector<cv::Point3d> flipped;
  for (const auto& p : model) flipped.emplace_back(p.x, -p.y, -p.z);
  cv::solvePnP(flipped, image, camera, cv::noArray(), rvec, tvec, false, cv::SOLVEPNP_ITERATIVE);
  cv::Matx33d r;
  cv::Rodrigues(rvec, r);
  const double rad = 180.0 / CV_PI;
  const double pitch = std::atan2(r(2, 1), r(2, 2)) * rad;
  const double yaw = std::asin(std::clamp(-r(2, 0), -1.0, 1.0)) * rad;
  const double roll = std::atan2(r(1, 0), r(0, 0)) * rad;
  return {yaw, pitch, roll};
}

}  // namespace

QualityReport assessQuality(const cv::Mat& bgr, const FaceDetection& det, const cv::Mat& chip,
                            const QualityThresholds& t) {
  QualityReport q;
  auto fail = [&](QualityReason r) { q.reasons.push_back(r); };
  if (!det.found) {
    fail(QualityReason::NoFace);
    return q;
  }
  const auto& lm = det.subject.landmarks;
  auto& m = q.measures;
  m.otherFaces = det.otherFaces;
  if (det.otherFaces > 0) fail(QualityReason::SeveralFaces);

  m.interEyePixels = dist(mean(lm, 36, 41), mean(lm, 42, 47));
  if (m.interEyePixels < t.minInterEyePixels) fail(QualityReason::FaceTooSmall);
  const cv::Rect frame(0, 0, bgr.cols, bgr.rows);
  if ((det.subject.box & frame) != det.subject.box) fail(QualityReason::FaceCut);

  const cv::Vec3d pose = headPose(lm, bgr.size());
  m.yawDegrees = pose[0], m.pitchDegrees = pose[1], m.rollDegrees = pose[2];
  // Roll straight from the eyes: more stable than the fitted rotation.
  const cv::Point2f eyes = mean(lm, 42, 47) - mean(lm, 36, 41);
  m.rollDegrees = std::atan2(eyes.y, eyes.x) * 180.0 / CV_PI;
  if (std::abs(m.yawDegrees) > t.maxYawDegrees) fail(QualityReason::PoseYaw);
  if (std::abs(m.pitchDegrees) > t.maxPitchDegrees) fail(QualityReason::PosePitch);
  if (std::abs(m.rollDegrees) > t.maxRollDegrees) fail(QualityReason::PoseRoll);

  // Sharpness, exposure and contrast on the inner face of the aligned chip (no background, no hair).
  cv::Mat gray;
  cv::cvtColor(chip, gray, cv::COLOR_BGR2GRAY);
  const cv::Mat inner = gray(cv::Rect(35, 35, 80, 85));
  cv::Mat lap;
  cv::Laplacian(inner, lap, CV_64F);
  cv::Scalar lapMean, lapStd, grayMean, grayStd;
  cv::meanStdDev(lap, lapMean, lapStd);
  cv::meanStdDev(inner, grayMean, grayStd);
  m.sharpness = lapStd[0] * lapStd[0];
  m.brightness = grayMean[0];
  m.contrast = grayStd[0];
  if (m.sharpness < t.minSharpness) fail(QualityReason::Blurred);
  if (m.brightness < t.minBrightness) fail(QualityReason::TooDark);
  if (m.brightness > t.maxBrightness) fail(QualityReason::TooBright);
  if (m.contrast < t.minContrast) fail(QualityReason::LowContrast);

  m.eyeOpenness = (eyeAspect(lm, 36) + eyeAspect(lm, 42)) / 2.0;
  if (m.eyeOpenness < t.minEyeOpenness) fail(QualityReason::EyesClosed);

  q.acceptable = q.reasons.empty();
  q.score = std::min(m.interEyePixels, 120.0) / 120.0 + std::min(m.sharpness, 300.0) / 300.0 -
            (std::abs(m.yawDegrees) + std::abs(m.pitchDegrees)) / 90.0 - 0.5 * static_cast<double>(q.reasons.size());
  return q;
}

}  // namespace portti::vision
