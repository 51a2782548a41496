// DET plots for face eval and mad-eval --plot: a CSV of the curve, and a PNG and an SVG with probit-scaled
// axes (ISO/IEC 19795-1), the operating point marked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portti/vision/eval/mad_metrics.hpp"

namespace portti::cli {

/// One point of a DET curve: the error rate across (x) and up (y) at a threshold.
struct DetPoint {
  double threshold = 0;
  double x = 0;
  double y = 0;
};

struct DetPlot {
  std::string title;             ///< e.g. "fusion DET"
  std::string xLabel, yLabel;    ///< e.g. "FMR", "FNMR"; also the CSV column names (lower case)
  std::vector<DetPoint> curve;   ///< in threshold order
  std::optional<DetPoint> mark;  ///< the operating point, drawn with its threshold
  double lowest = 0.001;         ///< both axes run from this rate to 90%; lower rates sit on the edge
};

/// Writes `<dir>/<name>_det.csv` (threshold,<x>,<y>), `<dir>/<name>_det.png` and `<dir>/<name>_det.svg`.
void writeDetPlot(const std::string& dir, const std::string& name, const DetPlot& plot);

/// mad-eval's plot: BPCER across, APCER up, titled "<name> DET".
void writeDetPlot(const std::string& dir, const std::string& name,
                  const std::vector<vision::MadPoint>& curve);

}  // namespace portti::cli
