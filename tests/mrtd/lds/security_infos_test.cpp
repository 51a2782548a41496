#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>

#include "mrtd/lds/shared_files.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/security_infos.hpp"

using namespace portti::mrtd;

namespace {
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey generate(const char* type, const char* group) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      (group != nullptr && EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1) ||
      EVP_PKEY_keygen(ctx.get(), &key) != 1) {
    return nullptr;
  }
  return Pkey(key);
}
}  // namespace

TEST(SecurityInfos, CardAccessWithGenericAndChipAuthenticationMapping) {
  // gmrtd pace_test vectors (../shared/vectors/gmrtd-protocol-vectors.md, TestSelectPaceConfig).
  const Bytes ca = fromHex("31283012060a04007f000702020402040201020201103012060a04007f00070202040604020102020110");
  SecurityInfos s = parseCardAccess(ca);
  ASSERT_EQ(s.pace.size(), 2u);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_TRUE(s.deviations.empty());
  EXPECT_EQ(s.raw, ca);
  EXPECT_EQ(s.pace[0].protocol, "0.4.0.127.0.7.2.2.4.2.4");
  EXPECT_EQ(s.pace[0].keyAgreement, KeyAgreement::Ecdh);
  EXPECT_EQ(s.pace[0].mapping, PaceMapping::Generic);
  EXPECT_EQ(s.pace[0].cipher, SymmetricCipher::Aes256);
  EXPECT_EQ(s.pace[0].version, 2);
  EXPECT_EQ(s.pace[0].parameterId, 16);
  EXPECT_EQ(toHex(s.pace[0].der), "3012060A04007F000702020402040201020201" "10");
  EXPECT_EQ(s.pace[1].mapping, PaceMapping::ChipAuthentication);
  EXPECT_EQ(s.pace[1].cipher, SymmetricCipher::Aes256);
  EXPECT_EQ(s.pace[1].parameterId, 16);
  EXPECT_EQ(standardDomainParameters(16)->groupName, std::string("brainpoolP384r1"));
}

TEST(SecurityInfos, CardAccessSingleAndIntegratedMapping) {
  SecurityInfos s = parseCardAccess(fromHex("31143012060A04007F0007020204020202010202010D"));
  ASSERT_EQ(s.pace.size(), 1u);
  EXPECT_EQ(s.pace[0].mapping, PaceMapping::Generic);
  EXPECT_EQ(s.pace[0].cipher, SymmetricCipher::Aes128);
  EXPECT_EQ(s.pace[0].parameterId, 13);  // brainpoolP256r1
  s = parseCardAccess(fromHex("31143012060A04007F0007020204040202010202010D"));
  ASSERT_EQ(s.pace.size(), 1u);
  EXPECT_EQ(s.pace[0].mapping, PaceMapping::Integrated);
  EXPECT_EQ(s.pace[0].keyAgreement, KeyAgreement::Ecdh);
  s = parseCardAccess(fromHex("31143012060a04007f0007020204020102010202010d"));
  EXPECT_EQ(s.pace[0].cipher, SymmetricCipher::Tdes);
}

TEST(SecurityInfos, ChipAuthenticationInfoWithKeyId) {
  // gmrtd chipauth vectors (TestResolveCAInfo): keyId 00C3 is the minimal encoding of 195.
  SecurityInfos s = parseSecurityInfos(fromHex("31153013060A04007F00070202030202020101020200C3"));
  ASSERT_EQ(s.chipAuthentication.size(), 1u);
  const auto& c = s.chipAuthentication[0];
  EXPECT_EQ(c.keyAgreement, KeyAgreement::Ecdh);
  EXPECT_EQ(c.cipher, SymmetricCipher::Aes128);
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.keyId, 195);
  s = parseSecurityInfos(fromHex("3111300F060A04007F00070202030202020101"));
  EXPECT_FALSE(s.chipAuthentication.at(0).keyId.has_value());
}

