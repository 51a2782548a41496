#include "portti/hw/vpcd/pcscd_sandbox.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "portti/hw/pcsc_reader.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw::vpcd {

namespace fs = std::filesystem;

namespace {

const char* const kDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
const char* const kFriendlyName = "Portti Virtual PCD";

std::string findPcscd() {
  for (const char* p : {"/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd"})
    if (::access(p, X_OK) == 0) return p;
  return {};
}

bool portFree(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

std::uint16_t freePortPair() {
  std::mt19937 rng(static_cast<unsigned>(::getpid()) ^ static_cast<unsigned>(std::random_device{}()));
  std::uniform_int_distribution<int> dist(20000, 59998);
  for (int i = 0; i < 100; ++i) {
    auto p = static_cast<std::uint16_t>(dist(rng));
    if (portFree(p) && portFree(static_cast<std::uint16_t>(p + 1))) return p;  // vpcd opens port and port+1
  }
  throw mrtd::Error(mrtd::ErrorArea::Transport, "pcscd sandbox", "no free TCP port pair for the vpcd driver");
}

// Whether this process may run pcscd in a private mount namespace (as root, with unshare).
bool canUnshare() {
  static const bool ok = [] {
    if (::geteuid() != 0 || ::access("/usr/bin/unshare", X_OK) != 0) return false;
    if (std::getenv("PORTTI_PCSCD_SHARED_RUN")) return false;  // try the fallback on purpose
    return std::system("/usr/bin/unshare -m --propagation private /bin/true >/dev/null 2>&1") == 0;
  }();
  return ok;
}

// One folder per process: libpcsclite reads PCSCLITE_CSOCK_NAME once, so the socket path must not
// change between the sandboxes one process starts.
fs::path processFolder() {
  static const fs::path dir = fs::temp_directory_path() / ("portti-pcscd-" + std::to_string(::getpid()));
  return dir;
}

}  // namespace

struct PcscdSandbox::State {
  fs::path dir;
  std::uint16_t port = 0;
  pid_t pid = -1;
  int lockFd = -1;  // held while a pcscd runs on the shared /run/pcscd (no private namespace)
};

std::optional<std::string> PcscdSandbox::unavailableReason() {
  if (findPcscd().empty()) return "pcscd is not installed (Debian package pcscd; scripts/setup installs it)";
  if (::access(kDriver, R_OK) != 0)
    return std::string("the vpcd reader driver is not installed (") + kDriver + "; Debian package vsmartcard-vpcd)";
  if (!canUnshare()) {
    if (::geteuid() != 0) return "a test pcscd needs root (its socket lives in /run/pcscd)";
    // A pcscd on /run/pcscd is another test's when that test holds the lock (we then wait our
    // turn); otherwise it is the system's, which a test must not disturb.
    if (::access("/run/pcscd/pcscd.comm", F_OK) == 0) {
      int fd = ::open((fs::temp_directory_path() / "portti-pcscd.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      const bool free = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0;
      if (fd >= 0) ::close(fd);
      if (free) return "a system pcscd is running and this process cannot give a test pcscd its own /run/pcscd (needs unshare)";
    }
  }
  return std::nullopt;
}

PcscdSandbox::PcscdSandbox(std::chrono::milliseconds timeout) : s_(std::make_unique<State>()) {
  if (auto why = unavailableReason()) throw mrtd::Error(mrtd::ErrorArea::Transport, "pcscd sandbox", *why);
  s_->dir = processFolder();
  fs::create_directories(s_->dir / "conf");
  fs::create_directories(s_->dir / "run");
  s_->port = freePortPair();
  std::ofstream conf(s_->dir / "conf" / "vpcd");
  conf << "FRIENDLYNAME \"" << kFriendlyName << "\"\n"
       << "DEVICENAME   /dev/null:" << s_->port << "\n"  // /dev/null:PORT: the driver listens on PORT
       << "LIBPATH      " << kDriver << "\n"
       << "CHANNELID    " << s_->port << "\n";
  conf.close();
  if (canUnshare()) {
    ::setenv("PCSCLITE_CSOCK_NAME", (s_->dir / "run" / "pcscd.comm").c_str(), 1);
  } else {
    // Only one pcscd can own /run/pcscd: sandboxes of parallel test processes take turns.
    s_->lockFd = ::open((fs::temp_directory_path() / "portti-pcscd.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (s_->lockFd >= 0 && ::flock(s_->lockFd, LOCK_EX | LOCK_NB) != 0) {
      if (std::chrono::steady_clock::now() >= deadline)
        throw mrtd::Error(mrtd::ErrorArea::Transport, "pcscd sandbox", "another test pcscd held /run/pcscd for 60 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  try {
    start(timeout);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(s_->dir, ec);
    if (s_->lockFd >= 0) ::close(s_->lockFd);
    throw;
  }
}

PcscdSandbox::~PcscdSandbox() {
  stop();
  std::error_code ec;
  fs::remove_all(s_->dir, ec);
  if (s_->lockFd >= 0) ::close(s_->lockFd);  // releases the flock
}

std::uint16_t PcscdSandbox::cardPort() const { return s_->port; }
std::string PcscdSandbox::readerName() const { return std::string(kFriendlyName) + " 00 00"; }

std::string PcscdSandbox::log() const {
  std::ifstream in(s_->dir / "pcscd.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void PcscdSandbox::start(std::chrono::milliseconds timeout) {
  const std::string pcscd = findPcscd();
  const std::string conf = (s_->dir / "conf").string(), run = (s_->dir / "run").string();
  const std::string logPath = (s_->dir / "pcscd.log").string();
  // Everything the child needs is prepared before fork (no allocation after it).
  const bool unshare = canUnshare();
  const std::string script = "mkdir -p /run/pcscd && mount --bind '" + run + "' /run/pcscd && exec '" + pcscd +
                             "' --foreground --apdu --config '" + conf + "'";
  pid_t pid = ::fork();
  if (pid < 0) throw mrtd::Error(mrtd::ErrorArea::Transport, "pcscd sandbox", "fork failed");
  if (pid == 0) {
    // pcscd goes when this process goes, even if it dies without running the destructor.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    if (unshare) {
      // A private mount namespace: this pcscd's /run/pcscd is our folder, the system's is untouched.
      ::execl("/usr/bin/unshare", "unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script.c_str(),
              static_cast<char*>(nullptr));
    } else {
      ::execl(pcscd.c_str(), "pcscd", "--foreground", "--apdu", "--config", conf.c_str(), static_cast<char*>(nullptr));
    }
    ::_exit(127);
  }
  s_->pid = pid;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string lastProblem = "pcscd did not answer";
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      s_->pid = -1;
      throw mrtd::Error(mrtd::ErrorArea::Transport, "pcscd sandbox", "pcscd exited at start:\n" + log());
    }
    try {
      for (const auto& name : listPcscReaders())
        if (name == readerName()) return;
      lastProblem = "pcscd runs but does not list '" + readerName() + "'";
    } catch (const std::exception& e) {
      lastProblem = e.what();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      stop();
      throw mrtd::Error(mrtd::ErrorArea::Transport, "pcscd sandbox", lastProblem + "; pcscd log:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void PcscdSandbox::stop() {
  if (s_->pid <= 0) return;
  ::kill(s_->pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  int status = 0;
  while (::waitpid(s_->pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(s_->pid, SIGKILL);
      ::waitpid(s_->pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  s_->pid = -1;
}

void PcscdSandbox::restart(std::chrono::milliseconds timeout) {
  stop();
  start(timeout);
}

}  // namespace portti::hw::vpcd
