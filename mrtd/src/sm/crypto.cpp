#include "portti/mrtd/sm/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <string>

#include "../core/openssl.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::mrtd::crypto {

using ossl::CipherCtxPtr;
using ossl::CipherPtr;
using ossl::throwCrypto;

namespace {

[[noreturn]] void badInput(const std::string& step, const std::string& what) {
  throw Error(ErrorArea::Crypto, step, what);
}

/// Fetches a cipher of the default provider once per process (fetching is thread-safe and the
/// result immutable, so sharing it is fine).
EVP_CIPHER* cipher(const char* name) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (c == nullptr) throwCrypto(name, "cipher not available in OpenSSL's default provider");
  return c;
}

const EVP_CIPHER* desEdeCbc() {
  static const CipherPtr c{cipher("DES-EDE-CBC")};
  return c.get();
}
const EVP_CIPHER* desEde3Cbc() {
  static const CipherPtr c{cipher("DES-EDE3-CBC")};
  return c.get();
}
const EVP_CIPHER* desEdeEcb() {
  static const CipherPtr c{cipher("DES-EDE-ECB")};
  return c.get();
}
const EVP_CIPHER* aes(std::size_t keyLength, bool cbc) {
  static const CipherPtr cbc128{cipher("AES-128-CBC")};
  static const CipherPtr cbc192{cipher("AES-192-CBC")};
  static const CipherPtr cbc256{cipher("AES-256-CBC")};
  static const CipherPtr ecb128{cipher("AES-128-ECB")};
  static const CipherPtr ecb192{cipher("AES-192-ECB")};
  static const CipherPtr ecb256{cipher("AES-256-ECB")};
  switch (keyLength) {
    case 16: return (cbc ? cbc128 : ecb128).get();
    case 24: return (cbc ? cbc192 : ecb192).get();
    case 32: return (cbc ? cbc256 : ecb256).get();
    default: badInput("AES", "key of " + std::to_string(keyLength) + " bytes (16, 24 or 32 expected)");
  }
}

/// One-shot block cipher run without padding; `data` must be whole blocks.
Bytes run(const char* step, const EVP_CIPHER* c, ByteView key, ByteView iv, ByteView data, bool encrypt) {
  const auto block = static_cast<std::size_t>(EVP_CIPHER_get_block_size(c));
  if (data.size() % block != 0) {
    badInput(step, "input of " + std::to_string(data.size()) + " bytes is not a multiple of the " +
                       std::to_string(block) + "-byte block");
  }
  if (key.size() != static_cast<std::size_t>(EVP_CIPHER_get_key_length(c))) {
    badInput(step, "key of " + std::to_string(key.size()) + " bytes");
  }
  const auto ivLength = static_cast<std::size_t>(EVP_CIPHER_get_iv_length(c));
  std::array<std::uint8_t, 16> zeroIv{};
  if (!iv.empty() && iv.size() != ivLength) badInput(step, "IV of " + std::to_string(iv.size()) + " bytes");
  const std::uint8_t* ivPtr = ivLength == 0 ? nullptr : (iv.empty() ? zeroIv.data() : iv.data());

  CipherCtxPtr ctx{EVP_CIPHER_CTX_new()};
  if (!ctx) throwCrypto(step, "cannot allocate a cipher context");
  if (EVP_CipherInit_ex2(ctx.get(), c, key.data(), ivPtr, encrypt ? 1 : 0, nullptr) != 1) {
    throwCrypto(step, "cipher initialisation failed");
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  Bytes out(data.size() + block);
  int n1 = 0;
  int n2 = 0;
  if (!data.empty() &&
      EVP_CipherUpdate(ctx.get(), out.data(), &n1, data.data(), static_cast<int>(data.size())) != 1) {
    throwCrypto(step, "cipher update failed");
  }
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2) != 1) throwCrypto(step, "cipher final failed");
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

const EVP_CIPHER* des3For(ByteView key, const char* step) {
  if (key.size() == 16) return desEdeCbc();
  if (key.size() == 24) return desEde3Cbc();
  badInput(step, "3DES key of " + std::to_string(key.size()) + " bytes (16 or 24 expected)");
}

Bytes digest(const char* name, ByteView data) {
  ossl::MdPtr md{EVP_MD_fetch(nullptr, name, nullptr)};
  if (!md) throwCrypto(name, "digest not available");
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md.get())));
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md.get(), nullptr) != 1) {
    throwCrypto(name, "digest failed");
  }
  out.resize(n);
  return out;
}

}  // namespace

Bytes pad(ByteView data, std::size_t blockSize) {
  Bytes out(data.begin(), data.end());
  out.push_back(0x80);
  while (out.size() % blockSize != 0) out.push_back(0x00);
  return out;
}

std::optional<Bytes> unpad(ByteView data, std::size_t blockSize) {
  if (data.empty() || blockSize == 0 || data.size() % blockSize != 0) return std::nullopt;
  std::size_t i = data.size();
  const std::size_t limit = data.size() - blockSize;  // the padding lies within the last block
  while (i > limit && data[i - 1] == 0x00) --i;
  if (i == limit || data[i - 1] != 0x80) return std::nullopt;
  return Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(i - 1));
}

