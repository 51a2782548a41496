#include "portti/hw/pn532/emulator.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "portti/hw/pseudo_terminal.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw::pn532 {

namespace {

// PN532 command codes (UM0701-02 7.1).
enum : std::uint8_t {
  kDiagnose = 0x00,
  kGetFirmwareVersion = 0x02,
  kGetGeneralStatus = 0x04,
  kReadRegister = 0x06,
  kWriteRegister = 0x08,
  kReadGpio = 0x0C,
  kWriteGpio = 0x0E,
  kSetSerialBaudRate = 0x10,
  kSetParameters = 0x12,
  kSamConfiguration = 0x14,
  kPowerDown = 0x16,
  kRfConfiguration = 0x32,
  kInDataExchange = 0x40,
  kInCommunicateThru = 0x42,
  kInDeselect = 0x44,
  kInListPassiveTarget = 0x4A,
  kInRelease = 0x52,
  kInSelect = 0x54,
  kInAutoPoll = 0x60,
};

// Status byte error codes (UM0701-02 7.1, table "Error code list").
enum : std::uint8_t {
  kStatusOk = 0x00,
  kStatusTimeout = 0x01,          // the target did not answer: what a card pulled from the field gives
  kStatusBufferOverflow = 0x09,   // the response does not fit the PN532's buffer
  kStatusInvalidParameter = 0x10,
  kStatusWrongContext = 0x27,     // no target selected
};

// The PN532's data buffer: InDataExchange carries at most 262 bytes each way (UM0701-02 7.3.8).
constexpr std::size_t kMaxExchangeBytes = 262;

}  // namespace

struct Emulator::State {
  PseudoTerminal pty;
  int stopPipe[2] = {-1, -1};
  std::thread thread;

  mutable std::mutex mutex;
  CardCallback card;
  CardProfile profile;
  bool cardInField = false;
  bool targetActive = false;
  std::size_t removeAfter = 0;  // 0: never
  std::map<std::uint16_t, std::uint8_t> registers;
  std::uint8_t parameters = 0;
  std::uint8_t maxRetriesPassive = 0xFF;
  Bytes chained;  // host-side chaining: command parts sent with the MI bit
  Bytes lastResponse;
  EmulatorStats stats;

  ~State() {
    for (int fd : {stopPipe[0], stopPipe[1]})
      if (fd >= 0) ::close(fd);
  }
};

Emulator::Emulator() : s_(std::make_unique<State>()) {
  if (::pipe(s_->stopPipe) != 0)
    throw mrtd::Error(mrtd::ErrorArea::Transport, "PN532 emulator", "pipe failed");
  s_->thread = std::thread([this] { run(); });
}

Emulator::~Emulator() {
  if (s_->stopPipe[1] >= 0) {
    [[maybe_unused]] auto n = ::write(s_->stopPipe[1], "x", 1);
  }
  if (s_->thread.joinable()) s_->thread.join();
}

std::string Emulator::devicePath() const { return s_->pty.slavePath(); }

void Emulator::insertCard(CardCallback card, CardProfile profile) {
  std::lock_guard lock(s_->mutex);
  s_->card = std::move(card);
  s_->profile = std::move(profile);
  s_->cardInField = true;
  s_->targetActive = false;
  s_->removeAfter = 0;
}

void Emulator::removeCard() {
  std::lock_guard lock(s_->mutex);
  s_->cardInField = false;
  s_->targetActive = false;
}

void Emulator::removeCardAfter(std::size_t apdus) {
  std::lock_guard lock(s_->mutex);
  s_->removeAfter = apdus;
}

bool Emulator::cardInField() const {
  std::lock_guard lock(s_->mutex);
  return s_->cardInField;
}

EmulatorStats Emulator::stats() const {
  std::lock_guard lock(s_->mutex);
  return s_->stats;
}

