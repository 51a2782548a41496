#include "portti/vision/mad/smad.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "portti/vision/error.hpp"

namespace portti::vision {

namespace {

/// Maps the 256 LBP codes to 59 bins: the 58 uniform patterns (at most two 0/1 transitions) and the rest.
std::array<int, 256> uniformBins() {
  std::array<int, 256> bins{};
  int next = 0;
  for (int code = 0; code < 256; ++code) {
    const int rotated = ((code << 1) | (code >> 7)) & 0xFF;
    const auto transitions = std::bitset<8>(static_cast<unsigned>(code ^ rotated)).count();
    bins[static_cast<std::size_t>(code)] = transitions <= 2 ? next++ : 58;
  }
  return bins;
}

}  // namespace

std::vector<double> smadFeatures(const cv::Mat& photo, const FaceAnalysis& document) {
  if (document.chip.empty()) throw FaceError("S-MAD: no face found in the document photo");
  static const auto bins = uniformBins();
  cv::Mat grey;
  if (document.chip.channels() == 3) {
    cv::cvtColor(document.chip, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = document.chip;
  }
  constexpr int kGrid = 4;
  std::vector<double> f(kSmadFeatures, 0.0);
  const int rows = grey.rows, cols = grey.cols;
  std::array<int, kGrid * kGrid> counts{};
  static constexpr int dy[8] = {-1, -1, -1, 0, 1, 1, 1, 0}, dx[8] = {-1, 0, 1, 1, 1, 0, -1, -1};
  for (int y = 1; y < rows - 1; ++y) {
    for (int x = 1; x < cols - 1; ++x) {
      const auto centre = grey.at<std::uint8_t>(y, x);
      int code = 0;
      for (int k = 0; k < 8; ++k) code |= (grey.at<std::uint8_t>(y + dy[k], x + dx[k]) >= centre ? 1 : 0) << k;
      const int cell = std::min(kGrid - 1, y * kGrid / rows) * kGrid + std::min(kGrid - 1, x * kGrid / cols);
      f[static_cast<std::size_t>(cell * 59 + bins[static_cast<std::size_t>(code)])] += 1;
      ++counts[static_cast<std::size_t>(cell)];
    }
  }
  for (int cell = 0; cell < kGrid * kGrid; ++cell) {
    for (int b = 0; b < 59; ++b) f[static_cast<std::size_t>(cell * 59 + b)] /= std::max(1, counts[static_cast<std::size_t>(cell)]);
  }
  // The noise residual: the image minus its 3x3 median.
  cv::Mat median, residual;
  cv::medianBlur(grey, median, 3);
  cv::subtract(grey, median, residual, cv::noArray(), CV_32F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(residual, mean, stddev);
  double m4 = 0;
  for (int y = 0; y < residual.rows; ++y)
    for (int x = 0; x < residual.cols; ++x) m4 += std::pow(residual.at<float>(y, x) - mean[0], 4);
  m4 /= static_cast<double>(residual.total());
  constexpr std::size_t kResidual = 16 * 59;
  f[kResidual] = stddev[0];
  f[kResidual + 1] = stddev[0] > 1e-9 ? m4 / std::pow(stddev[0], 4) : 0.0;
  const auto cues = compressionCues(photo, document.detection.subject.box);
  std::copy(cues.begin(), cues.end(), f.begin() + kResidual + 2);
  return f;
}

}  // namespace portti::vision
