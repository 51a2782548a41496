// portti face compare A B: are two photos the same person? (eval: cmd_face_eval.cpp, morphs: cmd_face_mad.cpp)
// Exit codes of compare: 0 same person, 1 not the same person, 3 when an image has no usable face.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "face_cli.hpp"
#include "portti/vision/error.hpp"
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

}  // namespace

int runFaceMad(const Args& args);   // cmd_face_mad.cpp
int runFaceEval(const Args& args);  // cmd_face_eval.cpp

int runFace(const Words& words) {
  Args args(words, {"json", "aligned", "chip", "splice", "match-colour", "print-scan", "write-threshold"});
  const auto& pos = args.positional();
  if (pos.empty()) throw UsageError("missing subcommand (expected: compare, eval, morph, morph-check, mad-train or mad-eval)");
  if (pos[0] == "compare") return compare(args);
  if (pos[0] == "eval") return runFaceEval(args);
  if (pos[0] == "morph" || pos[0] == "morph-check" || pos[0] == "mad-train" || pos[0] == "mad-eval") return runFaceMad(args);
  throw UsageError("unknown subcommand " + pos[0] + " (expected: compare, eval, morph, morph-check, mad-train or mad-eval)");
}

}  // namespace portti::cli
