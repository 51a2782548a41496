#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

const char* areaName(ErrorArea area) {
  switch (area) {
    case ErrorArea::Tlv: return "tlv";
    case ErrorArea::Mrz: return "mrz";
    case ErrorArea::Apdu: return "apdu";
    case ErrorArea::Transport: return "transport";
    case ErrorArea::SecureMessaging: return "secure-messaging";
    case ErrorArea::Access: return "access";
    case ErrorArea::File: return "file";
    case ErrorArea::Lds: return "lds";
    case ErrorArea::Pki: return "pki";
    case ErrorArea::Crypto: return "crypto";
    case ErrorArea::Image: return "image";
  }
  return "unknown";
}

Error::Error(ErrorArea area, std::string step, const std::string& message)
    : std::runtime_error(step.empty() ? message : step + ": " + message),
      area_(area),
      step_(std::move(step)),
      detail_(message) {}

}  // namespace portti::mrtd
