#include "portti/vision/eval/verification_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

namespace portti::vision {

namespace {

/// The lowest threshold whose FMR is at most `fmr`: just above the impostor score ranked floor(fmr*N)+1.
double thresholdForFmr(const std::vector<double>& impostorDesc, double fmr) {
  const auto allowed = static_cast<std::size_t>(std::floor(fmr * static_cast<double>(impostorDesc.size()) + 1e-9));
  if (allowed >= impostorDesc.size()) return -INFINITY;
  return std::nextafter(impostorDesc[allowed], INFINITY);
}

}  // namespace

VerificationMetrics verificationMetrics(std::vector<double> genuine, std::vector<double> impostor, double configured) {
  if (genuine.empty() || impostor.empty()) throw std::invalid_argument("need genuine and impostor pairs");
  std::sort(genuine.begin(), genuine.end());
  std::sort(impostor.begin(), impostor.end());
  // On sorted scores the accepted count is a binary search.
  const auto point = [&](double t) {
    OperatingPoint p;
    p.threshold = t;
    const auto above = [&](const std::vector<double>& v) {
      return static_cast<double>(v.end() - std::lower_bound(v.begin(), v.end(), t)) / static_cast<double>(v.size());
    };
    p.fmr = above(impostor);
    p.fnmr = 1.0 - above(genuine);
    return p;
  };
  const std::vector<double> impostorDesc(impostor.rbegin(), impostor.rend());
  VerificationMetrics m;
  m.genuinePairs = genuine.size();
  m.impostorPairs = impostor.size();
  m.atFmr1pct = point(thresholdForFmr(impostorDesc, 0.01));
  m.atFmr01pct = point(thresholdForFmr(impostorDesc, 0.001));
  m.atFmr0 = point(thresholdForFmr(impostorDesc, 0.0));
  m.atThreshold = point(configured);
  // EER: try every genuine score as a threshold (FNMR moves only there) and keep the closest crossing.
  double bestGap = INFINITY;
  for (double t : genuine) {
    const auto p = point(t);
    if (std::abs(p.fmr - p.fnmr) < bestGap) bestGap = std::abs(p.fmr - p.fnmr), m.eer = (p.fmr + p.fnmr) / 2;
  }
  return m;
}

}  // namespace portti::vision
