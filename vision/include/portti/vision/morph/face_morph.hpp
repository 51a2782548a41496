// A landmark-based face morph of two people (for tests and evaluation of morphing-attack detection; the
// daemon never makes one): both faces are aligned by their landmarks, the averaged shape is triangulated
// (Delaunay), each face is warped to it triangle by triangle, the textures are blended and the inner face
// is pasted into the first subject's image with a feathered mask (which hides ghosting at the borders).
#pragma once

#include <opencv2/core.hpp>

#include "portti/vision/error.hpp"
#include "portti/vision/face_verifier.hpp"

namespace portti::vision {

/// The generator refuses its input (two photos of one person); faces without landmarks are FaceError.
struct MorphError : FaceError {
  using FaceError::FaceError;
};

struct MorphOptions {
  double alpha = 0.5;        ///< share of the second face in shape and texture
  bool matchColour = true;   ///< shift the second face's colours (Lab mean and spread) to the first's
  /// Blend only the inner face and paste it into the first image (hides ghosting at hair and borders);
  /// false blends the whole warped images.
  bool splice = true;
};

/// Morphs two analysed images (`analyse` done, descriptors present). The result has `a`'s size and
/// background; `b` may have any size (it is brought into `a`'s frame by a similarity transform).
/// Throws FaceError when either has no face, MorphError when the verifier says they are one person.
cv::Mat morphFaces(const FaceVerifier& verifier, const cv::Mat& a, const FaceAnalysis& analysisA, const cv::Mat& b,
                   const FaceAnalysis& analysisB, const MorphOptions& options = {});

/// Print-and-scan simulation: slight blur, tone change (gamma) and sensor noise from a fixed seed.
cv::Mat printScan(const cv::Mat& bgr, unsigned seed = 1);

/// The same, analysing both images first.
cv::Mat morphFaces(FaceVerifier& verifier, const cv::Mat& a, const cv::Mat& b, const MorphOptions& options = {});

}  // namespace portti::vision
