#include "portti/firmware/web/state_hub.hpp"

namespace portti::firmware::web {

void StateHub::publish(std::string json) {
  {
    std::lock_guard lock(mutex_);
    state_.json = std::move(json);
    ++state_.sequence;
  }
  changed_.notify_all();
}

PublishedState StateHub::latest() const {
  std::lock_guard lock(mutex_);
  return state_;
}

PublishedState StateHub::waitNewer(std::uint64_t seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return closed_ || state_.sequence > seen; });
  return state_;
}

void StateHub::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

bool StateHub::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace portti::firmware::web
