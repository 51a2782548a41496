// Differential morphing-attack detection (D-MAD): the document (chip) photo against the trusted live
// capture. Features: the squared per-dimension difference of the two descriptors (a learnt metric, not
// only the distance), the distance, and how far the normalised landmark geometry shifted between them;
// a MadModel (logistic regression) trained on morphs made from training identities only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "portti/vision/face_verifier.hpp"
#include "portti/vision/mad/mad_model.hpp"

namespace portti::vision {

/// 128 squared descriptor differences, the euclidean distance, the landmark shape deviation.
constexpr std::size_t kDmadFeatures = 130;
/// The feature set's name in model files (mad_model.hpp); models without the line are dmad-1.
constexpr const char* kDmadFeatureSet = "dmad-1";

/// Throws FaceError when either analysis lacks a descriptor.
std::vector<double> dmadFeatures(const FaceAnalysis& document, const FaceAnalysis& live);

/// Mean distance of the 68 landmarks after both shapes are normalised (eye centres to fixed places).
double landmarkShapeDeviation(const Landmarks68& a, const Landmarks68& b);

}  // namespace portti::vision
