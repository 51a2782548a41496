// The daemon's small HTTP API on localhost, for the kiosk UI and the technician (issue 7 item 7).
//   GET  /api/state[?after=SEQ]     the state now; with `after`, waits (up to 25 s) for a newer one
//   POST /api/transaction/start     start with the document on the reader ("try again")
//   POST /api/transaction/cancel
//   POST /api/mrz   {"mrz": "..."}  manual MRZ entry      POST /api/can {"can": "123456"}
//   POST /api/case  {"case": "..."} service point: the case or diary number
//   GET  /api/diagnostics           technician: the diagnostics report
//   POST /api/diagnostics/self-test technician: run the self-test
//   POST /api/sim/document {"present": true|false, "chip": DIR}   technician, sim reader only
//   GET  /api/camera/preview.jpg    the live capture's newest frame (small JPEG, no-store): only
//                                   while the capture runs (404 otherwise), only to the kiosk's own
//                                   screen (a loopback client, 403 otherwise)
//   dead letters and officer call-outs: web/desk_api.hpp
// Technician requests carry "Authorization: Bearer TOKEN" or "X-Technician-Pin: PIN". After
// `maxFailures` wrong credentials the technician endpoints lock for `lockout`; every client is
// limited to `requestsPerMinute`. Answers never hold personal data.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "portti/firmware/diagnostics.hpp"
#include "portti/firmware/kiosk_config.hpp"
#include "portti/firmware/state_machine.hpp"
#include "portti/firmware/transaction/live_preview.hpp"
#include "portti/firmware/web/desk_api.hpp"

namespace Poco::Net {
class HTTPServer;
}

namespace portti::firmware {

/// Technician authentication with lockout: constant-time comparison, failures counted across all
/// clients (the API is local: one attacker, many ports), a lockout after `maxFailures`.
class TechnicianAuth {
 public:
  TechnicianAuth(std::string pin, std::string token, int maxFailures, std::chrono::seconds lockout);
  enum class Result { Ok, Denied, LockedOut, NotConfigured };
  /// `pin` / `token` as presented (empty when absent).
  Result check(const std::string& pin, const std::string& token,
               std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  std::string pin_, token_;
  int maxFailures_;
  std::chrono::seconds lockout_;
  std::mutex mutex_;
  int failures_ = 0;
  std::chrono::steady_clock::time_point lockedUntil_{};
};

/// The simulated document on a sim reader: put on / taken off, and which chip it is.
using SimDocumentControl = std::function<std::string(bool present, const std::string& chipDir)>;

/// Latest state change, with waiting for a newer one (the UI's long poll). The feed numbers what
/// it publishes itself (state changes and kiosk events), one up each.
class StateFeed {
 public:
  void publish(const StateChange& change);
  /// A kiosk event ("officer_called") beside the state: the latest state again, carrying `event`.
  void publishEvent(const std::string& event);
  /// The newest change with sequence > after, waiting up to `timeout`; the newest one otherwise.
  StateChange waitNewer(std::uint64_t after, std::chrono::milliseconds timeout);
  StateChange latest() const;
  /// Wakes every waiter for good (shutdown): waitNewer() no longer waits.
  void close();
  bool closed() const;

 private:
  bool closed_ = false;
  std::uint64_t sequence_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  StateChange latest_;
};

/// JSON of a state change (what /api/state returns).
std::string stateJson(const StateChange& change);

class ApiServer {
 public:
  struct Parts {
    TransactionMachine* machine = nullptr;
    StateFeed* feed = nullptr;
    Diagnostics* diagnostics = nullptr;
    SimDocumentControl simDocument;  ///< empty unless the reader is simulated
    RecentErrors* errors = nullptr;
    const LivePreview* preview = nullptr;  ///< none: no preview endpoint
    web::DeskParts desk;  ///< dead letters and officer call-outs
  };
  /// Binds `config.bind:config.port` (port 0: any free port). Throws Poco::Exception.
  ApiServer(const ApiConfig& config, Parts parts);
  ~ApiServer();
  void start();
  void stop();
  int port() const;

  struct Impl;  // the routes (api_server.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace portti::firmware
