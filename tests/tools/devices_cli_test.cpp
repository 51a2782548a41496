// `portti devices` as an operator runs it: simulated devices pass, absent ones are reported with
// the reason and exit 1.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "tools/run_portti.hpp"

using portti::testing::runPortti;

TEST(PorttiDevices, SimulatedDevicesPassAsJson) {
  auto r = runPortti("devices --camera synthetic:64x48 --gate sim --lights sim --mrz-source manual --json");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  Poco::JSON::Parser parser;
  auto root = parser.parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(root->getValue<bool>("all_ok"));
  auto devices = root->getArray("devices");
  ASSERT_EQ(devices->size(), 4u);
  for (unsigned i = 0; i < devices->size(); ++i) {
    auto d = devices->getObject(i);
    EXPECT_TRUE(d->getValue<bool>("present")) << r.out;
    EXPECT_EQ(d->getValue<std::string>("self_test"), "passed") << r.out;
  }
  EXPECT_EQ(devices->getObject(1)->getValue<std::string>("kind"), "gate");
}

TEST(PorttiDevices, AbsentDevicesAreReportedAndExitOne) {
  auto r = runPortti(
      "devices --camera v4l2:/dev/video97 --gate gpio:gpiochip97:17 --reader "
      "nfc:pn532_uart:/dev/portti-no-such-tty");
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_NE(r.out.find("camera v4l2:/dev/video97: absent"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cannot open GPIO chip 'gpiochip97'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("self-test:  failed"), std::string::npos) << r.out;
  EXPECT_EQ(runPortti("devices extra").exitCode, 2);
}
