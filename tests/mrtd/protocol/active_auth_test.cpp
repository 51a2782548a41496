// Active Authentication: the recorded RSA session and ISO/IEC 9796-2 blocks of gmrtd's activeauth
// tests (MIT; ../shared/vectors/gmrtd-protocol-vectors.md "Active Authentication"), ECDSA plain
// signatures on several curves, and the hostile answers (wrong size, bad trailer, bad padding).
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <deque>
#include <memory>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

namespace {

const char* kDg15Rsa =
    "6F8201023081FF300D06092A864886F70D01010105000381ED003081E90281E100BB8F93F4DC95E205CDA17C6927AB1E365B13065D03CD12E0"
    "FCE95D96840529453202F56CC4C13F77CD062930C8BC89A2873B257045C286E601CF3C09323A53103314902804AA10A314628CE222206A8866"
    "946A36B442041BB54AC81E6855DD1D6E16101833D65A191C20AC8B33B8A1A32920F46043F8031CF2BC17417030865FC5BE5A39DEE423BCBA3C"
    "A8177168EB23CFE01BA43EC87711B1CFFF85DB46F300DD8AE317B50D543B573E119E23AF7070D0B2FED6A3B2313A5EC02A531AAED1741F4390"
    "D1013E2A0F081EAC5DC8B0A1B2C6BDB1206F08D30E3643E1E5BDF536110203010001";
const char* kNonce = "96302b0f3d7e7864";
const char* kSignature =
    "474256306840c0ab1b63c10e1c26bdfef4a0dd843920283cc4e6e70a60f2bd25dc7725f9677bc1cde66379dc28b38e8490f33afb2d10f998"
    "0c44c0bfc175d2b6684218f535c92fdd3e18db770a9ccbf91db3c7f0138e6d9e94b9bc8371761e3abed5e5e9b260279cfb238b58ae0d6a01"
    "da51c74c2a3ecd62c448bd9f20127f7384587287fa971204234e55b1a856c3e5aaaa620bb799a68fbae08ee132bb61683eba9b0b40dc1e54"
    "641cad975b16991cab50af82e3f3985afd19e7427a125f5b4b9878b12a5d2e01c7eedca3bb41c6fc05dccd818bce379d04b1f2f5d43487d3";

class OneExchange : public ApduChannel {
 public:
  OneExchange(std::string command, std::string answer) : command_(std::move(command)), answer_(std::move(answer)) {}
  Bytes transmitRaw(ByteView c) override {
    EXPECT_EQ(toHex(c), toHex(fromHex(command_)));
    return fromHex(answer_);
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "recorded"; }

