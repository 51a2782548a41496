#include "portti/hw/nfc_reader.hpp"

#include <nfc/nfc.h>

#include <cstring>
#include <thread>

#include "portti/mrtd/error.hpp"

namespace portti::hw {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(50);

mrtd::Error transportError(const std::string& step, const std::string& message) {
  return mrtd::Error(mrtd::ErrorArea::Transport, step, message);
}

// libnfc's response buffer for a PN53x (PN53x_EXTENDED_FRAME__DATA_MAX_LEN).
constexpr std::size_t kLibnfcRxBuffer = 264;

}  // namespace

struct NfcReader::State {
  nfc_context* context = nullptr;
  nfc_device* device = nullptr;
  nfc_target target{};
  NfcTargetType type = NfcTargetType::None;
  std::string connstring;
  std::string chip;
  int timeoutMs = 2000;
};

NfcReader::NfcReader(const std::string& connstring) : s_(std::make_unique<State>()) {
  nfc_init(&s_->context);
  if (!s_->context) throw transportError("open nfc reader", "libnfc could not be initialised (nfc_init failed)");
  s_->device = nfc_open(s_->context, connstring.empty() ? nullptr : connstring.c_str());
  if (!s_->device) {
    nfc_exit(s_->context);
    throw transportError("open nfc reader",
                         "libnfc could not open " + (connstring.empty() ? std::string("a default device") : "'" + connstring + "'") +
                             " (is it connected, is the path right, may this user open it? LIBNFC_LOG_LEVEL=3 shows why)");
  }
  s_->connstring = nfc_device_get_connstring(s_->device);
  if (nfc_initiator_init(s_->device) < 0) {
    std::string why = nfc_strerror(s_->device);
    nfc_close(s_->device);
    nfc_exit(s_->context);
    throw transportError("open nfc reader", "libnfc could not make '" + s_->connstring + "' an initiator: " + why);
  }
  // Poll a bounded number of times per selection instead of forever, so waits honour their timeouts;
  // let the PN53x do the ISO 14443-4 activation (RATS / ATTRIB) and framing.
  nfc_device_set_property_bool(s_->device, NP_INFINITE_SELECT, false);
  nfc_device_set_property_bool(s_->device, NP_AUTO_ISO14443_4, true);
  nfc_device_set_property_bool(s_->device, NP_EASY_FRAMING, true);
  char* info = nullptr;
  if (nfc_device_get_information_about(s_->device, &info) >= 0 && info) {
    // "pn532_uart:/dev/pts/3 (pn532_uart:...) opened\nchip: PN532 v1.6\n..."
    const char* chip = std::strstr(info, "chip: ");
    if (chip) {
      chip += 6;
      const char* end = std::strchr(chip, '\n');
      s_->chip.assign(chip, end ? static_cast<std::size_t>(end - chip) : std::strlen(chip));
    }
    nfc_free(info);
  }
}

NfcReader::~NfcReader() {
  if (s_->device) nfc_close(s_->device);  // idles the chip: deselect, field off, power down
  if (s_->context) nfc_exit(s_->context);
}

bool NfcReader::trySelect() {
  s_->type = NfcTargetType::None;
  const nfc_modulation typeA{NMT_ISO14443A, NBR_106};
  nfc_target t{};
  int r = nfc_initiator_select_passive_target(s_->device, typeA, nullptr, 0, &t);
  if (r > 0) {
    if (!(t.nti.nai.btSak & 0x20)) return false;  // not ISO/IEC 14443-4: not a travel document
    s_->target = t;
    s_->type = NfcTargetType::TypeA;
    return true;
  }
  const nfc_modulation typeB{NMT_ISO14443B, NBR_106};
  r = nfc_initiator_select_passive_target(s_->device, typeB, nullptr, 0, &t);
  if (r > 0) {
    s_->target = t;
    s_->type = NfcTargetType::TypeB;
    return true;
  }
  return false;
}

