#include "portti/mrtd/card/virtual_chip.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "chip_authenticity_responder.hpp"
#include "portti/mrtd/card/lds_files.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/bac.hpp"
#include "portti/mrtd/sm/crypto.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"
#include "virtual_chip_pace.hpp"

namespace portti::mrtd {

namespace {
constexpr std::uint16_t kIncorrectP1P2 = 0x6A86;
constexpr std::uint16_t kNoCurrentEf = 0x6986;  // command not allowed: no current EF
constexpr std::uint16_t kSmNotSupported = 0x6882;

ResponseApdu status(std::uint16_t s) { return ResponseApdu{{}, s}; }

std::size_t parseSize(const std::string& key, const std::string& value) {
  std::size_t n = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || p != value.data() + value.size())
    throw Error(ErrorArea::File, "chip.conf", key + ": not a number: \"" + value + "\"");
  return n;
}

bool parseYesNo(const std::string& key, const std::string& value) {
  if (value == "yes" || value == "true" || value == "1") return true;
  if (value == "no" || value == "false" || value == "0") return false;
  throw Error(ErrorArea::File, "chip.conf", key + ": expected yes or no, got \"" + value + "\"");
}

Bytes randomBytes(std::size_t n) {
  Bytes out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
    throw Error(ErrorArea::Crypto, "GET CHALLENGE", "RAND_bytes failed");
  return out;
}

/// Length of a DER length field for `n`.
std::size_t lengthFieldSize(std::size_t n) { return encodeLength(n).size(); }
}  // namespace

ChipSettings ChipSettings::fromConfig(const ChipConfig& config) {
  ChipSettings s;
  if (auto v = config.get("extended_length")) s.extendedLength = parseYesNo("extended_length", *v);
  s.maxResponse = s.extendedLength ? 65536 : 256;
  if (auto v = config.get("max_response")) {
    s.maxResponse = parseSize("max_response", *v);
    if (s.maxResponse < 16 || s.maxResponse > 65536)
      throw Error(ErrorArea::File, "chip.conf", "max_response must be 16..65536, got " + *v);
    if (!s.extendedLength && s.maxResponse > 256)
      throw Error(ErrorArea::File, "chip.conf", "max_response above 256 needs extended_length=yes");
  }
  if (auto v = config.get("mrz_information")) {
    if (v->empty()) throw Error(ErrorArea::File, "chip.conf", "mrz_information is empty");
    s.mrzInformation = *v;
  }
  if (auto v = config.get("can")) {
    if (v->empty() || v->find_first_not_of("0123456789") != std::string::npos)
      throw Error(ErrorArea::File, "chip.conf", "can must be digits, got \"" + *v + "\"");
    s.can = *v;
  }
  if (auto v = config.get("bac")) s.bac = parseYesNo("bac", *v);
  if (auto v = config.get("command_chaining")) s.commandChaining = parseYesNo("command_chaining", *v);
  if (auto v = config.get("pace_fault")) {
    if (*v != "refuse-set-at" && *v != "chip-error" && *v != "bad-token")
      throw Error(ErrorArea::File, "chip.conf", "pace_fault: expected refuse-set-at, chip-error or bad-token, got \"" + *v + "\"");
    s.paceFault = *v;
  }
  if (auto v = config.get("eac_protected")) {
    s.eacProtected.clear();
    std::string_view rest = *v;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string item(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (item.empty()) continue;
      const std::size_t n = parseSize("eac_protected", item);
      if (n < 1 || n > 16) throw Error(ErrorArea::File, "chip.conf", "eac_protected: no data group " + item);
      s.eacProtected.push_back(static_cast<int>(n));
    }
  }
  return s;
}

struct VirtualChip::Impl {
  ChipImage image;
  ChipSettings settings;
  ChipMisbehaviourForTesting misbehaviour;
  std::function<Bytes()> challengeSource;
  std::function<Bytes()> keyMaterialSource;

