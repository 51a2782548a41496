// PACE against real chips (gmrtd's recorded sessions): an NZ passport with PACE-ECDH-GM-3DES, and
// a DE document with PACE-CAM whose session goes on to read EF.CardSecurity under AES secure
// messaging; the chip's static key from that file then proves the CAM data (ICAO 9303-11 4.4.3.5).
#include <gtest/gtest.h>

#include "pace_traces.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

namespace {

class TraceChannel : public ApduChannel {
 public:
  TraceChannel(const pace_traces::Trace& trace, std::size_t count) : trace_(trace), count_(count) {}
  Bytes transmitRaw(ByteView command) override {
    if (next_ >= count_) throw Error(ErrorArea::Transport, "trace", "no exchange left");
    const auto& [c, r] = trace_[next_++];
    EXPECT_EQ(toHex(command), c) << "exchange " << next_;
    return fromHex(r);
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "trace"; }
  std::size_t used() const { return next_; }

 private:
  const pace_traces::Trace& trace_;
  std::size_t count_;
  std::size_t next_ = 0;
};

PaceInfo onlyPace(const char* cardAccess, PaceMapping mapping) {
  const SecurityInfos infos = parseCardAccess(fromHex(cardAccess));
  for (const PaceInfo& i : infos.pace)
    if (i.mapping == mapping) return i;
  ADD_FAILURE() << "no such PACEInfo";
  return {};
}

TEST(PaceRealTrace, NzPassportEcdhGm3Des) {
  const PaceInfo info = onlyPace("31143012060a04007f0007020204020102010202010d", PaceMapping::Generic);
  EXPECT_EQ(paceProtocolName(info), "PACE-ECDH-GM-3DES");
  TraceChannel channel(pace_traces::kNzTdes, 5);
  PaceReaderRandomForTesting fixed;
  fixed.mapPrivateKey = fromHex("2808272c0ec20e01a3450030ef32855e9feb5cb17719e985389b1cf47609e69f");
  fixed.ephemeralPrivateKey = fromHex("8f89449052df6c7983750c7b042c3cea12b36819174424c7cd28153f7b70b402");
  const PaceResult r =
      performPace(channel, info, PacePassword::mrz(mrzInformation("LM277954", "781214", "271115")), fixed);
  EXPECT_EQ(channel.used(), 5u);
  EXPECT_EQ(toHex(r.ksEncForTesting), "430E4C8C38DFEFAED92067B919A897F8");
  EXPECT_EQ(toHex(r.ksMacForTesting), "C1BC1F075797B970B5A45E64A764B0CB");
  EXPECT_EQ(r.sm.cipher(), SmCipher::Des3);
  EXPECT_EQ(toHex(r.sm.ssc()), "0000000000000000");
}

/// The chip's static key for PACE-CAM: the SubjectPublicKeyInfo of the ChipAuthenticationPublicKeyInfo
/// with keyId `keyId` in the SecurityInfos that EF.CardSecurity wraps in CMS (an OCTET STRING).
Bytes chipPublicKeyInfoIn(ByteView file, std::int64_t keyId) {
  Bytes spki;
  walk(file, [&](const Tlv& t, int) {
    if (t.tag != 0x04 || t.value.empty() || t.value[0] != 0x31) return;
    for (const auto& k : parseSecurityInfos(t.value).chipAuthenticationPublicKeys)
      if (k.keyId == keyId) spki = k.subjectPublicKeyInfo;
  });
  return spki;
}

TEST(PaceRealTrace, DeDocumentPaceCamThenSecureReadsProveTheChip) {
  const char* cardAccess =
      "31283012060A04007F0007020204020202010202010D3012060A04007F0007020204060202010202010D";
  const PaceInfo info = choosePaceInfo(parseCardAccess(fromHex(cardAccess))).value();
  EXPECT_EQ(paceProtocolName(info), "PACE-ECDH-CAM-AES128");  // CAM preferred over GM
  TraceChannel channel(pace_traces::kDeCam, 5);
  PaceReaderRandomForTesting fixed;
  fixed.mapPrivateKey = fromHex("01fd26013f5bc41fad8bb09811e435f16fbe2eb3c2e1d999b0f63da8c3d58bb5");
  fixed.ephemeralPrivateKey = fromHex("1fcd3d8ac4fae3960a14fea2925d75add335f13b248eba192358dded93a89552");
  PaceResult r = performPace(channel, info, PacePassword::mrz(mrzInformation("C4KHNY1PF", "780214", "330315")), fixed);
  EXPECT_EQ(toHex(r.ksEncForTesting), "A8E85E938514EC67AE33CDA3D43D3C48");
  EXPECT_EQ(toHex(r.ksMacForTesting), "27F1ADEB705A049A305B0C619B14B9B3");
  ASSERT_TRUE(r.cam.has_value());
  EXPECT_EQ(r.cam->chipAuthenticationData.size(), 32u);

  // The rest of the session: each command protected as the reader would, each response checked,
  // both sides' SSC in step; the READ BINARY answers form the file.
  SecureMessaging chipSide(SmCipher::Aes, r.ksEncForTesting, r.ksMacForTesting, Bytes(16));
  Bytes file;
  for (std::size_t i = 5; i < pace_traces::kDeCam.size(); ++i) {
    const auto& [c, a] = pace_traces::kDeCam[i];
    const CommandApdu plain = chipSide.unprotectCommand(CommandApdu::decode(fromHex(c)));
    r.sm.protectCommand(plain);
    const ResponseApdu answer = r.sm.unprotectResponse(ResponseApdu::decode(fromHex(a)));
    EXPECT_EQ(toHex(chipSide.protectResponse(answer).encode()), a) << "exchange " << i;
    if (plain.ins == 0xB0) file.insert(file.end(), answer.data.begin(), answer.data.end());
  }
  EXPECT_EQ(toHex(r.sm.ssc()), "00000000000000000000000000000016");

  // The PACE-CAM key carries the PACE parameter id as its keyId (here 13); another key (0x48) is for CA.
  const Bytes spki = chipPublicKeyInfoIn(file, 13);
  const Bytes otherKey = chipPublicKeyInfoIn(file, 0x48);
  ASSERT_FALSE(spki.empty()) << "no chip key in the file read";
  EXPECT_TRUE(verifyPaceCam(*r.cam, spki));
  EXPECT_FALSE(verifyPaceCam(*r.cam, otherKey));
  PaceCamEvidence forged = *r.cam;
  forged.chipAuthenticationData.back() ^= 0x01;
  EXPECT_FALSE(verifyPaceCam(forged, spki));
}

}  // namespace
