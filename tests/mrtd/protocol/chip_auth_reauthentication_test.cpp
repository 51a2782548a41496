// Chip Authentication survives a mid-read re-authentication: when the chip leaves secure messaging
// after CA (a bare status word) and the reader runs BAC / PACE again, CA runs again so the rest of
// the read uses CA keys (Doc 9303-11 6.2); when it cannot be re-established, the CA verdict is
// `failed`, never a `passed` left over from the first session.
#include <gtest/gtest.h>

#include <functional>

#include "mrtd/card/virtual_passport_fixture.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;

namespace {

using fixtures::kSpecimenMrz;
using fixtures::testPkiTrust;

/// Sits on the wire in front of the virtual chip, records every INS, and can answer a command itself
/// (`intercept` returns the bare answer, or nothing to forward the command).
class WireSpy : public ApduChannel {
 public:
  explicit WireSpy(VirtualChip& chip) : chip_(&chip), link_(std::make_unique<SimChannel>(chip)) {}
  std::function<std::optional<Bytes>(const CommandApdu&)> intercept;
  std::vector<std::uint8_t> ins;

  Bytes transmitRaw(ByteView raw) override {
    const CommandApdu c = CommandApdu::decode(raw);
    ins.push_back(c.ins);
    if (intercept) {
      if (auto answer = intercept(c)) return *answer;
    }
    return link_->transmitRaw(raw);
  }
  ChannelLimits limits() const override { return link_->limits(); }
  std::string name() const override { return "spy"; }
  /// Makes the chip drop its session as chips that leave SM on an error do (a plain command).
  void dropChipSession() { chip_->transceive(fromHex("00A4000C")); }
  /// From now on another chip is in the field (a chip swapped in the middle of the read).
  void swapChip(VirtualChip& other) {
    chip_ = &other;
    link_ = std::make_unique<SimChannel>(other);
  }
  std::size_t count(std::uint8_t i) const { return static_cast<std::size_t>(std::count(ins.begin(), ins.end(), i)); }
  /// Position of the last `i` on the wire (or -1).
  long last(std::uint8_t i) const {
    for (std::size_t k = ins.size(); k-- > 0;)
      if (ins[k] == i) return static_cast<long>(k);
    return -1;
  }

 private:
  VirtualChip* chip_;
  std::unique_ptr<SimChannel> link_;
};

constexpr std::uint8_t kMutualAuthenticate = 0x82;
constexpr std::uint8_t kGeneralAuthenticate = 0x86;
constexpr std::uint8_t kMse = 0x22;
constexpr std::uint8_t kReadBinary = 0xB0;

/// After Chip Authentication, the third READ BINARY gets a bare 6700 and the chip leaves secure
/// messaging: the reader must authenticate again in the middle of the read.
void breakSessionAfterChipAuthentication(WireSpy& spy) {
  spy.intercept = [&spy, reads = 0](const CommandApdu& c) mutable -> std::optional<Bytes> {
    if (spy.count(kGeneralAuthenticate) == 0 || c.ins != kReadBinary || ++reads != 3) return std::nullopt;
    spy.dropChipSession();
    return fromHex("6700");
  };
}

DocumentRead readWithBac(ApduChannel& channel) {
  DocumentReadOptions options;
  options.trust = &testPkiTrust();
  return readDocument(channel, bacKeySeed(mrzInformation(parseValidMrz(kSpecimenMrz))), options);
}

}  // namespace

TEST(ChipAuthReauthentication, ChipAuthenticationRunsAgainAfterAMidReadReauthentication) {
  const IssuedPassport passport = issueVirtualPassport(fixtures::specimenPassport());
  VirtualChip chip(passport.chip);
  WireSpy spy(chip);
  breakSessionAfterChipAuthentication(spy);
  const DocumentRead r = readWithBac(spy);
  for (const auto& f : r.files) EXPECT_EQ(f.bytes, passport.chip.files.at(f.name)) << f.name;
  EXPECT_EQ(r.accessMethod, "BAC");
  EXPECT_EQ(spy.count(kMutualAuthenticate), 2u) << "the session was not broken and re-established";
  // CA ran in both sessions, the second time after the second BAC: the files read after it (and
  // Active Authentication) went under CA keys.
  EXPECT_EQ(spy.count(kGeneralAuthenticate), 2u);
  EXPECT_GT(spy.last(kGeneralAuthenticate), spy.last(kMutualAuthenticate));
  EXPECT_EQ(r.chipAuth.status, AuthStatus::Passed) << r.chipAuth.reason;
  EXPECT_EQ(r.activeAuth.status, AuthStatus::Passed) << r.activeAuth.reason;
  EXPECT_TRUE(chip.secured());
}