  bool applicationSelected = false;
  const LdsFile* currentEf = nullptr;
  bool authenticated = false;  // BAC done (or not required)
  std::optional<SecureMessaging> session;
  std::optional<BacChip> bac;    // with mrz_information, unless bac=no
  std::optional<PaceChip> pace;  // when EF.CardAccess offers PACE
  int paceCommands = 0;          // GENERAL AUTHENTICATE commands since MSE:Set AT (for pace_fault)
  std::optional<ChipAuthenticityResponder> authenticity;  // CA and AA with the keys of chip.conf
  std::optional<CommandApdu> chain;  // the links of a command chain received so far (CLA b5)
  Bytes pendingAnswer;               // the rest of an answer announced with 61xx
  std::uint16_t pendingSw = sw::kOk;  // its status word, sent with the last piece

  bool accessRequired() const { return settings.mrzInformation.has_value() || settings.can.has_value(); }
  bool secured() const { return session.has_value(); }
  /// Ends the session: the security state falls back to "no access" (9303-11 9.8.6).
  void dropSession() {
    session.reset();
    chain.reset();  // a chain begun under the old session does not carry over
    authenticated = !accessRequired();
  }
  ResponseApdu answerSecured(const CommandApdu& command);
  /// ISO/IEC 7816-4 5.3.3: a link with CLA b5 is kept (answered 9000, or 6884 by a chip without
  /// chaining); the last link gets the chain's data in front of its own. Nullopt: `c` is whole.
  std::optional<ResponseApdu> collectChain(CommandApdu& c);
  /// The largest answer data one response may carry for `c`: the chip's buffer, 256 in short form.
  std::size_t answerCap(const CommandApdu& c) const {
    return std::min<std::size_t>(settings.maxResponse, c.isExtended() ? 65536 : 256);
  }
  /// Sends `r`, or its first part with 61xx when it is longer than answerCap (5.3.4).
  Bytes deliver(ResponseApdu r, const CommandApdu& c);
  /// GET RESPONSE: the next piece of the pending answer.
  Bytes getResponse(const CommandApdu& c);
  ResponseApdu answerPace(const CommandApdu& command);

  Bytes answer(ByteView raw);
  ResponseApdu dispatch(const CommandApdu& c, std::size_t responseCap);
  ResponseApdu select(const CommandApdu& c);
  ResponseApdu getChallenge(const CommandApdu& c);
  ResponseApdu mutualAuthenticate(const CommandApdu& c);
  ResponseApdu readBinary(const CommandApdu& c, std::size_t responseCap);
  /// 6982 / 6A82 / 9000 for access to `f` now.
  std::uint16_t accessTo(const LdsFile* f) const;
  const Bytes* content(const LdsFile* f) const {
    auto it = image.files.find(f->name);
    return it == image.files.end() ? nullptr : &it->second;
  }
};

std::uint16_t VirtualChip::Impl::accessTo(const LdsFile* f) const {
  if (!f || !content(f)) return sw::kFileNotFound;
  if (f->location == LdsLocation::Application) {
    if (accessRequired() && !authenticated) return sw::kSecurityNotSatisfied;
    if (f->dataGroup != 0 && std::find(settings.eacProtected.begin(), settings.eacProtected.end(),
                                       f->dataGroup) != settings.eacProtected.end())
      return sw::kSecurityNotSatisfied;
  }
  return sw::kOk;
}

namespace {
/// The last GENERAL AUTHENTICATE answer with a bit of the chip's token (86) flipped.
ResponseApdu withCorruptedToken(const ResponseApdu& r) {
  Bytes objects;
  for (const Tlv& o : decodeAll(decodeOne(r.data).value)) {
    Bytes value(o.value.begin(), o.value.end());
    if (o.tag == 0x86 && !value.empty()) value.back() ^= 0x01;
    const Bytes encoded = encodeTlv(o.tag, value);
    objects.insert(objects.end(), encoded.begin(), encoded.end());
  }
  return ResponseApdu{encodeTlv(0x7C, objects), r.sw};
}
}  // namespace

