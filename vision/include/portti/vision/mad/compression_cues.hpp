// JPEG compression cues of a document photo, for single-image morphing-attack detection (S-MAD): how the
// photo sits on JPEG's 8x8 block grid. A portrait compressed once has cleanly quantised block-DCT
// coefficients whose folded histograms fall off smoothly; a morph is decoded, warped, blended and
// compressed again, which can leave double-quantisation traces (dips and peaks in the coefficient
// histograms, first digits off Benford's law) and a smoother face (weaker blocking at the same size).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace portti::vision {

/// The face region's quantisation strength, mean quantisation step / 16, histogram dip share, 9
/// first-digit shares and their divergence from Benford's law, then the blocking ratio of the face
/// region and of the whole image.
constexpr std::size_t kCompressionCues = 15;

/// Cues of `bgr` (the decoded document photo as stored, not rescaled: the block grid starts at its
/// top-left pixel) inside `face` (clipped to the image; the whole image when the face covers fewer
/// than 4x4 blocks). Throws std::invalid_argument for an empty image or one smaller than 32x32.
std::vector<double> compressionCues(const cv::Mat& bgr, const cv::Rect& face);

/// The quantisation step of a list of one frequency's block-DCT coefficients: the p in 2..64 on whose
/// multiples the coefficients of at least p/2 sit closest (the highest mean cos(2 pi c / p), at least
/// 0.6), or 1 when there is none. `strength` gets that mean (0 for step 1).
int quantisationStep(const std::vector<float>& coefficients, double& strength);

}  // namespace portti::vision
