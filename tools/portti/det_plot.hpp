// DET plots for mad-eval --plot: a CSV of the curve and a PNG with probit-scaled axes (ISO/IEC 19795-1).
#pragma once

#include <string>
#include <vector>

#include "portti/vision/eval/mad_metrics.hpp"

namespace portti::cli {

/// Writes `<dir>/<name>_det.csv` (threshold,apcer,bpcer) and `<dir>/<name>_det.png`.
void writeDetPlot(const std::string& dir, const std::string& name, const std::vector<vision::MadPoint>& curve);

}  // namespace portti::cli
