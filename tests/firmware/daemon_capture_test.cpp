// porttid's live capture end to end: the real daemon with vision's checks and the simulated camera.
// The traveller stands far away ("move_closer" with the face box on /api/state, the preview served),
// then near: the capture ends, the rules see face.quality and face.count, the preview is gone.
#include <gtest/gtest.h>

#include <fstream>

#include "kiosk_fixture.hpp"
#include "local_api.hpp"
#include "portti/firmware/daemon.hpp"

namespace portti::firmware::test {
namespace {

/// A technician's request (the sim document control needs one; the kiosk endpoints ignore it).
Reply request(int port, const std::string& method, const std::string& path, const std::string& body = {}) {
  return call(port, method, path, body, {kTech});
}

/// What the camera sees, renamed into place so the camera never reads half a file.
void showOnCamera(const fs::path& file, const cv::Mat& image) {
  const fs::path next = file.string() + ".next.png";
  cv::imwrite(next.string(), image);
  fs::rename(next, file);
}

TEST(DaemonCapture, GuidanceAndPreviewWhileFarThenAcceptedWhenNear) {
  const std::string models = std::string(PORTTI_SOURCE_DIR) + "/assets/npm/vladmandic-face-api-1.7.15/model";
  const cv::Mat near = cv::imread(std::string(PORTTI_SOURCE_DIR) + "/assets/astronaut.png");
  if (near.empty() || !fs::exists(models)) GTEST_SKIP() << "assets absent: run scripts/setup";
  // Far: the portrait small in a small frame (tests/firmware/live_capture_test.cpp: "move_closer").
  cv::Mat far(240, 320, CV_8UC3, cv::Scalar(128, 128, 128));
  cv::Mat small;
  cv::resize(near, small, cv::Size(240 * near.cols / near.rows, 240), 0, 0, cv::INTER_AREA);
  small.copyTo(far(cv::Rect((far.cols - small.cols) / 2, 0, small.cols, small.rows)));

  const fs::path dir = tempDir("daemon-capture");
  fs::create_directories(dir / "live");
  showOnCamera(dir / "live" / "frame.png", far);
  std::ofstream(dir / "kiosk.rules") << "rule quality: face.quality >= 0.5 else refer CAPTURE_QUALITY\n"
                                        "rule one: face.count == 1 else refer SEVERAL_PEOPLE\n";
  std::ofstream(dir / "porttid.conf")
      << "[kiosk]\nid = kiosk-1\nmode = egate\ndata_dir = data\n"
      << "[devices]\nreader = sim:" << world().chip.string() << "\ncamera = sim:live,loop\ngate = sim\n"
      << "[trust]\npath = " << (world().pki / "csca.der").string() << "\n"
      << "[rules]\nfile = kiosk.rules\n"
      << "[face]\nconfig = " << PORTTI_SOURCE_DIR << "/config/face.conf\n"
      << "[api]\nport = 0\ntechnician_token = technician-token-0123456789\n"
      << "[timeouts]\ncapture_budget_ms = 30000\nlive_capture_ms = 40000\n";
  Daemon daemon(KioskConfig::load(dir / "porttid.conf"));
  daemon.start();
  const int port = daemon.apiPort();
  EXPECT_EQ(request(port, "GET", "/api/camera/preview.jpg").status, 404) << "idle: no preview";

  std::uint64_t seq = request(port, "GET", "/api/state").json()->getValue<std::uint64_t>("sequence");
  ASSERT_EQ(request(port, "POST", "/api/sim/document", R"({"present":true})").status, 200);
  bool guided = false, previewed = false;
  Poco::JSON::Object::Ptr state;
  for (int i = 0; i < 2000; ++i) {
    state = request(port, "GET", "/api/state?after=" + std::to_string(seq)).json();
    seq = state->getValue<std::uint64_t>("sequence");
    const std::string name = state->getValue<std::string>("state");
    if (name == "access_key") {
      Poco::JSON::Object mrz;
      mrz.set("mrz", kMrz);
      std::ostringstream body;
      mrz.stringify(body);
      request(port, "POST", "/api/mrz", body.str());
    }
    if (name == "live_capture" && !guided && state->getArray("guidance")->size() > 0) {
      EXPECT_EQ(state->getArray("guidance")->getElement<std::string>(0), "move_closer");
      auto box = state->getObject("face_box");
      ASSERT_TRUE(box);
      EXPECT_GT(box->getValue<double>("width"), 0.05);
      EXPECT_LE(box->getValue<double>("x") + box->getValue<double>("width"), 1.0);
      guided = true;
      const Reply preview = request(port, "GET", "/api/camera/preview.jpg");
      EXPECT_EQ(preview.status, 200);
      EXPECT_EQ(preview.cacheControl, "no-store");
      previewed =
          !cv::imdecode(std::vector<std::uint8_t>(preview.body.begin(), preview.body.end()), cv::IMREAD_COLOR)
               .empty();
      showOnCamera(dir / "live" / "frame.png", near);  // the traveller steps closer
    }
    if (name == "take_document") break;
  }
  EXPECT_TRUE(guided) << "no guidance was published";
  EXPECT_TRUE(previewed) << "no preview while capturing";
  ASSERT_TRUE(state);
  EXPECT_EQ(state->getValue<std::string>("state"), "take_document");
  EXPECT_EQ(state->optValue<std::string>("outcome", ""), "accept") << "the near frame passed: " << seq;
  EXPECT_EQ(request(port, "GET", "/api/camera/preview.jpg").status, 404) << "the capture is over: no preview";
  request(port, "POST", "/api/sim/document", R"({"present":false})");
  daemon.stop();
}

}  // namespace
}  // namespace portti::firmware::test
