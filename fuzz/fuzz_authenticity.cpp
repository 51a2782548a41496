// Fuzz target: what a chip sends back in Chip and Active Authentication, and what a terminal sends a
// virtual chip. The input is, in turn: an ISO/IEC 9796-2 block, an AA signature for an RSA and an EC
// DG15 key, MSE:Set KAT / Set AT data and GENERAL AUTHENTICATE data for the chip side of CA.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/protocol/chip_auth.hpp"

namespace {
using namespace portti::mrtd;

struct Keys {
  Dg15 rsa, ec;
  std::string caPem;
};

std::string pemOf(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

const Keys& keys() {
  static const Keys k = [] {
    Keys out;
    EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
    EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1");
    out.rsa = parseDg15(encodeDg15(rsa));
    out.ec = parseDg15(encodeDg15(ec));
    out.caPem = pemOf(ec);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
    return out;
  }();
  return k;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView input(data, size);
  try {
    decodeIso9796Scheme1(input);
  } catch (const Error&) {
  }
  const Bytes challenge{1, 2, 3, 4, 5, 6, 7, 8};
  ActiveAuthenticationInfo info;
  info.signatureAlgorithm = "0.4.0.127.0.7.1.1.4.1.3";
  (void)verifyActiveAuthentication(keys().rsa, std::nullopt, challenge, input);
  (void)verifyActiveAuthentication(keys().ec, info, challenge, input);

  ChipAuthChip chip(keys().caPem);
  (void)chip.setKeyAgreementTemplate(input);
  (void)chip.setAuthenticationTemplate(input);
  (void)chip.setAuthenticationTemplate(fromHex("800A04007F00070202030202"));
  Bytes out;
  (void)chip.generalAuthenticate(input, out);
  (void)chip.takeSession();
  return 0;
}
