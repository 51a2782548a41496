// GET /api/events: the live state as server-sent events (one `data:` line of JSON per change, a
// comment line as heartbeat), so the kiosk screen follows the transaction without polling.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <chrono>

#include "portti/firmware/web/state_hub.hpp"

namespace portti::firmware::web {

class StateStreamHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit StateStreamHandler(const StateHub& hub, std::chrono::milliseconds heartbeat = std::chrono::seconds(15))
      : hub_(hub), heartbeat_(heartbeat) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

 private:
  const StateHub& hub_;
  std::chrono::milliseconds heartbeat_;
};

}  // namespace portti::firmware::web
