// PACE, chip side (ICAO Doc 9303 Part 11, 4.4.4): the state machine behind MSE:Set AT and the
// GENERAL AUTHENTICATE chain, for the virtual chip. Any failure resets it: the reader starts again.
#include <openssl/crypto.h>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/sm/crypto.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr std::uint16_t kReferencedDataNotFound = 0x6A88;
ResponseApdu status(std::uint16_t s) { return ResponseApdu{{}, s}; }
ResponseApdu dynamicData(ByteView objects) { return ResponseApdu{encodeTlv(0x7C, objects), sw::kOk}; }
}  // namespace

struct PaceChip::Impl {
  Config config;
  RandomForTesting fixed;
  // Protocol state: 0 idle, 1 selected (expects step 1), 2..4 expects that step.
  int next = 0;
  std::optional<PaceInfo> info;
  std::optional<PacePassword> password;
  std::optional<PaceDomain> domain;
  std::optional<PaceDomain> mapped;
  SecretBytes nonce, skMap, skEph;
  Bytes pkEphPcd, pkEphIc;
  std::optional<PaceSessionKeys> keys;
  std::optional<SecureMessaging> session;
  std::string established;

  void reset() {
    next = 0;
    info.reset();
    password.reset();
    domain.reset();
    mapped.reset();
    nonce = skMap = skEph = SecretBytes();
    keys.reset();
  }

  ResponseApdu setAt(const CommandApdu& c) {
    reset();
    std::optional<std::string> oid;
    std::optional<int> keyRef;
    std::optional<std::int64_t> paramId;
    try {
      for (const Tlv& t : decodeAll(c.data)) {
        if (t.tag == 0x80) oid = decodeOid(t.value);
        else if (t.tag == 0x83 && t.value.size() == 1) keyRef = t.value[0];
        else if (t.tag == 0x84 && t.value.size() == 1) paramId = t.value[0];
        // other objects (7F4C, ...) are ignored (4.4.4.1 Note 2)
      }
    } catch (const Error&) {
      return status(sw::kWrongData);
    }
    if (!oid || !keyRef) return status(sw::kWrongData);
    for (const PaceInfo& offered : config.offered) {
      if (offered.protocol != *oid || !paceInfoSupported(offered)) continue;
      if (paramId && offered.parameterId != paramId) continue;
      info = offered;
      break;
    }
    if (!info) return status(sw::kWrongData);
    if (*keyRef == 1 && config.mrz) password = config.mrz;
    else if (*keyRef == 2 && config.can) password = config.can;
    else return status(kReferencedDataNotFound);
    if (info->mapping == PaceMapping::ChipAuthentication &&
        (config.camStaticPrivateKey.empty() || config.camParameterId != info->parameterId))
      return status(kReferencedDataNotFound);
    domain.emplace(PaceDomain::standard(*info->parameterId));
    next = 1;
    return status(sw::kOk);
  }

  ResponseApdu generalAuthenticate(const CommandApdu& c) {
    if (next == 0) return status(sw::kConditionsNotSatisfied);
    const bool chained = (c.cla & 0x10) != 0;
    if (c.p1 != 0 || c.p2 != 0) return failed(0x6A86);
    if (chained != (next < 4)) return failed(sw::kConditionsNotSatisfied);
    ByteView content;
    Bytes contentCopy;
    try {
      const Tlv t = decodeOne(c.data);
      if (t.tag != 0x7C) return failed(sw::kWrongData);
      contentCopy.assign(t.value.begin(), t.value.end());
      decodeAll(contentCopy);
    } catch (const Error&) {
      return failed(sw::kWrongData);
    }
    content = contentCopy;
    try {
      switch (next) {
        case 1: return step1(content);
        case 2: return step2(content);
        case 3: return step3(content);
        default: return step4(content);
      }
    } catch (const Error&) {
      // A peer key that is not in the group, a wrong length: the protocol ends here.
      return failed(sw::kWrongData);
    }
  }

  ResponseApdu failed(std::uint16_t s) {
    reset();
    return status(s);
  }

  static std::optional<Bytes> object(ByteView content, std::uint32_t tag) {
    const auto t = findChild(content, tag);
    if (!t) return std::nullopt;
    return Bytes(t->value.begin(), t->value.end());
  }

