// Secure messaging, ICAO Doc 9303 Part 11 9.8 (with ISO/IEC 7816-4 5.4 for the data objects):
//  - SSC incremented before each command and each response (9.8.2);
//  - data encrypted after 9797-1 method 2 padding: 3DES-CBC with IV 0, or AES-CBC with
//    IV = E(KSenc, SSC) (9.8.6.1); DO'87' carries a padding indicator 01, DO'85' (odd INS, whose
//    data are BER-TLV) does not;
//  - DO'97' carries Le (one byte, or two when Ne > 256);
//  - DO'8E' is the MAC over SSC || padded header || data objects, padded (retail MAC for 3DES,
//    AES-CMAC truncated to 8 bytes for AES) (9.8.6.2);
//  - a response is [DO'87'/'85'] DO'99' DO'8E'.
#include "portti/mrtd/sm/secure_messaging.hpp"

#include <optional>

#include "portti/mrtd/sm/crypto.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {

constexpr std::uint32_t kDoCryptogramTlv = 0x85;  // cryptogram, plain value BER-TLV (odd INS)
constexpr std::uint32_t kDoCryptogram = 0x87;     // padding indicator + cryptogram
constexpr std::uint32_t kDoLe = 0x97;
constexpr std::uint32_t kDoStatus = 0x99;
constexpr std::uint32_t kDoMac = 0x8E;
constexpr std::size_t kMacLength = 8;

std::string smStep(std::uint8_t ins) { return "secure messaging (" + commandName(ins) + ")"; }

/// Le as DO'97' carries it: one byte (00 = 256) unless Ne > 256, then two (0000 = 65536).
Bytes encodeLe(std::size_t ne) {
  if (ne > 256) {
    const std::size_t le = ne >= 65536 ? 0 : ne;
    return {static_cast<std::uint8_t>(le >> 8), static_cast<std::uint8_t>(le & 0xFF)};
  }
  return {static_cast<std::uint8_t>(ne >= 256 ? 0 : ne)};
}

std::size_t tlvSize(std::size_t valueLength) { return 1 + encodeLength(valueLength).size() + valueLength; }

}  // namespace

UnprotectedStatusError::UnprotectedStatusError(std::string step, std::uint16_t sw)
    : Error(ErrorArea::SecureMessaging, std::move(step),
            "the chip answered " + describeStatus(sw) +
                " without secure messaging; an unprotected status word is not trusted and the "
                "secure session is over (authenticate again)"),
      sw_(sw) {}

struct SecureMessaging::Impl {
  SmCipher cipher;
  SecretBytes kEnc;
  SecretBytes kMac;
  Bytes ssc;
  bool failed = false;
  std::uint8_t lastIns = 0;  // INS of the last command passed (for steps and the DO'85' choice)

  std::size_t block() const { return cipher == SmCipher::Des3 ? crypto::kDesBlock : crypto::kAesBlock; }

  [[noreturn]] void fail(const std::string& step, const std::string& message) {
    failed = true;
    throw Error(ErrorArea::SecureMessaging, step, message);
  }

  void checkUsable(const std::string& step) const {
    if (failed) {
      throw Error(ErrorArea::SecureMessaging, step,
                  "the secure messaging session ended after an earlier error; authenticate again");
    }
  }

  void increment() {
    for (std::size_t i = ssc.size(); i-- > 0;) {
      if (++ssc[i] != 0) break;
    }
  }

  Bytes iv() const {
    if (cipher == SmCipher::Des3) return {};
    return crypto::aesEcbEncrypt(kEnc.view(), ssc);
  }

  Bytes encrypt(ByteView plain) const {
    const Bytes padded = crypto::pad(plain, block());
    return cipher == SmCipher::Des3 ? crypto::des3CbcEncrypt(kEnc.view(), padded)
                                    : crypto::aesCbcEncrypt(kEnc.view(), padded, iv());
  }

