#include "portti/firmware/web/speech.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

extern char** environ;

namespace portti::firmware::web {

namespace {

/// True when PROGRAM (a path, or a name looked up in PATH) is an executable file. posix_spawnp may
/// report a failed exec only through the child's exit status 127 (POSIX allows it; glibc under
/// qemu-user does it, as older glibc did), so "cannot start" is decided here, not by its return.
bool executableFound(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* env = std::getenv("PATH");
  const std::string dirs = env ? env : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    if (::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Speech::Speech(std::vector<std::string> command) : command_(std::move(command)) {}

Speech::~Speech() {
  std::lock_guard lock(mutex_);
  // Lets the last utterance finish (up to 2 s), then cuts it off.
  for (int i = 0; i < 200 && child_ > 0; ++i) {
    if (::waitpid(child_, nullptr, WNOHANG) == child_) child_ = -1;
    else ::usleep(10000);
  }
  stopLocked();
}

void Speech::stopLocked() {
  if (child_ > 0) {
    ::kill(child_, SIGTERM);
    ::waitpid(child_, nullptr, 0);
  }
  child_ = -1;
}

std::string Speech::say(const std::string& language, const std::string& text) {
  static const std::set<std::string> voices = {"en", "fi", "sv"};
  if (!voices.count(language)) return "no voice for language '" + language + "'";
  if (text.empty() || text.size() > 1000) return "text must be 1 to 1000 bytes";
  std::lock_guard lock(mutex_);
  stopLocked();
  // Arguments, not a shell: the text is data. "--" ends the options so it cannot be one.
  std::vector<std::string> args = command_;
  args.insert(args.end(), {"-v", language, "--", text});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (!executableFound(command_.front()) ||
      posix_spawnp(&child_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    child_ = -1;
    return "cannot start " + command_.front();
  }
  return "";
}

}  // namespace portti::firmware::web
