#include "portti/vision/eval/verification_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace portti::vision {

namespace {

/// Both score lists sorted once; the rates at a threshold are then two binary searches.
class SortedScores {
 public:
  SortedScores(std::vector<double> genuine, std::vector<double> impostor)
      : genuine_(std::move(genuine)), impostor_(std::move(impostor)) {
    if (genuine_.empty() || impostor_.empty()) throw std::invalid_argument("need genuine and impostor pairs");
    std::sort(genuine_.begin(), genuine_.end());
    std::sort(impostor_.begin(), impostor_.end());
  }

  OperatingPoint at(double t) const {
    OperatingPoint p;
    p.threshold = t;
    p.fmr = shareAtOrAbove(impostor_, t);
    p.fnmr = 1.0 - shareAtOrAbove(genuine_, t);
    return p;
  }

  /// The lowest threshold whose FMR is at most `fmr`: just above the impostor score ranked floor(fmr*N)+1
  /// from the top.
  double thresholdForFmr(double fmr) const {
    const auto allowed =
        static_cast<std::size_t>(std::floor(fmr * static_cast<double>(impostor_.size()) + 1e-9));
    if (allowed >= impostor_.size()) return -INFINITY;
    return std::nextafter(impostor_[impostor_.size() - 1 - allowed], INFINITY);
  }

  const std::vector<double>& genuine() const { return genuine_; }
  std::size_t impostorCount() const { return impostor_.size(); }

 private:
  static double shareAtOrAbove(const std::vector<double>& v, double t) {
    return static_cast<double>(v.end() - std::lower_bound(v.begin(), v.end(), t)) /
           static_cast<double>(v.size());
  }

  std::vector<double> genuine_, impostor_;
};

}  // namespace

VerificationMetrics verificationMetrics(std::vector<double> genuine, std::vector<double> impostor,
                                        double configured) {
  const SortedScores s(std::move(genuine), std::move(impostor));
  VerificationMetrics m;
  m.genuinePairs = s.genuine().size();
  m.impostorPairs = s.impostorCount();
  m.atFmr1pct = s.at(s.thresholdForFmr(0.01));
  m.atFmr01pct = s.at(s.thresholdForFmr(0.001));
  m.atFmr0 = s.at(s.thresholdForFmr(0.0));
  m.atThreshold = s.at(configured);
  // EER: try every genuine score as a threshold (FNMR moves only there) and keep the closest crossing.
  double bestGap = INFINITY;
  for (double t : s.genuine()) {
    const auto p = s.at(t);
    if (std::abs(p.fmr - p.fnmr) < bestGap) bestGap = std::abs(p.fmr - p.fnmr), m.eer = (p.fmr + p.fnmr) / 2;
  }
  return m;
}

OperatingPoint operatingPointAtFmr(std::vector<double> genuine, std::vector<double> impostor, double maxFmr) {
  const SortedScores s(std::move(genuine), std::move(impostor));
  return s.at(s.thresholdForFmr(maxFmr));
}

std::vector<OperatingPoint> verificationDetCurve(std::vector<double> genuine, std::vector<double> impostor) {
  const SortedScores s(std::move(genuine), std::move(impostor));
  std::vector<double> thresholds = s.genuine();
  const double lowestFmr = 1.0 / static_cast<double>(s.impostorCount());
  for (int step = 0;; ++step) {
    const double fmr = std::pow(10.0, -step / 20.0);
    thresholds.push_back(s.thresholdForFmr(fmr));
    if (fmr < lowestFmr) break;  // this last one is FMR 0: above every impostor
  }
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  std::vector<OperatingPoint> out;
  out.reserve(thresholds.size());
  for (double t : thresholds) out.push_back(s.at(t));
  return out;
}

}  // namespace portti::vision