  /// Decrypts and unpads; nullopt when the padding is malformed.
  std::optional<Bytes> decrypt(ByteView cryptogram) const {
    const Bytes padded = cipher == SmCipher::Des3 ? crypto::des3CbcDecrypt(kEnc.view(), cryptogram)
                                                  : crypto::aesCbcDecrypt(kEnc.view(), cryptogram, iv());
    return crypto::unpad(padded, block());
  }

  /// MAC over SSC || `input` (9.8.6.2); 9797-1 method 2 padding is applied for both ciphers.
  Bytes mac(ByteView input) const {
    const Bytes message = concat({ssc, input});
    if (cipher == SmCipher::Des3) return crypto::retailMac(kMac.view(), message);
    Bytes full = crypto::aesCmac(kMac.view(), crypto::pad(message, crypto::kAesBlock));
    full.resize(kMacLength);
    return full;
  }

  /// The data object carrying encrypted data, for an INS (odd: DO'85', even: DO'87').
  Bytes dataObject(std::uint8_t ins, ByteView plain) const {
    if (plain.empty()) return {};
    Bytes cryptogram = encrypt(plain);
    if (ins & 0x01) return encodeTlv(kDoCryptogramTlv, cryptogram);
    cryptogram.insert(cryptogram.begin(), 0x01);
    return encodeTlv(kDoCryptogram, cryptogram);
  }

  /// Plain data from a DO'85' or DO'87'; a malformed object ends the session.
  Bytes openDataObject(const Tlv& object, const std::string& step) {
    ByteView cryptogram = object.value;
    if (object.tag == kDoCryptogram) {
      if (cryptogram.empty() || cryptogram[0] != 0x01) {
        fail(step, "DO'87' lacks the padding indicator 01");
      }
      cryptogram = cryptogram.subspan(1);
    }
    if (cryptogram.empty() || cryptogram.size() % block() != 0) {
      fail(step, "the cryptogram of " + std::to_string(cryptogram.size()) + " bytes is not whole " +
                     std::to_string(block()) + "-byte blocks");
    }
    std::optional<Bytes> plain = decrypt(cryptogram);
    if (!plain) fail(step, "the decrypted data have no valid padding");
    return std::move(*plain);
  }
};

namespace {

/// The data objects of a protected command or response, as read.
struct DataObjects {
  std::optional<Tlv> data;  // DO'85' or DO'87'
  std::optional<Tlv> le;    // DO'97' (commands)
  std::optional<Tlv> status;  // DO'99' (responses)
  std::optional<Tlv> mac;   // DO'8E'
  ByteView macInput;        // every byte before DO'8E'
};

/// Parses `body` strictly in 9303 order: [DO'85'|DO'87'] [DO'97'] [DO'99'] DO'8E', nothing after
/// the MAC, no object twice. Returns an error message, or empty when the structure is sound.
std::string parseObjects(ByteView body, bool response, DataObjects& out) {
  int stage = 0;  // 0: nothing yet, 1: data seen, 2: Le seen, 3: status seen, 4: MAC seen
  TlvReader reader(body);
  while (!reader.atEnd()) {
    Tlv t;
    try {
      t = reader.next();
    } catch (const Error& e) {
      return std::string("malformed data objects: ") + e.detail();
    }
    if (stage == 4) return "data after DO'8E'";
    if ((t.tag == kDoCryptogram || t.tag == kDoCryptogramTlv) && stage < 1) {
      out.data = t;
      stage = 1;
    } else if (t.tag == kDoLe && !response && stage < 2) {
      out.le = t;
      stage = 2;
    } else if (t.tag == kDoStatus && response && stage < 3) {
      out.status = t;
      stage = 3;
    } else if (t.tag == kDoMac) {
      out.mac = t;
      out.macInput = body.first(static_cast<std::size_t>(t.whole.data() - body.data()));
      stage = 4;
    } else {
      return "unexpected or repeated data object '" + toHex(encodeTag(t.tag)) + "'";
    }
  }
  if (!out.mac) return "no MAC (DO'8E')";
  if (out.mac->value.size() != kMacLength) {
    return "a MAC of " + std::to_string(out.mac->value.size()) + " bytes (8 expected)";
  }
  if (response && !out.status) return "no status word (DO'99')";
  if (out.status && out.status->value.size() != 2) return "DO'99' is not two bytes";
  return {};
}

}  // namespace

