#include "portti/hw/vpcd/vpcd_card.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

#include "portti/mrtd/error.hpp"

namespace portti::hw::vpcd {

namespace {

// vpcd control messages (vsmartcard vpcd.h).
enum : std::uint8_t { kPowerOff = 0x00, kPowerOn = 0x01, kReset = 0x02, kGetAtr = 0x04 };

// Reads exactly n bytes unless the peer closes or `stop` becomes readable; false then.
bool readExactly(int fd, int stop, std::uint8_t* out, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop, POLLIN, 0}};
    int r = ::poll(fds, 2, 500);
    if (r < 0 && errno != EINTR) return false;
    if (fds[1].revents) return false;
    if (r <= 0) continue;
    // vpcd writes the length and the APDU separately; with Nagle on its side, a delayed ACK here
    // would hold every APDU back ~40 ms. Quick ACKs must be asked for again after each receive.
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    ssize_t k = ::recv(fd, out + got, n - got, 0);
    if (k <= 0) {
      if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      return false;
    }
    got += static_cast<std::size_t>(k);
  }
  return true;
}

bool sendMessage(int fd, mrtd::ByteView payload) {
  if (payload.size() > 0xFFFF) return false;
  mrtd::Bytes msg = {static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size())};
  msg.insert(msg.end(), payload.begin(), payload.end());
  std::size_t done = 0;
  while (done < msg.size()) {
    ssize_t k = ::send(fd, msg.data() + done, msg.size() - done, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(k);
  }
  return true;
}

int connectTo(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd >= 0) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // one small message per APDU
  }
  return fd;
}

}  // namespace

mrtd::Bytes defaultAtr() { return mrtd::fromHex("3B80800101"); }

struct VirtualCard::State {
  CardCallback card;
  mrtd::Bytes atr;
  int sock = -1;
  int stopPipe[2] = {-1, -1};
  std::thread thread;
  std::atomic<bool> connected{false};
  std::atomic<std::size_t> apdus{0};
  std::atomic<std::size_t> removeAfter{0};
  std::mutex mutex;  // insert/remove
};

VirtualCard::VirtualCard(CardCallback card, mrtd::Bytes atr) : s_(std::make_unique<State>()) {
  s_->card = std::move(card);
  s_->atr = std::move(atr);
}

VirtualCard::~VirtualCard() { remove(); }

bool VirtualCard::insert(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
  std::lock_guard lock(s_->mutex);
  if (s_->thread.joinable()) {
    if (s_->connected) return true;
    s_->thread.join();  // an earlier connection that ended on its own
    ::close(s_->sock);
    ::close(s_->stopPipe[0]);
    ::close(s_->stopPipe[1]);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int fd = -1;
  for (;;) {
    fd = connectTo(host, port);
    if (fd >= 0 || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (fd < 0) return false;
  if (::pipe(s_->stopPipe) != 0) {
    ::close(fd);
    return false;
  }
  s_->sock = fd;
  s_->connected = true;
  s_->thread = std::thread([this] { run(); });
  return true;
}

void VirtualCard::remove() {
  std::lock_guard lock(s_->mutex);
  if (!s_->thread.joinable()) return;
  [[maybe_unused]] auto n = ::write(s_->stopPipe[1], "x", 1);
  s_->thread.join();
  ::close(s_->sock);
  ::close(s_->stopPipe[0]);
  ::close(s_->stopPipe[1]);
  s_->sock = -1;
  s_->connected = false;
}

void VirtualCard::removeAfter(std::size_t apdus) { s_->removeAfter = apdus; }
bool VirtualCard::inserted() const { return s_->connected; }
std::size_t VirtualCard::apdus() const { return s_->apdus; }

void VirtualCard::run() {
  const int fd = s_->sock, stop = s_->stopPipe[0];
  for (;;) {
    std::uint8_t len[2];
    if (!readExactly(fd, stop, len, 2)) break;
    std::size_t n = (static_cast<std::size_t>(len[0]) << 8) | len[1];
    mrtd::Bytes msg(n);
    if (n > 0 && !readExactly(fd, stop, msg.data(), n)) break;
    if (n == 1) {
      // Power on/off and reset need no answer; the card keeps no state across them here (the
      // virtual chip's session state is reset by its own SELECT of the application).
      if (msg[0] == kGetAtr && !sendMessage(fd, s_->atr)) break;
      continue;
    }
    if (n == 0) continue;
    ++s_->apdus;
    std::size_t left = s_->removeAfter;
    if (left > 0) {
      s_->removeAfter = left - 1;
      if (left == 1) break;  // pulled before it could answer
    }
    mrtd::Bytes response;
    try {
      response = s_->card(msg);
    } catch (...) {
      break;  // a card that fails mid-exchange looks like a card pulled
    }
    if (!sendMessage(fd, response)) break;
  }
  ::shutdown(fd, SHUT_RDWR);
  s_->connected = false;
}

}  // namespace portti::hw::vpcd
