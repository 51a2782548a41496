#include "portti/firmware/web/static_files.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <fstream>
#include <map>

namespace portti::firmware::web {

namespace fs = std::filesystem;

std::optional<fs::path> resolveStaticPath(const fs::path& root, const std::string& urlPath) {
  std::string decoded;
  try {
    Poco::URI::decode(urlPath.substr(0, urlPath.find('?')), decoded);
  } catch (...) {
    return std::nullopt;
  }
  if (decoded.empty() || decoded.front() != '/' || decoded.find('\0') != std::string::npos) return std::nullopt;
  fs::path relative = fs::path(decoded.substr(1)).lexically_normal();
  if (relative.empty() || relative == ".") relative = "index.html";
  for (const auto& part : relative)
    if (part == ".." || part.string().starts_with(".")) return std::nullopt;
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(root, ec);
  const fs::path file = fs::weakly_canonical(base / relative, ec);
  if (ec) return std::nullopt;
  // A symbolic link inside ui/ must not lead out of it either.
  const auto [end, _] = std::mismatch(base.begin(), base.end(), file.begin(), file.end());
  if (end != base.end() || !fs::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::string contentTypeFor(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".png", "image/png"}, {".svg", "image/svg+xml"},
      {".jpg", "image/jpeg"}, {".woff2", "font/woff2"}, {".ico", "image/x-icon"}};
  const auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

void StaticFileHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  using Poco::Net::HTTPResponse;
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; frame-ancestors 'none'");
  response.set("Cache-Control", "no-store");
  if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
    response.setStatusAndReason(HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
    response.send();
    return;
  }
  const auto file = resolveStaticPath(root_, request.getURI());
  if (!file) {
    response.setStatusAndReason(HTTPResponse::HTTP_NOT_FOUND);
    response.send() << "not found";
    return;
  }
  response.setContentType(contentTypeFor(*file));
  if (request.getMethod() == "HEAD") {
    response.setContentLength64(static_cast<Poco::UInt64>(fs::file_size(*file)));
    response.send();
    return;
  }
  response.sendFile(file->string(), contentTypeFor(*file));
}

}  // namespace portti::firmware::web
