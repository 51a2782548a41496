#include <cmath>

#include "portti/vision/embed/face_embedder.hpp"

namespace portti::vision {

float descriptorDistance(const FaceDescriptor& a, const FaceDescriptor& b) {
  float sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

}  // namespace portti::vision
