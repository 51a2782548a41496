// RAII wrappers for the OpenSSL objects of the SM primitives, and OpenSSL's error queue as text.
#pragma once

#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd::detail {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct CipherFree {
  void operator()(EVP_CIPHER* p) const { EVP_CIPHER_free(p); }
};
struct MacFree {
  void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};
struct MdFree {
  void operator()(EVP_MD* p) const { EVP_MD_free(p); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, CipherFree>;
using MacPtr = std::unique_ptr<EVP_MAC, MacFree>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;
using MdPtr = std::unique_ptr<EVP_MD, MdFree>;

/// Drains OpenSSL's error queue into one line ("" when it is empty).
inline std::string opensslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

/// Throws Error{Crypto} for `step`, with OpenSSL's queued errors appended.
[[noreturn]] inline void throwOpenssl(const std::string& step, const std::string& what) {
  std::string queue = opensslErrors();
  throw Error(ErrorArea::Crypto, step, queue.empty() ? what : what + " (" + queue + ")");
}

}  // namespace portti::mrtd::detail
