// GET /api/events: the live state as server-sent events (one `data:` line of JSON per change, a
// comment line as heartbeat), so the kiosk screen follows the transaction without polling.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <chrono>

#include "portti/firmware/api_server.hpp"

namespace portti::firmware::web {

class StateStreamHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit StateStreamHandler(StateFeed& feed, std::chrono::milliseconds heartbeat = std::chrono::seconds(5))
      : feed_(feed), heartbeat_(heartbeat) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

 private:
  StateFeed& feed_;
  std::chrono::milliseconds heartbeat_;
};

}  // namespace portti::firmware::web
