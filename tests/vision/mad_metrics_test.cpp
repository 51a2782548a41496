// APCER/BPCER arithmetic on hand-made score lists (a morph is suspected when score >= threshold).
#include <gtest/gtest.h>

#include "portti/vision/eval/mad_metrics.hpp"

using namespace portti::vision;

TEST(MadMetrics, ApcerAtBpcerOnAHandMadeList) {
  // 10 bona fide scores 0.00..0.09 and 0.95; attacks 0.05, 0.5, 0.6, 0.7.
  std::vector<double> bona;
  for (int i = 0; i < 10; ++i) bona.push_back(i / 100.0);
  bona.push_back(0.95);
  const std::vector<double> attacks = {0.05, 0.5, 0.6, 0.7};
  const auto m = madMetrics(bona, attacks);
  EXPECT_EQ(m.bonaFide, 11u);
  EXPECT_EQ(m.attacks, 4u);
  // BPCER <= 10% allows one of 11 bona fide above the threshold: the lowest such threshold is 0.5
  // (only 0.95 suspected); the attack at 0.05 passes: APCER 1/4.
  EXPECT_DOUBLE_EQ(m.atBpcer10pct.threshold, 0.5);
  EXPECT_NEAR(m.atBpcer10pct.bpcer, 1.0 / 11, 1e-12);
  EXPECT_DOUBLE_EQ(m.atBpcer10pct.apcer, 0.25);
  // BPCER <= 1% allows none: the threshold goes above 0.95 and every attack passes.
  EXPECT_GT(m.atBpcer1pct.threshold, 0.95);
  EXPECT_DOUBLE_EQ(m.atBpcer1pct.bpcer, 0.0);
  EXPECT_DOUBLE_EQ(m.atBpcer1pct.apcer, 1.0);
  // At 0.08: APCER 1/4, BPCER 3/11 -- the closest crossing among the candidate thresholds.
  EXPECT_NEAR(m.eer, (0.25 + 3.0 / 11) / 2, 1e-12);
}

TEST(MadMetrics, PointAtAThreshold) {
  const auto p = madPointAt({0.1, 0.2, 0.8}, {0.3, 0.9}, 0.5);
  EXPECT_NEAR(p.bpcer, 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(p.apcer, 0.5);
  EXPECT_THROW(madMetrics({}, {0.5}), std::invalid_argument);
  EXPECT_THROW(madMetrics({0.5}, {}), std::invalid_argument);
}

TEST(MadMetrics, DetCurveRunsFromAllSuspectedToNone) {
  const auto curve = detCurve({0.1, 0.2, 0.8}, {0.3, 0.9});
  ASSERT_EQ(curve.size(), 6u);  // five distinct scores and one threshold above them all
  EXPECT_DOUBLE_EQ(curve.front().bpcer, 1.0);
  EXPECT_DOUBLE_EQ(curve.front().apcer, 0.0);
  EXPECT_DOUBLE_EQ(curve.back().bpcer, 0.0);
  EXPECT_DOUBLE_EQ(curve.back().apcer, 1.0);
}

TEST(MadMetrics, PerfectSeparationGivesZeroErrors) {
  const auto m = madMetrics({0.1, 0.2, 0.3}, {0.7, 0.8});
  EXPECT_DOUBLE_EQ(m.atBpcer10pct.apcer, 0.0);
  EXPECT_DOUBLE_EQ(m.atBpcer1pct.apcer, 0.0);
  EXPECT_DOUBLE_EQ(m.eer, 0.0);
}

TEST(MadMetrics, ErrorRatesAtTheKiosksOperatingThresholds) {
  // mad-eval's at_thresholds: the gate's 0.5 and the service point's 0.3 (a score equal to the
  // threshold is suspected, as the rules' "mad.dmad < 0.5" passes only below it).
  const std::vector<double> bona = {0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.9, 0.02};
  const std::vector<double> attacks = {0.25, 0.3, 0.49, 0.5, 0.8};
  const auto gate = madPointAt(bona, attacks, 0.5);
  EXPECT_DOUBLE_EQ(gate.bpcer, 2.0 / 8);  // 0.5 and 0.9
  EXPECT_DOUBLE_EQ(gate.apcer, 3.0 / 5);  // 0.25, 0.3 and 0.49 pass
  const auto service = madPointAt(bona, attacks, 0.3);
  EXPECT_DOUBLE_EQ(service.bpcer, 4.0 / 8);  // 0.3, 0.45, 0.5, 0.9
  EXPECT_DOUBLE_EQ(service.apcer, 1.0 / 5);  // only 0.25 passes
}
