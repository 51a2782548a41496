#include "portti/vision/eval/mad_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace portti::vision {

namespace {

/// Candidate thresholds: every score, and one above them all (nothing suspected).
std::vector<double> candidates(const std::vector<double>& bonaFide, const std::vector<double>& attacks) {
  std::vector<double> t(bonaFide);
  t.insert(t.end(), attacks.begin(), attacks.end());
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  t.push_back(t.empty() ? 0.0 : std::nextafter(t.back(), std::numeric_limits<double>::infinity()));
  return t;
}

}  // namespace

MadPoint madPointAt(const std::vector<double>& bonaFide, const std::vector<double>& attacks, double threshold) {
  MadPoint p;
  p.threshold = threshold;
  const auto suspected = [&](double s) { return s >= threshold; };
  if (!attacks.empty()) {
    p.apcer = static_cast<double>(std::count_if(attacks.begin(), attacks.end(), [&](double s) { return !suspected(s); })) /
              static_cast<double>(attacks.size());
  }
  if (!bonaFide.empty()) {
    p.bpcer = static_cast<double>(std::count_if(bonaFide.begin(), bonaFide.end(), suspected)) /
              static_cast<double>(bonaFide.size());
  }
  return p;
}

MadPoint madPointAtBpcer(const std::vector<double>& bonaFide, const std::vector<double>& attacks, double maxBpcer) {
  // BPCER falls as the threshold rises, APCER rises: the lowest admissible threshold has the lowest APCER.
  for (double t : candidates(bonaFide, attacks)) {
    const auto p = madPointAt(bonaFide, attacks, t);
    if (p.bpcer <= maxBpcer + 1e-12) return p;
  }
  return madPointAt(bonaFide, attacks, candidates(bonaFide, attacks).back());
}

std::vector<MadPoint> detCurve(const std::vector<double>& bonaFide, const std::vector<double>& attacks) {
  std::vector<MadPoint> out;
  for (double t : candidates(bonaFide, attacks)) out.push_back(madPointAt(bonaFide, attacks, t));
  return out;
}

MadMetrics madMetrics(const std::vector<double>& bonaFide, const std::vector<double>& attacks) {
  if (bonaFide.empty() || attacks.empty()) throw std::invalid_argument("madMetrics: need bona fide and attack scores");
  MadMetrics m;
  m.bonaFide = bonaFide.size();
  m.attacks = attacks.size();
  m.atBpcer1pct = madPointAtBpcer(bonaFide, attacks, 0.01);
  m.atBpcer10pct = madPointAtBpcer(bonaFide, attacks, 0.10);
  double bestGap = 2;
  for (double t : candidates(bonaFide, attacks)) {
    const auto p = madPointAt(bonaFide, attacks, t);
    const double gap = std::abs(p.apcer - p.bpcer);
    if (gap < bestGap) bestGap = gap, m.eer = (p.apcer + p.bpcer) / 2;
  }
  return m;
}

}  // namespace portti::vision
