// portti face compare A B: are two photos the same person? portti face eval: error rates on a data set.
// Exit codes of compare: 0 same person, 1 not the same person, 3 when an image has no usable face.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <iostream>
#include <map>
#include <stdexcept>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "face_cli.hpp"
#include "portti/vision/error.hpp"
#include "portti/vision/eval/verification_metrics.hpp"
#include "portti/vision/face_image.hpp"
#include "portti/vision/face_verifier.hpp"

namespace portti::cli {

namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

Object::Ptr qualityJson(const vision::FaceAnalysis& a) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto& q = a.quality;
  const auto& m = q.measures;
  o->set("face_found", a.detection.found);
  o->set("acceptable", q.acceptable);
  if (a.detection.found) {
    o->set("other_faces", m.otherFaces);
    o->set("upscaled", a.detection.upscaled);
    o->set("inter_eye_pixels", m.interEyePixels);
    o->set("yaw_degrees", m.yawDegrees);
    o->set("pitch_degrees", m.pitchDegrees);
    o->set("roll_degrees", m.rollDegrees);
    o->set("sharpness", m.sharpness);
    o->set("brightness", m.brightness);
    o->set("contrast", m.contrast);
    o->set("eye_openness", m.eyeOpenness);
  }
  Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
  for (auto r : q.reasons) reasons->add(vision::reasonCode(r));
  o->set("reasons", reasons);
  return o;
}

int compare(const Args& args) {
  const auto& pos = args.positional();
  if (pos.size() != 3) throw UsageError("give two images");
  const cv::Mat imageA = loadFaceImage(pos[1]), imageB = loadFaceImage(pos[2]);  // before the models: fail fast
  vision::FaceVerifier verifier(faceConfigFromArgs(args));
  const bool aligned = args.flag("aligned");
  auto analyse = [&](const cv::Mat& image) {
    return aligned ? verifier.analyseAligned(image) : verifier.analyse(image);
  };
  const auto a = analyse(imageA);
  const auto b = analyse(imageB);
  if (!a.descriptor) throw vision::FaceError(pos[1] + ": no face found");
  if (!b.descriptor) throw vision::FaceError(pos[2] + ": no face found");
  const auto c = verifier.compare(*a.descriptor, *b.descriptor);
  if (args.flag("json")) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("score", c.score);
    o->set("match", c.match);
    o->set("threshold", c.threshold);
    o->set("backend", vision::backendName(verifier.config().backend));
    o->set("distance", c.distance);
    o->set("dlib_score", c.dlibScore);
    if (c.onnxScore) o->set("onnx_score", *c.onnxScore);
    if (c.fusionScore) o->set("fusion_score", *c.fusionScore);
    Object::Ptr q = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    q->set("a", qualityJson(a));
    q->set("b", qualityJson(b));
    o->set("quality", q);
    o->stringify(std::cout, 2);
    std::cout << "\n";
  } else {
    std::cout << (c.match ? "same person" : "not the same person") << " (score " << c.score << ", threshold "
              << c.threshold << ")\n";
  }
  return c.match ? 0 : 1;
}

cv::Mat chipPortrait(const cv::Mat& image, bool jp2) {
  const int w = std::min(image.cols, image.rows * 3 / 4), h = std::min(image.rows, w * 4 / 3);
  const cv::Mat crop = image(cv::Rect((image.cols - w) / 2, (image.rows - h) / 2, w, h));
  const auto chip = vision::encodeChipPortrait(crop, 360, 20000, jp2 ? vision::ImageFormat::Jpeg2000 : vision::ImageFormat::Jpeg);
  return vision::decodeImage(chip.bytes);
}

int eval(const Args& args) {
  const fs::path dataset = args.require("dataset");
  if (!fs::is_directory(dataset)) throw std::runtime_error(dataset.string() + ": not a folder");
  const auto limitArg = args.get("limit");
  std::size_t limit = SIZE_MAX;
  if (limitArg) {
    if (limitArg->empty() || limitArg->find_first_not_of("0123456789") != std::string::npos || limitArg->size() > 9) {
      throw UsageError("--limit takes a number of identities");
    }
    limit = std::stoul(*limitArg);
  }
  const bool aligned = args.flag("aligned");
  // --chip-like jpeg|jp2: each identity's first image becomes a DG2-like portrait (3:4, 360x480, <= 20 KB).
  const auto chipLike = args.get("chip-like");
  if (chipLike && *chipLike != "jpeg" && *chipLike != "jp2") throw UsageError("--chip-like takes jpeg or jp2");
  vision::FaceVerifier verifier(faceConfigFromArgs(args));
  const auto started = std::chrono::steady_clock::now();

  struct Sample {
    std::size_t identity;
    vision::FaceTemplate descriptor;
  };
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
          samples.push_back({identities, *a.descriptor});
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
    }
  }
  const auto m = vision::verificationMetrics(genuine, impostor, verifier.config().threshold);
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
  o->set("backend", vision::backendName(verifier.config().backend));
  Object::Ptr backends = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, lists] : byBackend) {
    const auto bm = vision::verificationMetrics(lists.first, lists.second, 0);
    Object::Ptr b = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    b->set("fnmr_at_fmr_1pct", bm.atFmr1pct.fnmr);
    b->set("fnmr_at_fmr_0_1pct", bm.atFmr01pct.fnmr);
    b->set("threshold_at_fmr_0_1pct", bm.atFmr01pct.threshold);
    b->set("fnmr_at_fmr_0", bm.atFmr0.fnmr);
    b->set("threshold_at_fmr_0", bm.atFmr0.threshold);
    b->set("eer", bm.eer);
    b->set("lowest_genuine_score", *std::min_element(lists.first.begin(), lists.first.end()));
    double mean = 0, var = 0;  // impostor statistics: the fusion's z-score calibration
    for (double x : lists.second) mean += x;
    mean /= static_cast<double>(lists.second.size());
    for (double x : lists.second) var += (x - mean) * (x - mean);
    b->set("impostor_mean", mean);
    b->set("impostor_std", std::sqrt(var / static_cast<double>(lists.second.size())));
    backends->set(name, b);
  }
  o->set("backends", backends);
  o->set("seconds", seconds);
  if (args.flag("json")) {
    o->stringify(std::cout, 2);
    std::cout << "\n";
  } else {
    std::cout << "genuine pairs " << m.genuinePairs << ", impostor pairs " << m.impostorPairs
              << ", FNMR at FMR 0.1% " << m.atFmr01pct.fnmr << ", at the configured threshold " << m.atThreshold.threshold
              << ": FMR " << m.atThreshold.fmr << " FNMR " << m.atThreshold.fnmr << "\n";
  }
  return 0;
}

}  // namespace

int runFaceMad(const Args& args);  // cmd_face_mad.cpp

int runFace(const Words& words) {
  Args args(words, {"json", "aligned", "chip", "splice", "match-colour", "print-scan"});
  const auto& pos = args.positional();
  if (pos.empty()) throw UsageError("missing subcommand (expected: compare, eval, morph, morph-check, mad-train or mad-eval)");
  if (pos[0] == "compare") return compare(args);
  if (pos[0] == "eval") return eval(args);
  if (pos[0] == "morph" || pos[0] == "morph-check" || pos[0] == "mad-train" || pos[0] == "mad-eval") return runFaceMad(args);
  throw UsageError("unknown subcommand " + pos[0] + " (expected: compare, eval, morph, morph-check, mad-train or mad-eval)");
}

}  // namespace portti::cli
