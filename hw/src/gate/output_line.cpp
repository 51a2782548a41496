#include "portti/hw/output_line.hpp"

#include <fcntl.h>
#include <gpiod.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "portti/hw/device_status.hpp"

namespace portti::hw {

// ---- sim ----

SimLine::SimLine(std::shared_ptr<SimLineState> state, std::string stateFile)
    : state_(std::move(state)), stateFile_(std::move(stateFile)) {}

void SimLine::set(bool active) {
  if (state_->failNext.load() > 0) {
    --state_->failNext;
    throw DeviceError("sim line", "injected fault");
  }
  if (!stateFile_.empty()) {
    // Written with plain system calls and renamed into place: a reader never sees half a file.
    const std::string tmp = stateFile_ + ".tmp";
    const std::string text = std::string(active ? "active " : "inactive ") + std::to_string(::getpid()) + "\n";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (fd >= 0) ::close(fd);
    if (!ok || ::rename(tmp.c_str(), stateFile_.c_str()) != 0)
      throw DeviceError("sim line " + stateFile_, std::string("cannot write the state file: ") + std::strerror(errno));
  }
  if (state_->active.exchange(active) != active) ++state_->switches;
}

std::string SimLine::model() const { return stateFile_.empty() ? "simulated line" : "simulated line (" + stateFile_ + ")"; }

SimLineFileState readSimLineFile(const std::string& stateFile) {
  std::ifstream in(stateFile);
  if (!in) return {false, "no state file"};
  std::string level;
  long pid = 0;
  in >> level >> pid;
  if (level == "inactive") return {false, "set inactive"};
  if (level != "active" || pid <= 0) return {false, "unreadable state file"};
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
    return {false, "writer process " + std::to_string(pid) + " is gone"};
  return {true, "set active by process " + std::to_string(pid)};
}

// ---- GPIO (libgpiod 1.6) ----

namespace {

class GpioLine : public OutputLine {
 public:
  GpioLine(const std::string& chipName, unsigned offset, bool activeLow, const std::string& consumer)
      : where_("gpio:" + chipName + ":" + std::to_string(offset)) {
    chip_ = ::gpiod_chip_open_lookup(chipName.c_str());
    if (!chip_)
      throw DeviceError(where_, "cannot open GPIO chip '" + chipName + "': " + std::strerror(errno) +
                                    " (no /dev/gpiochipN, or no permission)");
    line_ = ::gpiod_chip_get_line(chip_, offset);
    const int flags = activeLow ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    if (!line_ || ::gpiod_line_request_output_flags(line_, consumer.c_str(), flags, 0) != 0) {
      const std::string why = std::strerror(errno);
      ::gpiod_chip_close(chip_);
      throw DeviceError(where_, "cannot request line " + std::to_string(offset) + " as output: " + why +
                                    " (no such line, or another program holds it)");
    }
    std::ostringstream m;
    m << ::gpiod_chip_name(chip_) << " (" << ::gpiod_chip_label(chip_) << ") line " << offset
      << (activeLow ? " active-low" : "") << ", libgpiod " << ::gpiod_version_string();
    model_ = m.str();
  }

  ~GpioLine() override {
    // Inactive before letting go: the kernel keeps the last level after release on most chips.
    ::gpiod_line_set_value(line_, 0);
    ::gpiod_line_release(line_);
    ::gpiod_chip_close(chip_);
  }

  void set(bool active) override {
    if (::gpiod_line_set_value(line_, active ? 1 : 0) != 0)
      throw DeviceError(where_, std::string("cannot set the line: ") + std::strerror(errno));
  }

  std::string model() const override { return model_; }

 private:
  std::string where_;
  std::string model_;
  ::gpiod_chip* chip_ = nullptr;
  ::gpiod_line* line_ = nullptr;
};

}  // namespace

std::unique_ptr<OutputLine> openOutputLine(const std::string& spec, const std::string& consumer) {
  if (spec == "sim") return std::make_unique<SimLine>();
  if (spec.rfind("sim:", 0) == 0) {
    auto line = std::make_unique<SimLine>(std::make_shared<SimLineState>(), spec.substr(4));
    line->set(false);
    return line;
  }
  if (spec.rfind("gpio:", 0) == 0) {
    std::string rest = spec.substr(5);
    bool activeLow = false;
    if (rest.size() > 11 && rest.compare(rest.size() - 11, 11, ",active-low") == 0) {
      activeLow = true;
      rest.erase(rest.size() - 11);
    }
    const auto colon = rest.rfind(':');
    const std::string digits = colon == std::string::npos ? "" : rest.substr(colon + 1);
    if (colon == 0 || digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw DeviceError(spec, "GPIO line wants gpio:CHIP:LINE[,active-low], e.g. gpio:gpiochip0:17");
    return std::make_unique<GpioLine>(rest.substr(0, colon), static_cast<unsigned>(std::stoul(digits)), activeLow, consumer);
  }
  throw DeviceError(spec, "unknown output; use sim, sim:STATEFILE or gpio:CHIP:LINE[,active-low]");
}

}  // namespace portti::hw
