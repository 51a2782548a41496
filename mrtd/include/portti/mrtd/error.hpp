// The one error type of mrtd: an area, the step that failed, and a message a person can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace portti::mrtd {

/// Where an error comes from; stable, so callers and logs can group them.
enum class ErrorArea {
  Tlv,              ///< BER-TLV structure
  Mrz,              ///< machine readable zone
  Apdu,             ///< APDU encoding or a status word the card returned
  Transport,        ///< the reader or link below the APDU layer
  SecureMessaging,  ///< SM wrapping, unwrapping, MAC
  Access,           ///< BAC / PACE: the chip refused the key
  File,             ///< selecting or reading an elementary file
  Lds,              ///< logical data structure contents (EF.COM, DGs, SOD)
  Pki,              ///< certificates, CMS, master lists, CRLs
  Crypto,           ///< a primitive failed (OpenSSL)
  Image,            ///< an image inside a data group
};

/// Name of an area, for messages and JSON ("tlv", "secure-messaging", ...).
const char* areaName(ErrorArea area);

class Error : public std::runtime_error {
 public:
  /// `step` names what was being done, e.g. "READ BINARY DG2" or "MUTUAL AUTHENTICATE".
  Error(ErrorArea area, std::string step, const std::string& message);

  ErrorArea area() const { return area_; }
  const std::string& step() const { return step_; }
  /// The message without the step prefix.
  const std::string& detail() const { return detail_; }

 private:
  ErrorArea area_;
  std::string step_;
  std::string detail_;
};

}  // namespace portti::mrtd
