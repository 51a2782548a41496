// Audit record bytes: the chain hash, the MAC and the fixed-form trailer.
#include "audit_record.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "portti/mrtd/sm/crypto.hpp"

namespace portti::firmware::audit {

namespace {

constexpr std::string_view kHashKey = ",\"hash\":\"";
constexpr std::string_view kMacKey = "\",\"mac\":\"";

std::string lowerHex(mrtd::ByteView bytes) {
  std::string hex = mrtd::toHex(bytes);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
  return hex;
}

bool isHash(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string genesisHash() {
  return std::string(64, '0');
}

std::string chainHash(std::string_view prevHex, std::string_view body) {
  mrtd::Bytes input = mrtd::fromHex(prevHex);
  input.insert(input.end(), body.begin(), body.end());
  return lowerHex(mrtd::crypto::sha256(input));
}

std::string chainMac(mrtd::ByteView key, std::string_view hashHex) {
  const mrtd::Bytes hash = mrtd::fromHex(hashHex);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t outLen = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), hash.data(),
                 hash.size(), out, sizeof out, &outLen)) {
    throw std::runtime_error("audit log: HMAC-SHA256 failed (OpenSSL)");
  }
  return lowerHex(mrtd::ByteView(out, outLen));
}

std::string trailer(const std::string& hashHex, const std::optional<std::string>& macHex) {
  std::string t(kHashKey);
  t += hashHex;
  if (macHex) {
    t += kMacKey;
    t += *macHex;
  }
  return t + "\"}";
}

std::optional<SplitRecord> splitRecord(std::string_view line) {
  // The trailer is the record's end: the last ,"hash":" (a field inside "fields" cannot follow it).
  const std::size_t at = line.rfind(kHashKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + kHashKey.size());
  SplitRecord r;
  r.body = line.substr(0, at);
  if (rest.size() < 64 || !isHash(rest.substr(0, 64))) return std::nullopt;
  r.hash = std::string(rest.substr(0, 64));
  rest.remove_prefix(64);
  if (rest.substr(0, kMacKey.size()) == kMacKey) {
    rest.remove_prefix(kMacKey.size());
    if (rest.size() < 64 || !isHash(rest.substr(0, 64))) return std::nullopt;
    r.mac = std::string(rest.substr(0, 64));
    rest.remove_prefix(64);
  }
  if (rest != "\"}") return std::nullopt;
  return r;
}

}  // namespace portti::firmware::audit
