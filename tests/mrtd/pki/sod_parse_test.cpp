// EF.SOD parsing (Doc 9303-10 4.6.2): round trip of a built SOD and a table of malformed inputs.
#include <gtest/gtest.h>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/pki/security_object.hpp"
#include "portti/mrtd/tlv.hpp"
#include "test_pki_fixture.hpp"

using namespace portti::mrtd;
using namespace portti::mrtd::pki;
using namespace portti::mrtd::pki::testing;

TEST(SodParse, RoundTripOfABuiltSod) {
  const TestPki& p = testPki();
  Bytes sod = buildSod("SHA-384", sampleDgs(), loadSigner(p.dsc, p.dscKey));
  ASSERT_EQ(sod[0], 0x77);
  SecurityObject so = parseSod(sod);
  EXPECT_EQ(so.version, 0);
  EXPECT_EQ(so.hashAlgorithm, "SHA-384");
  ASSERT_EQ(so.dataGroupHashes.size(), 2u);
  EXPECT_EQ(so.dataGroupHashes.at(2).size(), 48u);
  EXPECT_FALSE(so.eContentTypeIsIdData);
  EXPECT_EQ(so.signedData.eContentType, "2.23.136.1.1.1");
  ASSERT_EQ(so.signedData.certificates.size(), 1u);
  EXPECT_EQ(so.signedData.certificates[0], readAll(p.dsc));
  ASSERT_EQ(so.signedData.signerInfos.size(), 1u);
  const SignerInfo& si = so.signedData.signerInfos[0];
  EXPECT_EQ(si.version, 1);
  EXPECT_EQ(si.signedAttributes[0], 0x31);  // re-tagged from [0] IMPLICIT to SET OF
  EXPECT_EQ(si.contentTypeAttribute.value(), "2.23.136.1.1.1");
  EXPECT_EQ(si.messageDigestAttribute->size(), 48u);
  EXPECT_EQ(toHex(si.serialNumber), "02");
  // A bare ContentInfo (without tag 77) parses to the same.
  EXPECT_EQ(parseSod(decodeOne(sod).value).dataGroupHashes, so.dataGroupHashes);
}

TEST(SodParse, LdsSecurityObjectV1WithVersionInfo) {
  // Doc 9303-10 4.6.2.2 LDSSecurityObject V1: version 1 and LDSVersionInfo {"0108", "040000"}.
  Bytes lds = fromHex(
      "3044020101300B0609608648016503040201"
      "3022"
      "3011020101040C000102030405060708090A0B"
      "300D02010204080102030405060708"
      "300E1304303130381306303430303030");
  const TestPki& p = testPki();
  Bytes sod = encodeTlv(0x77, buildSignedData("2.23.136.1.1.1", lds, loadSigner(p.dsc, p.dscKey), "SHA-256"));
  SecurityObject so = parseSod(sod);
  EXPECT_EQ(so.version, 1);
  EXPECT_EQ(so.ldsVersion.value(), "0108");
  EXPECT_EQ(so.unicodeVersion.value(), "040000");
  EXPECT_EQ(toHex(so.dataGroupHashes.at(1)), "000102030405060708090A0B");
}

TEST(SodParse, MalformedInputsThrow) {
  const TestPki& p = testPki();
  auto signer = loadSigner(p.dsc, p.dscKey);
  auto wrap = [&](const std::string& ldsHex) {
    return encodeTlv(0x77, buildSignedData("2.23.136.1.1.1", fromHex(ldsHex), signer, "SHA-256"));
  };
  // LDSSecurityObject from its parts, lengths computed: version, hashAlgorithm, hashes, extra.
  auto lds = [&](const std::string& version, const std::string& alg, const std::string& hashes,
                 const std::string& extra = "") {
    Bytes body = concat({fromHex(version), encodeTlv(0x30, fromHex(alg)), encodeTlv(0x30, fromHex(hashes)),
                         fromHex(extra)});
    return encodeTlv(0x77, buildSignedData("2.23.136.1.1.1", encodeTlv(0x30, body), signer, "SHA-256"));
  };
  const std::string sha256 = "0609608648016503040201";
  Bytes good = buildSod("SHA-256", sampleDgs(), signer);
  Bytes truncated(good.begin(), good.end() - 10);
  struct Case {
    const char* name;
    Bytes input;
  };
  const Case cases[] = {
      {"empty", {}},
      {"wrong outer tag", fromHex("6103020100")},
      {"truncated", truncated},
      {"77 holding an INTEGER", fromHex("7703020100")},
      {"ContentInfo not SignedData", encodeTlv(0x77, fromHex("300B06092A864886F70D010701"))},
      {"LDS not a SEQUENCE", wrap("020100")},
      {"LDS version 2", lds("020102", sha256, "")},
      {"LDS version negative", lds("0201FF", sha256, "")},
      {"unknown hash algorithm", lds("020100", "06042A030405", "")},
      {"hash algorithm not an OID", lds("020100", "0500", "")},
      {"DG number 0", lds("020100", sha256, "3004020100 0400")},
      {"DG number 17", lds("020100", sha256, "3004020111 0400")},
      {"DG listed twice", lds("020100", sha256, "3004020101 0400 3004020101 0400")},
      {"hash not OCTET STRING", lds("020100", sha256, "3004020101 0200")},
      {"DataGroupHash without value", lds("020100", sha256, "3003020101")},
      {"LDSVersionInfo not printable", lds("020101", sha256, "", "3006 0C0130 0C0130")},
      {"trailing data in LDS", lds("020100", sha256, "", "3000 0500")},
      {"wrong content type", encodeTlv(0x77, buildSignedData("1.2.3.4", fromHex("3000"), signer, "SHA-256"))},
  };
  for (const Case& c : cases) EXPECT_THROW(parseSod(c.input), Error) << c.name;
  try {
    parseSod(std::end(cases)[-1].input);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("wrong content type"), std::string::npos) << e.what();
  }
}
