// porttid's core: opens what the kiosk configuration names (reader, MRZ reader, camera, gate, trust
// store, rules, outbox, sender to the case system), runs the transaction machine in its own thread,
// and serves the API. tools/porttid wraps it in a Poco ServerApplication.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "portti/firmware/api_server.hpp"
#include "portti/firmware/diagnostics.hpp"
#include "portti/firmware/kiosk_config.hpp"
#include "portti/firmware/state_machine.hpp"

namespace portti::firmware {

class Daemon {
 public:
  /// Opens everything; throws (ConfigError, DeliveryError, RuleFileError, mrtd::Error, hw::DeviceError)
  /// with the part that failed, before any transaction can start.
  explicit Daemon(const KioskConfig& config);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Starts the sender, the machine's thread and the API.
  void start();
  /// Stops the API, the machine (the gate closes) and the sender.
  void stop();

  int apiPort() const;
  TransactionMachine& machine();
  Diagnostics& diagnostics();
  StateFeed& feed();

 private:
  struct Parts;
  std::unique_ptr<Parts> p_;
  std::atomic<bool> running_{false};
  std::thread loop_;
};

}  // namespace portti::firmware
