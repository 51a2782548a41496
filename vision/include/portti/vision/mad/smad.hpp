// Single-image morphing-attack detection (S-MAD): the document photo alone. Texture features of the
// aligned face chip -- uniform LBP histograms over a 4x4 grid and statistics of the high-frequency noise
// residual (blending smooths skin texture and noise) -- for a MadModel.
#pragma once

#include <vector>

#include "portti/vision/face_verifier.hpp"

namespace portti::vision {

/// 16 cells x 59 uniform-LBP bins, then the residual's standard deviation and kurtosis.
constexpr std::size_t kSmadFeatures = 16 * 59 + 2;

/// Throws FaceError when the analysis has no aligned chip (no face).
std::vector<double> smadFeatures(const FaceAnalysis& document);

}  // namespace portti::vision
