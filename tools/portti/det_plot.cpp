#include "det_plot.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

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

/// "0.1%", "5%", "0.013%": a rate as a short percentage.
std::string percent(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g%%", rate * 100);
  return buf;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string xmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Where everything goes, shared by the PNG and the SVG so that both show the same picture.
struct Layout {
  static constexpr int kSize = 500, kMargin = 60;
  static constexpr double kHighest = 0.9;
  double lowest, lo, hi;

  explicit Layout(double lowestRate) : lowest(lowestRate), lo(probit(lowestRate)), hi(probit(kHighest)) {}

  double scale(double rate) const { return (probit(std::clamp(rate, lowest, kHighest)) - lo) / (hi - lo); }
  cv::Point2d at(double x, double y) const {
    return {kMargin + scale(x) * (kSize - 2 * kMargin), kSize - kMargin - scale(y) * (kSize - 2 * kMargin)};
  }
  std::vector<double> ticks() const {
    std::vector<double> out;
    for (double t : {0.0001, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 0.9}) {
      if (t >= lowest * (1 - 1e-9)) out.push_back(t);
    }
    return out;
  }
  std::string markLabel(const DetPlot& p) const {
    return "threshold " + number(p.mark->threshold) + ": " + p.xLabel + " " + percent(p.mark->x) + ", " +
           p.yLabel + " " + percent(p.mark->y);
  }
};

cv::Point px(cv::Point2d p) {
  return {static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
}

void writePng(const std::string& path, const DetPlot& plot, const Layout& l) {
  constexpr int kSize = Layout::kSize;
  cv::Mat img(kSize, kSize, CV_8UC3, cv::Scalar(255, 255, 255));
  const cv::Scalar black(0, 0, 0), grid(220, 220, 220);
  for (double tick : l.ticks()) {
    cv::line(img, px(l.at(tick, l.lowest)), px(l.at(tick, Layout::kHighest)), grid);
    cv::line(img, px(l.at(l.lowest, tick)), px(l.at(Layout::kHighest, tick)), grid);
    const std::string label = percent(tick);
    cv::putText(img, label, px(l.at(tick, l.lowest)) + cv::Point(-12, 18), cv::FONT_HERSHEY_PLAIN, 0.9,
                black);
    cv::putText(img, label, px(l.at(l.lowest, tick)) + cv::Point(-50, 4), cv::FONT_HERSHEY_PLAIN, 0.9, black);
  }
  cv::putText(img, plot.xLabel, cv::Point(kSize / 2 - 20, kSize - 15), cv::FONT_HERSHEY_PLAIN, 1.1, black);
  cv::putText(img, plot.yLabel, cv::Point(5, 25), cv::FONT_HERSHEY_PLAIN, 1.1, black);
  cv::putText(img, plot.title, cv::Point(kSize / 2 - 40, 25), cv::FONT_HERSHEY_PLAIN, 1.2, black);
  for (std::size_t i = 1; i < plot.curve.size(); ++i) {
    const auto &a = plot.curve[i - 1], &b = plot.curve[i];
    cv::line(img, px(l.at(a.x, a.y)), px(l.at(b.x, b.y)), cv::Scalar(200, 60, 0), 2, cv::LINE_AA);
  }
  if (plot.mark) {
    const cv::Point p = px(l.at(plot.mark->x, plot.mark->y));
    cv::circle(img, p, 6, cv::Scalar(0, 0, 200), 2, cv::LINE_AA);
    const std::string label = l.markLabel(plot);
    int baseline = 0;
    const int width = cv::getTextSize(label, cv::FONT_HERSHEY_PLAIN, 0.9, 1, &baseline).width;
    const int x = std::clamp(p.x + 10, 2, kSize - width - 2);
    cv::putText(img, label, cv::Point(x, std::max(p.y - 10, 40)), cv::FONT_HERSHEY_PLAIN, 0.9,
                cv::Scalar(0, 0, 200));
  }
  if (!cv::imwrite(path, img)) throw std::runtime_error(path + ": cannot write");
}

void writeSvg(const std::string& path, const DetPlot& plot, const Layout& l) {
  constexpr int kSize = Layout::kSize;
  std::ofstream out(path);
  const auto xy = [](cv::Point2d p) { return std::to_string(p.x) + "," + std::to_string(p.y); };
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kSize << "\" height=\"" << kSize
      << "\" viewBox=\"0 0 " << kSize << " " << kSize << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
      << "<title>" << xmlEscape(plot.title) << "</title>\n"
      << "<rect width=\"" << kSize << "\" height=\"" << kSize
      << "\" fill=\"white\"/>\n<g stroke=\"#dcdcdc\">\n";
  for (double tick : l.ticks()) {
    const auto a = l.at(tick, l.lowest), b = l.at(tick, Layout::kHighest);
    const auto c = l.at(l.lowest, tick), d = l.at(Layout::kHighest, tick);
    out << "<line x1=\"" << a.x << "\" y1=\"" << a.y << "\" x2=\"" << b.x << "\" y2=\"" << b.y << "\"/>"
        << "<line x1=\"" << c.x << "\" y1=\"" << c.y << "\" x2=\"" << d.x << "\" y2=\"" << d.y << "\"/>\n";
  }
  out << "</g>\n";
  for (double tick : l.ticks()) {
    const auto a = l.at(tick, l.lowest), c = l.at(l.lowest, tick);
    out << "<text x=\"" << a.x << "\" y=\"" << a.y + 16 << "\" text-anchor=\"middle\">" << percent(tick)
        << "</text>"
        << "<text x=\"" << c.x - 6 << "\" y=\"" << c.y + 4 << "\" text-anchor=\"end\">" << percent(tick)
        << "</text>\n";
  }
  out << "<text x=\"" << kSize / 2 << "\" y=\"" << kSize - 15 << "\" text-anchor=\"middle\" font-size=\"13\">"
      << xmlEscape(plot.xLabel) << "</text>\n"
      << "<text x=\"5\" y=\"25\" font-size=\"13\">" << xmlEscape(plot.yLabel) << "</text>\n"
      << "<text x=\"" << kSize / 2 << "\" y=\"25\" text-anchor=\"middle\" font-size=\"14\">"
      << xmlEscape(plot.title)
      << "</text>\n<polyline fill=\"none\" stroke=\"#003cc8\" stroke-width=\"2\" points=\"";
  for (const auto& p : plot.curve) out << xy(l.at(p.x, p.y)) << " ";
  out << "\"/>\n";
  if (plot.mark) {
    const auto p = l.at(plot.mark->x, plot.mark->y);
    const bool right = p.x > kSize / 2.0;  // label on the side with room
    out << "<circle cx=\"" << p.x << "\" cy=\"" << p.y
        << "\" r=\"6\" fill=\"none\" stroke=\"#c80000\" stroke-width=\"2\"/>\n"
        << "<text x=\"" << p.x + (right ? -10 : 10) << "\" y=\"" << std::max(p.y - 10, 40.0)
        << "\" fill=\"#c80000\"" << (right ? " text-anchor=\"end\"" : "") << ">"
        << xmlEscape(l.markLabel(plot)) << "</text>\n";
  }
  out << "</svg>\n";
  if (!out) throw std::runtime_error(path + ": cannot write");
}

}  // namespace

void writeDetPlot(const std::string& dir, const std::string& name, const DetPlot& plot) {
  std::filesystem::create_directories(dir);
  const std::string base = (std::filesystem::path(dir) / (name + "_det")).string();
  std::ofstream csv(base + ".csv");
  csv << "threshold," << lower(plot.xLabel) << "," << lower(plot.yLabel) << "\n";
  for (const auto& p : plot.curve) csv << p.threshold << "," << p.x << "," << p.y << "\n";
  if (!csv) throw std::runtime_error(base + ".csv: cannot write");
  const Layout layout(plot.lowest);
  writePng(base + ".png", plot, layout);
  writeSvg(base + ".svg", plot, layout);
}

void writeDetPlot(const std::string& dir, const std::string& name,
                  const std::vector<vision::MadPoint>& curve) {
  DetPlot plot;
  plot.title = name + " DET";
  plot.xLabel = "BPCER";
  plot.yLabel = "APCER";
  for (const auto& p : curve) plot.curve.push_back({p.threshold, p.bpcer, p.apcer});
  writeDetPlot(dir, name, plot);
}

}  // namespace portti::cli
