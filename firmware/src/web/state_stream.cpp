#include "portti/firmware/web/state_stream.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <ostream>

namespace portti::firmware::web {

void StateStreamHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
  response.setContentType("text/event-stream");
  response.set("Cache-Control", "no-store");
  response.setChunkedTransferEncoding(true);
  std::ostream& out = response.send();
  // The current state first, then every change; ends when the browser goes away (a write fails).
  StateChange state = feed_.latest();
  std::uint64_t sent = state.sequence;
  out << "id: " << state.sequence << "\ndata: " << stateJson(state) << "\n\n";
  out.flush();
  while (out.good()) {
    state = feed_.waitNewer(sent, heartbeat_);
    if (state.sequence > sent) {
      out << "id: " << state.sequence << "\ndata: " << stateJson(state) << "\n\n";
      sent = state.sequence;
    } else {
      out << ": keep-alive\n\n";
    }
    out.flush();
  }
}

}  // namespace portti::firmware::web
