// Single-image morphing-attack detection (S-MAD): the document photo alone. Texture features of the
// aligned face chip -- uniform LBP histograms over a 4x4 grid and statistics of the high-frequency noise
// residual (blending smooths skin texture and noise) -- and JPEG compression cues of the photo as stored
// (compression_cues.hpp: double quantisation, blocking), for a MadModel.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "portti/vision/face_verifier.hpp"
#include "portti/vision/mad/compression_cues.hpp"

namespace portti::vision {

/// 16 cells x 59 uniform-LBP bins, the residual's standard deviation and kurtosis, the compression cues.
constexpr std::size_t kSmadFeatures = 16 * 59 + 2 + kCompressionCues;
/// The feature set's name in model files: a model of another set is refused (mad_model.hpp).
/// smad-1: LBP and residual only (946 features); smad-2 adds the compression cues.
constexpr const char* kSmadFeatureSet = "smad-2";

/// `photo`: the document photo as stored (decoded, not rescaled), `document`: its analysis. Throws
/// FaceError when the analysis has no aligned chip (no face).
std::vector<double> smadFeatures(const cv::Mat& photo, const FaceAnalysis& document);

}  // namespace portti::vision
