#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>

#include "mrtd/lds/shared_files.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

namespace {
PublicKeyPtr generateEc(const char* curve) {
  EVP_PKEY* key = EVP_EC_gen(curve);
  return PublicKeyPtr(key, EVP_PKEY_free);
}
}  // namespace

TEST(Dg15, Part10ExampleRsaKey) {
  PORTTI_SHARED_OR_SKIP(dg15, "emrtd/icao9303-p10-examples/DG15.bin");
  Dg15 d = parseDg15(dg15);
  EXPECT_EQ(d.type, PublicKeyType::Rsa);
  EXPECT_EQ(d.algorithm, "1.2.840.113549.1.1.1");
  EXPECT_EQ(d.subjectPublicKeyInfo, Bytes(dg15.begin() + 4, dg15.end()));  // 6F 82 0102, then the SPKI
  ASSERT_NE(d.key, nullptr) << d.keyError;
  EXPECT_TRUE(EVP_PKEY_is_a(d.key.get(), "RSA"));
  EXPECT_TRUE(d.deviations.empty());
  // Encoding the parsed key again gives the file back byte for byte.
  EXPECT_EQ(encodeDg15(d.key.get()), dg15);
  EXPECT_EQ(encodeDg15(d.subjectPublicKeyInfo), dg15);

  // Bytes after the 6F object are named, not fatal: the SOD hash covers the file as read.
  Bytes longer = dg15;
  longer.push_back(0x00);
  EXPECT_TRUE(hasDeviation(parseDg15(longer).deviations, "dg15.trailing-bytes"));
}

TEST(Dg15, EcNamedCurveRoundTrip) {
  PublicKeyPtr key = generateEc("P-256");
  ASSERT_NE(key, nullptr);
  Dg15 d = parseDg15(encodeDg15(key.get()));
  EXPECT_EQ(d.type, PublicKeyType::Ec);
  EXPECT_FALSE(d.explicitEcParameters);
  EXPECT_EQ(d.curveName, "prime256v1");
  ASSERT_NE(d.key, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(d.key.get(), key.get()), 1);
}

TEST(Dg15, ExplicitEcParametersAreReadAndMatched) {
  // The Part 10 sample DG14's CA key: id-ecPublicKey with explicit brainpoolP384r1 parameters.
  PORTTI_SHARED_OR_SKIP(dg14, "emrtd/icao9303-p10-examples/DG14.bin");
  const Bytes spki = parseDg14(dg14).chipAuthenticationPublicKeys.at(0).subjectPublicKeyInfo;
  Dg15 d = parseDg15(encodeDg15(spki));
  EXPECT_EQ(d.type, PublicKeyType::Ec);
  EXPECT_TRUE(d.explicitEcParameters);
  EXPECT_EQ(d.curveName, "brainpoolP384r1");
  EXPECT_TRUE(hasDeviation(d.deviations, "dg15.explicit-ec-parameters"));
  EXPECT_NE(d.key, nullptr) << d.keyError;
}

TEST(Dg15, KeyOpenSslRefusesStillParses) {
  // id-ecPublicKey with explicit parameters that are no curve at all (SEQUENCE { INTEGER 1 }).
  const Bytes spki = fromHex("3018 300E 06072A8648CE3D0201 3003020101 0306 0004 01020304");
  Dg15 d = parseDg15(encodeDg15(spki));
  EXPECT_EQ(d.type, PublicKeyType::Ec);
  EXPECT_TRUE(d.explicitEcParameters);
  EXPECT_FALSE(d.curveName.has_value());
  EXPECT_TRUE(hasDeviation(d.deviations, "dg15.unnamed-ec-parameters"));
  EXPECT_EQ(d.key, nullptr);
  EXPECT_FALSE(d.keyError.empty());
  EXPECT_TRUE(hasDeviation(d.deviations, "dg15.key-unusable"));
  EXPECT_EQ(d.subjectPublicKeyInfo, spki);
}

TEST(Dg15, MalformedInputsThrow) {
  struct Case {
    const char* what;
    const char* hex;
  };
  const Case cases[] = {
      {"empty", ""},
      {"wrong file tag", "6E023000"},
      {"truncated", "6F10 3000"},
      {"SPKI not a SEQUENCE", "6F03 040100"},
      {"SPKI without key", "6F0B 3009 3007 06052B0E03021A"},
      {"algorithm not a SEQUENCE", "6F0A 3008 0602 2A03 03020004"},
      {"algorithm OID missing", "6F0A 3008 3002 0500 03020004"},
      {"key not a BIT STRING", "6F0F 300D 3007 06052B0E03021A 04020004"},
      {"EC without parameters", "6F11 300F 3009 06072A8648CE3D0201 03020004"},
      {"garbage OID", "6F0A 3008 3002 0600 03020004"},
      {"bytes after the SPKI inside 6F", "6F14 3011 300B 06092A864886F70D010101 03020004 00"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_THROW(parseDg15(fromHex(c.hex)), Error);
  }
  EXPECT_THROW(encodeDg15(fromHex("0401AA")), Error);
  EXPECT_THROW(encodeDg15(fromHex("3000 00")), Error);
  EXPECT_THROW(encodeDg15(static_cast<const EVP_PKEY*>(nullptr)), Error);
}
