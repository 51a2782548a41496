// The delivery test PKI (scripts/make-test-certs) in a temporary directory, made once per binary.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace portti::test {

inline std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A fresh temporary directory, removed by the destructor.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "portti-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

/// The certificates of scripts/make-test-certs, generated on first use.
inline const std::filesystem::path& testPki() {
  static TempDir dir;
  static bool made = [] {
    std::string cmd = std::string(PORTTI_SOURCE_DIR) + "/scripts/make-test-certs " +
                      dir.path.string() + " >/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("scripts/make-test-certs failed");
    return true;
  }();
  (void)made;
  return dir.path;
}

inline std::string pki(const std::string& name) { return (testPki() / name).string(); }

}  // namespace portti::test
