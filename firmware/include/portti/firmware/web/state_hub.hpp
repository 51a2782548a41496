// The latest published state (a JSON text with a sequence number) and a way to wait for the next
// one: what the UI's live stream and its polling both read. Any thread may publish or wait.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace portti::firmware::web {

struct PublishedState {
  std::uint64_t sequence = 0;  ///< 0 before the first publish
  std::string json = "{}";
};

class StateHub {
 public:
  void publish(std::string json);
  PublishedState latest() const;
  /// The first state with a sequence above `seen`, or the latest one when `timeout` passes first.
  PublishedState waitNewer(std::uint64_t seen, std::chrono::milliseconds timeout) const;
  /// Wakes every waiter (server shutdown).
  void close();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  PublishedState state_;
  bool closed_ = false;
};

}  // namespace portti::firmware::web
