// openCamera(spec): the scheme picks the source, trailing ",option"s configure it.
#include <glob.h>

#include <algorithm>
#include <filesystem>

#include "camera/frame_source.hpp"

namespace portti::hw {

namespace {

namespace fs = std::filesystem;

bool isImageFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".pgm", ".pnm", ".tif", ".tiff", ".webp"})
    if (ext == e) return true;
  return false;
}

std::vector<std::string> globFiles(const std::string& pattern) {
  std::vector<std::string> files;
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  std::sort(files.begin(), files.end());
  return files;
}

int positive(const std::string& spec, const std::string& text) {
  try {
    std::size_t used = 0;
    const int v = std::stoi(text, &used);
    if (used == text.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw DeviceError("camera " + spec, "'" + text + "' is not a positive number");
}

// Peels ",loop", ",fps=N", ",size=WxH", ",stall-after=N" off the end (a path may hold commas).
camera::SourceOptions takeOptions(const std::string& spec, std::string& target) {
  camera::SourceOptions o;
  for (;;) {
    const auto comma = target.rfind(',');
    if (comma == std::string::npos) break;
    const std::string opt = target.substr(comma + 1);
    if (opt == "loop") o.loop = true;
    else if (opt.rfind("fps=", 0) == 0) o.requested.fps = positive(spec, opt.substr(4));
    else if (opt.rfind("stall-after=", 0) == 0) o.stallAfter = opt.substr(12) == "0" ? 0 : positive(spec, opt.substr(12));
    else if (opt.rfind("size=", 0) == 0) {
      const auto x = opt.find('x', 5);
      if (x == std::string::npos) throw DeviceError("camera " + spec, "size wants WxH, e.g. size=640x480");
      o.requested.width = positive(spec, opt.substr(5, x - 5));
      o.requested.height = positive(spec, opt.substr(x + 1));
    } else break;
    target.erase(comma);
  }
  return o;
}

}  // namespace

std::unique_ptr<Camera> openCamera(const std::string& spec) {
  std::string rest = spec;
  camera::SourceOptions o = takeOptions(spec, rest);
  const auto colon = rest.find(':');
  const std::string scheme(rest, 0, colon);
  std::string target = colon == std::string::npos ? std::string() : rest.substr(colon + 1);

  std::unique_ptr<camera::FrameSource> source;
  if (scheme == "v4l2") {
    if (target.empty()) target.push_back('0');  // (not = "0": GCC 12 -Wrestrict false positive)
    if (o.stallAfter >= 0) throw DeviceError("camera " + spec, "stall-after is for simulated cameras");
    source = camera::openVideoCapture(target, true, o);
  } else if (scheme == "sim") {
    if (target.empty()) throw DeviceError("camera " + spec, "sim wants a video file, an image folder or a glob: sim:PATH");
    std::error_code ec;
    if (fs::is_directory(target, ec)) {
      std::vector<std::string> files;
      for (const auto& entry : fs::directory_iterator(target, ec))
        if (entry.is_regular_file() && isImageFile(entry.path())) files.push_back(entry.path().string());
      std::sort(files.begin(), files.end());
      source = camera::openImageSequence(files, target, o);
    } else if (target.find_first_of("*?[") != std::string::npos) {
      source = camera::openImageSequence(globFiles(target), target, o);
    } else if (!fs::exists(target, ec)) {
      throw DeviceError("camera " + spec, "no such file or folder: " + target);
    } else if (isImageFile(target)) {
      source = camera::openImageSequence({target}, target, o);
    } else {
      source = camera::openVideoCapture(target, false, o);
    }
  } else if (scheme == "synthetic") {
    if (!target.empty()) {
      const auto x = target.find('x');
      if (x == std::string::npos) throw DeviceError("camera " + spec, "synthetic wants WxH, e.g. synthetic:640x480");
      o.requested.width = positive(spec, target.substr(0, x));
      o.requested.height = positive(spec, target.substr(x + 1));
    }
    source = camera::openSynthetic(o);
  } else {
    throw DeviceError("camera " + spec, "unknown camera; use v4l2:INDEX|PATH, sim:FILE|DIR|GLOB or synthetic[:WxH]");
  }
  return camera::makeThreadedCamera(std::move(source), spec, o.stallAfter);
}

}  // namespace portti::hw
