// portti face eval: a verifier's error rates on a data set (DIR/<identity>/<images>), its DET curve
// (--plot), the worst pairs (--misses) and the recalibrated config threshold (--write-threshold).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>

#include "args.hpp"
#include "cli_common.hpp"
#include "det_plot.hpp"
#include "face_cli.hpp"
#include "portti/vision/eval/verification_metrics.hpp"
#include "portti/vision/face_image.hpp"
#include "portti/vision/face_verifier.hpp"

namespace portti::cli {

namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

/// One enrolled image: who, which file, and what the pipeline saw (for --misses: why a pair fails).
struct Sample {
  std::size_t identity;
  std::string file;  ///< <identity>/<image>, relative to the data set
  vision::FaceTemplate descriptor;
  Object::Ptr seen;  ///< image size, face size, pose
};

/// A pair worth looking at, by index into the samples.
struct ScoredPair {
  std::size_t a, b;
  double score;
  vision::FaceComparison comparison;
};

/// A positive count, or `absent` when the option is not given.
std::size_t countOption(const Args& args, const std::string& name, const std::string& what,
                        std::size_t absent) {
  const auto v = args.get(name);
  if (!v) return absent;
  if (v->empty() || v->find_first_not_of("0123456789") != std::string::npos || v->size() > 9) {
    throw UsageError("--" + name + " takes " + what);
  }
  const std::size_t n = std::stoul(*v);
  if (n == 0) throw UsageError("--" + name + " takes " + what);
  return n;
}

cv::Mat chipPortrait(const cv::Mat& image, bool jp2) {
  const int w = std::min(image.cols, image.rows * 3 / 4), h = std::min(image.rows, w * 4 / 3);
  const cv::Mat crop = image(cv::Rect((image.cols - w) / 2, (image.rows - h) / 2, w, h));
  const auto chip = vision::encodeChipPortrait(
      crop, 360, 20000, jp2 ? vision::ImageFormat::Jpeg2000 : vision::ImageFormat::Jpeg);
  return vision::decodeImage(chip.bytes);
}

Object::Ptr seenJson(const cv::Mat& image, const vision::FaceAnalysis& a) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto& m = a.quality.measures;
  o->set("width", image.cols);
  o->set("height", image.rows);
  o->set("inter_eye_pixels", std::round(m.interEyePixels * 10) / 10);
  o->set("yaw_degrees", std::round(m.yawDegrees));
  o->set("pitch_degrees", std::round(m.pitchDegrees));
  o->set("roll_degrees", std::round(m.rollDegrees));
  o->set("upscaled", a.detection.upscaled);
  Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
  for (auto r : a.quality.reasons) reasons->add(vision::reasonCode(r));
  o->set("quality_reasons", reasons);
  return o;
}

Poco::JSON::Array::Ptr pairsJson(const std::vector<ScoredPair>& pairs, const std::vector<Sample>& samples) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& p : pairs) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("a", samples[p.a].file);
    o->set("b", samples[p.b].file);
    o->set("score", p.score);
    o->set("dlib_score", p.comparison.dlibScore);
    if (p.comparison.onnxScore) o->set("onnx_score", *p.comparison.onnxScore);
    o->set("seen_a", samples[p.a].seen);
    o->set("seen_b", samples[p.b].seen);
    out->add(o);
  }
  return out;
}

Object::Ptr metricsJson(const std::vector<double>& genuine, const std::vector<double>& impostor) {
  const auto bm = vision::verificationMetrics(genuine, impostor, 0);
  Object::Ptr b = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  b->set("fnmr_at_fmr_1pct", bm.atFmr1pct.fnmr);
  b->set("fnmr_at_fmr_0_1pct", bm.atFmr01pct.fnmr);
  b->set("threshold_at_fmr_0_1pct", bm.atFmr01pct.threshold);
  b->set("fnmr_at_fmr_0", bm.atFmr0.fnmr);
  b->set("threshold_at_fmr_0", bm.atFmr0.threshold);
  b->set("eer", bm.eer);
  b->set("lowest_genuine_score", *std::min_element(genuine.begin(), genuine.end()));
  double mean = 0, var = 0;  // impostor statistics: the fusion's z-score calibration
  for (double x : impostor) mean += x;
  mean /= static_cast<double>(impostor.size());
  for (double x : impostor) var += (x - mean) * (x - mean);
  b->set("impostor_mean", mean);
  b->set("impostor_std", std::sqrt(var / static_cast<double>(impostor.size())));
  return b;
}