TEST(ChipAuthReauthentication, VerdictFailsWhenChipAuthenticationCannotBeReestablished) {
  const IssuedPassport passport = issueVirtualPassport(fixtures::specimenPassport());
  VirtualChip chip(passport.chip);
  WireSpy spy(chip);
  breakSessionAfterChipAuthentication(spy);
  // In the second session the chip refuses MSE:Set AT (a bare 6A80, as a chip that left SM would).
  auto breakSession = spy.intercept;
  spy.intercept = [&spy, breakSession](const CommandApdu& c) -> std::optional<Bytes> {
    if (spy.count(kMutualAuthenticate) >= 2 && c.ins == kMse) return fromHex("6A80");
    return breakSession(c);
  };
  const DocumentRead r = readWithBac(spy);
  for (const auto& f : r.files) EXPECT_EQ(f.bytes, passport.chip.files.at(f.name)) << f.name;
  EXPECT_EQ(r.chipAuth.status, AuthStatus::Failed);
  EXPECT_NE(r.chipAuth.reason.find("Chip Authentication could not be re-established after access control was redone"),
            std::string::npos)
      << r.chipAuth.reason;
  // The read went on in a third, plain BAC session and finished.
  EXPECT_EQ(spy.count(kMutualAuthenticate), 3u);
  EXPECT_NE(r.find("DG15"), nullptr);
}

namespace {
/// A clone of `genuine`: its files (so Passive Authentication still passes), another chip's keys.
ChipImage cloneOf(const IssuedPassport& genuine, const VirtualPassportSpec& spec) {
  ChipImage clone = genuine.chip;
  clone.keyFiles = issueVirtualPassport(spec).chip.keyFiles;
  return clone;
}
}  // namespace

TEST(ChipAuthReauthentication, ChipSwappedForACloneAfterChipAuthenticationFailsIt) {
  const VirtualPassportSpec spec = fixtures::specimenPassport();
  const IssuedPassport passport = issueVirtualPassport(spec);
  VirtualChip genuine(passport.chip);
  VirtualChip clone(cloneOf(passport, spec));
  WireSpy spy(genuine);
  // After CA, a READ BINARY fails bare and the clone is in the field when the reader comes back.
  spy.intercept = [&spy, &clone, reads = 0](const CommandApdu& c) mutable -> std::optional<Bytes> {
    if (spy.count(kGeneralAuthenticate) == 0 || c.ins != kReadBinary || ++reads != 3) return std::nullopt;
    spy.swapChip(clone);
    return fromHex("6700");
  };
  const DocumentRead r = readWithBac(spy);
  EXPECT_EQ(r.chipAuth.status, AuthStatus::Failed);
  EXPECT_NE(r.chipAuth.reason.find("Chip Authentication could not be re-established"), std::string::npos)
      << r.chipAuth.reason;
  EXPECT_EQ(r.activeAuth.status, AuthStatus::Failed) << "the clone signed with the DG15 key";
}

TEST(ChipAuthReauthentication, PaceCamIsCheckedAgainInEveryNewPaceRun) {
  VirtualPassportSpec spec = fixtures::specimenPassport();
  spec.pace = PaceOffer{KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 13};
  const IssuedPassport passport = issueVirtualPassport(spec);
  const AccessKey mrz = AccessKey::mrz(mrzInformation(parseValidMrz(fixtures::kSpecimenMrz)));
  DocumentReadOptions options;
  options.trust = &testPkiTrust();
  constexpr std::uint8_t kSelect = 0xA4;
  // SELECTs: EF.CardAccess, the application, EF.COM, EF.SOD, DG14 (PACE-CAM checked), DG1.
  const auto afterDg1Selected = [](WireSpy& s, const CommandApdu& c, int& reads) {
    return s.count(kSelect) >= 6 && c.ins == kReadBinary && ++reads == 1;
  };
  {
    // The same chip again: the new PACE-CAM run is checked against DG14 and passes.
    VirtualChip chip(passport.chip);
    WireSpy spy(chip);
    spy.intercept = [&, reads = 0](const CommandApdu& c) mutable -> std::optional<Bytes> {
      if (!afterDg1Selected(spy, c, reads)) return std::nullopt;
      spy.dropChipSession();
      return fromHex("6700");
    };
    const DocumentRead r = readDocument(spy, mrz, options);
    EXPECT_EQ(r.accessMethod, "PACE-ECDH-CAM-AES128");
    EXPECT_EQ(spy.count(kGeneralAuthenticate), 8u) << "PACE did not run twice";
    EXPECT_EQ(r.chipAuth.status, AuthStatus::Passed) << r.chipAuth.reason;
    EXPECT_EQ(r.chipAuth.protocol, "PACE-CAM");
  }
  {
    // A clone in the field for the second run: its PACE-CAM data do not match DG14.
    VirtualChip genuine(passport.chip);
    VirtualChip clone(cloneOf(passport, spec));
    WireSpy spy(genuine);
    spy.intercept = [&, reads = 0](const CommandApdu& c) mutable -> std::optional<Bytes> {
      if (!afterDg1Selected(spy, c, reads)) return std::nullopt;
      spy.swapChip(clone);
      return fromHex("6700");
    };
    const DocumentRead r = readDocument(spy, mrz, options);
    EXPECT_EQ(r.chipAuth.status, AuthStatus::Failed);
    EXPECT_NE(r.chipAuth.reason.find("PACE-CAM could not be re-established"), std::string::npos) << r.chipAuth.reason;
  }
}
