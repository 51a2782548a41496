// Reading issued virtual passports with PACE: the default chip (PACE-GM beside BAC), the CAN, PACE-CAM
// proved by DG14's key, and the access faults: a wrong CAN fails (never a quiet BAC), a PACE-only chip,
// a BAC-only chip (BAC, no downgrade), and the BAC-only entry point recording the downgrade.
#include <gtest/gtest.h>

#include "mrtd/pki/test_pki_fixture.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;

namespace {

const char* kSpecimen =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

VirtualPassportSpec spec(IssuanceFault fault = IssuanceFault::None) {
  VirtualPassportSpec s;
  s.mrz = kSpecimen;
  s.faceImage = Bytes(3000, 0x5A);
  s.faceImage[0] = 0xFF, s.faceImage[1] = 0xD8, s.faceImage[2] = 0xFF;
  s.faceWidth = 480;
  s.faceHeight = 600;
  s.pkiDir = pki::testing::testPki().dir;
  s.fault = fault;
  s.can = "314159";
  return s;
}

AccessKey mrzKey() { return AccessKey::mrz(mrzInformation(parseValidMrz(kSpecimen))); }

pki::PaStatus passiveAuth(const DocumentRead& read) {
  std::map<int, Bytes> dgs;
  for (const auto& f : read.files)
    if (f.name.rfind("DG", 0) == 0) dgs[std::stoi(f.name.substr(2))] = f.bytes;
  pki::TrustStore trust;
  trust.addPath(pki::testing::testPki().dir);
  return pki::verifyPassive(read.find("EF.SOD")->bytes, dgs, trust).status;
}

TEST(DocumentReaderPace, DefaultChipIsReadWithPaceGmAndVerifies) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  EXPECT_EQ(passport.can, "314159");
  EXPECT_EQ(passport.chip.config.get("can"), "314159");
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  const DocumentRead read = readDocument(channel, mrzKey());
  EXPECT_EQ(read.accessMethod, "PACE-ECDH-GM-AES128");
  EXPECT_FALSE(read.downgrade.has_value());
  EXPECT_FALSE(read.paceCam.has_value());
  ASSERT_NE(read.find("DG1"), nullptr);
  EXPECT_EQ(read.find("DG1")->bytes, passport.chip.files.at("DG1"));
  EXPECT_EQ(passiveAuth(read), pki::PaStatus::Valid);
  // DG14 repeats the PACEInfo under the SOD.
  EXPECT_EQ(parseDg14(read.find("DG14")->bytes).pace.size(), 1u);
}

TEST(DocumentReaderPace, TheCanOpensTheChipToo) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  const DocumentRead read = readDocument(channel, AccessKey::cardAccessNumber(passport.can));
  EXPECT_EQ(read.accessMethod, "PACE-ECDH-GM-AES128");
  EXPECT_EQ(passiveAuth(read), pki::PaStatus::Valid);
}

TEST(DocumentReaderPace, WrongCanFailsInPaceAndNeverFallsBackToBac) {
  const IssuedPassport passport = issueVirtualPassport(spec(IssuanceFault::WrongCan));
  EXPECT_NE(passport.chip.config.get("can"), passport.can);
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  try {
    readDocument(channel, AccessKey::cardAccessNumber(passport.can));
    FAIL() << "read with the wrong CAN";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access);
    EXPECT_EQ(e.step(), "GENERAL AUTHENTICATE (mutual authentication)");
    EXPECT_EQ(e.detail(), "access denied: check the CAN");
  }
  // The MRZ still opens it.
  SimChannel again(std::make_unique<VirtualChip>(passport.chip));
  EXPECT_EQ(readDocument(again, mrzKey()).accessMethod, "PACE-ECDH-GM-AES128");
}

TEST(DocumentReaderPace, PaceOnlyChipRefusesBacButReadsWithPace) {
  const IssuedPassport passport = issueVirtualPassport(spec(IssuanceFault::PaceOnly));
  SimChannel pace(std::make_unique<VirtualChip>(passport.chip));
  EXPECT_EQ(readDocument(pace, mrzKey()).accessMethod, "PACE-ECDH-GM-AES128");
  SimChannel bac(std::make_unique<VirtualChip>(passport.chip));
  EXPECT_THROW(readDocument(bac, bacKeySeed(mrzInformation(parseValidMrz(kSpecimen)))), Error);
}

TEST(DocumentReaderPace, BacOnlyChipIsReadWithBacAndTheCanIsRefused) {
  const IssuedPassport passport = issueVirtualPassport(spec(IssuanceFault::BacOnly));
  EXPECT_EQ(passport.chip.files.count("EF.CardAccess"), 0u);
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  const DocumentRead read = readDocument(channel, mrzKey());
  EXPECT_EQ(read.accessMethod, "BAC");
  EXPECT_FALSE(read.downgrade.has_value());  // nothing better was offered
  SimChannel can(std::make_unique<VirtualChip>(passport.chip));
  try {
    readDocument(can, AccessKey::cardAccessNumber(passport.can));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.detail(), "the CAN works only with PACE, and the chip offers no PACE");
  }
}

TEST(DocumentReaderPace, BacKeySeedOnAPaceChipRecordsTheDowngrade) {
  const IssuedPassport passport = issueVirtualPassport(spec());
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  const DocumentRead read = readDocument(channel, bacKeySeed(mrzInformation(parseValidMrz(kSpecimen))));
  EXPECT_EQ(read.accessMethod, "BAC");
  ASSERT_TRUE(read.downgrade.has_value());
  EXPECT_NE(read.downgrade->find("PACE-ECDH-GM-AES128"), std::string::npos) << *read.downgrade;
}

TEST(DocumentReaderPace, PaceCamIsProvedByDg14sKeyAndNotByAnotherChipsKey) {
  VirtualPassportSpec s = spec();
  s.pace = PaceOffer{KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 12};
  const IssuedPassport passport = issueVirtualPassport(s);
  SimChannel channel(std::make_unique<VirtualChip>(passport.chip));
  const DocumentRead read = readDocument(channel, mrzKey());
  EXPECT_EQ(read.accessMethod, "PACE-ECDH-CAM-AES128");
  ASSERT_TRUE(read.paceCam.has_value());
  EXPECT_EQ(passiveAuth(read), pki::PaStatus::Valid);
  EXPECT_TRUE(verifyPaceCamWithDg14(*read.paceCam, read.find("DG14")->bytes));
  // A clone with the genuine DG14 but its own key cannot produce the CAM data for DG14's key.
  const IssuedPassport other = issueVirtualPassport(s);
  EXPECT_FALSE(verifyPaceCamWithDg14(*read.paceCam, other.chip.files.at("DG14")));
}

}  // namespace