ResponseApdu VirtualChip::Impl::answerPace(const CommandApdu& command) {
  const std::string& fault = settings.paceFault;
  if (command.ins == 0x22) {
    paceCommands = 0;
    if (fault == "refuse-set-at") return status(sw::kWrongData);
  } else if (++paceCommands == 2 && fault == "chip-error") {
    return status(sw::kUnknown);
  }
  ResponseApdu r = pace->answer(command);
  if (auto established = pace->takeSession()) {
    if (fault == "bad-token") r = withCorruptedToken(r);
    session.emplace(std::move(*established));
    authenticated = true;
  }
  return r;
}

Bytes VirtualChip::Impl::answer(ByteView raw) {
  CommandApdu command;
  try {
    command = CommandApdu::decode(raw);
  } catch (const Error&) {
    return status(sw::kWrongLength).encode();
  }
  if (command.isExtended() && !settings.extendedLength) return status(sw::kWrongLength).encode();
  // GET RESPONSE is plain even within a session: it moves the pieces of one (protected) answer.
  if (command.ins == kInsGetResponse && (command.cla & ~0x03) == 0x00) return getResponse(command);
  pendingAnswer.clear();
  if (session) return deliver(answerSecured(command), command);
  if (pace && PaceChip::handles(command)) return deliver(answerPace(command), command);
  // Secure messaging bits of CLA (ISO/IEC 7816-4 5.4.1): b4 b3 = 11 means a protected command.
  // Without a session: a BAC chip has no keys to check it with (6988), others know no SM at all.
  if ((command.cla & 0x0C) != 0) return status(bac || pace ? sw::kSmDataObjectsIncorrect : kSmNotSupported).encode();
  CommandApdu whole = command;
  if (auto linkAnswer = collectChain(whole)) return linkAnswer->encode();
  return deliver(dispatch(whole, settings.maxResponse), command);
}

std::optional<ResponseApdu> VirtualChip::Impl::collectChain(CommandApdu& c) {
  const auto sameCommand = [&c](const CommandApdu& other) {
    return other.ins == c.ins && other.p1 == c.p1 && other.p2 == c.p2 && other.cla == (c.cla & ~kClaChaining);
  };
  if (c.cla & kClaChaining) {
    if (!settings.commandChaining) {
      chain.reset();
      return status(sw::kChainingNotSupported);
    }
    if (chain && !sameCommand(*chain)) chain.reset();  // another command: a new chain starts
    if (!chain) {
      chain = c;
      chain->cla = static_cast<std::uint8_t>(c.cla & ~kClaChaining);
      chain->data.clear();
    }
    chain->data.insert(chain->data.end(), c.data.begin(), c.data.end());
    if (chain->data.size() > 65535) {
      chain.reset();
      return status(sw::kWrongLength);
    }
    return status(sw::kOk);
  }
  if (chain && sameCommand(*chain)) c.data.insert(c.data.begin(), chain->data.begin(), chain->data.end());
  chain.reset();
  return std::nullopt;
}

Bytes VirtualChip::Impl::deliver(ResponseApdu r, const CommandApdu& c) {
  const std::size_t cap = answerCap(c);
  if (r.data.size() <= cap) return r.encode();
  pendingAnswer.assign(r.data.begin() + static_cast<std::ptrdiff_t>(cap), r.data.end());
  pendingSw = r.sw;
  r.data.resize(cap);
  r.sw = static_cast<std::uint16_t>(0x6100 | (pendingAnswer.size() >= 256 ? 0 : pendingAnswer.size()));
  return r.encode();
}

Bytes VirtualChip::Impl::getResponse(const CommandApdu& c) {
  if (pendingAnswer.empty()) return status(sw::kConditionsNotSatisfied).encode();
  if (c.p1 != 0 || c.p2 != 0) return status(kIncorrectP1P2).encode();
  if (c.ne == 0 || !c.data.empty()) return status(sw::kWrongLength).encode();
  const std::size_t n = std::min({c.ne, answerCap(c), pendingAnswer.size()});
  ResponseApdu r{Bytes(pendingAnswer.begin(), pendingAnswer.begin() + static_cast<std::ptrdiff_t>(n)), pendingSw};
  pendingAnswer.erase(pendingAnswer.begin(), pendingAnswer.begin() + static_cast<std::ptrdiff_t>(n));
  if (!pendingAnswer.empty())
    r.sw = static_cast<std::uint16_t>(0x6100 | (pendingAnswer.size() >= 256 ? 0 : pendingAnswer.size()));
  return r.encode();
}

