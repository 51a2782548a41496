#include "portti/hw/pcsc_reader.hpp"

#include <PCSC/reader.h>
#include <PCSC/winscard.h>

#include <algorithm>
#include <cstring>

#include "portti/mrtd/error.hpp"

namespace portti::hw {

namespace {

mrtd::Error pcscError(const std::string& step, const std::string& what, LONG rv) {
  std::string message = what + ": " + pcsc_stringify_error(rv);
  switch (rv) {
    case SCARD_E_NO_SERVICE:
      message += " (is pcscd running? start it, e.g. `systemctl start pcscd.socket`)";
      break;
    case SCARD_E_INVALID_HANDLE:
      message += " (is pcscd running? it was restarted under this connection: reconnect and retry)";
      break;
    case SCARD_W_REMOVED_CARD:
    case SCARD_E_NO_SMARTCARD:
      message += " (the card was taken away: present it again and retry)";
      break;
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_E_UNKNOWN_READER:
      message += " (the reader was unplugged)";
      break;
    default:
      break;
  }
  return mrtd::Error(mrtd::ErrorArea::Transport, step, message);
}

// A PC/SC context for one call or one reader object.
class Context {
 public:
  Context() {
    LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handle_);
    if (rv != SCARD_S_SUCCESS) throw pcscError("PC/SC", "cannot reach pcscd", rv);
  }
  ~Context() { SCardReleaseContext(handle_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  SCARDCONTEXT get() const { return handle_; }

 private:
  SCARDCONTEXT handle_ = 0;
};

std::vector<std::string> readerNames(SCARDCONTEXT ctx) {
  DWORD size = 0;
  LONG rv = SCardListReaders(ctx, nullptr, nullptr, &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) throw pcscError("PC/SC", "cannot list readers", rv);
  std::string buf(size, '\0');
  rv = SCardListReaders(ctx, nullptr, buf.data(), &size);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) throw pcscError("PC/SC", "cannot list readers", rv);
  std::vector<std::string> out;
  for (const char* p = buf.c_str(); *p; p += std::strlen(p) + 1) out.emplace_back(p);
  return out;
}

DWORD clampTimeout(std::chrono::milliseconds t) {
  return static_cast<DWORD>(std::max<std::chrono::milliseconds::rep>(0, t.count()));
}

}  // namespace

struct PcscReader::State {
  Context context;
  std::string reader;
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  bool connected = false;
};

PcscReader::PcscReader(const std::string& name) : s_(std::make_unique<State>()) {
  auto names = readerNames(s_->context.get());
  if (names.empty()) throw mrtd::Error(mrtd::ErrorArea::Transport, "open pcsc reader", "pcscd has no readers attached");
  if (name.empty()) {
    // The first reader holding a card, else the first reader.
    s_->reader = names.front();
    std::vector<SCARD_READERSTATE> states(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      states[i].szReader = names[i].c_str();
      states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    if (SCardGetStatusChange(s_->context.get(), 0, states.data(), static_cast<DWORD>(states.size())) == SCARD_S_SUCCESS) {
      for (std::size_t i = 0; i < names.size(); ++i)
        if (states[i].dwEventState & SCARD_STATE_PRESENT) {
          s_->reader = names[i];
          break;
        }
    }
  } else {
    auto exact = std::find(names.begin(), names.end(), name);
    auto part = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return n.find(name) != std::string::npos; });
    if (exact != names.end()) s_->reader = *exact;
    else if (part != names.end()) s_->reader = *part;
    else {
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "'" : ", '") + n + "'";
      throw mrtd::Error(mrtd::ErrorArea::Transport, "open pcsc reader", "no PC/SC reader named '" + name + "' (pcscd has " + all + ")");
    }
  }
}

PcscReader::~PcscReader() { disconnect(); }

void PcscReader::connect() {
  if (s_->connected) return;
  LONG rv = SCardConnect(s_->context.get(), s_->reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                         &s_->card, &s_->protocol);
  if (rv != SCARD_S_SUCCESS) throw pcscError("connect", "cannot connect to the card in '" + s_->reader + "'", rv);
  s_->connected = true;
}

void PcscReader::disconnect() {
  if (!s_->connected) return;
  SCardDisconnect(s_->card, SCARD_LEAVE_CARD);
  s_->connected = false;
}

Bytes PcscReader::transmitRaw(ByteView command) {
  connect();
  const SCARD_IO_REQUEST* pci = s_->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  Bytes rx(MAX_BUFFER_SIZE_EXTENDED);
  DWORD rxLen = static_cast<DWORD>(rx.size());
  LONG rv = SCardTransmit(s_->card, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, rx.data(), &rxLen);
  if (rv != SCARD_S_SUCCESS) {
    // The handle is no good after a removal, reset or pcscd restart: the next call reconnects.
    SCardDisconnect(s_->card, SCARD_LEAVE_CARD);
    s_->connected = false;
    throw pcscError("transmit", "exchange with the card in '" + s_->reader + "' failed", rv);
  }
  if (rxLen < 2) throw mrtd::Error(mrtd::ErrorArea::Transport, "transmit", "the card answered without a status word");
  rx.resize(rxLen);
  return rx;
}

