// Error rates of a presentation-attack (morph) detector from its scores (ISO/IEC 30107-3 terms, as
// ISO/IEC 20059 uses them): APCER = attacks classified bona fide, BPCER = bona fide classified attacks.
#pragma once

#include <vector>

namespace portti::vision {

/// A detector's operating point: an attack is suspected when score >= threshold.
struct MadPoint {
  double threshold = 0;
  double apcer = 0;
  double bpcer = 0;
};

struct MadMetrics {
  std::size_t bonaFide = 0, attacks = 0;
  MadPoint atBpcer1pct;   ///< the lowest threshold with BPCER <= 1%
  MadPoint atBpcer10pct;  ///< the lowest threshold with BPCER <= 10%
  double eer = 0;         ///< where APCER and BPCER cross (their mean at the closest threshold)
};

/// The lowest threshold (among the scores, or just above the highest) with BPCER <= `maxBpcer`.
MadPoint madPointAtBpcer(const std::vector<double>& bonaFide, const std::vector<double>& attacks, double maxBpcer);
/// APCER and BPCER at a given threshold.
MadPoint madPointAt(const std::vector<double>& bonaFide, const std::vector<double>& attacks, double threshold);
/// APCER and BPCER at every candidate threshold, in rising threshold order (the DET curve).
std::vector<MadPoint> detCurve(const std::vector<double>& bonaFide, const std::vector<double>& attacks);

/// Throws std::invalid_argument when either list is empty.
MadMetrics madMetrics(const std::vector<double>& bonaFide, const std::vector<double>& attacks);

}  // namespace portti::vision