ResponseApdu VirtualChip::Impl::answerSecured(const CommandApdu& command) {
  // 9303-11 9.8.6: after access control every command is protected; a plain command or a bad MAC
  // is answered with a bare 6987 / 6988 and ends the session.
  if (!SecureMessaging::isProtected(command)) {
    dropSession();
    return status(sw::kSmDataObjectsMissing);
  }
  CommandApdu plain;
  try {
    plain = session->unprotectCommand(command);
  } catch (const Error&) {
    dropSession();
    return status(sw::kSmDataObjectsIncorrect);
  }
  // Each link of a chain is protected on its own and answered under SM (9000 or 6884).
  if (auto linkAnswer = collectChain(plain)) return session->protectResponse(*linkAnswer);
  // The protected response must fit the chip's buffer and the wire Le (00: 256, 0000: 65536).
  const std::size_t wireCap = std::min(settings.maxResponse, command.ne == 0 ? settings.maxResponse : command.ne);
  std::size_t lo = 0, hi = wireCap;
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (mid + session->responseOverhead(mid) <= wireCap) lo = mid;
    else hi = mid - 1;
  }
  const ResponseApdu plainResponse = dispatch(plain, lo);
  if (misbehaviour.dropSessionOnError && plainResponse.sw != sw::kOk && plainResponse.sw != sw::kEndOfFileWarning) {
    dropSession();
    return status(plainResponse.sw);
  }
  if (!session) return status(sw::kUnknown);  // dispatch never ends the session, but be safe
  ResponseApdu protectedResponse = session->protectResponse(plainResponse);
  // Chip Authentication: the answer went out under the old keys; from now on the new ones.
  if (auto next = authenticity->takeSession()) session = std::move(*next);
  if (misbehaviour.corruptResponseMac && !protectedResponse.data.empty()) protectedResponse.data.back() ^= 0x01;
  return protectedResponse;
}

ResponseApdu VirtualChip::Impl::dispatch(const CommandApdu& c, std::size_t responseCap) {
  if (c.cla != 0x00) return status(sw::kClaNotSupported);
  if (auto r = authenticity->answer(c, secured(), authenticated)) return *r;
  switch (c.ins) {
    case 0xA4: return select(c);
    case 0x84: return getChallenge(c);
    case 0x82: return mutualAuthenticate(c);
    case 0xB0:
    case 0xB1: return readBinary(c, responseCap);
    default: return status(sw::kInsNotSupported);
  }
}

ResponseApdu VirtualChip::Impl::select(const CommandApdu& c) {
  if (c.ne != 0) return status(sw::kWrongLength);  // P2=0C: no response data
  switch (c.p1) {
    case 0x04: {  // by DF name (AID)
      if (c.p2 != 0x0C) return status(kIncorrectP1P2);
      if (!std::equal(c.data.begin(), c.data.end(), std::begin(kEmrtdAid), std::end(kEmrtdAid)))
        return status(sw::kFileNotFound);
      applicationSelected = true;
      currentEf = nullptr;
      return status(sw::kOk);
    }
    case 0x00: {  // the MF: empty data or 3F00
      if (c.p2 != 0x0C) return status(kIncorrectP1P2);
      if (!c.data.empty() && !(c.data.size() == 2 && c.data[0] == 0x3F && c.data[1] == 0x00))
        return status(sw::kFileNotFound);
      applicationSelected = false;
      currentEf = nullptr;
      return status(sw::kOk);
    }
    case 0x02: {  // EF under the current DF
      if (c.p2 != 0x0C) return status(kIncorrectP1P2);
      if (c.data.size() != 2) return status(sw::kWrongLength);
      const auto fid = static_cast<std::uint16_t>(c.data[0] << 8 | c.data[1]);
      const LdsFile* f =
          findLdsFile(fid, applicationSelected ? LdsLocation::Application : LdsLocation::MasterFile);
      const std::uint16_t access = accessTo(f);
      if (access != sw::kOk) return status(access);
      currentEf = f;
      return status(sw::kOk);
    }
    default: return status(kIncorrectP1P2);
  }
}

