// Child processes for the delivery tests and benches: portti-casesim on a free port and the
// delivery harness, both from the directory of the running binary (build/bin).
#pragma once

#include <Poco/Data/Session.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "portti/firmware/sqlite_session.hpp"

namespace portti::test {

inline std::string binDir() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
}

/// A child process; killed (SIGKILL) and reaped by the destructor if still running.
class ChildProcess {
 public:
  /// stdout goes to a pipe (readLine), stderr to `stderrFile` (or /dev/null).
  ChildProcess(std::vector<std::string> args, const std::string& stderrFile = "/dev/null") {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(fds[1], 1);
      int err = open(stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
  }
  ~ChildProcess() {
    if (running()) kill(SIGKILL);
    wait();
    if (out_ >= 0) close(out_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void kill(int sig) {
    if (status_ < 0) ::kill(pid_, sig);
  }
  bool running() {
    if (status_ >= 0) return false;
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) == pid_) status_ = decode(st);
    return status_ < 0;
  }
  /// Exit code (128 + signal when killed).
  int wait() {
    if (status_ < 0) {
      int st = 0;
      while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
      }
      status_ = decode(st);
    }
    return status_;
  }
  /// One line of stdout; "" at EOF or after `timeout`.
  std::string readLine(std::chrono::milliseconds timeout) {
    std::string line;
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      pollfd p{out_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
      char c;
      if (read(out_, &c, 1) != 1) return "";
      if (c == '\n') return line;
      line += c;
    }
  }

 private:
  static int decode(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }
  pid_t pid_ = -1;
  int out_ = -1;
  int status_ = -1;
};

/// portti-casesim with a config written into `dir`, using the test PKI in `pki`.
class CaseSim {
 public:
  struct Options {
    int port = 0;
    std::string serverCert = "server";  ///< "wrong-server": a certificate from another CA
    int readsPerMinute = 600;
    std::string refuseResultsWhile = {};  ///< the fault switch: results refused while this file exists
    bool refuseAfterStoring = false;  ///< ... after being stored
  };
  CaseSim(const std::string& dir, const std::string& pki, Options o) : dir_(dir), pki_(pki), options_(o) {
    db_ = dir + "/cases.sqlite";
    config_ = dir + "/casesim.json";
    start();
  }
  ~CaseSim() { stop(); }
  static constexpr const char* kReaderToken = "reader-token-0123456789abcdef";

  /// Starts (again): after the first start, on the same port.
  void start() {
    const auto& o = options_;
    const auto& pki = pki_;
    std::ofstream(config_) << "{\"listen\":{\"host\":\"127.0.0.1\",\"port\":" << (port_ ? port_ : o.port)
                           << "},"
                           << "\"tls\":{\"certificate\":\"" << pki << "/" << o.serverCert
                           << ".pem\",\"privateKey\":\"" << pki << "/" << o.serverCert
                           << ".key\",\"clientCa\":\"" << pki << "/ca.pem\"},"
                           << "\"database\":\"" << db_ << "\","
                           << "\"kiosks\":[{\"id\":\"kiosk-1\",\"signingCertificate\":\"" << pki
                           << "/device.pem\"},"
                           << "{\"id\":\"kiosk-2\",\"signingCertificate\":\"" << pki << "/device2.pem\"}],"
                           << "\"readers\":[{\"name\":\"desk\",\"token\":\"" << kReaderToken
                           << "\",\"kiosks\":[\"kiosk-1\"]}],"
                           << "\"rateLimit\":{\"readsPerMinute\":" << o.readsPerMinute << "},"
                           << "\"faults\":{\"refuseResultsWhile\":\"" << o.refuseResultsWhile
                           << "\",\"refuseAfterStoring\":" << (o.refuseAfterStoring ? "true" : "false") << "}}";
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{binDir() + "/portti-casesim", "--config", config_}, dir_ + "/casesim.err");
    std::string line = child_->readLine(std::chrono::seconds(10));
    auto at = line.rfind(':');
    if (line.find("listening") == std::string::npos || at == std::string::npos)
      throw std::runtime_error("portti-casesim did not start: " + line);
    port_ = std::stoi(line.substr(at + 1));
  }
  void stop() {
    if (!child_) return;
    child_->kill(SIGTERM);
    child_->wait();
    child_.reset();
  }
  int port() const { return port_; }
  const std::string& database() const { return db_; }

  /// Idempotency keys as stored, in arrival order.
  std::vector<std::string> storedKeys() const {
    if (!std::filesystem::exists(db_)) return {};
    auto session = portti::firmware::openDurableSqlite(db_);
    std::vector<std::string> keys;
    using namespace Poco::Data::Keywords;
    *session << "SELECT idempotency_key FROM verifications ORDER BY seq", into(keys), now;
    return keys;
  }

 private:
  std::string dir_, pki_, db_, config_;
  Options options_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> child_;
};

}  // namespace portti::test
