// What the face subcommands share: the config option, image loading and data set folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "args.hpp"
#include "portti/vision/face_config.hpp"

namespace portti::cli {

/// `--config FILE` (default config/face.conf).
std::string faceConfigPath(const Args& args);
/// The face config at faceConfigPath().
vision::FaceConfig faceConfigFromArgs(const Args& args);
/// Decodes an image file; errors name the path.
cv::Mat loadFaceImage(const std::string& path);
/// The folders (wantDirs) or files of `dir`, in name order.
std::vector<std::filesystem::path> sortedEntries(const std::filesystem::path& dir, bool wantDirs);
/// .jpg, .jpeg, .png, .jp2 (any case).
bool isImageFile(const std::filesystem::path& p);

}  // namespace portti::cli
