// Reads per caller per minute (fixed window): enough to stop walking ids by brute force.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace portti::casesim {

class RateLimiter {
 public:
  explicit RateLimiter(int perMinute) : perMinute_(perMinute) {}

  /// Counts one request by `caller`; false when the caller is over its budget for this minute.
  bool allow(const std::string& caller) {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    auto& w = windows_[caller];
    if (now - w.start >= std::chrono::minutes(1)) w = {now, 0};
    return ++w.count <= perMinute_;
  }

 private:
  struct Window {
    std::chrono::steady_clock::time_point start{};
    int count = 0;
  };
  int perMinute_;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

}  // namespace portti::casesim
