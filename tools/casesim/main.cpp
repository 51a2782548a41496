// portti-casesim --config FILE: the reference case system. HTTPS with mutual TLS (only clients
// with a certificate from the configured CA get in), results stored in SQLite. Prints
// "portti-casesim listening on https://localhost:PORT" once ready; stops on SIGINT/SIGTERM.
#include <Poco/ErrorHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>

#include <csignal>
#include <cstring>
#include <iostream>

#include "api_handler.hpp"
#include "casesim_config.hpp"

using namespace portti::casesim;

namespace {
// Exceptions escaping a connection thread: log them (no request content) instead of dropping.
class LogErrors : public Poco::ErrorHandler {
 public:
  void exception(const Poco::Exception& e) override {
    std::cerr << "portti-casesim: " << e.displayText() << std::endl;
  }
  void exception(const std::exception& e) override {
    std::cerr << "portti-casesim: " << e.what() << std::endl;
  }
  void exception() override { std::cerr << "portti-casesim: unknown exception" << std::endl; }
};
}  // namespace

int main(int argc, char** argv) {
  std::string configPath;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc)
      configPath = argv[++i];
    else {
      std::cerr << "usage: portti-casesim --config FILE\n";
      return 2;
    }
  }
  if (configPath.empty()) {
    std::cerr << "usage: portti-casesim --config FILE\n";
    return 2;
  }
  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  try {
    Config config = loadConfig(configPath);
    Poco::Net::initializeSSL();
    static LogErrors logErrors;
    Poco::ErrorHandler::set(&logErrors);
    // VERIFY_STRICT: a client without a certificate from clientCa (or with an expired one)
    // fails the handshake before any request is read.
    Poco::Net::Context::Ptr tls = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, config.privateKeyFile, config.certificateFile,
        config.clientCaFile, Poco::Net::Context::VERIFY_STRICT, 4, false);
    // Poco's extended check compares a certificate with the peer's host name: right for the
    // server's certificate, meaningless for a kiosk's client certificate.
    tls->enableExtendedCertificateVerification(false);
    tls->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    VerificationStore store(config.database);
    portti::firmware::RateLimiter readLimiter(config.readsPerMinute);
    Poco::Net::SecureServerSocket socket(
        Poco::Net::SocketAddress(config.host, static_cast<Poco::UInt16>(config.port)), 64, tls);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(true);
    Poco::Net::HTTPServer server(new ApiHandlerFactory({config, store, readLimiter}), socket, params);
    server.start();
    std::cout << "portti-casesim listening on https://localhost:" << socket.address().port() << std::endl;
    int signal = 0;
    sigwait(&stopSignals, &signal);
    server.stopAll(true);
  } catch (const Poco::Exception& e) {
    std::cerr << "portti-casesim: " << e.displayText() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "portti-casesim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
