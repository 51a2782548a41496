// GET /api/camera/preview.jpg and the guidance in the state stream: a face image only while a capture
// runs, only to the kiosk's own screen (a loopback client), never cached.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetworkInterface.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "kiosk_fixture.hpp"
#include "portti/firmware/api_server.hpp"
#include "portti/firmware/transaction/live_preview.hpp"

namespace portti::firmware::test {
namespace {

struct Got {
  int status = 0;
  std::string contentType, cacheControl, body;
};

Got get(const std::string& host, int port, const std::string& path) {
  Poco::Net::HTTPClientSession session(host, static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Got g;
  g.status = response.getStatus();
  g.contentType = response.getContentType();
  g.cacheControl = response.get("Cache-Control", "");
  Poco::StreamCopier::copyToString(in, g.body);
  return g;
}

/// An address of this machine that is not loopback, or empty.
std::string outsideAddress() {
  for (const auto& nic : Poco::Net::NetworkInterface::list()) {
    const Poco::Net::IPAddress a = nic.address();
    if (a.family() == Poco::Net::IPAddress::IPv4 && !a.isLoopback() && !a.isWildcard() && !a.isLinkLocal() &&
        nic.isUp())
      return a.toString();
  }
  return {};
}

TEST(PreviewEndpoint, OnlyDuringACaptureOnlyToTheLocalScreenNeverCached) {
  Kiosk k;
  StateFeed feed;
  LivePreview preview;
  ApiConfig config;
  config.bind = "0.0.0.0";  // reachable from outside too: the endpoint itself must refuse those clients
  config.port = 0;
  ApiServer::Parts parts;
  parts.machine = &k.machine();
  parts.feed = &feed;
  parts.preview = &preview;
  ApiServer api(config, parts);
  api.start();
  const int port = api.port();

  EXPECT_EQ(get("127.0.0.1", port, "/api/camera/preview.jpg").status, 404) << "no capture: no picture";
  preview.show(portraitImage());
  const Got shown = get("127.0.0.1", port, "/api/camera/preview.jpg?frame=7");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.contentType, "image/jpeg");
  EXPECT_EQ(shown.cacheControl, "no-store");
  const cv::Mat decoded =
      cv::imdecode(std::vector<std::uint8_t>(shown.body.begin(), shown.body.end()), cv::IMREAD_COLOR);
  ASSERT_FALSE(decoded.empty());
  EXPECT_LE(std::max(decoded.cols, decoded.rows), 480);

  const std::string outside = outsideAddress();
  if (!outside.empty()) {
    const Got refused = get(outside, port, "/api/camera/preview.jpg");
    EXPECT_EQ(refused.status, 403) << "from " << outside;
    EXPECT_EQ(refused.body.find("\xff\xd8"), std::string::npos) << "no JPEG in the refusal";
  } else {
    std::cout << "[ note ] no non-loopback address here: the outside-client check is not run\n";
  }

  preview.clear();
  EXPECT_EQ(get("127.0.0.1", port, "/api/camera/preview.jpg").status, 404) << "the capture is over";
  api.stop();
}

TEST(PreviewEndpoint, StateJsonCarriesTheGuidanceAndTheFaceBox) {
  StateChange c;
  c.state = TransactionState::LiveCapture;
  c.guidance = {"move_closer", "hold_still"};
  c.faceBox = FaceBox{0.25, 0.5, 0.125, 0.25};
  const std::string json = stateJson(c);
  EXPECT_NE(json.find(R"("state":"live_capture")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("guidance":["move_closer","hold_still"])"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("face_box":{"x":0.25,"y":0.5,"width":0.125,"height":0.25})"), std::string::npos)
      << json;
  StateChange idle;
  const std::string idleJson = stateJson(idle);
  EXPECT_NE(idleJson.find(R"("guidance":[])"), std::string::npos) << idleJson;
  EXPECT_EQ(idleJson.find("face_box"), std::string::npos) << idleJson;
}

}  // namespace
}  // namespace portti::firmware::test
