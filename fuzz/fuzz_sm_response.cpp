// Fuzz target: the reader's secure messaging response parser (ICAO 9303-11 9.8). The input is a
// raw response APDU (data + SW1 SW2) unprotected in two fixed sessions: 3DES with the Appendix D
// session keys at SSC 887022120C06C227 (the SELECT EF.COM response of D.4 is valid), and AES-128
// with the keys of gmrtd's DE PACE-CAM trace at SSC 1 (its first response is valid).
#include <cstddef>
#include <cstdint>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"

namespace {
using namespace portti::mrtd;

void unprotect(SecureMessaging sm, const ResponseApdu& response) {
  try {
    ResponseApdu plain = sm.unprotectResponse(response);
    (void)plain;
  } catch (const Error&) {
    if (!sm.failed()) __builtin_trap();  // every refusal must end the session
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes desEnc = fromHex("979EC13B1CBFE9DCD01AB0FED307EAE5");
  static const Bytes desMac = fromHex("F1CB1F1FB5ADF208806B89DC579DC1F8");
  static const Bytes desSsc = fromHex("887022120C06C227");
  static const Bytes aesEnc = fromHex("A8E85E938514EC67AE33CDA3D43D3C48");
  static const Bytes aesMac = fromHex("27F1ADEB705A049A305B0C619B14B9B3");
  static const Bytes aesSsc = fromHex("00000000000000000000000000000001");
  ResponseApdu response;
  try {
    response = ResponseApdu::decode(ByteView(data, size));
  } catch (const Error&) {
    return 0;
  }
  unprotect(SecureMessaging(SmCipher::Des3, desEnc, desMac, desSsc), response);
  unprotect(SecureMessaging(SmCipher::Aes, aesEnc, aesMac, aesSsc), response);
  return 0;
}
