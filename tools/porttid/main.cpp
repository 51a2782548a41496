// porttid --config FILE: the kiosk daemon. Opens the configured devices (simulated by default),
// runs transactions and serves the local API until SIGINT/SIGTERM. Prints
// "porttid listening on http://BIND:PORT" once ready.
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>

#include "portti/firmware/daemon.hpp"
#include "portti/hw/gate.hpp"

namespace {

class Porttid : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("config", "c", "kiosk configuration file (INI)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE")
                          .callback(Poco::Util::OptionCallback<Porttid>(this, &Porttid::setConfig)));
    options.addOption(Poco::Util::Option("help", "h", "this help")
                          .callback(Poco::Util::OptionCallback<Porttid>(this, &Porttid::setHelp)));
  }
  void setConfig(const std::string&, const std::string& value) { configFile_ = value; }
  void setHelp(const std::string&, const std::string&) {
    help_ = true;
    stopOptionsProcessing();
  }

  int main(const std::vector<std::string>&) override {
    if (help_ || configFile_.empty()) {
      Poco::Util::HelpFormatter f(options());
      f.setUsage("--config FILE");
      f.setHeader("porttid: the portti kiosk daemon");
      f.format(std::cout);
      return help_ ? EXIT_OK : EXIT_USAGE;
    }
    try {
      portti::hw::installGateTerminationGuard();
      const auto config = portti::firmware::KioskConfig::load(configFile_);
      portti::firmware::Daemon daemon(config);
      daemon.start();
      std::cout << "porttid " << config.kioskId << " (" << portti::firmware::modeName(config.mode)
                << ") listening on http://" << config.api.bind << ":" << daemon.apiPort() << std::endl;
      waitForTerminationRequest();
      daemon.stop();
    } catch (const std::exception& e) {
      std::cerr << "porttid: " << e.what() << std::endl;
      return EXIT_CONFIG;
    }
    return EXIT_OK;
  }

 private:
  std::string configFile_;
  bool help_ = false;
};

}  // namespace

POCO_SERVER_MAIN(Porttid)