TEST(SecurityInfos, UnknownIdCaVariantIsKeptAndNamed) {
  // 0.4.0.127.0.7.2.2.3.2.0: under id-CA-ECDH, but no cipher 0 exists.
  SecurityInfos s = parseDg14(fromHex("6E133111300F060A04007F00070202030200020101"));
  EXPECT_TRUE(s.chipAuthentication.empty());
  ASSERT_EQ(s.unknown.size(), 1u);
  EXPECT_EQ(s.unknown[0].protocol, "0.4.0.127.0.7.2.2.3.2.0");
  EXPECT_TRUE(hasDeviation(s.deviations, "security-infos.unknown-ca-protocol"));
}

TEST(SecurityInfos, UnknownProtocolsAreNotErrors) {
  // An EF.DIR info (id-EFDIR 2.23.136.1.1.13 with an OCTET STRING) and a vendor OID.
  Bytes efdir = fromHex("300C 0606678108010 10D 0402 6100");
  Bytes vendor = fromHex("3008 0603 2B0601 0201 05");
  Bytes set = encodeSecurityInfoSet({efdir, vendor, encodeTerminalAuthenticationInfo(2)});
  SecurityInfos s = parseSecurityInfos(set);
  EXPECT_EQ(s.unknown.size(), 2u);
  ASSERT_EQ(s.terminalAuthentication.size(), 1u);
  EXPECT_EQ(s.terminalAuthentication[0].version, 2);
  EXPECT_TRUE(s.deviations.empty());
}

TEST(SecurityInfos, Part10ExampleDg14) {
  PORTTI_SHARED_OR_SKIP(dg14, "emrtd/icao9303-p10-examples/DG14.bin");
  SecurityInfos s = parseDg14(dg14);
  EXPECT_EQ(s.raw, dg14);
  EXPECT_TRUE(s.deviations.empty());
  ASSERT_EQ(s.chipAuthenticationPublicKeys.size(), 1u);
  ASSERT_EQ(s.chipAuthentication.size(), 1u);
  ASSERT_EQ(s.terminalAuthentication.size(), 1u);
  ASSERT_EQ(s.pace.size(), 2u);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s.chipAuthentication[0].protocol, "0.4.0.127.0.7.2.2.3.2.4");  // id-CA-ECDH-AES-CBC-CMAC-256
  EXPECT_EQ(s.chipAuthentication[0].cipher, SymmetricCipher::Aes256);
  EXPECT_FALSE(s.chipAuthentication[0].keyId.has_value());
  EXPECT_EQ(s.pace[0].mapping, PaceMapping::Generic);
  EXPECT_EQ(s.pace[1].mapping, PaceMapping::ChipAuthentication);
  const auto& pk = s.chipAuthenticationPublicKeys[0];
  EXPECT_EQ(pk.keyAgreement, KeyAgreement::Ecdh);
  EXPECT_EQ(pk.subjectPublicKeyInfo.size(), 441u);  // SEQUENCE at offset 23, 4 + 437 bytes
  // The CA key has explicit parameters: they are exactly brainpoolP384r1.
  Dg15 key = parseSubjectPublicKeyInfo(pk.subjectPublicKeyInfo);
  EXPECT_TRUE(key.explicitEcParameters);
  EXPECT_EQ(key.curveName, "brainpoolP384r1");
  EXPECT_NE(key.key, nullptr) << key.keyError;
}

