// The errors of the face pipeline: models that do not load, images without a usable face.
#pragma once

#include <stdexcept>

namespace portti::vision {

/// A face could not be found, aligned or described; the message names the step that failed.
struct FaceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A model file is missing or does not match the network it should fill.
struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace portti::vision
