// The gate controller: one output line (active = open), a watchdog thread that closes at the end of
// every opening, and a process-wide registry the exit/terminate/signal guards close.
#include "portti/hw/gate.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

namespace portti::hw {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kMaxOpen{60'000};
constexpr milliseconds kRetryClose{100};

class WatchdogGate;

// Every live gate of the process. Leaked on purpose: the exit guards run after static destructors.
struct Registry {
  std::mutex mutex;
  std::set<WatchdogGate*> gates;
};
Registry& registry() {
  static auto* r = new Registry;
  return *r;
}

void installExitGuards();

class WatchdogGate : public Gate {
 public:
  WatchdogGate(std::unique_ptr<OutputLine> line, std::string spec) : line_(std::move(line)), spec_(std::move(spec)) {
    line_->set(false);  // a known state first; a line that refuses even that is no gate
    installExitGuards();
    {
      std::lock_guard lock(registry().mutex);
      registry().gates.insert(this);
    }
    watchdog_ = std::thread([this] { watch(); });
  }

  ~WatchdogGate() override {
    {
      std::lock_guard lock(registry().mutex);
      registry().gates.erase(this);
    }
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    watchdog_.join();
    close();
  }

  void open(milliseconds duration) override {
    if (duration <= milliseconds::zero() || duration > kMaxOpen)
      throw DeviceError("gate " + spec_, "open duration must be 1 ms .. 60 s, got " + std::to_string(duration.count()) + " ms");
    std::lock_guard lock(mutex_);
    try {
      line_->set(true);
    } catch (const std::exception& e) {
      lastError_ = std::string("open failed: ") + e.what();
      open_ = true;  // unknown: prove closed
      closeLocked();
      throw DeviceError("gate " + spec_, lastError_);
    }
    open_ = true;
    deadline_ = Clock::now() + duration;
    changed_.notify_all();
  }

  void close() noexcept override {
    std::lock_guard lock(mutex_);
    closeLocked();
  }

  bool isOpen() const override {
    std::lock_guard lock(mutex_);
    return open_;
  }

  DeviceStatus status() const override {
    std::lock_guard lock(mutex_);
    DeviceStatus s;
    s.kind = "gate";
    s.spec = spec_;
    s.present = true;
    s.model = line_->model();
    s.lastError = lastError_;
    s.selfTest = selfTest_;
    s.selfTestDetail = selfTestDetail_;
    return s;
  }

  DeviceStatus selfTest(bool pulse) override {
    {
      std::lock_guard lock(mutex_);
      selfTest_ = SelfTest::Failed;
      try {
        if (pulse) line_->set(true);
        line_->set(false);
        open_ = false;
        selfTest_ = SelfTest::Passed;
        selfTestDetail_ = pulse ? "output pulsed open and closed" : "output set closed";
      } catch (const std::exception& e) {
        selfTestDetail_ = e.what();
        lastError_ = std::string("self-test: ") + e.what();
        if (pulse) open_ = true;
        closeLocked();
      }
    }
    return status();
  }

 private:
  void closeLocked() noexcept {
    try {
      line_->set(false);
      open_ = false;
    } catch (const std::exception& e) {
      lastError_ = std::string("close failed (retrying): ") + e.what();
      deadline_ = Clock::now();  // the watchdog keeps trying
      changed_.notify_all();
    } catch (...) {
      lastError_ = "close failed (retrying)";
    }
  }

  void watch() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      if (!open_) {
        changed_.wait(lock);
        continue;
      }
      if (Clock::now() >= deadline_) {
        closeLocked();
        if (open_) changed_.wait_for(lock, kRetryClose);
        continue;
      }
      changed_.wait_until(lock, deadline_);
    }
  }

  std::unique_ptr<OutputLine> line_;
  const std::string spec_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  bool stop_ = false;
  Clock::time_point deadline_;
  std::string lastError_;
  SelfTest selfTest_ = SelfTest::NotDone;
  std::string selfTestDetail_;
  std::thread watchdog_;
};

std::terminate_handler previousTerminate = nullptr;

void installExitGuards() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::atexit([] { closeAllGates(); });
    previousTerminate = std::set_terminate([] {
      closeAllGates();
      if (previousTerminate) previousTerminate();
      std::abort();
    });
  });
}

// The signal handler only writes the signal number to a pipe (async-signal-safe); a guard thread
// closes the gates with ordinary code and then ends the process by the same signal.
int guardPipe[2] = {-1, -1};

void onTerminationSignal(int sig) {
  const unsigned char s = static_cast<unsigned char>(sig);
  [[maybe_unused]] auto n = ::write(guardPipe[1], &s, 1);
}

}  // namespace

void closeAllGates() noexcept {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (auto* gate : r.gates) gate->close();
}

void installGateTerminationGuard() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe2(guardPipe, O_CLOEXEC) != 0) throw DeviceError("gate termination guard", "pipe failed");
    std::thread([] {
      unsigned char sig = 0;
      while (::read(guardPipe[0], &sig, 1) != 1) {
      }
      closeAllGates();
      ::signal(sig, SIG_DFL);
      ::raise(sig);
    }).detach();
    struct sigaction sa {};
    sa.sa_handler = onTerminationSignal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(sig, &sa, nullptr);
  });
}

std::unique_ptr<Gate> makeGate(std::unique_ptr<OutputLine> line, std::string spec) {
  return std::make_unique<WatchdogGate>(std::move(line), std::move(spec));
}

std::unique_ptr<Gate> openGate(const std::string& spec) { return makeGate(openOutputLine(spec, "portti-gate"), spec); }

}  // namespace portti::hw