TEST(SecurityInfos, MalformedInputsThrow) {
  struct Case {
    const char* what;
    const char* hex;
  };
  const Case cases[] = {
      {"empty", ""},
      {"truncated SET", "3114 3012060A04007F0007020204020202010202"},
      {"SEQUENCE instead of SET", "30143012060A04007F0007020204020202010202010D"},
      {"info not a SEQUENCE", "3103 040100"},
      {"empty info", "31023000"},
      {"protocol not an OID", "31053003 020101"},
      {"OID with a truncated sub-identifier", "3108 3006 0601 81 020101"},
      {"OID with a leading 0x80", "3109 3007 0602 8001 020101"},
      {"empty OID", "3107 3005 0600 020101"},
      {"PACEInfo without version", "310E300C060A04007F00070202040202"},
      {"PACEInfo version is an OCTET STRING", "3111300F060A04007F00070202040202 040102"},
      {"PACEInfo with 3 fields", "31173015060A04007F00070202040202 020102 02010D 020101"},
      {"PACEInfo parameterId not minimal", "31153013060A04007F00070202040202 020102 0202000D"},
      {"PACEInfo empty INTEGER", "3110300E060A04007F00070202040202 0200"},
      {"PACEInfo 9-byte INTEGER", "31193017060A04007F00070202040202 0209010000000000000000"},
      {"AA info without algorithm", "310D300B 0606678108010105 020101"},
      {"AA algorithm not an OID", "3110300E 0606678108010105 020101 020101"},
      {"CA public key not an SPKI", "3110300E 060904007F0007020201 02 020101"},
      {"CA public key without BIT STRING", "3114 3012 060904007F000702020102 3005 3003 060100"},
      {"PACE domain parameters not an AlgorithmIdentifier", "3110300E060904007F000702020402 020101"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    try {
      parseSecurityInfos(fromHex(c.hex));
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      // Broken TLV is a Tlv error; every other case is caught by the SecurityInfo rules.
      const bool tlvCase = std::string(c.what) == "empty" || std::string(c.what) == "truncated SET";
      EXPECT_EQ(e.area(), tlvCase ? ErrorArea::Tlv : ErrorArea::Lds) << e.what();
    }
  }
  EXPECT_THROW(parseCardAccess(fromHex("3100")), Error);
  EXPECT_THROW(parseDg14(fromHex("6F023100")), Error);   // DG15's tag
  EXPECT_THROW(parseDg14(fromHex("6E0431003100")), Error);  // a second SET inside 6E
  EXPECT_THROW(parseDg14(fromHex("6E03310000")), Error);    // junk inside 6E
}

TEST(SecurityInfos, UnexpectedVersionsAreNamed) {
  SecurityInfos s = parseCardAccess(encodeCardAccess(
      {encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13, /*version=*/1)}));
  ASSERT_EQ(s.pace.size(), 1u);
  EXPECT_EQ(s.pace[0].version, 1);
  EXPECT_TRUE(hasDeviation(s.deviations, "security-infos.pace-version"));
  s = parseDg14(encodeDg14({encodeChipAuthenticationInfo(KeyAgreement::Dh, SymmetricCipher::Tdes, std::nullopt, 3)}));
  ASSERT_EQ(s.chipAuthentication.size(), 1u);
  EXPECT_EQ(s.chipAuthentication[0].keyAgreement, KeyAgreement::Dh);
  EXPECT_EQ(s.chipAuthentication[0].cipher, SymmetricCipher::Tdes);
  EXPECT_TRUE(hasDeviation(s.deviations, "security-infos.ca-version"));
}

TEST(SecurityInfos, TrailingBytesAreNamed) {
  SecurityInfos s = parseDg14(fromHex("6E023100 0000"));
  EXPECT_TRUE(hasDeviation(s.deviations, "dg14.trailing-bytes"));
  EXPECT_EQ(s.size(), 0u);
  s = parseCardAccess(fromHex("31143012060A04007F0007020204020202010202010D 9000"));
  EXPECT_TRUE(hasDeviation(s.deviations, "security-infos.trailing-bytes"));
}

TEST(SecurityInfos, EncodesTheCardAccessVectors) {
  EXPECT_EQ(toHex(encodeCardAccess({encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13)})),
            "31143012060A04007F0007020204020202010202010D");
  // Given in either order, the DER SET comes out sorted: the two-entry vector exactly.
  Bytes cam = encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes256, 16);
  Bytes gm = encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 16);
  const std::string expected =
      "31283012060A04007F000702020402040201020201103012060A04007F00070202040604020102020110";
  EXPECT_EQ(toHex(encodeCardAccess({cam, gm})), expected);
  EXPECT_EQ(toHex(encodeCardAccess({gm, cam})), expected);
  EXPECT_EQ(toHex(encodeChipAuthenticationInfo(KeyAgreement::Ecdh, SymmetricCipher::Aes128, 195)),
            "3013060A04007F00070202030202020101020200C3");
  EXPECT_THROW(encodePaceInfo(KeyAgreement::Dh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 0), Error);
  EXPECT_THROW(encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Tdes, 13), Error);
}

