#include "det_plot.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace portti::cli {

namespace {

/// The probit (inverse standard normal CDF) by bisection: accurate enough for drawing.
double probit(double p) {
  double lo = -8, hi = 8;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace

void writeDetPlot(const std::string& dir, const std::string& name, const std::vector<vision::MadPoint>& curve) {
  std::filesystem::create_directories(dir);
  const std::string base = (std::filesystem::path(dir) / (name + "_det")).string();
  std::ofstream csv(base + ".csv");
  csv << "threshold,apcer,bpcer\n";
  for (const auto& p : curve) csv << p.threshold << "," << p.apcer << "," << p.bpcer << "\n";
  if (!csv) throw std::runtime_error(base + ".csv: cannot write");

  // Axes from 0.1% to 90% on both: BPCER across, APCER up; rates of 0 sit on the lower edge.
  constexpr int kSize = 500, kMargin = 60;
  const double lo = probit(0.001), hi = probit(0.9);
  const auto toPixel = [&](double bpcer, double apcer) {
    const auto scale = [&](double r) { return (probit(std::clamp(r, 0.001, 0.9)) - lo) / (hi - lo); };
    return cv::Point(kMargin + static_cast<int>(scale(bpcer) * (kSize - 2 * kMargin)),
                     kSize - kMargin - static_cast<int>(scale(apcer) * (kSize - 2 * kMargin)));
  };
  cv::Mat img(kSize, kSize, CV_8UC3, cv::Scalar(255, 255, 255));
  for (double tick : {0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 0.9}) {
    cv::line(img, toPixel(tick, 0.001), toPixel(tick, 0.9), cv::Scalar(220, 220, 220));
    cv::line(img, toPixel(0.001, tick), toPixel(0.9, tick), cv::Scalar(220, 220, 220));
    const std::string label = tick < 0.01 ? "0.1%" : std::to_string(static_cast<int>(std::lround(tick * 100))) + "%";
    cv::putText(img, label, toPixel(tick, 0.001) + cv::Point(-12, 18), cv::FONT_HERSHEY_PLAIN, 0.9, cv::Scalar(0, 0, 0));
    cv::putText(img, label, toPixel(0.001, tick) + cv::Point(-45, 4), cv::FONT_HERSHEY_PLAIN, 0.9, cv::Scalar(0, 0, 0));
  }
  cv::putText(img, "BPCER", cv::Point(kSize / 2 - 20, kSize - 15), cv::FONT_HERSHEY_PLAIN, 1.1, cv::Scalar(0, 0, 0));
  cv::putText(img, "APCER", cv::Point(5, 25), cv::FONT_HERSHEY_PLAIN, 1.1, cv::Scalar(0, 0, 0));
  cv::putText(img, name + " DET", cv::Point(kSize / 2 - 40, 25), cv::FONT_HERSHEY_PLAIN, 1.2, cv::Scalar(0, 0, 0));
  for (std::size_t i = 1; i < curve.size(); ++i) {
    cv::line(img, toPixel(curve[i - 1].bpcer, curve[i - 1].apcer), toPixel(curve[i].bpcer, curve[i].apcer),
             cv::Scalar(200, 60, 0), 2);
  }
  if (!cv::imwrite(base + ".png", img)) throw std::runtime_error(base + ".png: cannot write");
}

}  // namespace portti::cli
