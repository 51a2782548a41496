#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "portti/firmware/web/state_hub.hpp"
#include "portti/firmware/web/static_files.hpp"

namespace fs = std::filesystem;
using namespace portti::firmware::web;

namespace {

struct UiRoot : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("portti-ui-" + std::to_string(::getpid()));
  void SetUp() override {
    fs::create_directories(dir / "ui" / "js");
    std::ofstream(dir / "ui" / "index.html") << "<!doctype html>";
    std::ofstream(dir / "ui" / "js" / "app.js") << "x";
    std::ofstream(dir / "ui" / ".hidden") << "x";
    std::ofstream(dir / "secret.txt") << "outside";
    fs::create_symlink(dir / "secret.txt", dir / "ui" / "link.txt");
  }
  void TearDown() override { fs::remove_all(dir); }
};

}  // namespace

TEST_F(UiRoot, ServesFilesInsideTheRoot) {
  const fs::path root = dir / "ui";
  EXPECT_EQ(resolveStaticPath(root, "/"), fs::canonical(root / "index.html"));
  EXPECT_EQ(resolveStaticPath(root, "/js/app.js?v=1"), fs::canonical(root / "js" / "app.js"));
  EXPECT_EQ(resolveStaticPath(root, "/js/%61pp.js"), fs::canonical(root / "js" / "app.js"));
}

TEST_F(UiRoot, RefusesEverythingElse) {
  const fs::path root = dir / "ui";
  EXPECT_FALSE(resolveStaticPath(root, "/../secret.txt"));
  EXPECT_FALSE(resolveStaticPath(root, "/js/../../secret.txt"));
  EXPECT_FALSE(resolveStaticPath(root, "/%2e%2e/secret.txt"));
  EXPECT_FALSE(resolveStaticPath(root, "/link.txt"));  // symlink out of the root
  EXPECT_FALSE(resolveStaticPath(root, "/.hidden"));
  EXPECT_FALSE(resolveStaticPath(root, "/missing.html"));
  EXPECT_FALSE(resolveStaticPath(root, "/js"));  // a directory
  EXPECT_FALSE(resolveStaticPath(root, "relative"));
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(contentTypeFor("a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(contentTypeFor("kiosk.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("x.bin"), "application/octet-stream");
}

TEST(StateHub, WaitersSeeTheNextStateAndTimeOutOtherwise) {
  StateHub hub;
  EXPECT_EQ(hub.latest().sequence, 0u);
  EXPECT_EQ(hub.waitNewer(0, std::chrono::milliseconds(10)).sequence, 0u);  // timed out
  std::thread publisher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    hub.publish(R"({"state":"idle"})");
  });
  const PublishedState s = hub.waitNewer(0, std::chrono::seconds(5));
  publisher.join();
  EXPECT_EQ(s.sequence, 1u);
  EXPECT_EQ(s.json, R"({"state":"idle"})");
  hub.close();
  EXPECT_TRUE(hub.closed());
  EXPECT_EQ(hub.waitNewer(1, std::chrono::seconds(5)).sequence, 1u);  // returns at once when closed
}