TEST(SecurityInfos, Dg14RoundTripFromAKey) {
  Pkey ca = generate("EC", "brainpoolP256r1");
  ASSERT_NE(ca, nullptr);
  Bytes dg14 = encodeDg14({encodeChipAuthenticationInfo(KeyAgreement::Ecdh, SymmetricCipher::Aes256, 7),
                           encodeChipAuthenticationPublicKeyInfo(ca.get(), 7),
                           encodeActiveAuthenticationInfo("0.4.0.127.0.7.1.1.4.1.3"),
                           encodePaceInfo(KeyAgreement::Dh, PaceMapping::Integrated, SymmetricCipher::Aes192, 2)});
  SecurityInfos s = parseDg14(dg14);
  EXPECT_TRUE(s.deviations.empty());
  ASSERT_EQ(s.chipAuthentication.size(), 1u);
  EXPECT_EQ(s.chipAuthentication[0].keyId, 7);
  ASSERT_EQ(s.chipAuthenticationPublicKeys.size(), 1u);
  EXPECT_EQ(s.chipAuthenticationPublicKeys[0].protocol, oids::kPkEcdh);
  EXPECT_EQ(s.chipAuthenticationPublicKeys[0].keyId, 7);
  ASSERT_EQ(s.activeAuthentication.size(), 1u);
  EXPECT_EQ(s.activeAuthentication[0].signatureAlgorithm, "0.4.0.127.0.7.1.1.4.1.3");
  EXPECT_EQ(s.activeAuthentication[0].version, 1);
  ASSERT_EQ(s.pace.size(), 1u);
  EXPECT_EQ(s.pace[0].keyAgreement, KeyAgreement::Dh);
  EXPECT_EQ(s.pace[0].cipher, SymmetricCipher::Aes192);
  // The key comes back as the same key.
  Dg15 back = parseSubjectPublicKeyInfo(s.chipAuthenticationPublicKeys[0].subjectPublicKeyInfo);
  ASSERT_NE(back.key, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(back.key.get(), ca.get()), 1);
  EXPECT_EQ(back.curveName, "brainpoolP256r1");

  Pkey rsa = generate("ED25519", nullptr);  // neither DH nor EC
  ASSERT_NE(rsa, nullptr);
  EXPECT_THROW(encodeChipAuthenticationPublicKeyInfo(rsa.get()), Error);
}

TEST(StandardDomainParameters, TableMatchesTr03110AndLoadsInOpenSsl) {
  const std::pair<int, const char*> expected[] = {
      {8, "prime192v1"},       {9, "brainpoolP192r1"},  {10, "secp224r1"},       {11, "brainpoolP224r1"},
      {12, "prime256v1"},      {13, "brainpoolP256r1"}, {14, "brainpoolP320r1"}, {15, "secp384r1"},
      {16, "brainpoolP384r1"}, {17, "brainpoolP512r1"}, {18, "secp521r1"}};
  for (auto [id, name] : expected) {
    auto p = standardDomainParameters(id);
    ASSERT_TRUE(p) << id;
    EXPECT_EQ(std::string(p->groupName), name);
    EXPECT_EQ(p->keyAgreement, KeyAgreement::Ecdh);
  }
  for (int id : {0, 1, 2}) EXPECT_EQ(standardDomainParameters(id)->keyAgreement, KeyAgreement::Dh);
  for (int id : {-1, 3, 4, 5, 6, 7, 19, 31, 32}) EXPECT_FALSE(standardDomainParameters(id)) << id;
  // Every group name is one OpenSSL knows (DH groups from RFC 5114 included).
  for (int id = 0; id <= 18; ++id) {
    auto p = standardDomainParameters(id);
    if (!p) continue;
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, p->keyAgreement == KeyAgreement::Dh ? "DH" : "EC", nullptr));
    ASSERT_NE(ctx, nullptr);
    ASSERT_EQ(EVP_PKEY_paramgen_init(ctx.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_group_name(ctx.get(), p->groupName), 1) << p->groupName;
    EVP_PKEY* params = nullptr;
    EXPECT_EQ(EVP_PKEY_paramgen(ctx.get(), &params), 1) << p->groupName;
    EVP_PKEY_free(params);
  }
}