mrtd::ChannelLimits PcscReader::limits() const { return limits_; }
std::string PcscReader::name() const { return "pcsc:" + s_->reader; }
std::string PcscReader::readerName() const { return s_->reader; }

std::string PcscReader::readerVersion() const {
  std::string v = "pcsc-lite";
#ifdef PCSCLITE_VERSION_NUMBER
  v += std::string(" ") + PCSCLITE_VERSION_NUMBER;
#endif
  if (s_->connected) {
    unsigned char buf[256];
    DWORD len = sizeof buf;
    if (SCardGetAttrib(s_->card, SCARD_ATTR_VENDOR_NAME, buf, &len) == SCARD_S_SUCCESS && len > 0)
      v += ", " + std::string(reinterpret_cast<char*>(buf), strnlen(reinterpret_cast<char*>(buf), len));
  }
  return v;
}

namespace {
// One SCardGetStatusChange round on `reader`: the new state flags, or throws.
DWORD statusChange(SCARDCONTEXT ctx, const std::string& reader, DWORD current, DWORD timeoutMs, bool& timedOut) {
  SCARD_READERSTATE st{};
  st.szReader = reader.c_str();
  st.dwCurrentState = current;
  LONG rv = SCardGetStatusChange(ctx, timeoutMs, &st, 1);
  timedOut = rv == SCARD_E_TIMEOUT;
  if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) throw pcscError("card status", "cannot watch '" + reader + "'", rv);
  if (timedOut) return current;
  return st.dwEventState & ~SCARD_STATE_CHANGED;
}
}  // namespace

bool PcscReader::cardPresent() {
  bool timedOut = false;
  DWORD state = statusChange(s_->context.get(), s_->reader, SCARD_STATE_UNAWARE, 0, timedOut);
  if (state & SCARD_STATE_UNAVAILABLE) return false;
  return (state & SCARD_STATE_PRESENT) != 0;
}

bool PcscReader::waitForCard(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  DWORD known = SCARD_STATE_UNAWARE;
  for (;;) {
    bool timedOut = false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    DWORD state = statusChange(s_->context.get(), s_->reader, known, clampTimeout(left), timedOut);
    if (!timedOut && (state & SCARD_STATE_PRESENT) && !(state & SCARD_STATE_MUTE)) return true;
    if (timedOut || std::chrono::steady_clock::now() >= deadline) return false;
    known = state;
  }
}

bool PcscReader::waitForRemoval(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  DWORD known = SCARD_STATE_UNAWARE;
  for (;;) {
    bool timedOut = false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    DWORD state = statusChange(s_->context.get(), s_->reader, known, clampTimeout(left), timedOut);
    if (!timedOut && (state & (SCARD_STATE_EMPTY | SCARD_STATE_UNAVAILABLE))) {
      disconnect();
      return true;
    }
    if (timedOut || std::chrono::steady_clock::now() >= deadline) return false;
    known = state;
  }
}

Bytes PcscReader::atr() {
  connect();
  char name[MAX_READERNAME];
  DWORD nameLen = sizeof name, state = 0, protocol = 0;
  unsigned char atr[MAX_ATR_SIZE];
  DWORD atrLen = sizeof atr;
  LONG rv = SCardStatus(s_->card, name, &nameLen, &state, &protocol, atr, &atrLen);
  if (rv != SCARD_S_SUCCESS) throw pcscError("ATR", "cannot read the card status in '" + s_->reader + "'", rv);
  return Bytes(atr, atr + atrLen);
}

std::vector<std::string> listPcscReaders() {
  Context ctx;
  return readerNames(ctx.get());
}

bool waitForPcscReaderChange(std::chrono::milliseconds timeout) {
  Context ctx;
  SCARD_READERSTATE st{};
  st.szReader = "\\\\?PnP?\\Notification";
  // Tell pcscd how many readers we know of (upper 16 bits), so it reports the next change.
  st.dwCurrentState = static_cast<DWORD>(readerNames(ctx.get()).size()) << 16;
  LONG rv = SCardGetStatusChange(ctx.get(), clampTimeout(timeout), &st, 1);
  if (rv == SCARD_E_TIMEOUT) return false;
  if (rv != SCARD_S_SUCCESS) throw pcscError("reader events", "cannot watch for readers", rv);
  return true;
}

}  // namespace portti::hw
