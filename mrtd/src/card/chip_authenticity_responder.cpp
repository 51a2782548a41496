#include "chip_authenticity_responder.hpp"

#include "../pki/ossl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
std::string pemNamed(const ChipImage& image, const char* key) {
  const auto name = image.config.get(key);
  const auto it = image.keyFiles.find(*name);
  if (it == image.keyFiles.end())
    throw Error(ErrorArea::File, "chip.conf", std::string(key) + ": no key file " + *name);
  return std::string(it->second.begin(), it->second.end());
}

/// The hash of the chip's own ActiveAuthenticationInfo in DG14 (ECDSA); SHA-256 without one.
std::string activeAuthHash(const ChipImage& image) {
  const auto dg14 = image.files.find("DG14");
  if (dg14 == image.files.end()) return "SHA-256";
  try {
    const SecurityInfos infos = parseDg14(dg14->second);
    if (infos.activeAuthentication.empty()) return "SHA-256";
    const auto scheme =
        pki::signatureScheme(encodeTlv(0x30, pki::oidDer(infos.activeAuthentication.front().signatureAlgorithm)), "");
    return scheme.hash.empty() ? "SHA-256" : scheme.hash;
  } catch (const Error&) {
    return "SHA-256";
  }
}
}  // namespace

ChipAuthenticityResponder::ChipAuthenticityResponder(const ChipImage& image) {
  if (image.config.get("chip_auth_key")) chipAuth_.emplace(pemNamed(image, "chip_auth_key"));
  if (image.config.get("active_auth_key")) activeAuth_.emplace(pemNamed(image, "active_auth_key"), activeAuthHash(image));
}

std::optional<ResponseApdu> ChipAuthenticityResponder::answer(const CommandApdu& c, bool secured, bool authenticated) {
  const auto status = [](std::uint16_t s) { return ResponseApdu{{}, s}; };
  // MSE:Set for Chip Authentication: P1 41 (set for computation), P2 A6 (KAT) or A4 (AT).
  if (c.ins == 0x22 && c.p1 == 0x41 && (c.p2 == 0xA6 || c.p2 == 0xA4)) {
    if (!chipAuth_) return status(sw::kWrongData);
    if (!secured) return status(sw::kConditionsNotSatisfied);
    return status(c.p2 == 0xA6 ? chipAuth_->setKeyAgreementTemplate(c.data) : chipAuth_->setAuthenticationTemplate(c.data));
  }
  if (c.ins == 0x86 && chipAuth_ && chipAuth_->expectsGeneralAuthenticate()) {
    if (c.p1 != 0 || c.p2 != 0) return status(0x6A86);
    ResponseApdu r;
    r.sw = chipAuth_->generalAuthenticate(c.data, r.data);
    return r;
  }
  if (c.ins == 0x88) {  // INTERNAL AUTHENTICATE
    if (!activeAuth_) return status(sw::kInsNotSupported);
    if (!authenticated) return status(sw::kSecurityNotSatisfied);
    if (c.p1 != 0 || c.p2 != 0) return status(0x6A86);
    if (c.data.size() != 8) return status(sw::kWrongData);
    return ResponseApdu{activeAuth_->sign(c.data), sw::kOk};
  }
  return std::nullopt;
}

std::optional<SecureMessaging> ChipAuthenticityResponder::takeSession() {
  return chipAuth_ ? chipAuth_->takeSession() : std::nullopt;
}

}  // namespace portti::mrtd
