// The error of result delivery (signing, outbox, sender): the step that failed and why.
#pragma once

#include <stdexcept>
#include <string>

namespace portti::firmware {

/// Thrown by the signer, the outbox and the sender. `step` names what was being done
/// ("outbox enqueue", "load device key", "TLS client context"), so an operator can act on it.
class DeliveryError : public std::runtime_error {
 public:
  DeliveryError(std::string step, const std::string& message)
      : std::runtime_error(step + ": " + message), step_(std::move(step)) {}
  const std::string& step() const { return step_; }

 private:
  std::string step_;
};

}  // namespace portti::firmware
