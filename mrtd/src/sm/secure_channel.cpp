#include "portti/mrtd/sm/secure_messaging.hpp"

#include <algorithm>

namespace portti::mrtd {

SecureChannel::SecureChannel(ApduChannel& inner, SecureMessaging sm) : inner_(inner), sm_(std::move(sm)) {}

ResponseApdu SecureChannel::transmit(const CommandApdu& command) {
  if (broken_ || sm_.failed()) {
    broken_ = true;
    throw Error(ErrorArea::SecureMessaging, "secure channel",
                "the secure messaging session ended after an earlier error; authenticate again");
  }
  try {
    const auto exchange = [this](const CommandApdu& plain) {
      return sm_.unprotectResponse(inner_.transmit(sm_.protectCommand(plain)));
    };
    const ChannelLimits wire = inner_.limits();
    if (wire.extendedLength) return exchange(command);
    // Short APDUs only: a plain command whose protected form does not fit goes as a chain of
    // links, each protected on its own (ISO/IEC 7816-4 5.3.3 with 10.2; CLA 1C on all but the
    // last); a long protected answer comes back in pieces by 61xx and GET RESPONSE below SM.
    const std::size_t shortCommand = std::min<std::size_t>(wire.maxCommandBytes, 4 + 1 + 255 + 1);
    std::size_t maxData = 255;
    while (maxData > 1 && sm_.protectedCommandSize(maxData, 256) > shortCommand) --maxData;
    return transmitChain(splitIntoChain(command, maxData), [&exchange](const CommandApdu& link) {
      if (!(link.cla & kClaChaining)) return exchange(link);
      try {
        return exchange(link);
      } catch (const UnprotectedStatusError& e) {
        // A bare status word to a link (6884, 6E00, ...): the chip refuses the chain. The session
        // is over all the same (the SM object has failed); transmitChain names the refusal.
        return ResponseApdu{{}, e.sw()};
      }
    });
  } catch (...) {
    // Whatever failed (a check, the link), the SSCs of reader and chip may now differ.
    broken_ = true;
    throw;
  }
}

Bytes SecureChannel::transmitRaw(ByteView command) { return transmit(CommandApdu::decode(command)).encode(); }

ChannelLimits SecureChannel::limits() const {
  const ChannelLimits inner = inner_.limits();
  ChannelLimits out;
  out.extendedLength = inner.extendedLength;
  // Largest plain response data whose protected form (+ SW) fits the link; overhead grows with
  // the length, so search.
  std::size_t lo = 0;
  std::size_t hi = inner.maxResponseBytes;
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (mid + sm_.responseOverhead(mid) + 2 <= inner.maxResponseBytes) lo = mid;
    else hi = mid - 1;
  }
  out.maxResponseBytes = lo + 2;
  // Largest plain command (with a one-byte Le) whose protected form fits.
  lo = 0;
  hi = inner.maxCommandBytes;
  auto fits = [&](std::size_t dataLength) {
    const std::size_t size = sm_.protectedCommandSize(dataLength, 256);
    const bool extended = size > 4 + 1 + 255 + 1;
    return size <= inner.maxCommandBytes && (!extended || inner.extendedLength);
  };
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  out.maxCommandBytes = 4 + (lo > 255 ? 3 : 1) + lo + (lo > 255 ? 2 : 1);
  return out;
}

std::string SecureChannel::name() const {
  return inner_.name() + (sm_.cipher() == SmCipher::Des3 ? " (secure messaging, 3DES)" : " (secure messaging, AES)");
}

}  // namespace portti::mrtd
