// The face comparison step's comparator over vision's FaceVerifier (detect, align, describe,
// compare): the score is the configured backend's (config/face.conf), higher meaning more alike.
#pragma once

#include <memory>
#include <string>

#include "portti/firmware/transaction/devices.hpp"
#include "portti/vision/face_verifier.hpp"

namespace portti::firmware {

class VisionFaceComparator : public FaceComparator {
 public:
  /// Loads the models named by the face config (about a second); throws vision::ModelError.
  explicit VisionFaceComparator(const vision::FaceConfig& config);
  /// Throws vision::FaceError naming the image without a usable face.
  double compare(const cv::Mat& portrait, const cv::Mat& live) override;
  double threshold() const { return verifier_.config().threshold; }
  vision::FaceVerifier& verifier() { return verifier_; }

 private:
  vision::FaceVerifier verifier_;
};

}  // namespace portti::firmware
