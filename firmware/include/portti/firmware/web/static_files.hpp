// The kiosk UI's files (ui/) for the local browser: GET and HEAD only, nothing outside the root,
// strict headers (the page may load only its own scripts and talk only to porttid).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <filesystem>
#include <optional>
#include <string>

namespace portti::firmware::web {

/// The file under `root` that `urlPath` names ("/" is index.html), or nullopt when it would leave
/// the root, is hidden, or does not exist.
std::optional<std::filesystem::path> resolveStaticPath(const std::filesystem::path& root, const std::string& urlPath);

/// "text/html; charset=utf-8", "text/javascript", ... by extension; octet-stream otherwise.
std::string contentTypeFor(const std::filesystem::path& file);

class StaticFileHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit StaticFileHandler(std::filesystem::path root) : root_(std::move(root)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

 private:
  std::filesystem::path root_;
};

}  // namespace portti::firmware::web