SecureMessaging::SecureMessaging(SmCipher cipher, ByteView kEnc, ByteView kMac, ByteView ssc)
    : impl_(std::make_unique<Impl>()) {
  const char* step = "set up secure messaging";
  if (cipher == SmCipher::Des3) {
    if (kEnc.size() != 16 || kMac.size() != 16) throw Error(ErrorArea::SecureMessaging, step, "3DES keys must be 16 bytes");
    if (ssc.size() != 8) throw Error(ErrorArea::SecureMessaging, step, "the 3DES SSC must be 8 bytes");
  } else {
    auto aesKey = [](std::size_t n) { return n == 16 || n == 24 || n == 32; };
    if (!aesKey(kEnc.size()) || kMac.size() != kEnc.size()) {
      throw Error(ErrorArea::SecureMessaging, step, "AES keys must be 16, 24 or 32 bytes, both the same");
    }
    if (ssc.size() != 16) throw Error(ErrorArea::SecureMessaging, step, "the AES SSC must be 16 bytes");
  }
  impl_->cipher = cipher;
  impl_->kEnc = SecretBytes(kEnc);
  impl_->kMac = SecretBytes(kMac);
  impl_->ssc.assign(ssc.begin(), ssc.end());
}

SecureMessaging::~SecureMessaging() = default;
SecureMessaging::SecureMessaging(SecureMessaging&&) noexcept = default;
SecureMessaging& SecureMessaging::operator=(SecureMessaging&&) noexcept = default;

SmCipher SecureMessaging::cipher() const { return impl_->cipher; }
Bytes SecureMessaging::ssc() const { return impl_->ssc; }
bool SecureMessaging::failed() const { return impl_->failed; }
std::size_t SecureMessaging::blockSize() const { return impl_->block(); }

CommandApdu SecureMessaging::protectCommand(const CommandApdu& plain) {
  Impl& m = *impl_;
  const std::string step = smStep(plain.ins);
  m.checkUsable(step);
  if (isProtected(plain)) m.fail(step, "the command already carries secure messaging (CLA " + toHex(Bytes{plain.cla}) + ")");
  m.increment();
  m.lastIns = plain.ins;

  const std::uint8_t cla = static_cast<std::uint8_t>(plain.cla | 0x0C);
  const Bytes header{cla, plain.ins, plain.p1, plain.p2};
  const Bytes data = m.dataObject(plain.ins, plain.data);
  const Bytes le = plain.ne > 0 ? encodeTlv(kDoLe, encodeLe(plain.ne)) : Bytes{};
  const Bytes macInput = concat({crypto::pad(header, m.block()), data, le});
  const Bytes mac = encodeTlv(kDoMac, m.mac(macInput));

  CommandApdu out;
  out.cla = cla;
  out.ins = plain.ins;
  out.p1 = plain.p1;
  out.p2 = plain.p2;
  out.data = concat({data, le, mac});
  out.extended = plain.isExtended() || out.data.size() > 255;
  out.ne = out.extended ? 65536 : 256;
  return out;
}

