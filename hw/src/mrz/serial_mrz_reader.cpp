// The serial MRZ line protocol: bytes -> lines (CR, LF, CR LF) -> a window of MRZ-shaped lines ->
// mrtd::parseMrzLines; only a group passing every check is delivered.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "portti/hw/access_key_source.hpp"

namespace portti::hw {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

speed_t speedFor(int baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    default: return B0;
  }
}

bool mrzCharacters(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; });
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

}  // namespace

SerialMrzReader::SerialMrzReader(const std::string& device, SerialMrzOptions options)
    : device_(device), options_(options), lastByte_(Clock::now()) {
  const speed_t speed = speedFor(options.baud);
  if (speed == B0) throw DeviceError("MRZ reader " + device, "unsupported baud rate " + std::to_string(options.baud));
  fd_ = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw DeviceError("MRZ reader " + device, std::string("cannot open: ") + std::strerror(errno));
  termios t{};
  if (::tcgetattr(fd_, &t) != 0) {
    ::close(fd_);
    throw DeviceError("MRZ reader " + device, "not a serial device (tcgetattr failed)");
  }
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  ::cfsetispeed(&t, speed);
  ::cfsetospeed(&t, speed);
  if (::tcsetattr(fd_, TCSANOW, &t) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw DeviceError("MRZ reader " + device, "cannot configure the line: " + why);
  }
  ::tcflush(fd_, TCIFLUSH);  // what came before we listened belongs to nobody
}

SerialMrzReader::~SerialMrzReader() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<AccessKey> SerialMrzReader::next(milliseconds timeout) {
  if (ready_.empty()) readUntilKey(timeout);
  if (ready_.empty()) return std::nullopt;
  AccessKey key = std::move(ready_.front());
  ready_.pop_front();
  return key;
}

void SerialMrzReader::readUntilKey(milliseconds timeout) {
  if (gone_) throw DeviceError("MRZ reader " + device_, lastError_);
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto now = Clock::now();
    // A line that stopped half way is dropped once the line timeout has passed.
    if (!partial_.empty() || discarding_) {
      if (now - lastByte_ >= options_.lineTimeout) {
        if (!partial_.empty()) ++stats_.partialLines;
        partial_.clear();
        discarding_ = false;
      }
    }
    if (now >= deadline) return;
    auto wait = std::chrono::duration_cast<milliseconds>(deadline - now);
    if (!partial_.empty()) wait = std::min(wait, std::chrono::duration_cast<milliseconds>(lastByte_ + options_.lineTimeout - now));
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::max<milliseconds::rep>(1, wait.count() + 1)));
    if (r < 0 && errno != EINTR) {
      lastError_ = std::string("poll failed: ") + std::strerror(errno);
      gone_ = true;
      throw DeviceError("MRZ reader " + device_, lastError_);
    }
    if (r <= 0) continue;
    char buf[256];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {  // EOF or EIO: the device or the pty's other side is gone
      lastError_ = "the serial line went away (reader unplugged?)";
      gone_ = true;
      throw DeviceError("MRZ reader " + device_, lastError_);
    }
    lastByte_ = Clock::now();
    stats_.bytes += static_cast<std::size_t>(n);
    for (ssize_t i = 0; i < n; ++i) {
      const unsigned char c = static_cast<unsigned char>(buf[i]);
      if (c == '\r' || c == '\n') {
        if (!discarding_ && !partial_.empty()) {
          if (auto key = takeLine(std::move(partial_))) ready_.push_back(std::move(*key));
        }
        partial_.clear();
        discarding_ = false;
      } else if (c < 0x20 || c > 0x7E) {
        ++stats_.noiseBytes;
      } else if (!discarding_) {
        partial_ += static_cast<char>(c);
        if (partial_.size() > options_.maxLine) {
          ++stats_.partialLines;
          partial_.clear();
          discarding_ = true;
        }
      }
    }
    if (!ready_.empty()) return;
  }
}

std::optional<AccessKey> SerialMrzReader::takeLine(std::string raw) {
  ++stats_.lines;
  const auto now = Clock::now();
  std::string line = trimmed(raw);
  const std::size_t len = line.size();
  const bool shaped = (len == 30 || len == 36 || len == 44 || len == 72 || len == 88 || len == 90) && mrzCharacters(line);
  if (!shaped) {
    if (!line.empty()) ++stats_.ignoredLines;
    window_.clear();  // another text between lines breaks the group
    return std::nullopt;
  }
  // Lines further apart than the line timeout are not one MRZ.
  if (!window_.empty() && now - window_.back().at > options_.lineTimeout) window_.clear();
  window_.push_back({std::move(line), now});
  while (window_.size() > 3) window_.pop_front();

  std::vector<std::vector<std::string>> candidates;
  const auto n = window_.size();
  if (len >= 72) candidates.push_back({window_.back().text});
  if (len == 30 && n >= 3 && window_[n - 3].text.size() == 30 && window_[n - 2].text.size() == 30)
    candidates.push_back({window_[n - 3].text, window_[n - 2].text, window_[n - 1].text});
  if ((len == 36 || len == 44) && n >= 2 && window_[n - 2].text.size() == len)
    candidates.push_back({window_[n - 2].text, window_[n - 1].text});
  for (const auto& lines : candidates) {
    mrtd::Mrz mrz = lines.size() == 1 ? mrtd::parseMrz(lines[0]) : mrtd::parseMrzLines(lines);
    if (mrz.valid()) {
      window_.clear();
      ++stats_.delivered;
      AccessKey key;
      key.mrz = std::move(mrz);
      return key;
    }
    ++stats_.invalidMrz;
    lastError_ = "an MRZ failed its checks (" + std::to_string(mrz.errors.size()) + " problems); scan again";
  }
  return std::nullopt;
}

DeviceStatus SerialMrzReader::status() const {
  DeviceStatus s;
  s.kind = "mrz-source";
  s.spec = "serial:" + device_;
  s.present = !gone_;
  s.model = "serial MRZ reader " + device_ + " at " + std::to_string(options_.baud) + " baud";
  s.lastError = lastError_;
  s.selfTest = selfTest_;
  s.selfTestDetail = selfTest_ == SelfTest::NotDone ? "" : (selfTest_ == SelfTest::Passed ? "line open" : lastError_);
  return s;
}

DeviceStatus SerialMrzReader::selfTest() {
  termios t{};
  pollfd p{fd_, 0, 0};
  const bool hungUp = ::poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
  if (gone_ || hungUp || ::tcgetattr(fd_, &t) != 0) {
    if (!gone_) lastError_ = "the serial line went away (reader unplugged?)";
    gone_ = true;
    selfTest_ = SelfTest::Failed;
  } else {
    selfTest_ = SelfTest::Passed;
  }
  return status();
}

}  // namespace portti::hw
