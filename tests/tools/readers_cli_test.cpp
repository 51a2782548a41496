// `portti readers` as an operator runs it: every backend listed, exit 0 even with no readers; with
// a PN532 emulator as libnfc's default device and a private pcscd with the vpcd reader, both show.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>

#include "portti/hw/pn532/emulator.hpp"
#include "portti/hw/vpcd/pcscd_sandbox.hpp"
#include "tools/run_portti.hpp"

using portti::testing::runPortti;

TEST(PorttiReaders, ListsEveryBackendAndExitsZeroWithoutReaders) {
  auto r = runPortti("readers");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("pcsc:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nfc:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--reader sim:DIR"), std::string::npos) << r.out;
  EXPECT_EQ(runPortti("readers extra").exitCode, 2);
}

TEST(PorttiReaders, ShowsPn532EmulatorAndPcscdVpcdReader) {
  if (auto why = portti::hw::vpcd::PcscdSandbox::unavailableReason())
    GTEST_SKIP() << "pcscd + vpcd not available: " << *why;
  portti::hw::vpcd::PcscdSandbox pcscd;  // points this process (and its children) at its socket
  portti::hw::pn532::Emulator emulator;
  ::setenv("LIBNFC_DEFAULT_DEVICE", emulator.connstring().c_str(), 1);
  auto r = runPortti("readers --json");
  ::unsetenv("LIBNFC_DEFAULT_DEVICE");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  Poco::JSON::Parser parser;
  auto root = parser.parse(r.out).extract<Poco::JSON::Object::Ptr>();
  auto backends = root->getArray("backends");
  ASSERT_EQ(backends->size(), 3u) << r.out;
  std::map<std::string, std::vector<std::string>> seen;
  for (std::size_t i = 0; i < backends->size(); ++i) {
    auto b = backends->getObject(static_cast<unsigned>(i));
    auto readers = b->getArray("readers");
    for (std::size_t j = 0; j < readers->size(); ++j)
      seen[b->getValue<std::string>("backend")].push_back(readers->getObject(static_cast<unsigned>(j))->getValue<std::string>("reader"));
  }
  // vpcd offers two slots; the card side connects to the first.
  ASSERT_FALSE(seen["pcsc"].empty()) << r.out;
  EXPECT_EQ(seen["pcsc"].front(), "pcsc:" + pcscd.readerName()) << r.out;
  ASSERT_FALSE(seen["nfc"].empty()) << r.out;
  EXPECT_EQ(seen["nfc"].front(), "nfc:" + emulator.connstring()) << r.out;
  EXPECT_EQ(seen["sim"], std::vector<std::string>{"sim:DIR"});
}
