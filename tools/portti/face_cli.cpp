#include "face_cli.hpp"

#include <algorithm>
#include <cctype>

#include "cli_common.hpp"
#include "portti/vision/face_image.hpp"

namespace portti::cli {

namespace fs = std::filesystem;

std::string faceConfigPath(const Args& args) { return args.get("config").value_or("config/face.conf"); }

vision::FaceConfig faceConfigFromArgs(const Args& args) { return vision::FaceConfig::load(faceConfigPath(args)); }

cv::Mat loadFaceImage(const std::string& path) {
  const auto bytes = readFile(path);
  try {
    return vision::decodeImage(bytes);
  } catch (const vision::ImageError& e) {
    throw vision::ImageError(path + ": " + e.what());
  }
}

std::vector<fs::path> sortedEntries(const fs::path& dir, bool wantDirs) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (wantDirs ? e.is_directory() : e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool isImageFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".jp2";
}

}  // namespace portti::cli
