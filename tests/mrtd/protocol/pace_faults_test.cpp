// The named PACE faults of the virtual passport (`portti chip make --fault`): each makes PACE fail in
// its own way, and the reader ends the read with that reason instead of falling back to BAC (which
// every one of these chips would accept with the right MRZ). pace-unsupported is the exception:
// nothing portti runs is offered, so the MRZ reads by BAC and the downgrade is reported.
#include <gtest/gtest.h>

#include "mrtd/card/virtual_passport_fixture.hpp"
#include "mrtd/pki/test_pki_fixture.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/protocol/inspection.hpp"

using namespace portti::mrtd;

namespace {

using fixtures::kSpecimenMrz;

IssuedPassport issue(IssuanceFault fault) { return issueVirtualPassport(fixtures::specimenPassport(fault)); }

AccessKey mrzKey() { return AccessKey::mrz(mrzInformation(parseValidMrz(kSpecimenMrz))); }

/// Reads with `key` and returns the error the read ended with (fails the test if it did not).
Error readError(const IssuedPassport& passport, const AccessKey& key) {
  VirtualChip chip(passport.chip);
  SimChannel channel(chip);
  try {
    readDocument(channel, key);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "the read succeeded";
  return Error(ErrorArea::Access, "", "");
}

struct FaultCase {
  const char* name;
  IssuanceFault fault;
  const char* step;    ///< Error::step() of the failed read
  const char* detail;  ///< part of Error::detail()
  const char* code;    ///< readFailureCode
};

class PaceFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(PaceFault, EndsTheReadWithItsReasonAndNoBac) {
  const FaultCase c = GetParam();
  ASSERT_EQ(issuanceFaultFromName(c.name), c.fault);
  const IssuedPassport passport = issue(c.fault);
  for (const AccessKey& key : {mrzKey(), AccessKey::cardAccessNumber(passport.can)}) {
    const Error e = readError(passport, key);
    EXPECT_EQ(e.area(), ErrorArea::Access) << e.what();
    EXPECT_EQ(e.step(), c.step) << e.what();
    EXPECT_NE(e.detail().find(c.detail), std::string::npos) << e.what();
    EXPECT_EQ(readFailureCode(e), c.code) << e.what();
  }
  // The same chip with the fault's switch off: BAC (the BAC-only entry point) still opens it, so a
  // reader that fell back would have read it.
  VirtualChip chip(passport.chip);
  SimChannel channel(chip);
  DocumentReadOptions options;
  options.dataGroups = {1};
  options.readCardAccess = false;
  EXPECT_EQ(readDocument(channel, bacKeySeed(mrzInformation(parseValidMrz(kSpecimenMrz))), options).accessMethod, "BAC");
}

INSTANTIATE_TEST_SUITE_P(
    Faults, PaceFault,
    ::testing::Values(
        FaultCase{"pace-refused", IssuanceFault::PaceRefused, "MSE:Set AT (PACE)", "6A80", "pace.mse-set-at"},
        FaultCase{"pace-chip-error", IssuanceFault::PaceChipError, "GENERAL AUTHENTICATE (map nonce)", "6F00",
                  "pace.general-authenticate"},
        FaultCase{"pace-bad-token", IssuanceFault::PaceBadToken, "GENERAL AUTHENTICATE (mutual authentication)",
                  "authentication token does not verify", "pace.chip-token-invalid"},
        FaultCase{"bad-card-access", IssuanceFault::BadCardAccess, "EF.CardAccess", "BAC is not tried",
                  "pace.card-access-malformed"}),
    [](const ::testing::TestParamInfo<FaultCase>& p) {
      std::string n = p.param.name;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

TEST(PaceFault, WrongCanIsAccessDeniedAtTheLastStep) {
  const IssuedPassport passport = issue(IssuanceFault::WrongCan);
  const Error e = readError(passport, AccessKey::cardAccessNumber(passport.can));
  EXPECT_EQ(readFailureCode(e), "pace.access-denied") << e.what();
  EXPECT_NE(e.detail().find("check the CAN"), std::string::npos) << e.what();
}

TEST(PaceFault, UnsupportedPaceReadsByBacWithTheMrzAndReportsTheDowngrade) {
  ASSERT_EQ(issuanceFaultFromName("pace-unsupported"), IssuanceFault::PaceUnsupported);
  const IssuedPassport passport = issue(IssuanceFault::PaceUnsupported);
  {
    VirtualChip chip(passport.chip);
    SimChannel channel(chip);
    const DocumentRead read = readDocument(channel, mrzKey());
    EXPECT_EQ(read.accessMethod, "BAC");
    ASSERT_TRUE(read.downgrade.has_value());
    EXPECT_NE(read.downgrade->find("does not support"), std::string::npos) << *read.downgrade;
    pki::TrustStore trust;
    trust.addPath(pki::testing::testPki().dir);
    InspectionContext context;
    context.accessMrz = parseValidMrz(kSpecimenMrz);
    const DocumentVerdict v = inspectDocument(read, trust, context);
    bool reported = false;
    for (const auto& w : v.warnings) reported = reported || w.rfind("access.downgrade:", 0) == 0;
    EXPECT_TRUE(reported) << "the verdict does not carry the downgrade";
  }
  // With the CAN there is nothing to run.
  const Error e = readError(passport, AccessKey::cardAccessNumber(passport.can));
  EXPECT_EQ(readFailureCode(e), "pace.not-available") << e.what();
}

TEST(PaceFault, ChipConfRefusesAnUnknownPaceFault) {
  ChipConfig config;
  config.set("pace_fault", "sometimes");
  EXPECT_THROW(ChipSettings::fromConfig(config), Error);
  config.set("pace_fault", "bad-token");
  EXPECT_EQ(ChipSettings::fromConfig(config).paceFault, "bad-token");
}

}  // namespace