/// --target-fmr R: a rate strictly between 0 and 1 (checked before any image is read).
std::optional<double> targetFmrOption(const Args& args) {
  const auto t = args.get("target-fmr");
  if (!t) return std::nullopt;
  double target = 0;
  try {
    std::size_t used = 0;
    target = std::stod(*t, &used);
    if (used != t->size()) throw std::invalid_argument(*t);
  } catch (const std::exception&) {
    target = 0;
  }
  if (!(target > 0 && target < 1))
    throw UsageError("--target-fmr takes a rate between 0 and 1 (0.001 is 0.1%)");
  return target;
}

/// --target-fmr / --write-threshold: the threshold for the target FMR on this data set, written into the
/// config when asked. Refused when the set has too few impostor pairs to measure that FMR at all.
Object::Ptr calibrate(const Args& args, double target, const fs::path& dataset,
                      const std::vector<double>& genuine, const std::vector<double>& impostor) {
  if (!(target > 0 && target < 1))
    throw std::runtime_error("the config's target_fmr is not a rate between 0 and 1");
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", target);
  const auto needed = static_cast<std::size_t>(std::ceil(1 / target - 1e-9));
  if (impostor.size() < needed) {
    throw std::runtime_error(std::string("an FMR of ") + rate + " needs at least " + std::to_string(needed) +
                             " impostor pairs to measure; this set has " + std::to_string(impostor.size()));
  }
  const auto p = vision::operatingPointAtFmr(genuine, impostor, target);
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("target_fmr", target);
  o->set("threshold", p.threshold);
  o->set("fmr", p.fmr);
  o->set("fnmr", p.fnmr);
  if (args.flag("write-threshold")) {
    const std::string path = faceConfigPath(args);
    const std::string note = std::string("portti face eval --write-threshold: FMR ") + rate + " on " +
                             dataset.filename().string() + " (" + std::to_string(genuine.size()) +
                             " genuine, " + std::to_string(impostor.size()) + " impostor pairs)";
    o->set("written_threshold", vision::FaceConfig::writeThreshold(path, p.threshold, target, note));
    o->set("config", path);
  }
  return o;
}

}  // namespace