Bytes NfcReader::transmitRaw(ByteView command) {
  if (s_->type == NfcTargetType::None && !trySelect())
    throw transportError("transmit", "no ISO/IEC 14443-4 card in the field of " + s_->connstring);
  if (command.size() > limits().maxCommandBytes)
    throw transportError("transmit", "a " + std::to_string(command.size()) + "-byte command is too long for " + s_->connstring);
  std::uint8_t rx[kLibnfcRxBuffer];
  int r = nfc_initiator_transceive_bytes(s_->device, command.data(), command.size(), rx, sizeof rx, s_->timeoutMs);
  if (r < 0) {
    std::string why = nfc_strerror(s_->device);
    if (r == NFC_ERFTRANS || r == NFC_ETGRELEASED || r == NFC_ETIMEOUT) {
      s_->type = NfcTargetType::None;  // the card must be selected again before the next exchange
      throw transportError("transmit", "the card stopped answering (" + why + "): it was probably taken out of the field of " +
                                           s_->connstring + "; present it again and retry");
    }
    // Other failures (a response too long for the PN53x buffer, ...) leave the card selected, so
    // the caller can step down and carry on in the same session.
    if (r == NFC_EIO || r == NFC_ENOTSUCHDEV)
      throw transportError("transmit", "libnfc lost " + s_->connstring + " (" + why + "): is the reader still connected?");
    throw transportError("transmit", "libnfc exchange with " + s_->connstring + " failed: " + why);
  }
  if (r < 2) throw transportError("transmit", "the card answered " + std::to_string(r) + " bytes, no status word");
  return Bytes(rx, rx + r);
}

mrtd::ChannelLimits NfcReader::limits() const {
  mrtd::ChannelLimits l;
  l.maxCommandBytes = 261;   // short APDU: 4 header + 1 Lc + 255 data + 1 Le
  l.maxResponseBytes = 258;  // 256 data + SW1 SW2; Le <= 256 on this path
  l.extendedLength = false;
  return l;
}

std::string NfcReader::name() const { return "nfc:" + s_->connstring; }
std::string NfcReader::readerName() const { return nfc_device_get_name(s_->device); }
std::string NfcReader::readerVersion() const {
  return std::string("libnfc ") + nfc_version() + (s_->chip.empty() ? "" : ", " + s_->chip);
}

bool NfcReader::cardPresent() {
  if (s_->type != NfcTargetType::None) {
    if (nfc_initiator_target_is_present(s_->device, &s_->target) == NFC_SUCCESS) return true;
    s_->type = NfcTargetType::None;
  }
  return trySelect();
}

bool NfcReader::waitForCard(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (cardPresent()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

bool NfcReader::waitForRemoval(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (s_->type == NfcTargetType::None && !trySelect()) return true;
    if (nfc_initiator_target_is_present(s_->device, &s_->target) != NFC_SUCCESS) {
      s_->type = NfcTargetType::None;
      return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

void NfcReader::setField(bool on) {
  if (nfc_device_set_property_bool(s_->device, NP_ACTIVATE_FIELD, on) < 0)
    throw transportError("RF field", std::string("libnfc could not switch the field ") + (on ? "on: " : "off: ") +
                                         nfc_strerror(s_->device));
  if (!on) s_->type = NfcTargetType::None;
}

NfcTargetType NfcReader::targetType() const { return s_->type; }

Bytes NfcReader::targetId() const {
  if (s_->type == NfcTargetType::TypeA)
    return Bytes(s_->target.nti.nai.abtUid, s_->target.nti.nai.abtUid + s_->target.nti.nai.szUidLen);
  if (s_->type == NfcTargetType::TypeB) return Bytes(s_->target.nti.nbi.abtPupi, s_->target.nti.nbi.abtPupi + 4);
  return {};
}

void NfcReader::setExchangeTimeout(std::chrono::milliseconds timeout) { s_->timeoutMs = static_cast<int>(timeout.count()); }

std::vector<std::string> listNfcDevices() {
  nfc_context* context = nullptr;
  nfc_init(&context);
  if (!context) throw transportError("list nfc devices", "libnfc could not be initialised (nfc_init failed)");
  nfc_connstring found[16];
  std::size_t n = nfc_list_devices(context, found, 16);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(found[i]);
  nfc_exit(context);
  return out;
}

}  // namespace portti::hw
