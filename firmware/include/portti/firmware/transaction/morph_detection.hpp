// The morph check step's detector over vision's differential MAD (D-MAD): the chip portrait against
// the live capture, scored by the trained model in config/mad/ (docs/vision.md).
#pragma once

#include "portti/firmware/transaction/devices.hpp"
#include "portti/vision/face_verifier.hpp"
#include "portti/vision/mad/mad_model.hpp"

namespace portti::firmware {

class VisionMorphDetector : public MorphDetector {
 public:
  /// Shares the face comparator's verifier (its models are loaded once).
  VisionMorphDetector(vision::FaceVerifier& verifier, vision::MadModel model)
      : verifier_(verifier), model_(std::move(model)) {}
  /// Throws vision::FaceError naming the image without a usable face.
  double score(const cv::Mat& portrait, const cv::Mat& live) override;
  /// The model's operating point: scores at or above it are suspected morphs.
  double threshold() const { return model_.threshold; }

 private:
  vision::FaceVerifier& verifier_;
  vision::MadModel model_;
};

}  // namespace portti::firmware
