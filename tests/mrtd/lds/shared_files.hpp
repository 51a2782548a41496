// Reads sample files from ../shared (tests run from the project root); empty when absent.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::testing {

inline std::optional<Bytes> readShared(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path("../shared") / relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace portti::mrtd::testing

/// Loads ../shared/<relative> into `var`, or skips the test with a message.
#define PORTTI_SHARED_OR_SKIP(var, relative)                                              \
  auto var##_opt = ::portti::mrtd::testing::readShared(relative);                         \
  if (!var##_opt) GTEST_SKIP() << "../shared not found: " << (relative) << " is absent"; \
  const ::portti::mrtd::Bytes& var = *var##_opt
