#include "portti/mrtd/card/chip_folder.hpp"

#include <fstream>
#include <iterator>

#include "portti/mrtd/card/lds_files.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

Bytes readWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorArea::File, "load chip folder", "cannot open " + path.string());
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeWhole(const std::filesystem::path& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error(ErrorArea::File, "write chip folder", "cannot write " + path.string());
}
}  // namespace

ChipConfig ChipConfig::parse(std::string_view text) {
  ChipConfig config;
  std::size_t lineNo = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++lineNo;
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty())
      throw Error(ErrorArea::File, "chip.conf",
                  "line " + std::to_string(lineNo) + ": expected key=value, got \"" + std::string(line) + "\"");
    config.set(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
  }
  return config;
}

std::string ChipConfig::serialize() const {
  std::string out;
  for (const auto& [k, v] : entries_) out += k + "=" + v + "\n";
  return out;
}

std::optional<std::string> ChipConfig::get(std::string_view key) const {
  for (const auto& [k, v] : entries_)
    if (k == key) return v;
  return std::nullopt;
}

void ChipConfig::set(std::string_view key, std::string_view value) {
  for (auto& [k, v] : entries_) {
    if (k == key) {
      v = value;
      return;
    }
  }
  entries_.emplace_back(std::string(key), std::string(value));
}

std::string chipFolderFileName(std::string_view ldsName) {
  if (ldsName.starts_with("DG")) return std::string(ldsName) + ".bin";
  return std::string(ldsName);
}

ChipImage loadChipFolder(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir))
    throw Error(ErrorArea::File, "load chip folder", dir.string() + " is not a folder");
  const auto confPath = dir / "chip.conf";
  if (!std::filesystem::is_regular_file(confPath))
    throw Error(ErrorArea::File, "load chip folder", "no chip.conf in " + dir.string());
  ChipImage image;
  const Bytes conf = readWhole(confPath);
  image.config = ChipConfig::parse(std::string_view(reinterpret_cast<const char*>(conf.data()), conf.size()));
  for (const LdsFile& f : ldsFiles()) {
    const auto path = dir / chipFolderFileName(f.name);
    if (std::filesystem::is_regular_file(path)) image.files[f.name] = readWhole(path);
  }
  for (const auto& [key, value] : image.config.entries()) {
    if (!key.ends_with("_key")) continue;
    if (value.empty() || value.find('/') != std::string::npos || value.find("..") != std::string::npos)
      throw Error(ErrorArea::File, "chip.conf", key + ": a file name inside the folder expected, got \"" + value + "\"");
    const auto path = dir / value;
    if (std::filesystem::is_regular_file(path)) image.keyFiles[value] = readWhole(path);
  }
  return image;
}

void writeChipFolder(const ChipImage& image, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::string conf = image.config.serialize();
  writeWhole(dir / "chip.conf", ByteView(reinterpret_cast<const std::uint8_t*>(conf.data()), conf.size()));
  for (const auto& [name, bytes] : image.files) {
    if (!findLdsFile(name)) throw Error(ErrorArea::File, "write chip folder", "unknown file name " + name);
    writeWhole(dir / chipFolderFileName(name), bytes);
  }
}

}  // namespace portti::mrtd
