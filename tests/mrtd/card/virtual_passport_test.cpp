// End to end at library level: issue a virtual passport, read it through the APDU path with its MRZ,
// and verify it by Passive Authentication; every issuance fault is rejected with its own reason.
#include <gtest/gtest.h>

#include <algorithm>

#include "mrtd/pki/test_pki_fixture.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;

namespace {

const char* kSpecimen =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

/// Stands in for a JPEG: DG2 carries the bytes, PA hashes them; nobody here decodes them.
Bytes portrait() {
  Bytes b(6000, 0x5A);
  b[0] = 0xFF, b[1] = 0xD8, b[2] = 0xFF;
  return b;
}

VirtualPassportSpec spec(IssuanceFault fault = IssuanceFault::None) {
  VirtualPassportSpec s;
  s.mrz = kSpecimen;
  s.faceImage = portrait();
  s.faceWidth = 480;
  s.faceHeight = 600;
  s.pkiDir = pki::testing::testPki().dir;
  s.fault = fault;
  return s;
}

struct Verified {
  DocumentRead read;
  pki::PassiveAuthResult pa;
};

Verified readAndVerify(const IssuedPassport& passport, const std::string& mrz = kSpecimen) {
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  Verified v{readDocument(channel, bacKeySeed(mrzInformation(parseValidMrz(mrz)))), {}};
  std::map<int, Bytes> dgs;
  for (const auto& f : v.read.files)
    if (f.name.rfind("DG", 0) == 0) dgs[std::stoi(f.name.substr(2))] = f.bytes;
  pki::TrustStore trust;
  trust.addPath(pki::testing::testPki().dir);
  v.pa = pki::verifyPassive(v.read.find("EF.SOD")->bytes, dgs, trust);
  return v;
}

bool anyReasonContains(const pki::PassiveAuthResult& r, const std::string& word) {
  return std::any_of(r.reasons.begin(), r.reasons.end(),
                     [&](const std::string& s) { return s.find(word) != std::string::npos; });
}

}  // namespace

TEST(VirtualPassport, ReadsBackWhatWasIssuedAndVerifies) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  const Verified v = readAndVerify(passport);
  EXPECT_EQ(v.read.accessMethod, "BAC");
  EXPECT_EQ(v.read.listedDataGroups, (std::vector<int>{1, 2, 11, 12, 14, 15}));
  for (const char* name : {"EF.COM", "EF.SOD", "DG1", "DG2", "DG11", "DG12", "DG14", "DG15"}) {
    ASSERT_NE(v.read.find(name), nullptr) << name;
    EXPECT_EQ(v.read.find(name)->bytes, passport.chip.files.at(name)) << name;
  }
  const Mrz dg1 = parseDg1(v.read.find("DG1")->bytes);
  EXPECT_EQ(dg1.documentNumber, "L898902C3");
  EXPECT_TRUE(dg1.valid());
  const Dg2 dg2 = parseDg2(v.read.find("DG2")->bytes);
  ASSERT_EQ(dg2.faces.size(), 1u);
  EXPECT_EQ(dg2.faces[0].image, portrait());
  EXPECT_EQ(dg2.faces[0].declaredWidth, 480u);

  EXPECT_EQ(v.pa.status, pki::PaStatus::Valid) << (v.pa.reasons.empty() ? "" : v.pa.reasons[0]);
  EXPECT_EQ(v.pa.signature, pki::CheckStatus::Passed);
  EXPECT_EQ(v.pa.hashes, pki::CheckStatus::Passed);
  EXPECT_EQ(v.pa.chain, pki::CheckStatus::Passed);
  EXPECT_EQ(v.pa.checkedDgs, (std::vector<int>{1, 2, 11, 12, 14, 15}));
  // The private keys of CA and AA are named in chip.conf and are not chip files.
  EXPECT_EQ(passport.chip.config.get("chip_auth_key"), "chip_auth.key.pem");
  EXPECT_EQ(passport.privateKeys.size(), 2u);
}

TEST(VirtualPassport, AnotherDocumentsMrzIsRefusedByTheChip) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  const char* other =
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C47UTO7408122F1204159ZE184226B<<<<<18";
  try {
    readAndVerify(passport, other);
    FAIL() << "read with another document's MRZ";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access);
    EXPECT_NE(std::string(e.what()).find("access denied: check the MRZ"), std::string::npos) << e.what();
  }
}

TEST(VirtualPassport, EachFaultIsRejectedWithItsOwnReason) {
  struct Case {
    IssuanceFault fault;
    pki::PaStatus status;
    const char* reasonWord;  // a word the reason must contain
    pki::CheckStatus pki::PassiveAuthResult::*failedPart;
  };
  const Case cases[] = {
      {IssuanceFault::BadDgHash, pki::PaStatus::Invalid, "DG2", &pki::PassiveAuthResult::hashes},
      {IssuanceFault::BadSignature, pki::PaStatus::Invalid, "signature", &pki::PassiveAuthResult::signature},
      {IssuanceFault::ExpiredDsc, pki::PaStatus::Invalid, "expired", &pki::PassiveAuthResult::chain},
      {IssuanceFault::RevokedDsc, pki::PaStatus::Invalid, "revoked", &pki::PassiveAuthResult::revocation},
      {IssuanceFault::UnknownCsca, pki::PaStatus::Indeterminate, "CSCA", nullptr},
  };
  for (const Case& c : cases) {
    const Verified v = readAndVerify(issueVirtualPassport(spec(c.fault)));
    EXPECT_EQ(v.pa.status, c.status) << static_cast<int>(c.fault);
    EXPECT_TRUE(anyReasonContains(v.pa, c.reasonWord))
        << static_cast<int>(c.fault) << ": " << (v.pa.reasons.empty() ? "no reason" : v.pa.reasons[0]);
    if (c.failedPart) {
      EXPECT_EQ(v.pa.*c.failedPart, pki::CheckStatus::Failed) << static_cast<int>(c.fault);
    }
  }
}

TEST(VirtualPassport, FaultNamesAndBadInput) {
  EXPECT_EQ(issuanceFaultFromName("revoked-dsc"), IssuanceFault::RevokedDsc);
  EXPECT_FALSE(issuanceFaultFromName("clone-ish"));
  VirtualPassportSpec bad = spec();
  bad.mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204158ZE184226B<<<<<10";
  EXPECT_THROW(issueVirtualPassport(bad), Error);
  VirtualPassportSpec noFace = spec();
  noFace.faceImage.clear();
  EXPECT_THROW(issueVirtualPassport(noFace), Error);
}