ResponseApdu VirtualChip::Impl::getChallenge(const CommandApdu& c) {
  if (c.p1 != 0 || c.p2 != 0) return status(kIncorrectP1P2);
  if (c.ne != 8 || !c.data.empty()) return status(sw::kWrongLength);
  Bytes challenge;
  if (challengeSource) {
    challenge = challengeSource();
    if (challenge.size() != 8) return status(sw::kUnknown);
    if (bac) bac->getChallenge(challenge);
  } else {
    challenge = bac ? bac->getChallenge() : randomBytes(8);
  }
  return ResponseApdu{std::move(challenge), sw::kOk};
}

ResponseApdu VirtualChip::Impl::mutualAuthenticate(const CommandApdu& c) {
  if (!bac) return status(sw::kInsNotSupported);  // a chip without BAC
  if (session) return status(sw::kConditionsNotSatisfied);  // BAC again inside a session: no
  if (c.p1 != 0 || c.p2 != 0) return status(kIncorrectP1P2);
  if (c.data.size() != 40 || (c.ne != 40 && c.ne != 256)) return status(sw::kWrongLength);
  // 9303-11 4.3.4: the chip checks M.IFD and RND.IC; a failure is 6300 and no session.
  std::optional<BacChip::Grant> grant;
  if (keyMaterialSource) {
    const Bytes kIc = keyMaterialSource();
    grant = bac->mutualAuthenticate(c.data, kIc);
  } else {
    grant = bac->mutualAuthenticate(c.data);
  }
  if (!grant) return status(sw::kAuthenticationFailed);
  session.emplace(std::move(grant->sm));
  authenticated = true;
  return ResponseApdu{std::move(grant->responseData), sw::kOk};
}