 private:
  std::string command_, answer_;
};

std::string pemOf(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

struct KeyPair {
  std::string pem;
  Dg15 dg15;
};
KeyPair makeKey(EVP_PKEY* key) {
  KeyPair k{pemOf(key), parseDg15(encodeDg15(key))};
  EVP_PKEY_free(key);
  return k;
}

ActiveAuthenticationInfo infoFor(const std::string& oid) {
  ActiveAuthenticationInfo info;
  info.signatureAlgorithm = oid;
  return info;
}

}  // namespace

// TestDoActiveAuth: INTERNAL AUTHENTICATE under 3DES secure messaging (SSC ...CC), RSA-1792.
TEST(ActiveAuthVectors, RecordedRsaSessionPasses) {
  OneExchange wire(
      "0c88000020871101ed7f8cb47a4eea086324a7f9dd7427809701008e0897f54bae49aa71f800",
      "8781e901d04ca80f527df94f4a430d3d6e6cb6c2af4c6756c068a93132d147fa27833125304132981b8bd8009448e89f259eec8552b54285"
      "cef9d8f1b7fb31b9f279221c7e925f4951811f3fe2e01d76e68dbc7cde9c873c5f61862f3c5469792a72f92c8943b890436f5e9feaead9f2"
      "a361fcd7a615493d1b3519865f32ee9a125886588eb21fee0e709353d0731139fdc958d6b2127fad6947b438998b526819803f70f78614cd"
      "42f4a6619c6af95dfd2ab09bedf71e707abc39a250aee68006d522ad37d159674984a07d11c001022c853aeb7acdb059ede5721a3b9f2044"
      "1bda7e242ee8df1369d25316990290008e08fd2493147866f0ed9000");
  SecureChannel session(wire, SecureMessaging(SmCipher::Des3, fromHex("b99d546108eaa251570876b6d3456dce"),
                                              fromHex("e3857ca24946251c151c540e13f2cd51"), fromHex("00000000000000cc")));
  const ActiveAuthResult r = performActiveAuthentication(session, parseDg15(fromHex(kDg15Rsa)), std::nullopt, fromHex(kNonce));
  EXPECT_EQ(r.status, AuthStatus::Passed) << r.reason;
  EXPECT_EQ(r.algorithm, "RSA-ISO9796-2-SHA-256");  // trailer 34 CC
  EXPECT_EQ(toHex(session.sm().ssc()), "00000000000000CE");  // AA keeps the session (SSC + 2)
}

TEST(ActiveAuthVectors, RecordedSignatureFailsForAnotherChallenge) {
  const Dg15 dg15 = parseDg15(fromHex(kDg15Rsa));
  EXPECT_EQ(verifyActiveAuthentication(dg15, std::nullopt, fromHex(kNonce), fromHex(kSignature)).status, AuthStatus::Passed);
  const ActiveAuthResult r = verifyActiveAuthentication(dg15, std::nullopt, fromHex("96302b0f3d7e7865"), fromHex(kSignature));
  EXPECT_EQ(r.status, AuthStatus::Failed);
  EXPECT_NE(r.reason.find("digest does not match"), std::string::npos) << r.reason;
}

TEST(ActiveAuthVectors, WrongSizeSignatureIsRejected) {
  const Dg15 dg15 = parseDg15(fromHex(kDg15Rsa));
  Bytes sig = fromHex(kSignature);
  sig.pop_back();
  ActiveAuthResult r = verifyActiveAuthentication(dg15, std::nullopt, fromHex(kNonce), sig);
  EXPECT_EQ(r.status, AuthStatus::Failed);
  EXPECT_EQ(r.reason, "signature of 223 bytes, the 1792-bit key needs 224");
  r = verifyActiveAuthentication(dg15, std::nullopt, fromHex(kNonce), {});
  EXPECT_EQ(r.status, AuthStatus::Failed);
}

// TestDecodeF: the trailer picks the hash.
TEST(Iso9796, DecodesEveryTrailer) {
  struct Case {
    const char* f;
    const char* hash;
    const char* d;
  };
  const Case cases[] = {
      {"6A1234567890ABCDEF1234567890ABCDEF11223344e9b287952a913cc5b60ff74ecfc87e40e81563b1BC", "SHA-1",
       "e9b287952a913cc5b60ff74ecfc87e40e81563b1"},
      {"6A1234567890ABCDEF1234567890ABCDEF11223344aefc05e88f48eb88d367ba3dacb7d6a8543ec02bd315e47ddbe2045d38CC",
       "SHA-224", "aefc05e88f48eb88d367ba3dacb7d6a8543ec02bd315e47ddbe2045d"},
      {"6A1234567890ABCDEF1234567890ABCDEF11223344783980d44fd3a80f0e4210eb9c73ea399932062d465438f8e1ff13377de8308934CC",
       "SHA-256", "783980d44fd3a80f0e4210eb9c73ea399932062d465438f8e1ff13377de83089"},
      {"6A1234567890ABCDEF1234567890ABCDEF112233448e0873b0baf595a777b497779981bd94dda3a81fd61cf2d526ab490f2d6cbcecc6eab"
       "5804df4e0a70169d4d0d6c07e7536CC",
       "SHA-384", "8e0873b0baf595a777b497779981bd94dda3a81fd61cf2d526ab490f2d6cbcecc6eab5804df4e0a70169d4d0d6c07e75"},
      {"6A1234567890ABCDEF1234567890ABCDEF11223344968304e09f0c0ec86be4ade4b82d97d04283e3652b61193856c9ede1dac8962b3da95"
       "80fd77e9f9ef18a24c517d8d3b05f4eeb177e990ae1e80895c8bb28f51635CC",
       "SHA-512",
       "968304e09f0c0ec86be4ade4b82d97d04283e3652b61193856c9ede1dac8962b3da9580fd77e9f9ef18a24c517d8d3b05f4eeb177e990ae1"
       "e80895c8bb28f516"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hash);
    const Iso9796Block b = decodeIso9796Scheme1(fromHex(c.f));
    EXPECT_EQ(b.hash, c.hash);
    EXPECT_EQ(toHex(b.m1), "1234567890ABCDEF1234567890ABCDEF11223344");
    EXPECT_EQ(b.digest, fromHex(c.d));
  }
  // TestDecodeFWithLeadingZeros
  const Iso9796Block z = decodeIso9796Scheme1(fromHex(std::string("0000") + cases[2].f));
  EXPECT_EQ(z.digest, fromHex(cases[2].d));
}

// TestDecodeFerrors
TEST(Iso9796, RejectsBadHeaderTrailerAndLength) {
  const auto detail = [](const char* hex) {
    try {
      decodeIso9796Scheme1(fromHex(hex));
    } catch (const Error& e) {
      return e.detail();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(detail(""), "recovered block too short");
  EXPECT_EQ(detail("6B000000"), "bad padding: header 6B, expected 6A");
  EXPECT_EQ(detail("6A000000"), "bad trailer 00 (expected BC or ..CC)");
  EXPECT_EQ(detail("6A0000CC"), "bad trailer: unknown hash id 00");
  EXPECT_EQ(detail("6Ab287952a913cc5b60ff74ecfc87e40e81563b1BC"), "recovered block too short for a SHA-1 digest");
}

TEST(ActiveAuthEcdsa, PlainSignaturesOnEveryCurveAndHash) {
  const std::pair<const char*, const char*> curves[] = {
      {"prime256v1", "SHA-256"}, {"secp384r1", "SHA-384"}, {"secp521r1", "SHA-512"},
      {"brainpoolP256r1", "SHA-224"}, {"brainpoolP512r1", "SHA-1"}};
  const std::map<std::string, std::string> oidOf = {{"SHA-1", "0.4.0.127.0.7.1.1.4.1.1"},
                                                    {"SHA-224", "0.4.0.127.0.7.1.1.4.1.2"},
                                                    {"SHA-256", "0.4.0.127.0.7.1.1.4.1.3"},
                                                    {"SHA-384", "0.4.0.127.0.7.1.1.4.1.4"},
                                                    {"SHA-512", "0.4.0.127.0.7.1.1.4.1.5"}};
  const Bytes challenge = fromHex("0102030405060708");
  for (const auto& [curve, hash] : curves) {
    SCOPED_TRACE(curve);
    const KeyPair k = makeKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    const ActiveAuthChip chip(k.pem, hash);
    const auto info = infoFor(oidOf.at(hash));
    Bytes sig = chip.sign(challenge);
    ActiveAuthResult r = verifyActiveAuthentication(k.dg15, info, challenge, sig);
    EXPECT_EQ(r.status, AuthStatus::Passed) << r.reason;
    EXPECT_EQ(r.algorithm, std::string("ECDSA-plain-") + hash);
    EXPECT_EQ(verifyActiveAuthentication(k.dg15, info, fromHex("0102030405060709"), sig).status, AuthStatus::Failed);
    sig[sig.size() / 2] ^= 0x01;  // a bit of s flipped, same length
    EXPECT_EQ(verifyActiveAuthentication(k.dg15, info, challenge, sig).status, AuthStatus::Failed);
  }
}

TEST(ActiveAuthEcdsa, WrongSizeDerAndMissingInfo) {
  const KeyPair k = makeKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1"));
  const auto info = infoFor("0.4.0.127.0.7.1.1.4.1.3");
  const Bytes challenge = fromHex("0102030405060708");
  Bytes sig = ActiveAuthChip(k.pem).sign(challenge);
  Bytes longer = sig;
  longer.push_back(0);
  ActiveAuthResult r = verifyActiveAuthentication(k.dg15, info, challenge, longer);
  EXPECT_EQ(r.status, AuthStatus::Failed);
  // (a signature that happens to start with 30 is also tried as DER, and the reason says so too)
  EXPECT_EQ(r.reason.rfind("signature of 65 bytes, plain r||s on this curve is 64", 0), 0u) << r.reason;
  r = verifyActiveAuthentication(k.dg15, std::nullopt, challenge, sig);
  EXPECT_EQ(r.status, AuthStatus::NotSupported);
  EXPECT_EQ(r.reason, "DG14 has no ActiveAuthenticationInfo naming the ECDSA hash");
}

TEST(ActiveAuthRsa, ChipSignsAndReaderVerifies) {
  const KeyPair k = makeKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  const KeyPair other = makeKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  const Bytes challenge = fromHex("1122334455667788");
  const Bytes sig = ActiveAuthChip(k.pem).sign(challenge);
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_EQ(verifyActiveAuthentication(k.dg15, std::nullopt, challenge, sig).status, AuthStatus::Passed);
  // Another chip's key (a clone): the recovered block is noise, so the padding is wrong.
  const ActiveAuthResult r = verifyActiveAuthentication(other.dg15, std::nullopt, challenge, sig);
  EXPECT_EQ(r.status, AuthStatus::Failed);
  EXPECT_FALSE(r.reason.empty());
}

namespace {
/// DER INTEGER of an unsigned big-endian value (minimal: leading zeros dropped, 00 before a high bit).
Bytes derInteger(ByteView unsignedValue) {
  std::size_t start = 0;
  while (start + 1 < unsignedValue.size() && unsignedValue[start] == 0) ++start;
  Bytes v(unsignedValue.begin() + static_cast<std::ptrdiff_t>(start), unsignedValue.end());
  if (v[0] & 0x80) v.insert(v.begin(), 0x00);
  return encodeTlv(0x02, v);
}
Bytes derSignature(ByteView plain) {
  const std::size_t h = plain.size() / 2;
  return encodeTlv(0x30, concat({derInteger(plain.first(h)), derInteger(plain.subspan(h))}));
}
}  // namespace

// Some ID cards answer INTERNAL AUTHENTICATE with a DER ECDSA-Sig-Value instead of plain r||s:
// accepted as the named tolerance "aa-ecdsa-der-signature", recorded in the result.
TEST(ActiveAuthEcdsa, DerSignatureIsANamedTolerance) {
  const auto info = infoFor("0.4.0.127.0.7.1.1.4.1.3");
  const Bytes challenge = fromHex("0102030405060708");
  for (const char* curve : {"prime256v1", "secp384r1", "brainpoolP512r1"}) {
    SCOPED_TRACE(curve);
    const KeyPair k = makeKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    const Bytes plain = ActiveAuthChip(k.pem).sign(challenge);
    const ActiveAuthResult asPlain = verifyActiveAuthentication(k.dg15, info, challenge, plain);
    EXPECT_EQ(asPlain.status, AuthStatus::Passed) << asPlain.reason;
    EXPECT_TRUE(asPlain.tolerances.empty());
    const Bytes der = derSignature(plain);
    const ActiveAuthResult r = verifyActiveAuthentication(k.dg15, info, challenge, der);
    EXPECT_EQ(r.status, AuthStatus::Passed) << r.reason;
    EXPECT_EQ(r.algorithm, "ECDSA-plain-SHA-256");
    EXPECT_EQ(r.tolerances, std::vector<std::string>{"aa-ecdsa-der-signature"});
    // The tolerance changes the encoding only: a DER signature over another challenge still fails.
    const ActiveAuthResult other = verifyActiveAuthentication(k.dg15, info, fromHex("0102030405060709"), der);
    EXPECT_EQ(other.status, AuthStatus::Failed);
    EXPECT_EQ(other.reason, "the signature does not verify with the DG15 key");
  }
}

TEST(ActiveAuthEcdsa, MalformedDerSignaturesAreRejected) {
  const KeyPair k = makeKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1"));
  const auto info = infoFor("0.4.0.127.0.7.1.1.4.1.3");
  const Bytes challenge = fromHex("0102030405060708");
  const Bytes plain = ActiveAuthChip(k.pem).sign(challenge);
  const Bytes der = derSignature(plain);
  const ByteView r = ByteView(plain).first(32), s = ByteView(plain).last(32);
  const Bytes padded33 = concat({Bytes{0x00, 0x00}, r});  // r with a needless leading 00 byte (not DER)
  const std::pair<const char*, Bytes> cases[] = {
      {"trailing byte", concat({der, Bytes{0x00}})},
      {"truncated", Bytes(der.begin(), der.end() - 1)},
      {"non-minimal integer", encodeTlv(0x30, concat({encodeTlv(0x02, padded33), derInteger(s)}))},
      {"long-form length", concat({Bytes{0x30, 0x81, static_cast<std::uint8_t>(der.size() - 2)}, ByteView(der).subspan(2)})},
      {"r too large for the curve", encodeTlv(0x30, concat({derInteger(concat({Bytes{0x01}, r})), derInteger(s)}))},
      {"zero s", encodeTlv(0x30, concat({derInteger(r), Bytes{0x02, 0x01, 0x00}}))},
      {"negative s", encodeTlv(0x30, concat({derInteger(r), Bytes{0x02, 0x01, 0x80}}))},
      {"one INTEGER only", encodeTlv(0x30, derInteger(r))},
  };
  for (const auto& [what, bytes] : cases) {
    SCOPED_TRACE(what);
    const ActiveAuthResult result = verifyActiveAuthentication(k.dg15, info, challenge, bytes);
    EXPECT_EQ(result.status, AuthStatus::Failed);
    EXPECT_TRUE(result.tolerances.empty());
    EXPECT_NE(result.reason.find("not a DER ECDSA-Sig-Value"), std::string::npos) << result.reason;
  }
}
