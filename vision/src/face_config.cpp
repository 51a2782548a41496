#include "portti/vision/face_config.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

namespace portti::vision {

namespace {
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}
}  // namespace

const char* backendName(FaceBackend b) {
  switch (b) {
    case FaceBackend::Dlib: return "dlib";
    case FaceBackend::Onnx: return "onnx";
    case FaceBackend::Fusion: return "fusion";
  }
  return "unknown";
}

FaceConfig FaceConfig::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read face config " + path);
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  auto resolve = [&](const std::string& p) {
    return std::filesystem::path(p).is_absolute() ? p : (base / p).lexically_normal().string();
  };
  FaceConfig c;
  std::map<std::string, double*> numbers = {
      {"threshold", &c.threshold},
      {"target_fmr", &c.targetFmr},
      {"fusion.dlib_impostor_mean", &c.dlibImpostorMean},
      {"fusion.dlib_impostor_std", &c.dlibImpostorStd},
      {"fusion.onnx_impostor_mean", &c.onnxImpostorMean},
      {"fusion.onnx_impostor_std", &c.onnxImpostorStd},
      {"quality.min_inter_eye_pixels", &c.quality.minInterEyePixels},
      {"quality.max_yaw_degrees", &c.quality.maxYawDegrees},
      {"quality.max_pitch_degrees", &c.quality.maxPitchDegrees},
      {"quality.max_roll_degrees", &c.quality.maxRollDegrees},
      {"quality.min_sharpness", &c.quality.minSharpness},
      {"quality.min_brightness", &c.quality.minBrightness},
      {"quality.max_brightness", &c.quality.maxBrightness},
      {"quality.min_contrast", &c.quality.minContrast},
      {"quality.min_eye_openness", &c.quality.minEyeOpenness},
  };
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const auto eq = line.find('=');
    const std::string where = path + ":" + std::to_string(lineNo);
    if (eq == std::string::npos) throw std::runtime_error(where + ": expected key = value");
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (key == "model_dir") {
      c.modelDir = resolve(value);
    } else if (key == "onnx_model") {
      c.onnxModel = resolve(value);
    } else if (key == "backend") {
      if (value == "dlib") c.backend = FaceBackend::Dlib;
      else if (value == "onnx") c.backend = FaceBackend::Onnx;
      else if (value == "fusion") c.backend = FaceBackend::Fusion;
      else throw std::runtime_error(where + ": backend is dlib, onnx or fusion");
    } else if (key == "landmark_model") {
      c.landmarkModel = resolve(value);
    } else if (auto it = numbers.find(key); it != numbers.end()) {
      try {
        std::size_t used = 0;
        *it->second = std::stod(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      } catch (const std::exception&) {
        throw std::runtime_error(where + ": " + key + " is not a number");
      }
    } else {
      throw std::runtime_error(where + ": unknown key " + key);
    }
  }
  if (c.modelDir.empty()) throw std::runtime_error(path + ": model_dir is missing");
  if (c.backend != FaceBackend::Dlib && c.onnxModel.empty()) {
    throw std::runtime_error(path + ": backend " + backendName(c.backend) + " needs onnx_model");
  }
  return c;
}

double FaceConfig::writeThreshold(const std::string& path, double threshold, double targetFmr, const std::string& note) {
  (void)load(path);  // only a file that loads is rewritten
  if (!std::isfinite(threshold)) throw std::runtime_error("no finite threshold to write into " + path);
  const double written = std::ceil(threshold * 1e4) / 1e4;
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const auto format = [](const char* pattern, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, v);
    return std::string(buf);
  };
  const std::map<std::string, std::string> values = {
      {"threshold", format("%.4f", written)},
      {"target_fmr", format("%g", targetFmr)},
  };
  std::map<std::string, bool> replaced;
  for (auto& line : lines) {
    const auto hash = line.find('#');
    const std::string body = line.substr(0, hash);
    const auto eq = body.find('=');
    if (eq == std::string::npos) continue;
    const auto it = values.find(trim(body.substr(0, eq)));
    if (it == values.end()) continue;
    std::string comment = hash == std::string::npos ? "" : "  " + line.substr(hash);
    if (it->first == "threshold" && !note.empty()) comment = "  # " + note;
    line = it->first + " = " + it->second + comment;
    replaced[it->first] = true;
  }
  for (const auto& [key, value] : values) {
    if (!replaced[key]) lines.push_back(key + " = " + value + (key == "threshold" && !note.empty() ? "  # " + note : ""));
  }
  const std::string temporary = path + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    for (const auto& line : lines) out << line << "\n";
    out.close();
    if (!out) throw std::runtime_error("cannot write face config " + temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) throw std::runtime_error("cannot replace face config " + path + ": " + ec.message());
  return written;
}

}  // namespace portti::vision
