#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "portti/firmware/web/speech.hpp"
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

TEST(Speech, SpeaksOnlyKnownLanguagesAndPassesTheTextAsData) {
  namespace fs = std::filesystem;
  const fs::path out = fs::temp_directory_path() / ("portti-speech-" + std::to_string(::getpid()));
  {
    // A stand-in synthesiser that writes its arguments: what espeak-ng would be given.
    Speech speech({"sh", "-c", "printf '%s|' \"$@\" > " + out.string(), "speak"});
    EXPECT_NE(speech.say("xx", "hello"), "");
    EXPECT_NE(speech.say("fi", ""), "");
    EXPECT_NE(speech.say("fi", std::string(1001, 'a')), "");
    EXPECT_EQ(speech.say("fi", "--help; rm -rf /"), "");
  }  // the destructor waits for the child
  std::ifstream in(out);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, "-v|fi|--|--help; rm -rf /|");
  fs::remove(out);
  Speech missing({"/nonexistent/espeak"});
  EXPECT_EQ(missing.say("en", "hi"), "cannot start /nonexistent/espeak");
}