ResponseApdu VirtualChip::Impl::readBinary(const CommandApdu& c, std::size_t responseCap) {
  const bool odd = c.ins == 0xB1;
  const LdsFile* file = currentEf;
  std::size_t offset = 0;
  const LdsLocation here = applicationSelected ? LdsLocation::Application : LdsLocation::MasterFile;
  if (!odd) {
    if (!c.data.empty()) return status(sw::kWrongLength);
    if (c.p1 & 0x80) {  // short EF identifier in P1 b5..b1, offset in P2
      if (c.p1 & 0x60) return status(kIncorrectP1P2);
      file = findLdsFileBySfi(c.p1 & 0x1F, here);
      const std::uint16_t access = accessTo(file);
      if (access != sw::kOk) return status(access);
      currentEf = file;
      offset = c.p2;
    } else {
      offset = std::size_t{c.p1} << 8 | c.p2;
    }
  } else {
    if (c.p1 != 0 || c.p2 != 0) {  // P1-P2: a file identifier to select first
      file = findLdsFile(static_cast<std::uint16_t>(c.p1 << 8 | c.p2), here);
      const std::uint16_t access = accessTo(file);
      if (access != sw::kOk) return status(access);
      currentEf = file;
    }
    // The offset comes in DO'54' (ISO/IEC 7816-4 7.2.3): 1 to 3 value bytes.
    try {
      const Tlv offsetDo = decodeOne(c.data);
      if (offsetDo.tag != 0x54 || offsetDo.value.empty() || offsetDo.value.size() > 3)
        return status(sw::kWrongData);
      for (std::uint8_t b : offsetDo.value) offset = offset << 8 | b;
    } catch (const Error&) {
      return status(sw::kWrongData);
    }
  }
  if (!file) return status(kNoCurrentEf);
  const std::uint16_t access = accessTo(file);  // the security state may have changed since SELECT
  if (access != sw::kOk) return status(access);
  if (c.ne == 0) return status(sw::kWrongLength);

  const ChipMisbehaviourForTesting& mis = misbehaviour;
  const bool le00 = c.ne == 256 && !c.isExtended();
  if (le00 && mis.refuseLe00With != 0) return status(mis.refuseLe00With);
  if (mis.capReadAt != 0 && c.ne > mis.capReadAt) return status(sw::kWrongLength);
  // Short Le=00 means "up to 256": a chip with a smaller buffer answers what it can.
  const std::size_t ne = le00 ? std::min<std::size_t>(256, responseCap) : c.ne;
  if (ne > responseCap) return status(sw::kWrongLength);

  const Bytes& data = *content(file);
  if (offset >= data.size()) return status(sw::kWrongP1P2);
  const std::size_t left = data.size() - offset;
  std::size_t n = std::min(ne, left);
  if (odd) {  // the whole DO'53' must fit Ne
    while (n > 0 && 1 + lengthFieldSize(n) + n > ne) --n;
    if (n == 0) return status(sw::kWrongLength);
  }
  const bool atEnd = n == left && (odd ? 1 + lengthFieldSize(n) + n < ne : n < ne);
  if (atEnd && mis.answer6CAtEnd && !odd) {
    return status(static_cast<std::uint16_t>(0x6C00 | (n >= 256 ? 0 : n)));
  }
  Bytes out(data.begin() + static_cast<std::ptrdiff_t>(offset),
            data.begin() + static_cast<std::ptrdiff_t>(offset + n));
  if (mis.answerLongerThanAsked) out.push_back(0x00);
  if (odd) out = encodeTlv(0x53, out);
  return ResponseApdu{std::move(out), atEnd ? sw::kEndOfFileWarning : sw::kOk};
}

VirtualChip::VirtualChip(ChipImage image) : impl_(std::make_unique<Impl>()) {
  impl_->settings = ChipSettings::fromConfig(image.config);
  impl_->authenticity.emplace(image);
  impl_->image = std::move(image);
  impl_->authenticated = !impl_->accessRequired();
  impl_->pace = makePaceChip(impl_->image, impl_->settings);
  if (impl_->settings.mrzInformation && impl_->settings.bac) {
    // K_seed: the first 16 bytes of SHA-1 over the MRZ information (9303-11 9.7.2).
    const std::string& mrz = *impl_->settings.mrzInformation;
    const SecretBytes digest(crypto::sha1(ByteView(reinterpret_cast<const std::uint8_t*>(mrz.data()), mrz.size())));
    const SecretBytes seed(digest.view().first(16));
    impl_->bac.emplace(seed.view());
  }
}

VirtualChip VirtualChip::fromFolder(const std::filesystem::path& dir) { return VirtualChip(loadChipFolder(dir)); }

VirtualChip::~VirtualChip() = default;
VirtualChip::VirtualChip(VirtualChip&&) noexcept = default;
VirtualChip& VirtualChip::operator=(VirtualChip&&) noexcept = default;

Bytes VirtualChip::transceive(ByteView command) {
  try {
    return impl_->answer(command);
  } catch (...) {
    // A card never throws at the reader; anything unexpected is "no precise diagnosis".
    return status(sw::kUnknown).encode();
  }
}

const ChipSettings& VirtualChip::settings() const { return impl_->settings; }
bool VirtualChip::secured() const { return impl_->secured(); }
void VirtualChip::setChallengeSourceForTesting(std::function<Bytes()> source) {
  impl_->challengeSource = std::move(source);
}
void VirtualChip::setKeyMaterialSourceForTesting(std::function<Bytes()> source) {
  impl_->keyMaterialSource = std::move(source);
}
ChipMisbehaviourForTesting& VirtualChip::misbehaviourForTesting() { return impl_->misbehaviour; }

}  // namespace portti::mrtd
