// A test PKI made once per test binary (key generation is the slow part), in a temporary folder.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "portti/mrtd/pki/issuing.hpp"

namespace portti::mrtd::pki::testing {

inline Bytes readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline std::string tempDir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() /
           ("portti-pki-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

/// Removes its folder when the test binary ends.
struct TestPkiHolder {
  TestPki pki = makeTestPki(tempDir("made"));
  ~TestPkiHolder() {
    std::error_code ec;
    std::filesystem::remove_all(pki.dir, ec);
  }
};

inline const TestPki& testPki() {
  static TestPkiHolder holder;
  return holder.pki;
}

/// DG1 and DG2 stand-ins: the bytes are hashed as they are, whatever they hold.
inline const std::map<int, Bytes>& sampleDgs() {
  static const std::map<int, Bytes> dgs = {
      {1, fromHex("615B5F1F58503C55544F4552494B53534F4E3C3C414E4E413C4D415249413C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C"
                  "4C38393839303243333655544F3734303831323246313230343135395A45313834323236423C3C3C3C3C3130")},
      {2, Bytes(300, 0x42)},
  };
  return dgs;
}

}  // namespace portti::mrtd::pki::testing
