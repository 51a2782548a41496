// A pseudo-terminal pair: the device side of a simulated serial peripheral (the PN532 emulator, the
// simulated MRZ document reader). The host program opens slavePath() as it would /dev/ttyUSB0; the
// simulator reads and writes the master side.
#pragma once

#include <chrono>
#include <string>

#include "portti/mrtd/bytes.hpp"

namespace portti::hw {

class PseudoTerminal {
 public:
  /// Opens a pty pair; the slave side is set to raw mode and kept open (so the master never sees
  /// EIO between host sessions); the master is non-blocking. Throws mrtd::Error{Transport}.
  PseudoTerminal();
  ~PseudoTerminal();
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  /// The slave side, e.g. "/dev/pts/5".
  const std::string& slavePath() const { return path_; }
  /// The master side's file descriptor (non-blocking), for poll().
  int masterFd() const { return master_; }
  /// Writes every byte to the master side (waits on POLLOUT when the pty is full); false when the
  /// host side went away.
  bool write(mrtd::ByteView bytes) const;
  bool write(const std::string& text) const;

 private:
  int master_ = -1;
  int slave_ = -1;
  std::string path_;
};

}  // namespace portti::hw
