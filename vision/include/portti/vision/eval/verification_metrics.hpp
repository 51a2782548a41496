// Error rates of a 1:1 verifier from its genuine and impostor scores (ISO/IEC 19795-1 terms).
#pragma once

#include <cstddef>
#include <vector>

namespace portti::vision {

struct OperatingPoint {
  double threshold = 0;  ///< accept when score >= threshold
  double fmr = 0;        ///< impostor pairs accepted / impostor pairs
  double fnmr = 0;       ///< genuine pairs rejected / genuine pairs
};

struct VerificationMetrics {
  std::size_t genuinePairs = 0, impostorPairs = 0;
  OperatingPoint atFmr1pct;    ///< the lowest threshold with FMR <= 1%
  OperatingPoint atFmr01pct;   ///< the lowest threshold with FMR <= 0.1%
  OperatingPoint atFmr0;       ///< the lowest threshold accepting no impostor pair
  OperatingPoint atThreshold;  ///< at the configured threshold
  double eer = 0;              ///< where FMR and FNMR cross (their mean at the closest threshold)
};

/// Throws std::invalid_argument when either list is empty.
VerificationMetrics verificationMetrics(std::vector<double> genuine, std::vector<double> impostor,
                                        double configuredThreshold);

/// The lowest threshold whose FMR is at most `maxFmr` (just above the impostor score it must refuse), with
/// its rates. Throws std::invalid_argument when either list is empty.
OperatingPoint operatingPointAtFmr(std::vector<double> genuine, std::vector<double> impostor, double maxFmr);

/// The DET curve in rising threshold order: a point at every genuine score (where FNMR steps) and at
/// twenty FMR levels per decade down to one impostor pair, so that millions of impostor pairs still give
/// a curve of a few thousand points. Throws std::invalid_argument when either list is empty.
std::vector<OperatingPoint> verificationDetCurve(std::vector<double> genuine, std::vector<double> impostor);

}  // namespace portti::vision