ResponseApdu SecureMessaging::unprotectResponse(const ResponseApdu& response) {
  Impl& m = *impl_;
  const std::string step = smStep(m.lastIns);
  m.checkUsable(step);
  m.increment();
  if (response.data.empty()) {
    m.failed = true;
    throw UnprotectedStatusError(step, response.sw);
  }
  DataObjects objects;
  if (std::string problem = parseObjects(response.data, true, objects); !problem.empty()) {
    m.fail(step, "protected response refused: " + problem);
  }
  // The MAC first: nothing in the response is looked at before it is authenticated.
  if (!crypto::equalConstantTime(m.mac(objects.macInput), objects.mac->value)) {
    m.fail(step, "the response MAC is wrong: the data were altered or the session keys differ");
  }
  ResponseApdu plain;
  plain.sw = static_cast<std::uint16_t>(objects.status->value[0] << 8 | objects.status->value[1]);
  if (objects.data) plain.data = m.openDataObject(*objects.data, step);
  return plain;
}

CommandApdu SecureMessaging::unprotectCommand(const CommandApdu& command) {
  Impl& m = *impl_;
  const std::string step = smStep(command.ins);
  m.checkUsable(step);
  m.increment();
  m.lastIns = command.ins;
  if (!isProtected(command)) m.fail(step, "the command has no secure messaging (CLA " + toHex(Bytes{command.cla}) + ")");
  DataObjects objects;
  if (std::string problem = parseObjects(command.data, false, objects); !problem.empty()) {
    m.fail(step, "protected command refused: " + problem);
  }
  const Bytes header{command.cla, command.ins, command.p1, command.p2};
  const Bytes macInput = concat({crypto::pad(header, m.block()), objects.macInput});
  if (!crypto::equalConstantTime(m.mac(macInput), objects.mac->value)) {
    m.fail(step, "the command MAC is wrong: the command was altered or the session keys differ");
  }
  CommandApdu plain;
  plain.cla = static_cast<std::uint8_t>(command.cla & ~0x0C);
  plain.ins = command.ins;
  plain.p1 = command.p1;
  plain.p2 = command.p2;
  if (objects.data) plain.data = m.openDataObject(*objects.data, step);
  if (objects.le) {
    ByteView le = objects.le->value;
    if (le.size() == 1) {
      plain.ne = le[0] == 0 ? 256 : le[0];
    } else if (le.size() == 2) {
      const std::size_t n = std::size_t{le[0]} << 8 | le[1];
      plain.ne = n == 0 ? 65536 : n;
    } else {
      m.fail(step, "DO'97' of " + std::to_string(le.size()) + " bytes (1 or 2 expected)");
    }
  }
  plain.extended = command.isExtended() || plain.needsExtended();
  return plain;
}

ResponseApdu SecureMessaging::protectResponse(const ResponseApdu& plain) {
  Impl& m = *impl_;
  m.checkUsable(smStep(m.lastIns));
  m.increment();
  const Bytes data = m.dataObject(m.lastIns, plain.data);
  const Bytes status = encodeTlv(kDoStatus, Bytes{plain.sw1(), plain.sw2()});
  const Bytes mac = encodeTlv(kDoMac, m.mac(concat({data, status})));
  ResponseApdu out;
  out.data = concat({data, status, mac});
  out.sw = plain.sw;
  return out;
}

std::size_t SecureMessaging::responseOverhead(std::size_t plainDataLength) const {
  std::size_t overhead = tlvSize(2) + tlvSize(kMacLength);  // DO'99' + DO'8E'
  if (plainDataLength > 0) {
    const std::size_t padded = (plainDataLength / impl_->block() + 1) * impl_->block();
    overhead += tlvSize(padded + 1) - plainDataLength;  // DO'87' with its padding indicator
  }
  return overhead;
}

std::size_t SecureMessaging::protectedCommandSize(std::size_t dataLength, std::size_t ne, bool extended) const {
  std::size_t body = tlvSize(kMacLength);
  if (dataLength > 0) body += tlvSize((dataLength / impl_->block() + 1) * impl_->block() + 1);
  if (ne > 0) body += tlvSize(ne > 256 ? 2 : 1);
  const bool ext = extended || dataLength > 255 || ne > 256 || body > 255;
  return 4 + (ext ? 3 : 1) + body + (ext ? 2 : 1);
}

}  // namespace portti::mrtd
