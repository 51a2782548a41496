#include "portti/firmware/result_signer.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "portti/firmware/delivery_error.hpp"

namespace portti::firmware {
namespace {

std::string opensslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::shared_ptr<EVP_PKEY> ownKey(EVP_PKEY* key) { return {key, EVP_PKEY_free}; }

bool isP256(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) != 1) return false;
  return std::string_view(group, len) == "prime256v1";
}

std::string base64(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Strict base64 decode: returns false on any character or padding error.
bool unbase64(std::string_view in, std::vector<unsigned char>& out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  out.assign(in.size() / 4 * 3, 0);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return false;
  size_t pad = (in.back() == '=') + (in.size() > 1 && in[in.size() - 2] == '=');
  out.resize(static_cast<size_t>(n) - pad);
  return true;
}

// A public key from PEM holding either a certificate or a SubjectPublicKeyInfo.
std::shared_ptr<EVP_PKEY> publicKeyFromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  if (pem.find("CERTIFICATE-----") != std::string_view::npos) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!cert) return nullptr;
    EVP_PKEY* key = X509_get_pubkey(cert);  // a new reference;
    X509_free(cert);
    return key ? ownKey(key) : nullptr;
  }
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return key ? ownKey(key) : nullptr;
}

}  // namespace

ResultSigner ResultSigner::fromPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DeliveryError("load device key", "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return fromPem(ss.str());
  } catch (const DeliveryError& e) {
    throw DeliveryError("load device key", path + ": " + e.what());
  }
}

ResultSigner ResultSigner::fromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!raw) throw DeliveryError("load device key", "not a PEM private key (" + opensslError() + ")");
  auto key = ownKey(raw);
  if (!isP256(raw)) throw DeliveryError("load device key", "the device key must be EC P-256");
  return ResultSigner(std::move(key));
}

std::string ResultSigner::sign(std::string_view body) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len,
                     reinterpret_cast<const unsigned char*>(body.data()), body.size()) != 1)
    throw DeliveryError("sign result", opensslError());
  std::vector<unsigned char> sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len,
                     reinterpret_cast<const unsigned char*>(body.data()), body.size()) != 1)
    throw DeliveryError("sign result", opensslError());
  return base64(sig.data(), len);
}

std::string ResultSigner::publicKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1)
    throw DeliveryError("export public key", opensslError());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

bool verifyResultSignature(std::string_view body, std::string_view signatureBase64,
                           std::string_view keyPem) {
  auto key = publicKeyFromPem(keyPem);
  std::vector<unsigned char> sig;
  bool ok = key && isP256(key.get()) && unbase64(signatureBase64, sig);
  if (ok) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                          reinterpret_cast<const unsigned char*>(body.data()), body.size()) == 1;
  }
  ERR_clear_error();
  return ok;
}

Pseudonymizer::Pseudonymizer(std::string secret) : secret_(std::move(secret)) {
  if (secret_.size() < 16)
    throw DeliveryError("pseudonym secret", "the kiosk secret must be at least 16 bytes");
}

Pseudonymizer::~Pseudonymizer() { OPENSSL_cleanse(secret_.data(), secret_.size()); }

std::string Pseudonymizer::pseudonym(std::string_view value) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
            reinterpret_cast<const unsigned char*>(value.data()), value.size(), mac, &len))
    throw DeliveryError("pseudonym", opensslError());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

}  // namespace portti::firmware
