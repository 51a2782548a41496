#include "portti/vision/mad/compression_cues.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

namespace portti::vision {

namespace {

constexpr int kBlock = 8;
/// The first 15 AC frequencies in JPEG's zigzag order (row, column): they carry most non-zero coefficients.
constexpr std::array<std::pair<int, int>, 15> kZigzag = {{{0, 1}, {1, 0}, {2, 0}, {1, 1}, {0, 2}, {0, 3}, {1, 2}, {2, 1},
                                                          {3, 0}, {4, 0}, {3, 1}, {2, 2}, {1, 3}, {0, 4}, {0, 5}}};
constexpr int kHistogramBins = 12;
constexpr int kMaxStep = 64;  ///< steps above are quality 25 and lower at the first frequencies: not a chip  ///< folded histogram of |coefficient / step|, 0..11

/// `r` clipped to the image and shrunk to whole 8x8 blocks of the image's grid.
cv::Rect blockAligned(const cv::Rect& r, const cv::Size& size) {
  const cv::Rect c = r & cv::Rect(0, 0, size.width, size.height);
  const int x0 = (c.x + kBlock - 1) / kBlock * kBlock, y0 = (c.y + kBlock - 1) / kBlock * kBlock;
  const int x1 = (c.x + c.width) / kBlock * kBlock, y1 = (c.y + c.height) / kBlock * kBlock;
  return x1 > x0 && y1 > y0 ? cv::Rect(x0, y0, x1 - x0, y1 - y0) : cv::Rect();
}

/// Mean absolute neighbour difference across block boundaries over the one inside blocks (1: no blocking).
double blockingRatio(const cv::Mat& luma, const cv::Rect& r) {
  double across = 0, inside = 0;
  long nAcross = 0, nInside = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    for (int x = r.x; x < r.x + r.width; ++x) {
      const float v = luma.at<float>(y, x);
      if (x + 1 < r.x + r.width) {
        const double d = std::abs(luma.at<float>(y, x + 1) - v);
        ((x + 1) % kBlock == 0 ? across : inside) += d;
        ++((x + 1) % kBlock == 0 ? nAcross : nInside);
      }
      if (y + 1 < r.y + r.height) {
        const double d = std::abs(luma.at<float>(y + 1, x) - v);
        ((y + 1) % kBlock == 0 ? across : inside) += d;
        ++((y + 1) % kBlock == 0 ? nAcross : nInside);
      }
    }
  }
  if (nAcross == 0 || nInside == 0) return 1.0;
  return (across / static_cast<double>(nAcross) + 1e-3) / (inside / static_cast<double>(nInside) + 1e-3);
}

}  // namespace

int quantisationStep(const std::vector<float>& coefficients, double& strength) {
  // For each candidate step p, how close the coefficients that would quantise to a non-zero multiple
  // (|c| >= p/2) sit to multiples of p. The true step scores highest: a larger one leaves the
  // multiples, a divisor of it scores the same sums but loses more to the decoder's rounding noise.
  strength = 0;
  int best = 1;
  for (int p = kMaxStep; p >= 2; --p) {
    double sum = 0;
    long n = 0;
    for (float c : coefficients) {
      if (std::abs(c) < std::max(1.5f, static_cast<float>(p) / 2)) continue;
      sum += std::cos(2 * std::numbers::pi * c / p);
      ++n;
    }
    if (n >= 16 && sum / static_cast<double>(n) > strength) {
      strength = sum / static_cast<double>(n);
      best = p;
    }
  }
  if (strength < 0.6) {
    strength = 0;
    return 1;
  }
  return best;
}

std::vector<double> compressionCues(const cv::Mat& bgr, const cv::Rect& face) {
  if (bgr.empty() || bgr.cols < 4 * kBlock || bgr.rows < 4 * kBlock)
    throw std::invalid_argument("compression cues: the image is empty or smaller than 32x32");
  // JPEG's luma (BT.601), in floating point so that no second rounding hides the quantisation.
  cv::Mat colour, luma;
  bgr.convertTo(colour, CV_32F);
  if (colour.channels() == 3) {
    cv::cvtColor(colour, luma, cv::COLOR_BGR2GRAY);
  } else {
    luma = colour;
  }
  luma -= 128.0f;
  const cv::Rect whole = blockAligned(cv::Rect(0, 0, bgr.cols, bgr.rows), bgr.size());
  cv::Rect region = blockAligned(face, bgr.size());
  if (region.width < 4 * kBlock || region.height < 4 * kBlock) region = whole;

  std::array<std::vector<float>, kZigzag.size()> coefficients;
  cv::Mat dct;
  for (int y = region.y; y < region.y + region.height; y += kBlock) {
    for (int x = region.x; x < region.x + region.width; x += kBlock) {
      cv::dct(luma(cv::Rect(x, y, kBlock, kBlock)), dct);  // orthonormal: JPEG's FDCT scaling
      for (std::size_t k = 0; k < kZigzag.size(); ++k)
        coefficients[k].push_back(dct.at<float>(kZigzag[k].first, kZigzag[k].second));
    }
  }

  double strength = 0, steps = 0, dips = 0;
  std::array<double, 9> digits{};
  double digitCount = 0;
  for (const auto& c : coefficients) {
    double s = 0;
    const int q = quantisationStep(c, s);
    strength += s;
    steps += q;
    std::array<double, kHistogramBins> h{};
    for (float v : c) {
      const long n = std::lround(std::abs(v) / static_cast<float>(q));
      if (n < kHistogramBins) h[static_cast<std::size_t>(n)] += 1;
      if (n >= 1) {
        long lead = n;
        while (lead >= 10) lead /= 10;
        digits[static_cast<std::size_t>(lead - 1)] += 1;
        digitCount += 1;
      }
    }
    // A single quantisation of a peaked (Laplacian-like) distribution falls off smoothly past 1; a
    // second one with another step leaves dips between neighbours.
    double dip = 0, mass = 0;
    for (std::size_t n = 1; n < h.size(); ++n) mass += h[n];
    for (std::size_t n = 2; n + 1 < h.size(); ++n) dip += std::max(0.0, (h[n - 1] + h[n + 1]) / 2 - h[n]);
    dips += mass > 0 ? dip / mass : 0;
  }
  const auto freqs = static_cast<double>(kZigzag.size());
  std::vector<double> f;
  f.reserve(kCompressionCues);
  f.push_back(strength / freqs);
  f.push_back(steps / freqs / 16);
  f.push_back(dips / freqs);
  double divergence = 0;
  for (std::size_t d = 0; d < digits.size(); ++d) {
    const double share = digitCount > 0 ? digits[d] / digitCount : 0;
    const double benford = std::log10(1.0 + 1.0 / static_cast<double>(d + 1));
    f.push_back(share);
    if (share > 0) divergence += share * std::log(share / benford);
  }
  f.push_back(divergence);
  f.push_back(blockingRatio(luma, region));
  f.push_back(blockingRatio(luma, whole));
  return f;
}

}  // namespace portti::vision
