// The gate's fail-safe behaviour on the sim line (in process and in a child process that is
// signalled, killed, exits or crashes while the gate is open), and the GPIO backend's refusal when
// there is no GPIO chip (none on this machine).
#include "portti/hw/gate.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "portti/hw/indicator_lights.hpp"

namespace portti::hw {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct SimGate {
  std::shared_ptr<SimLineState> line = std::make_shared<SimLineState>();
  std::unique_ptr<Gate> gate = makeGate(std::make_unique<SimLine>(line), "sim");
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds within) {
  const auto end = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

TEST(Gate, StartsClosedOpensAndClosesItselfWhenTheTimeIsUp) {
  auto left = std::make_shared<SimLineState>();
  left->active = true;  // whatever the line was left at, the gate starts by closing it
  auto first = makeGate(std::make_unique<SimLine>(left), "sim");
  EXPECT_FALSE(left->active);
  SimGate g;
  EXPECT_FALSE(g.gate->isOpen());
  EXPECT_FALSE(g.line->active);
  g.gate->open(300ms);
  EXPECT_TRUE(g.gate->isOpen());
  EXPECT_TRUE(g.line->active);
  std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(g.line->active) << "closed too early";
  EXPECT_TRUE(eventually([&] { return !g.line->active; }, 1s)) << "the watchdog did not close the gate";
  EXPECT_FALSE(g.gate->isOpen());
}

TEST(Gate, CloseIsImmediateAndDestructionCloses) {
  SimGate g;
  g.gate->open(10s);
  g.gate->close();
  EXPECT_FALSE(g.line->active);
  g.gate->open(10s);
  EXPECT_TRUE(g.line->active);
  g.gate.reset();
  EXPECT_FALSE(g.line->active);
}

TEST(Gate, AFaultWhileOpeningLeavesItClosed) {
  SimGate g;
  g.line->failNext = 1;
  EXPECT_THROW(g.gate->open(1s), DeviceError);
  EXPECT_FALSE(g.gate->isOpen());
  EXPECT_FALSE(g.line->active);
  EXPECT_NE(g.gate->status().lastError.find("open failed"), std::string::npos);
}

TEST(Gate, AFailedCloseIsNotReportedClosedAndIsRetried) {
  SimGate g;
  g.gate->open(10s);
  g.line->failNext = 2;
  g.gate->close();
  EXPECT_TRUE(g.gate->isOpen()) << "closed without proof";
  EXPECT_TRUE(g.line->active);
  EXPECT_NE(g.gate->status().lastError.find("close failed"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return !g.gate->isOpen(); }, 1s)) << "the watchdog did not retry the close";
  EXPECT_FALSE(g.line->active);
}

TEST(Gate, RefusesSillyDurations) {
  SimGate g;
  EXPECT_THROW(g.gate->open(0ms), DeviceError);
  EXPECT_THROW(g.gate->open(61s), DeviceError);
  EXPECT_FALSE(g.line->active);
}

TEST(Gate, StatusAndSelfTest) {
  SimGate g;
  auto s = g.gate->status();
  EXPECT_EQ(s.kind, "gate");
  EXPECT_TRUE(s.present);
  EXPECT_EQ(s.selfTest, SelfTest::NotDone);
  s = g.gate->selfTest(true);
  EXPECT_EQ(s.selfTest, SelfTest::Passed);
  EXPECT_EQ(g.line->switches, 2);  // pulsed open and closed
  g.line->failNext = 1;
  EXPECT_EQ(g.gate->selfTest(false).selfTest, SelfTest::Failed);
  EXPECT_FALSE(g.line->active);
}

TEST(Gate, NoGpioChipIsAClearErrorAndNoGate) {
  // This machine has no /dev/gpiochip*; on a kiosk the same spec drives the lock.
  try {
    openGate("gpio:gpiochip97:17");
    FAIL() << "opened a GPIO chip that does not exist";
  } catch (const DeviceError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open GPIO chip 'gpiochip97'"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(openGate("gpio:gpiochip0"), DeviceError);
  EXPECT_THROW(openGate("relay:1"), DeviceError);
}

// A child process drives a sim gate whose line is mirrored in a state file, opens it for 30 s,
// tells the parent, and then meets its end in the way `how` says.
class GateInChild : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/portti-gate-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    file_ = (dir_ / "gate.state").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  enum class End { Wait, Exit, Terminate };

  pid_t start(End end) {
    int ready[2];
    EXPECT_EQ(::pipe(ready), 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(ready[0]);
      // As a daemon starts (a test run in the background may inherit ignored SIGINT).
      for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::signal(sig, SIG_DFL);
      installGateTerminationGuard();
      auto* gate = openGate("sim:" + file_).release();  // never destroyed: only the guards close it
      gate->open(30s);
      [[maybe_unused]] auto n = ::write(ready[1], "r", 1);
      if (end == End::Exit) std::exit(0);
      if (end == End::Terminate) std::terminate();
      for (;;) ::pause();
    }
    ::close(ready[1]);
    char c = 0;
    EXPECT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
    if (end == End::Wait) {
      EXPECT_TRUE(readSimLineFile(file_).active) << "the child did not open the gate";
    }
    return pid;
  }

  int waitChild(pid_t pid) {
    // Every wait is bounded: a child still alive after 3 s is killed and the test fails.
    for (int i = 0; i < 300; ++i) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return status;
      std::this_thread::sleep_for(10ms);
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ADD_FAILURE() << "child did not end";
    return status;
  }

  fs::path dir_;
  std::string file_;
};

TEST_F(GateInChild, SigtermClosesTheGateBeforeTheProcessEnds) {
  const pid_t pid = start(End::Wait);
  ::kill(pid, SIGTERM);
  const int status = waitChild(pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
      << "the guard must end the process by the signal";
  const auto state = readSimLineFile(file_);
  EXPECT_FALSE(state.active);
  EXPECT_EQ(state.reason, "set inactive") << "the guard itself must close the line";
}

TEST_F(GateInChild, SigintClosesTheGate) {
  const pid_t pid = start(End::Wait);
  ::kill(pid, SIGINT);
  waitChild(pid);
  EXPECT_EQ(readSimLineFile(file_).reason, "set inactive");
}

TEST_F(GateInChild, ExitClosesTheGate) {
  const pid_t pid = start(End::Exit);
  const int status = waitChild(pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(readSimLineFile(file_).reason, "set inactive");
}

TEST_F(GateInChild, AnUncaughtExceptionClosesTheGate) {
  const pid_t pid = start(End::Terminate);
  const int status = waitChild(pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
  EXPECT_EQ(readSimLineFile(file_).reason, "set inactive");
}

TEST_F(GateInChild, SigkillLeavesTheFileOpenButTheSimLineReadsClosed) {
  // Nothing in a process survives SIGKILL: the sim models a fail-secure lock that is held only while
  // its controller lives (hw/README.md "Gate" says what a real installation needs for this).
  const pid_t pid = start(End::Wait);
  ::kill(pid, SIGKILL);
  waitChild(pid);
  const auto state = readSimLineFile(file_);
  EXPECT_FALSE(state.active);
  EXPECT_NE(state.reason.find("is gone"), std::string::npos) << state.reason;
}

TEST(SimLineFile, MissingOrGarbledFilesReadInactive) {
  EXPECT_FALSE(readSimLineFile("/nonexistent/gate.state").active);
  char tmpl[] = "/tmp/portti-gate-file-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  [[maybe_unused]] auto n = ::write(fd, "open sesame\n", 12);
  ::close(fd);
  EXPECT_FALSE(readSimLineFile(tmpl).active);
  ::unlink(tmpl);
}

}  // namespace
}  // namespace portti::hw

namespace portti::hw {
namespace {

struct SimLights {
  std::shared_ptr<SimLineState> red = std::make_shared<SimLineState>(),
                                amber = std::make_shared<SimLineState>(),
                                green = std::make_shared<SimLineState>();
  IndicatorLights lights{std::make_unique<SimLine>(red), std::make_unique<SimLine>(amber),
                         std::make_unique<SimLine>(green), "sim"};
  std::string lamps() const {
    return std::string(red->active ? "R" : "-") + (amber->active ? "A" : "-") + (green->active ? "G" : "-");
  }
};

TEST(IndicatorLights, EachSignalLightsItsLamps) {
  SimLights l;
  EXPECT_EQ(l.lamps(), "---");
  const std::pair<Signal, const char*> table[] = {{Signal::Ready, "--G"}, {Signal::Busy, "-A-"},
                                                  {Signal::Pass, "--G"},  {Signal::Refuse, "R--"},
                                                  {Signal::Fault, "RA-"}, {Signal::Attention, "-A-"},
                                                  {Signal::Off, "---"}};
  for (auto [signal, lamps] : table) {
    l.lights.show(signal);
    EXPECT_EQ(l.lamps(), lamps) << signalName(signal);
    EXPECT_EQ(l.lights.showing(), signal);
  }
}

TEST(IndicatorLights, ALampFaultFallsBackToRed) {
  SimLights l;
  l.green->failNext = 1;
  l.lights.show(Signal::Pass);
  EXPECT_EQ(l.lights.showing(), Signal::Fault);
  EXPECT_EQ(l.lamps(), "R--");
  EXPECT_NE(l.lights.status().lastError.find("cannot show pass"), std::string::npos);
  EXPECT_EQ(l.lights.selfTest().selfTest, SelfTest::Passed);
  EXPECT_THROW(openIndicatorLights("gpio:gpiochip97:1,2,3"), DeviceError);
  EXPECT_THROW(openIndicatorLights("gpio:gpiochip0:1,2"), DeviceError);
}

}  // namespace
}  // namespace portti::hw
