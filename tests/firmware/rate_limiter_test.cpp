// The one rate limiter of porttid's API and portti-casesim's reads: a sliding minute per caller.
#include "portti/firmware/rate_limiter.hpp"

#include <gtest/gtest.h>

using portti::firmware::RateLimiter;
using namespace std::chrono_literals;

TEST(RateLimiter, SlidingMinutePerCaller) {
  RateLimiter limiter(3);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(limiter.allow("a", t0));
  EXPECT_TRUE(limiter.allow("a", t0 + 30s));
  EXPECT_TRUE(limiter.allow("a", t0 + 40s));
  EXPECT_FALSE(limiter.allow("a", t0 + 50s));
  EXPECT_TRUE(limiter.allow("b", t0 + 50s)) << "callers are counted apart";
  // A fixed window would reset at t0 + 60 s and allow three more at once; the sliding one frees
  // only the request that is a minute old.
  EXPECT_TRUE(limiter.allow("a", t0 + 60s));
  EXPECT_FALSE(limiter.allow("a", t0 + 61s));
  EXPECT_TRUE(limiter.allow("a", t0 + 90s));
  // Refused requests are not counted: they do not extend the wait.
  EXPECT_FALSE(limiter.allow("a", t0 + 95s));
  EXPECT_TRUE(limiter.allow("a", t0 + 100s));
}
