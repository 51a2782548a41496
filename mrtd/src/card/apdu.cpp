#include "portti/mrtd/card/apdu.hpp"

#include <cstdio>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {
[[noreturn]] void fail(const std::string& message) { throw Error(ErrorArea::Apdu, "decode command", message); }
}  // namespace

Bytes CommandApdu::encode() const {
  const bool ext = isExtended();
  Bytes out{cla, ins, p1, p2};
  if (!data.empty()) {
    if (ext) {
      out.push_back(0x00);
      out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
      out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
    } else {
      out.push_back(static_cast<std::uint8_t>(data.size()));
    }
    out.insert(out.end(), data.begin(), data.end());
  }
  if (ne > 0) {
    if (ext) {
      if (data.empty()) out.push_back(0x00);  // case 2E: Le is 00 + two bytes
      const std::size_t le = ne >= 65536 ? 0 : ne;
      out.push_back(static_cast<std::uint8_t>(le >> 8));
      out.push_back(static_cast<std::uint8_t>(le & 0xFF));
    } else {
      out.push_back(static_cast<std::uint8_t>(ne >= 256 ? 0 : ne));
    }
  }
  return out;
}

CommandApdu CommandApdu::decode(ByteView b) {
  if (b.size() < 4) fail("shorter than a header (" + std::to_string(b.size()) + " bytes)");
  CommandApdu c;
  c.cla = b[0];
  c.ins = b[1];
  c.p1 = b[2];
  c.p2 = b[3];
  const std::size_t n = b.size() - 4;
  auto body = b.subspan(4);
  if (n == 0) return c;  // case 1
  if (n == 1) {          // case 2S
    c.ne = body[0] == 0 ? 256 : body[0];
    return c;
  }
  if (body[0] != 0) {  // short: case 3S or 4S
    const std::size_t lc = body[0];
    if (n == 1 + lc) {
      c.data.assign(body.begin() + 1, body.end());
    } else if (n == 2 + lc) {
      c.data.assign(body.begin() + 1, body.begin() + 1 + lc);
      c.ne = body[1 + lc] == 0 ? 256 : body[1 + lc];
    } else {
      fail("Lc " + std::to_string(lc) + " does not match " + std::to_string(n) + " body bytes");
    }
    return c;
  }
  // extended: body starts with 00
  c.extended = true;
  if (n == 3) {  // case 2E
    const std::size_t le = std::size_t{body[1]} << 8 | body[2];
    c.ne = le == 0 ? 65536 : le;
    return c;
  }
  if (n < 3) fail("truncated extended length");
  const std::size_t lc = std::size_t{body[1]} << 8 | body[2];
  if (lc == 0) fail("extended Lc of zero");
  if (n == 3 + lc) {
    c.data.assign(body.begin() + 3, body.end());
  } else if (n == 5 + lc) {
    c.data.assign(body.begin() + 3, body.begin() + 3 + lc);
    const std::size_t le = std::size_t{body[3 + lc]} << 8 | body[4 + lc];
    c.ne = le == 0 ? 65536 : le;
  } else {
    fail("extended Lc " + std::to_string(lc) + " does not match " + std::to_string(n) + " body bytes");
  }
  return c;
}

Bytes ResponseApdu::encode() const {
  Bytes out = data;
  out.push_back(sw1());
  out.push_back(sw2());
  return out;
}

ResponseApdu ResponseApdu::decode(ByteView b) {
  if (b.size() < 2) throw Error(ErrorArea::Apdu, "decode response", "shorter than a status word");
  ResponseApdu r;
  r.data.assign(b.begin(), b.end() - 2);
  r.sw = static_cast<std::uint16_t>(b[b.size() - 2] << 8 | b[b.size() - 1]);
  return r;
}

std::string commandName(std::uint8_t ins) {
  switch (ins) {
    case 0xA4: return "SELECT";
    case 0xB0:
    case 0xB1: return "READ BINARY";
    case 0x84: return "GET CHALLENGE";
    case 0x82: return "EXTERNAL AUTHENTICATE";
    case 0x88: return "INTERNAL AUTHENTICATE";
    case 0x22: return "MANAGE SECURITY ENVIRONMENT";
    case 0x86: return "GENERAL AUTHENTICATE";
    case 0x2A: return "PERFORM SECURITY OPERATION";
    case kInsGetResponse: return "GET RESPONSE";
    default: {
      static constexpr char digits[] = "0123456789ABCDEF";
      return std::string("INS ") + digits[ins >> 4] + digits[ins & 0x0F];
    }
  }
}

std::string describeStatus(std::uint16_t s) {
  const char* what = nullptr;
  switch (s) {
    case sw::kOk: what = "ok"; break;
    case sw::kEndOfFileWarning: what = "end of file reached before Le bytes"; break;
    case sw::kWrongLength: what = "wrong length"; break;
    case sw::kSecurityNotSatisfied: what = "security status not satisfied"; break;
    case sw::kAuthenticationFailed: what = "authentication failed"; break;
    case sw::kConditionsNotSatisfied: what = "conditions of use not satisfied"; break;
    case sw::kLastCommandOfChainExpected: what = "last command of the chain expected"; break;
    case sw::kChainingNotSupported: what = "command chaining not supported"; break;
    case sw::kSmDataObjectsMissing: what = "expected secure messaging data objects missing"; break;
    case sw::kSmDataObjectsIncorrect: what = "secure messaging data objects incorrect"; break;
    case sw::kWrongData: what = "incorrect data"; break;
    case sw::kFileNotFound: what = "file not found"; break;
    case sw::kWrongP1P2: what = "wrong parameters P1-P2"; break;
    case sw::kInsNotSupported: what = "instruction not supported"; break;
    case sw::kClaNotSupported: what = "class not supported"; break;
    case sw::kUnknown: what = "no precise diagnosis"; break;
    default:
      if ((s & 0xFF00) == 0x6C00) what = "wrong Le: SW2 gives the exact length";
      else if ((s & 0xFF00) == 0x6100) what = "more response bytes available";
      else if ((s & 0xFFF0) == 0x63C0) what = "verification failed, counter in SW2";
      break;
  }
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", s);
  return what ? std::string(buf) + " (" + what + ")" : std::string(buf);
}

}  // namespace portti::mrtd
