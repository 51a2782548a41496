// Where the key that opens the chip comes from: the MRZ (read by a document reader on a serial
// line, or typed in at the UI) or the 6-digit CAN printed on the card (PACE). Only a valid MRZ
// (every check digit right, mrtd::parseMrz) or a well-formed CAN is ever delivered. The key is
// personal data: it stays in memory and is never logged; errors and status name no field values.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portti/hw/device_status.hpp"
#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/mrz.hpp"

namespace portti::hw {

/// The chip access key. (mrtd has no access-key type yet; when PACE brings one, this should become it.)
struct AccessKey {
  enum class Kind { Mrz, Can };
  Kind kind = Kind::Mrz;
  std::optional<mrtd::Mrz> mrz;  ///< Kind::Mrz: the whole validated MRZ (to compare with DG1 later)
  std::string can;               ///< Kind::Can: six digits

  /// Throws mrtd::Error{Mrz} listing every problem when `text` is not a valid MRZ.
  static AccessKey fromMrz(std::string_view text);
  /// Throws mrtd::Error{Access} unless `digits` is exactly six digits 0-9.
  static AccessKey fromCan(std::string_view digits);
  /// MRZ_information (9303-11 9.7.2) for BAC and PACE-MRZ; throws mrtd::Error{Access} for a CAN.
  std::string mrzInformation() const;
  /// K_seed for BAC; throws mrtd::Error{Access} for a CAN (BAC has none).
  mrtd::SecretBytes bacKeySeed() const;
};

class AccessKeySource {
 public:
  virtual ~AccessKeySource() = default;
  /// The next key, waiting up to `timeout`; nullopt when none came. Throws DeviceError when the
  /// source has failed (a serial reader unplugged).
  virtual std::optional<AccessKey> next(std::chrono::milliseconds timeout) = 0;
  virtual DeviceStatus status() const = 0;
  virtual DeviceStatus selfTest() = 0;
};

/// What the serial line protocol has seen, for tests and diagnostics (counts only, no content).
struct SerialMrzStats {
  std::size_t bytes = 0;
  std::size_t noiseBytes = 0;     ///< control / non-ASCII bytes dropped (STX, ETX, NUL, line noise)
  std::size_t lines = 0;          ///< complete lines (CR, LF or CR LF)
  std::size_t ignoredLines = 0;   ///< lines that are not MRZ lines (wrong length or characters)
  std::size_t partialLines = 0;   ///< lines cut off: no terminator within the line timeout, or too long
  std::size_t invalidMrz = 0;     ///< MRZ-shaped line groups that failed a check
  std::size_t delivered = 0;
};

struct SerialMrzOptions {
  int baud = 9600;
  /// A line with no terminator for this long is dropped, and lines further apart than this do not
  /// form one MRZ.
  std::chrono::milliseconds lineTimeout{500};
  std::size_t maxLine = 128;  ///< longer "lines" are garbage
};

/// A document reader that sends the MRZ as text lines on a serial port (USB CDC-ACM, RS-232): each
/// MRZ line ends with CR, LF or CR LF; the whole MRZ may also come as one 72/88/90-character line.
/// Bytes outside printable ASCII are dropped, other text lines are skipped.
class SerialMrzReader : public AccessKeySource {
 public:
  /// Opens `device` (e.g. "/dev/ttyACM0") raw at the given speed. Throws DeviceError.
  explicit SerialMrzReader(const std::string& device, SerialMrzOptions options = {});
  ~SerialMrzReader() override;
  SerialMrzReader(const SerialMrzReader&) = delete;
  SerialMrzReader& operator=(const SerialMrzReader&) = delete;

  std::optional<AccessKey> next(std::chrono::milliseconds timeout) override;
  DeviceStatus status() const override;
  /// Checks the line is still there (no hang-up); a document reader has no command to answer.
  DeviceStatus selfTest() override;
  SerialMrzStats stats() const { return stats_; }

 private:
  struct Line {
    std::string text;
    std::chrono::steady_clock::time_point at;
  };
  std::optional<AccessKey> takeLine(std::string line);
  void readUntilKey(std::chrono::milliseconds timeout);  // fills ready_ or returns at the timeout
  std::deque<AccessKey> ready_;  // MRZs completed by bytes read after the first one
  int fd_ = -1;
  std::string device_;
  SerialMrzOptions options_;
  std::string partial_;
  bool discarding_ = false;  // inside an overlong line: drop until its terminator
  std::chrono::steady_clock::time_point lastByte_;
  std::deque<Line> window_;  // the last MRZ-shaped lines
  SerialMrzStats stats_;
  std::string lastError_;
  bool gone_ = false;
  SelfTest selfTest_ = SelfTest::NotDone;
};

/// Keys typed in at the UI: submitMrz()/submitCan() validate and queue; next() hands them over.
class ManualEntry : public AccessKeySource {
 public:
  /// Queues the MRZ when valid; returns the problems otherwise (empty = accepted).
  std::vector<std::string> submitMrz(std::string_view text);
  /// Queues the CAN when it is six digits; returns the problem otherwise (empty = accepted).
  std::vector<std::string> submitCan(std::string_view digits);

  std::optional<AccessKey> next(std::chrono::milliseconds timeout) override;
  DeviceStatus status() const override;
  DeviceStatus selfTest() override;

 private:
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<AccessKey> keys_;
  std::string lastError_;
};

/// "serial:/dev/ttyACM0[,baud=N]" or "manual". Throws DeviceError.
std::unique_ptr<AccessKeySource> openAccessKeySource(const std::string& spec);

}  // namespace portti::hw