int runFaceEval(const Args& args) {
  const fs::path dataset = args.require("dataset");
  if (!fs::is_directory(dataset)) throw std::runtime_error(dataset.string() + ": not a folder");
  const std::size_t limit = countOption(args, "limit", "a number of identities", SIZE_MAX);
  const std::size_t misses = countOption(args, "misses", "a number of pairs", 0);
  const auto targetFmr = targetFmrOption(args);
  const bool aligned = args.flag("aligned");
  // --chip-like jpeg|jp2: each identity's first image becomes a DG2-like portrait (3:4, 360x480, <= 20 KB).
  const auto chipLike = args.get("chip-like");
  if (chipLike && *chipLike != "jpeg" && *chipLike != "jp2")
    throw UsageError("--chip-like takes jpeg or jp2");
  vision::FaceVerifier verifier(faceConfigFromArgs(args));
  const auto started = std::chrono::steady_clock::now();

  std::vector<Sample> samples;
  std::size_t images = 0, failures = 0, identities = 0;
  for (const auto& dir : sortedEntries(dataset, true)) {
    if (identities == limit) break;
    bool any = false;
    for (const auto& file : sortedEntries(dir, false)) {
      if (!isImageFile(file)) continue;
      ++images;
      const bool first = !any;
      any = true;
      try {
        cv::Mat image = loadFaceImage(file.string());
        if (chipLike && first) image = chipPortrait(image, *chipLike == "jp2");
        auto a = aligned ? verifier.analyseAligned(image) : verifier.analyse(image);
        if (a.descriptor) {
          const std::string name = dir.filename().string() + "/" + file.filename().string();
          samples.push_back({identities, name, *a.descriptor, seenJson(image, a)});
          continue;
        }
      } catch (const std::exception& e) {
        std::cerr << "portti face eval: " << e.what() << "\n";
      }
      ++failures;  // failure to enrol: no face found or the image is unusable
    }
    if (any) ++identities;
  }
  // Scores of every backend at once (the ONNX ones when its model is configured), to choose by measurement.
  std::vector<double> genuine, impostor;
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> byBackend;
  std::vector<ScoredPair> genuinePairs, topImpostors;  // for --misses
  const auto higher = [](const ScoredPair& x, const ScoredPair& y) { return x.score > y.score; };
  for (std::size_t i = 0; i < samples.size(); ++i) {
    for (std::size_t j = i + 1; j < samples.size(); ++j) {
      const auto c = verifier.compare(samples[i].descriptor, samples[j].descriptor);
      const bool same = samples[i].identity == samples[j].identity;
      (same ? genuine : impostor).push_back(c.score);
      auto add = [&](const char* name, double score) {
        auto& lists = byBackend[name];
        (same ? lists.first : lists.second).push_back(score);
      };
      add("dlib", c.dlibScore);
      if (c.onnxScore) add("onnx", *c.onnxScore);
      if (c.fusionScore) add("fusion", *c.fusionScore);
      if (misses == 0) continue;
      if (same) {
        genuinePairs.push_back({i, j, c.score, c});
      } else if (topImpostors.size() < misses || c.score > topImpostors.front().score) {
        // a min-heap of the `misses` highest impostor scores
        if (topImpostors.size() == misses) {
          std::pop_heap(topImpostors.begin(), topImpostors.end(), higher);
          topImpostors.pop_back();
        }
        topImpostors.push_back({i, j, c.score, c});
        std::push_heap(topImpostors.begin(), topImpostors.end(), higher);
      }
    }
  }
  if (genuine.empty() || impostor.empty()) {
    throw std::runtime_error(dataset.string() +
                             ": needs at least two identities and one with two usable images");
  }
  const auto& config = verifier.config();
  const auto m = vision::verificationMetrics(genuine, impostor, config.threshold);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("dataset", dataset.string());
  o->set("identities", identities);
  o->set("images", images);
  o->set("failures_to_enrol", failures);
  o->set("genuine_pairs", m.genuinePairs);
  o->set("impostor_pairs", m.impostorPairs);
  o->set("fnmr_at_fmr_1pct", m.atFmr1pct.fnmr);
  o->set("fnmr_at_fmr_0_1pct", m.atFmr01pct.fnmr);
  o->set("threshold_at_fmr_0_1pct", m.atFmr01pct.threshold);
  o->set("fnmr_at_fmr_0", m.atFmr0.fnmr);
  o->set("threshold_at_fmr_0", m.atFmr0.threshold);
  o->set("eer", m.eer);
  o->set("lowest_genuine_score", *std::min_element(genuine.begin(), genuine.end()));
  o->set("highest_impostor_score", *std::max_element(impostor.begin(), impostor.end()));
  o->set("threshold", m.atThreshold.threshold);
  o->set("fmr_at_threshold", m.atThreshold.fmr);
  o->set("fnmr_at_threshold", m.atThreshold.fnmr);
  o->set("impostors_accepted_at_threshold",
         static_cast<std::size_t>(std::lround(m.atThreshold.fmr * static_cast<double>(m.impostorPairs))));
  o->set("genuine_rejected_at_threshold",
         static_cast<std::size_t>(std::lround(m.atThreshold.fnmr * static_cast<double>(m.genuinePairs))));
  o->set("backend", vision::backendName(config.backend));
  Object::Ptr backends = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, lists] : byBackend) backends->set(name, metricsJson(lists.first, lists.second));
  o->set("backends", backends);
  if (targetFmr || args.flag("write-threshold")) {
    o->set("calibration", calibrate(args, targetFmr.value_or(config.targetFmr), dataset, genuine, impostor));
  }
  if (misses > 0) {
    std::sort(genuinePairs.begin(), genuinePairs.end(),
              [](const auto& x, const auto& y) { return x.score < y.score; });
    genuinePairs.resize(std::min(genuinePairs.size(), misses));
    std::sort(topImpostors.begin(), topImpostors.end(), higher);
    o->set("lowest_genuine_pairs", pairsJson(genuinePairs, samples));
    o->set("highest_impostor_pairs", pairsJson(topImpostors, samples));
  }
  if (const auto plotDir = args.get("plot")) {
    DetPlot plot;
    plot.title = dataset.filename().string() + ": " + vision::backendName(config.backend) + " DET";
    plot.xLabel = "FMR";
    plot.yLabel = "FNMR";
    for (const auto& p : vision::verificationDetCurve(genuine, impostor))
      plot.curve.push_back({p.threshold, p.fmr, p.fnmr});
    plot.mark = DetPoint{m.atThreshold.threshold, m.atThreshold.fmr, m.atThreshold.fnmr};
    plot.lowest = m.impostorPairs >= 10000 ? 0.0001 : 0.001;
    writeDetPlot(*plotDir, "face", plot);
    o->set("plots", *plotDir);
  }
  o->set("seconds", seconds);
  if (args.flag("json")) {
    o->stringify(std::cout, 2);
    std::cout << "\n";
  } else {
    std::cout << "genuine pairs " << m.genuinePairs << ", impostor pairs " << m.impostorPairs
              << ", FNMR at FMR 0.1% " << m.atFmr01pct.fnmr << ", at the configured threshold "
              << m.atThreshold.threshold << ": FMR " << m.atThreshold.fmr << " FNMR " << m.atThreshold.fnmr
              << "\n";
  }
  return 0;
}

}  // namespace portti::cli
