#include "portti/firmware/rate_limiter.hpp"

namespace portti::firmware {

bool RateLimiter::allow(const std::string& caller, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto& times = seen_[caller];
  while (!times.empty() && now - times.front() >= std::chrono::minutes(1)) times.pop_front();
  if (static_cast<int>(times.size()) >= perMinute_) return false;
  times.push_back(now);
  return true;
}

}  // namespace portti::firmware
