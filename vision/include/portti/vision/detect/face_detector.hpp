// Face detection (dlib's HOG frontal detector) and 68-point landmarks (dlib's shape predictor, iBUG 300-W
// layout), with the subject chosen among several faces.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace portti::vision {

/// The 68 iBUG 300-W points in full-image pixel coordinates (36-41 subject's right eye, 42-47 left eye,
/// 30 nose tip, 8 chin, 48/54 mouth corners).
using Landmarks68 = std::array<cv::Point2f, 68>;

struct DetectedFace {
  cv::Rect box;           ///< in full-image pixels
  Landmarks68 landmarks;  ///< in full-image pixels
};

/// What a detection found: the subject (the largest, most centred face) and how many others.
struct FaceDetection {
  bool found = false;
  DetectedFace subject;
  int otherFaces = 0;   ///< more faces in the frame (tailgating at a gate)
  bool upscaled = false;  ///< the image was too small and was enlarged to find the face
};

class FaceDetector {
 public:
  /// Debian's libdlib-data file.
  static constexpr const char* kDefaultLandmarkModel = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

  /// Throws ModelError when the landmark model cannot be read.
  explicit FaceDetector(const std::string& landmarkModel = kDefaultLandmarkModel);
  ~FaceDetector();
  FaceDetector(const FaceDetector&) = delete;
  FaceDetector& operator=(const FaceDetector&) = delete;

  /// Detects on a copy scaled to at most `maxDetectSide` pixels (larger images cost time, not accuracy),
  /// enlarges small images when no face is found, and places the landmarks on the full-resolution image.
  /// `bgr`: 8-bit BGR or grayscale.
  FaceDetection detect(const cv::Mat& bgr) const;

  /// Landmarks for a given face box (e.g. an already cropped face: the box is the whole image).
  Landmarks68 landmarks(const cv::Mat& bgr, const cv::Rect& box) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// dlib's aligned face chip (get_face_chip_details: 150x150, padding 0.25), 8-bit BGR.
cv::Mat alignFaceChip(const cv::Mat& bgr, const Landmarks68& landmarks);

}  // namespace portti::vision
