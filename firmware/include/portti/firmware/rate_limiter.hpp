// Requests per minute per caller, over a sliding window: porttid's local API (per client address)
// and portti-casesim's reads (per authenticated caller), so ids cannot be walked by brute force.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace portti::firmware {

class RateLimiter {
 public:
  explicit RateLimiter(int perMinute) : perMinute_(perMinute) {}

  /// Counts one request by `caller` at `now`; false (and not counted) when the caller already made
  /// perMinute requests in the minute before. Safe from any thread.
  bool allow(const std::string& caller,
             std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  int perMinute_;
  std::mutex mutex_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> seen_;
};

}  // namespace portti::firmware