  ResponseApdu step1(ByteView content) {
    if (!content.empty()) return failed(sw::kWrongData);
    const SymmetricCipher cipher = info->cipher;
    const std::size_t size =
        info->mapping == PaceMapping::Integrated ? integratedMappingNonceSize(cipher) <= 16 ? 16 : 32 : 16;
    nonce = fixed.nonce ? SecretBytes(*fixed.nonce) : crypto::randomBytes(size);
    const SecretBytes kpi = paceKpi(*password, cipher);
    next = 2;
    return dynamicData(encodeTlv(0x80, encryptNonce(kpi.view(), nonce.view(), cipher)));
  }

  ResponseApdu step2(ByteView content) {
    const auto data = object(content, 0x81);
    if (!data) return failed(sw::kWrongData);
    if (info->mapping == PaceMapping::Integrated) {
      mapped.emplace(domain->mapIntegrated(
          integratedMappingRandom(nonce.view(), *data, info->cipher, domain->fieldBits())));
      next = 3;
      return dynamicData(encodeTlv(0x82, Bytes{}));
    }
    skMap = fixed.mapPrivateKey ? SecretBytes(*fixed.mapPrivateKey) : domain->randomPrivateKey();
    const Bytes h = domain->agree(skMap.view(), *data, "PACE map nonce");
    mapped.emplace(domain->mapGeneric(nonce.view(), h));
    next = 3;
    return dynamicData(encodeTlv(0x82, domain->publicKey(skMap.view())));
  }

  ResponseApdu step3(ByteView content) {
    const auto pk = object(content, 0x83);
    if (!pk) return failed(sw::kWrongData);
    mapped->checkElement(*pk, "PACE key agreement");
    skEph = fixed.ephemeralPrivateKey ? SecretBytes(*fixed.ephemeralPrivateKey) : mapped->randomPrivateKey();
    pkEphIc = mapped->publicKey(skEph.view());
    if (crypto::equalConstantTime(*pk, pkEphIc)) return failed(sw::kWrongData);
    pkEphPcd = *pk;
    const SecretBytes k = mapped->sharedSecret(skEph.view(), pkEphPcd, "PACE key agreement");
    keys = derivePaceSessionKeys(k.view(), info->cipher);
    next = 4;
    return dynamicData(encodeTlv(0x84, pkEphIc));
  }

  ResponseApdu step4(ByteView content) {
    const auto token = object(content, 0x85);
    if (!token) return failed(sw::kWrongData);
    const Bytes expected =
        authenticationToken(keys->ksMac.view(), info->cipher, info->protocol, info->keyAgreement, pkEphIc);
    if (token->size() != expected.size() || !crypto::equalConstantTime(*token, expected))
      return failed(sw::kAuthenticationFailed);  // the reader used another password
    Bytes answer = encodeTlv(
        0x86, authenticationToken(keys->ksMac.view(), info->cipher, info->protocol, info->keyAgreement, pkEphPcd));
    if (info->mapping == PaceMapping::ChipAuthentication) {
      const Bytes ca = domain->chipAuthenticationData(config.camStaticPrivateKey, skMap.view());
      const Bytes a = encodeTlv(0x8A, encryptChipAuthenticationData(keys->ksEnc.view(), ca));
      answer.insert(answer.end(), a.begin(), a.end());
    }
    const bool tdes = info->cipher == SymmetricCipher::Tdes;
    session.emplace(tdes ? SmCipher::Des3 : SmCipher::Aes, keys->ksEnc.view(), keys->ksMac.view(),
                    Bytes(tdes ? 8 : 16, 0x00));
    established = paceProtocolName(*info);
    reset();
    return dynamicData(answer);
  }
};

PaceChip::PaceChip(Config config) : impl_(std::make_unique<Impl>()) { impl_->config = std::move(config); }
PaceChip::~PaceChip() = default;
PaceChip::PaceChip(PaceChip&&) noexcept = default;
PaceChip& PaceChip::operator=(PaceChip&&) noexcept = default;

bool PaceChip::handles(const CommandApdu& c) {
  if ((c.cla & ~0x10) != 0x00) return false;
  if (c.ins == 0x22) return c.cla == 0x00 && c.p1 == 0xC1 && c.p2 == 0xA4;
  return c.ins == 0x86;
}

ResponseApdu PaceChip::answer(const CommandApdu& command) {
  if (command.ins == 0x22) return impl_->setAt(command);
  return impl_->generalAuthenticate(command);
}

std::optional<SecureMessaging> PaceChip::takeSession() {
  std::optional<SecureMessaging> out = std::move(impl_->session);
  impl_->session.reset();
  return out;
}

const std::string& PaceChip::establishedProtocol() const { return impl_->established; }
PaceChip::RandomForTesting& PaceChip::randomForTesting() { return impl_->fixed; }

}  // namespace portti::mrtd