void Emulator::run() {
  FrameDecoder decoder;
  std::uint8_t buf[512];
  for (;;) {
    pollfd fds[2] = {{s_->pty.masterFd(), POLLIN, 0}, {s_->stopPipe[0], POLLIN, 0}};
    int r = ::poll(fds, 2, 200);
    if (r < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    if (r <= 0 || !(fds[0].revents & POLLIN)) continue;
    ssize_t n = ::read(s_->pty.masterFd(), buf, sizeof buf);
    if (n <= 0) continue;
    decoder.feed(ByteView(buf, static_cast<std::size_t>(n)));
    while (auto frame = decoder.next()) {
      switch (frame->kind) {
        case FrameKind::Ack:  // the host aborts the running command: nothing is running here
        case FrameKind::ApplicationError:
          break;
        case FrameKind::Nack: {
          Bytes last;
          {
            std::lock_guard lock(s_->mutex);
            last = s_->lastResponse;
          }
          if (!last.empty()) s_->pty.write(last);
          break;
        }
        case FrameKind::Corrupt: {
          std::lock_guard lock(s_->mutex);
          ++s_->stats.corruptFrames;  // the chip ignores it; the host times out and retries
          break;
        }
        case FrameKind::Information: {
          if (frame->body.size() < 2 || frame->body[0] != kTfiHostToPn532) {
            std::lock_guard lock(s_->mutex);
            ++s_->stats.corruptFrames;
            break;
          }
          s_->pty.write(ackFrame());
          std::optional<Bytes> answer = handleCommand(frame->body);
          Bytes wire = answer ? encodeInformation(*answer) : applicationErrorFrame();
          {
            std::lock_guard lock(s_->mutex);
            s_->lastResponse = wire;
          }
          s_->pty.write(wire);
          break;
        }
      }
    }
  }
}

std::optional<Bytes> Emulator::handleCommand(ByteView body) {
  if (body.size() < 2 || body[0] != kTfiHostToPn532) return std::nullopt;
  const std::uint8_t cmd = body[1];
  ByteView in = body.subspan(2);
  // Built by push_back after reserve: GCC 12 at -O2 warns falsely (-Warray-bounds) on inserts into
  // a vector made from a short initializer list.
  Bytes out;
  out.reserve(2 + 1 + kMaxExchangeBytes);
  out.push_back(kTfiPn532ToHost);
  out.push_back(static_cast<std::uint8_t>(cmd + 1));
  auto status = [&](std::uint8_t s) {
    out.push_back(s);
    return out;
  };

  std::unique_lock lock(s_->mutex);
  // One target's data as InListPassiveTarget / InAutoPoll report it: Tg, then SENS_RES, SEL_RES,
  // NFCID1 and (with automatic RATS) the ATS for type A; ATQB and ATTRIB_RES for type B.
  auto targetData = [this](bool typeB) {
    const CardProfile& p = s_->profile;
    Bytes t;
    t.reserve(64);
    t.push_back(0x01);  // Tg
    if (!typeB) {
      t.insert(t.end(), p.atqa.begin(), p.atqa.end());
      t.push_back(p.sak);
      t.push_back(static_cast<std::uint8_t>(p.uid.size()));
      t.insert(t.end(), p.uid.begin(), p.uid.end());
      // The ATS comes back when automatic RATS is on (SetParameters bit 4) and the card is
      // ISO 14443-4 (SAK bit 6).
      if ((s_->parameters & 0x10) && (p.sak & 0x20)) t.insert(t.end(), p.ats.begin(), p.ats.end());
    } else {
      t.push_back(0x50);  // ATQB
      t.insert(t.end(), p.uid.begin(), p.uid.end());
      t.insert(t.end(), p.applicationData.begin(), p.applicationData.end());
      t.insert(t.end(), p.protocolInfo.begin(), p.protocolInfo.end());
      t.push_back(0x01);  // ATTRIB_RES length
      t.push_back(0x00);  // MBLI / CID 0
    }
    return t;
  };
  ++s_->stats.frames;
  s_->stats.poweredDown = false;
  switch (cmd) {
    case kDiagnose:
      if (in.empty()) return std::nullopt;
      if (in[0] == 0x00) {  // communication line test: echo NumTst and the data
        out.insert(out.end(), in.begin(), in.end());
        return out;
      }
      if (in[0] == 0x06)  // attention request / ISO 14443-4 card presence check
        return status(s_->targetActive && s_->cardInField ? kStatusOk : kStatusTimeout);
      return status(kStatusOk);
    case kGetFirmwareVersion:  // IC = PN532, firmware 1.6, supports ISO 14443 A and B and ISO 18092
      out.insert(out.end(), {0x32, 0x01, 0x06, 0x07});
      return out;
    case kGetGeneralStatus:
      out.push_back(0x00);  // last error
      out.push_back(s_->stats.fieldOn ? 0x01 : 0x00);
      if (s_->targetActive) {
        out.insert(out.end(), {0x01, 0x01, 0x00, 0x00, static_cast<std::uint8_t>(s_->profile.typeB ? 0x03 : 0x00)});
      } else {
        out.push_back(0x00);
      }
      out.push_back(0x00);  // SAM status
      return out;
    case kReadRegister:
      if (in.size() % 2 != 0) return std::nullopt;
      for (std::size_t i = 0; i + 1 < in.size(); i += 2)
        out.push_back(s_->registers[static_cast<std::uint16_t>((in[i] << 8) | in[i + 1])]);
      return out;
    case kWriteRegister:
      if (in.size() % 3 != 0) return std::nullopt;
      for (std::size_t i = 0; i + 2 < in.size(); i += 3)
        s_->registers[static_cast<std::uint16_t>((in[i] << 8) | in[i + 1])] = in[i + 2];
      return out;
    case kReadGpio:
      out.insert(out.end(), {0xFF, 0xFF, 0x00});
      return out;
    case kWriteGpio:
    case kSetSerialBaudRate:
    case kSamConfiguration:
      return out;
    case kSetParameters:
      if (in.empty()) return std::nullopt;
      s_->parameters = in[0];
      return out;
    case kPowerDown:
      s_->stats.poweredDown = true;
      s_->stats.fieldOn = false;
      s_->targetActive = false;
      return status(kStatusOk);
    case kRfConfiguration:
      if (in.empty()) return std::nullopt;
      if (in[0] == 0x01 && in.size() >= 2) {  // RF field
        s_->stats.fieldOn = (in[1] & 0x01) != 0;
        if (!s_->stats.fieldOn) s_->targetActive = false;
      } else if (in[0] == 0x05 && in.size() >= 4) {  // MaxRetries: ATR, PSL, passive activation
        s_->maxRetriesPassive = in[3];
      }
      return out;
    case kInListPassiveTarget: {
      if (in.size() < 2) return std::nullopt;
      const std::uint8_t brTy = in[1];
      s_->stats.fieldOn = true;  // the PN532 switches the field on to poll
      const bool wantB = brTy == 0x03, wantA = brTy == 0x00;
      if (!wantA && !wantB) {
        out.push_back(0x00);
        return out;
      }
      // A real PN532 with MxRtyPassiveActivation = FF keeps polling until a card comes; this one
      // answers "no target" at once, which every host must handle anyway.
      if (!s_->cardInField || s_->profile.typeB != wantB) {
        out.push_back(0x00);
        return out;
      }
      out.push_back(0x01);  // NbTg
      Bytes target = targetData(wantB);
      out.insert(out.end(), target.begin(), target.end());
      s_->targetActive = true;
      ++s_->stats.activations;
      s_->chained.clear();
      return out;
    }
    case kInAutoPoll: {
      // PollNr, Period, then the target types wanted (UM0701-02 7.3.13): 0x00 / 0x10 / 0x20 reach an
      // ISO/IEC 14443-4 type A card, 0x03 / 0x23 a type B one. Answers at once, like
      // InListPassiveTarget.
      if (in.size() < 3) return std::nullopt;
      s_->stats.fieldOn = true;
      for (std::size_t i = 2; i < in.size() && s_->cardInField; ++i) {
        const std::uint8_t type = in[i];
        const bool a = !s_->profile.typeB && (type == 0x00 || type == 0x10 || type == 0x20);
        const bool b = s_->profile.typeB && (type == 0x03 || type == 0x23);
        if (!a && !b) continue;
        Bytes target = targetData(b);
        out.push_back(0x01);  // NbTg
        out.push_back(type);
        out.push_back(static_cast<std::uint8_t>(target.size()));
        out.insert(out.end(), target.begin(), target.end());
        s_->targetActive = true;
        ++s_->stats.activations;
        s_->chained.clear();
        return out;
      }
      out.push_back(0x00);
      return out;
    }
    case kInDataExchange: {
      if (in.empty()) return std::nullopt;
      const bool more = (in[0] & 0x40) != 0;
      if ((in[0] & 0x3F) != 0x01) return status(kStatusInvalidParameter);
      if (!s_->targetActive) return status(kStatusWrongContext);
      if (!s_->cardInField) return status(kStatusTimeout);
      s_->chained.insert(s_->chained.end(), in.begin() + 1, in.end());
      if (more) return status(kStatusOk);  // the host sends the rest in the next frame
      Bytes apdu = std::move(s_->chained);
      s_->chained.clear();
      CardCallback card = s_->card;
      ++s_->stats.apdus;
      lock.unlock();
      Bytes response;
      bool failed = false;
      try {
        response = card(apdu);
      } catch (...) {
        failed = true;
      }
      lock.lock();
      if (s_->removeAfter > 0 && --s_->removeAfter == 0) {
        s_->cardInField = false;  // pulled while answering: the response is lost in the field
        failed = true;
      }
      if (failed || !s_->cardInField) return status(kStatusTimeout);
      if (response.size() > kMaxExchangeBytes) return status(kStatusBufferOverflow);
      out.push_back(kStatusOk);
      out.insert(out.end(), response.begin(), response.end());
      return out;
    }
    case kInCommunicateThru:
      // Raw frames. libnfc's ISO 14443-4 presence check sends an R(NAK) block (ISO/IEC 14443-4
      // 7.5.4); a card in the field answers R(ACK) with the same block number. The simulated card
      // speaks nothing but ISO-DEP, so any other raw frame (ST SRx, iClass, ... probes) goes
      // unanswered, as it would on the air.
      if (!s_->targetActive || !s_->cardInField) return status(kStatusTimeout);
      if (!in.empty() && (in[0] & 0xE6) == 0xA2 && in.size() == ((in[0] & 0x08) ? 2u : 1u)) {
        // R(ACK) with the same block number, and the same CID when one follows (libnfc pings
        // type B cards with one).
        out.push_back(kStatusOk);
        out.push_back(static_cast<std::uint8_t>(0xA2 | (in[0] & 0x09)));
        if (in[0] & 0x08) out.push_back(in[1]);
        return out;
      }
      return status(kStatusTimeout);
    case kInDeselect:
    case kInSelect:
      return status(kStatusOk);
    case kInRelease:
      s_->targetActive = false;
      return status(kStatusOk);
    default:
      ++s_->stats.unknownCommands;
      return std::nullopt;
  }
}

}  // namespace portti::hw::pn532
