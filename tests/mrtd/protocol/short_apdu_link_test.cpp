// Chip and Active Authentication over a link that carries only short APDUs (libnfc + PN532,
// CLARIFICATIONS 13): DH-2048 Chip Authentication sends a 256-byte public key (command chaining,
// each link protected on its own) and RSA-2048 Active Authentication answers 256 bytes that grow
// past 256 under secure messaging (61xx + GET RESPONSE). A chip that refuses chaining makes CA fail
// with a reason that says so.
#include <gtest/gtest.h>

#include "mrtd/card/virtual_passport_fixture.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;

namespace {

using fixtures::kSpecimenMrz;
using fixtures::testPkiTrust;

VirtualPassportSpec shortOnlySpec(const char* caKey, SymmetricCipher cipher, const char* aaKey) {
  VirtualPassportSpec s = fixtures::specimenPassport();
  s.chipAuthKey = caKey;
  s.chipAuthCipher = cipher;
  s.activeAuthKey = aaKey;
  s.extendedLength = false;
  return s;
}

/// Counts what crosses the wire: command chain links, GET RESPONSEs, the longest command and answer.
class WireLog : public ApduChannel {
 public:
  explicit WireLog(ApduChannel& inner) : inner_(inner) {}
  std::size_t chainLinks = 0;
  std::size_t getResponses = 0;
  std::size_t longestCommand = 0;
  std::size_t longestAnswer = 0;

  Bytes transmitRaw(ByteView raw) override {
    if (raw[0] & kClaChaining) ++chainLinks;
    if (raw[1] == kInsGetResponse) ++getResponses;
    longestCommand = std::max(longestCommand, raw.size());
    Bytes answer = inner_.transmitRaw(raw);
    longestAnswer = std::max(longestAnswer, answer.size());
    return answer;
  }
  ChannelLimits limits() const override { return inner_.limits(); }
  std::string name() const override { return "log"; }

 private:
  ApduChannel& inner_;
};

DocumentRead readShortOnly(WireLog& log, const std::optional<AccessKey>& access = {}) {
  DocumentReadOptions options;
  options.trust = &testPkiTrust();
  return access ? readDocument(log, *access, options)
                : readDocument(log, bacKeySeed(mrzInformation(parseValidMrz(kSpecimenMrz))), options);
}

}  // namespace

TEST(ShortApduLink, DhChipAuthenticationAndRsaActiveAuthenticationWithChainingAndGetResponse) {
  struct Case {
    SymmetricCipher cipher;
    bool pace;
    const char* protocol;
  };
  for (const Case& c : {Case{SymmetricCipher::Aes128, false, "CA-DH-AES128"}, Case{SymmetricCipher::Tdes, false, "CA-DH-3DES"},
                        Case{SymmetricCipher::Aes256, true, "CA-DH-AES256"}}) {
    SCOPED_TRACE(c.protocol);
    const IssuedPassport passport = issueVirtualPassport(shortOnlySpec("DH:dh_2048_224", c.cipher, "RSA:2048"));
    SimChannel link(std::make_unique<VirtualChip>(passport.chip));
    ASSERT_FALSE(link.limits().extendedLength);
    WireLog log(link);
    const DocumentRead r =
        readShortOnly(log, c.pace ? std::optional<AccessKey>(AccessKey::cardAccessNumber(passport.can)) : std::nullopt);
    EXPECT_EQ(r.chipAuth.status, AuthStatus::Passed) << r.chipAuth.reason;
    EXPECT_EQ(r.chipAuth.protocol, c.protocol);
    EXPECT_EQ(r.activeAuth.status, AuthStatus::Passed) << r.activeAuth.reason;
    EXPECT_EQ(r.activeAuth.algorithm, "RSA-ISO9796-2-SHA-1");
    for (const auto& f : r.files) EXPECT_EQ(f.bytes, passport.chip.files.at(f.name)) << f.name;
    // Nothing longer than a short APDU crossed the link, and both mechanisms were needed.
    EXPECT_LE(log.longestCommand, 261u);
    EXPECT_LE(log.longestAnswer, 258u);
    EXPECT_GE(log.chainLinks, 1u) << "the 256-byte DH key went without a chain";
    EXPECT_GE(log.getResponses, 1u) << "the protected RSA-2048 signature came without GET RESPONSE";
    EXPECT_TRUE(link.chip().secured());
  }
}

TEST(ShortApduLink, ChipThatRefusesChainingFailsChipAuthenticationClearly) {
  IssuedPassport passport = issueVirtualPassport(shortOnlySpec("DH:dh_2048_224", SymmetricCipher::Aes128, "RSA:2048"));
  passport.chip.config.set("command_chaining", "no");
  SimChannel link(std::make_unique<VirtualChip>(passport.chip));
  WireLog log(link);
  const DocumentRead r = readShortOnly(log);
  EXPECT_EQ(r.chipAuth.status, AuthStatus::Failed);
  EXPECT_NE(r.chipAuth.reason.find("GENERAL AUTHENTICATE command chaining"), std::string::npos) << r.chipAuth.reason;
  EXPECT_NE(r.chipAuth.reason.find("6884 (command chaining not supported)"), std::string::npos) << r.chipAuth.reason;
  EXPECT_NE(r.chipAuth.reason.find("only short APDUs"), std::string::npos) << r.chipAuth.reason;
  // The read went on in a new session: every file, and Active Authentication (no chain needed).
  for (const auto& f : r.files) EXPECT_EQ(f.bytes, passport.chip.files.at(f.name)) << f.name;
  EXPECT_NE(r.find("DG2"), nullptr);
  EXPECT_EQ(r.activeAuth.status, AuthStatus::Passed) << r.activeAuth.reason;
}
