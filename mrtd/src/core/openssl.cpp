#include "openssl.hpp"

#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd::ossl {

std::string opensslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

void throwCrypto(const std::string& step, const std::string& message) {
  const std::string queue = opensslErrors();
  throw Error(ErrorArea::Crypto, step, queue.empty() ? message : message + " (" + queue + ")");
}

PkeyPtr privateKeyFromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  return key;
}

std::string privateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
    throwCrypto("write private key", "cannot write a private key as PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  std::string out(data, static_cast<std::size_t>(n));
  OPENSSL_cleanse(data, static_cast<std::size_t>(n));  // the key leaves no copy behind
  return out;
}

}  // namespace portti::mrtd::ossl