Bytes des3CbcEncrypt(ByteView key, ByteView data, ByteView iv) {
  return run("3DES encrypt", des3For(key, "3DES encrypt"), key, iv, data, true);
}

Bytes des3CbcDecrypt(ByteView key, ByteView data, ByteView iv) {
  return run("3DES decrypt", des3For(key, "3DES decrypt"), key, iv, data, false);
}

Bytes retailMac(ByteView key, ByteView data) {
  if (key.size() != 16) badInput("retail MAC", "key of " + std::to_string(key.size()) + " bytes (16 expected)");
  const Bytes padded = pad(data, kDesBlock);
  // Single-DES CBC with K1 over all blocks but the last: DES-EDE with K1||K1 is single DES.
  SecretBytes k1k1(concat({key.first(8), key.first(8)}));
  Bytes chain(kDesBlock, 0x00);
  const std::size_t head = padded.size() - kDesBlock;
  if (head > 0) {
    Bytes cbc = run("retail MAC", desEdeCbc(), k1k1.view(), {}, ByteView(padded).first(head), true);
    chain.assign(cbc.end() - kDesBlock, cbc.end());
  }
  // Last block: H = E_K1(D_K2(E_K1(H' xor D_n))), i.e. two-key EDE of the chained block.
  for (std::size_t i = 0; i < kDesBlock; ++i) chain[i] ^= padded[head + i];
  return run("retail MAC", desEdeEcb(), key, {}, chain, true);
}

Bytes aesCbcEncrypt(ByteView key, ByteView data, ByteView iv) {
  return run("AES encrypt", aes(key.size(), true), key, iv, data, true);
}

Bytes aesCbcDecrypt(ByteView key, ByteView data, ByteView iv) {
  return run("AES decrypt", aes(key.size(), true), key, iv, data, false);
}

Bytes aesEcbEncrypt(ByteView key, ByteView data) {
  return run("AES encrypt", aes(key.size(), false), key, {}, data, true);
}

Bytes aesEcbDecrypt(ByteView key, ByteView data) {
  return run("AES decrypt", aes(key.size(), false), key, {}, data, false);
}

Bytes aesCmac(ByteView key, ByteView data) {
  const char* name = nullptr;
  switch (key.size()) {
    case 16: name = "AES-128-CBC"; break;
    case 24: name = "AES-192-CBC"; break;
    case 32: name = "AES-256-CBC"; break;
    default: badInput("AES-CMAC", "key of " + std::to_string(key.size()) + " bytes (16, 24 or 32 expected)");
  }
  static const ossl::MacPtr mac{EVP_MAC_fetch(nullptr, "CMAC", nullptr)};
  if (!mac) throwCrypto("AES-CMAC", "CMAC not available");
  ossl::MacCtxPtr ctx{EVP_MAC_CTX_new(mac.get())};
  if (!ctx) throwCrypto("AES-CMAC", "cannot allocate a MAC context");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(name), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) throwCrypto("AES-CMAC", "init failed");
  if (EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1) throwCrypto("AES-CMAC", "update failed");
  Bytes out(16);
  std::size_t n = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &n, out.size()) != 1) throwCrypto("AES-CMAC", "final failed");
  out.resize(n);
  return out;
}

Bytes adjustDesParity(ByteView key) {
  Bytes out(key.begin(), key.end());
  for (auto& b : out) {
    int ones = 0;
    for (int bit = 1; bit < 8; ++bit) ones += (b >> bit) & 1;
    b = static_cast<std::uint8_t>((b & 0xFE) | (ones % 2 == 0 ? 1 : 0));
  }
  return out;
}

Bytes sha1(ByteView data) { return digest("SHA1", data); }
Bytes sha256(ByteView data) { return digest("SHA256", data); }

SecretBytes deriveKey(ByteView seed, KeyAlgorithm algorithm, KdfCounter counter) {
  const auto c = static_cast<std::uint32_t>(counter);
  Bytes input(seed.begin(), seed.end());
  input.push_back(static_cast<std::uint8_t>(c >> 24));
  input.push_back(static_cast<std::uint8_t>(c >> 16));
  input.push_back(static_cast<std::uint8_t>(c >> 8));
  input.push_back(static_cast<std::uint8_t>(c));
  const bool wide = algorithm == KeyAlgorithm::Aes192 || algorithm == KeyAlgorithm::Aes256;
  Bytes hash = wide ? sha256(input) : sha1(input);
  OPENSSL_cleanse(input.data(), input.size());
  std::size_t length = 16;
  if (algorithm == KeyAlgorithm::Aes192) length = 24;
  if (algorithm == KeyAlgorithm::Aes256) length = 32;
  Bytes key(hash.begin(), hash.begin() + static_cast<std::ptrdiff_t>(length));
  OPENSSL_cleanse(hash.data(), hash.size());
  if (algorithm == KeyAlgorithm::Des3) {
    Bytes adjusted = adjustDesParity(key);
    OPENSSL_cleanse(key.data(), key.size());
    return SecretBytes(std::move(adjusted));
  }
  return SecretBytes(std::move(key));
}

SecretBytes randomBytes(std::size_t n) {
  Bytes out(n);
  if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    throwCrypto("random bytes", "the random generator failed");
  }
  return SecretBytes(std::move(out));
}

bool equalConstantTime(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace portti::mrtd::crypto
