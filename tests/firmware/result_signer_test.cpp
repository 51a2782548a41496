#include "portti/firmware/result_signer.hpp"

#include <gtest/gtest.h>

#include "firmware/test_pki.hpp"
#include "portti/firmware/delivery_error.hpp"

using namespace portti::firmware;
using portti::test::pki;
using portti::test::readText;

namespace {
const std::string kBody = R"({"transaction_id":"7f3a","kiosk_id":"kiosk-1","decision":"accept"})";
}

TEST(ResultSigner, SignatureVerifiesWithCertificateAndPublicKey) {
  auto signer = ResultSigner::fromPemFile(pki("device.key"));
  std::string sig = signer.sign(kBody);
  EXPECT_TRUE(verifyResultSignature(kBody, sig, readText(pki("device.pem"))));
  EXPECT_TRUE(verifyResultSignature(kBody, sig, signer.publicKeyPem()));
}

TEST(ResultSigner, TamperedBodyOrSignatureOrOtherKeyFails) {
  auto signer = ResultSigner::fromPemFile(pki("device.key"));
  std::string sig = signer.sign(kBody);
  std::string tampered = kBody;
  tampered[tampered.find("accept")] = 'A';
  EXPECT_FALSE(verifyResultSignature(tampered, sig, readText(pki("device.pem"))));
  EXPECT_FALSE(verifyResultSignature(kBody + " ", sig, readText(pki("device.pem"))));
  std::string badSig = sig;
  badSig[10] = badSig[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifyResultSignature(kBody, badSig, readText(pki("device.pem"))));
  EXPECT_FALSE(verifyResultSignature(kBody, sig, readText(pki("device2.pem"))));
  EXPECT_FALSE(verifyResultSignature(kBody, "not base64!", readText(pki("device.pem"))));
  EXPECT_FALSE(verifyResultSignature(kBody, "", readText(pki("device.pem"))));
  EXPECT_FALSE(verifyResultSignature(kBody, sig, "garbage"));
}

TEST(ResultSigner, RefusesMissingOrNonP256Keys) {
  EXPECT_THROW(ResultSigner::fromPemFile("/nonexistent/device.key"), DeliveryError);
  EXPECT_THROW(ResultSigner::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
               DeliveryError);
  portti::test::TempDir dir;
  std::string rsa = dir / "rsa.key";
  ASSERT_EQ(0, std::system(("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out " + rsa +
                            " 2>/dev/null")
                               .c_str()));
  try {
    ResultSigner::fromPemFile(rsa);
    FAIL() << "an RSA key was accepted";
  } catch (const DeliveryError& e) {
    EXPECT_NE(std::string(e.what()).find("P-256"), std::string::npos) << e.what();
  }
}

TEST(Pseudonymizer, KeyedStableAndNotTheValue) {
  Pseudonymizer a("kiosk-secret-0123456789"), b("another-secret-0123456789");
  std::string p = a.pseudonym("L898902C3");
  EXPECT_EQ(p.size(), 64u);
  EXPECT_EQ(p, a.pseudonym("L898902C3"));
  EXPECT_NE(p, a.pseudonym("L898902C4"));
  EXPECT_NE(p, b.pseudonym("L898902C3"));
  EXPECT_EQ(p.find("L898902C3"), std::string::npos);
  // HMAC-SHA256 as computed independently (Python hmac module).
  EXPECT_EQ(p, "5c5aa7af552193811700f730f422ab6f72ce39109ae7793bb9d697b389a6966c");
  EXPECT_THROW(Pseudonymizer("short"), DeliveryError);
}
