// A private pcscd for tests and benchmarks: Debian's pcscd in the foreground with its own reader
// configuration (one vpcd virtual reader on a free port) so it never clashes with a system pcscd.
// As root it runs in its own mount namespace with /run/pcscd bound to a temporary folder, and this
// process's PC/SC client is pointed at that socket (PCSCLITE_CSOCK_NAME); without that privilege it
// runs on the standard socket when no other pcscd is running (sandboxes of parallel processes then
// take turns). One sandbox at a time per process: libpcsclite reads the socket path only once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace portti::hw::vpcd {

class PcscdSandbox {
 public:
  /// Why a sandbox cannot run here (pcscd or the vpcd driver missing, ...), or nothing when it can.
  static std::optional<std::string> unavailableReason();

  /// Starts pcscd and waits (up to `timeout`) until it answers and lists the virtual reader.
  /// Throws mrtd::Error{Transport} with pcscd's log tail when it does not come up.
  explicit PcscdSandbox(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Stops pcscd (SIGTERM, then SIGKILL) and removes the temporary folder.
  ~PcscdSandbox();
  PcscdSandbox(const PcscdSandbox&) = delete;
  PcscdSandbox& operator=(const PcscdSandbox&) = delete;

  /// The TCP port the vpcd driver listens on for the card (slot 0).
  std::uint16_t cardPort() const;
  /// The PC/SC name of the virtual reader's first slot.
  std::string readerName() const;
  /// pcscd's output so far (for failure messages).
  std::string log() const;
  /// Stops pcscd now (the reader disappears; clients get "no service").
  void stop();
  /// Starts pcscd again after stop() (a pcscd restart).
  void restart(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  struct State;
  void start(std::chrono::milliseconds timeout);
  std::unique_ptr<State> s_;
};

}  // namespace portti::hw::vpcd
