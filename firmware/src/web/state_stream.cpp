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
  std::uint64_t sent = 0;
  // Ends when the browser goes away (the write fails) or the server closes the hub.
  while (out.good() && !hub_.closed()) {
    const PublishedState s = hub_.waitNewer(sent, heartbeat_);
    if (s.sequence > sent) {
      out << "id: " << s.sequence << "\ndata: " << s.json << "\n\n";
      sent = s.sequence;
    } else {
      out << ": keep-alive\n\n";
    }
    out.flush();
  }
}

}  // namespace portti::firmware::web
