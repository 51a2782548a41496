#include "cli_common.hpp"

#include <fstream>
#include <iterator>

#include "portti/mrtd/error.hpp"

namespace portti::cli {

mrtd::Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw mrtd::Error(mrtd::ErrorArea::File, "read", "cannot read " + path);
  return mrtd::Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, mrtd::ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw mrtd::Error(mrtd::ErrorArea::File, "write", "cannot write " + path);
}

mrtd::pki::TrustStore trustFromArgs(const Args& args) {
  mrtd::pki::TrustStore trust;
  for (const auto& t : args.all("trust")) trust.addPath(t);
  for (const auto& c : args.all("crl")) trust.addCrl(readFile(c), c);
  return trust;
}

mrtd::pki::PaOptions paOptionsFromArgs(const Args& args) {
  mrtd::pki::PaOptions options;
  if (auto at = args.get("at")) {
    try {
      options.at = mrtd::pki::parseDate(*at);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  return options;
}

}  // namespace portti::cli
