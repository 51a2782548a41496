// PACE between the reader and the virtual chip for every variant portti offers (where no published
// run exists: 3DES and AES-192/256, the other curves and DH groups, CAM), then the hostile chip: wrong
// lengths, points off the curve or at infinity, DH values outside the group.
#include <gtest/gtest.h>

#include <functional>

#include "portti/mrtd/card/lds_files.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"

using namespace portti::mrtd;

namespace {

const std::string kMrzInformation = "L898902C<369080619406236";
const std::string kCan = "123456";

struct Variant {
  KeyAgreement ka;
  PaceMapping mapping;
  SymmetricCipher cipher;
  int parameterId;
  const char* name;
};

PaceInfo infoOf(const Variant& v) {
  const Bytes der = encodePaceInfo(v.ka, v.mapping, v.cipher, v.parameterId);
  return parseCardAccess(encodeCardAccess({der})).pace.at(0);
}

VirtualChip chipOffering(const Variant& v) {
  ChipImage image;
  image.files["EF.CardAccess"] = encodeCardAccess({encodePaceInfo(v.ka, v.mapping, v.cipher, v.parameterId)});
  image.files["EF.COM"] = fromHex("60145F0104303130375F36063034303030305C026175");
  image.config.set("mrz_information", kMrzInformation);
  image.config.set("can", kCan);
  // 2048-bit DH public keys need extended-length APDUs.
  if (v.ka == KeyAgreement::Dh && v.parameterId > 0) image.config.set("extended_length", "yes");
  return VirtualChip(std::move(image));
}

/// After PACE: SELECT the application and read EF.COM under secure messaging with the new keys.
void expectSecureRead(VirtualChip& chip, SimChannel& wire, PaceResult& r) {
  SecureChannel secure(wire, std::move(r.sm));
  const ResponseApdu select =
      secure.transmit({0x00, 0xA4, 0x04, 0x0C, Bytes(std::begin(kEmrtdAid), std::end(kEmrtdAid)), 0});
  EXPECT_TRUE(select.ok()) << describeStatus(select.sw);
  const ResponseApdu com = secure.transmit({0x00, 0xA4, 0x02, 0x0C, Bytes{0x01, 0x1E}, 0});
  EXPECT_TRUE(com.ok()) << describeStatus(com.sw);
  const ResponseApdu read = secure.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4});
  EXPECT_EQ(toHex(read.data), "60145F01");
  EXPECT_TRUE(chip.secured());
}

class PaceRoundTrip : public ::testing::TestWithParam<Variant> {};

TEST_P(PaceRoundTrip, MrzAndCanBothWork) {
  const Variant v = GetParam();
  for (const PacePassword& pw : {PacePassword::mrz(kMrzInformation), PacePassword::can(kCan)}) {
    VirtualChip chip = chipOffering(v);
    SimChannel wire(chip);
    PaceResult r = performPace(wire, infoOf(v), pw);
    EXPECT_EQ(r.protocol, v.name);
    EXPECT_EQ(r.sm.cipher(), v.cipher == SymmetricCipher::Tdes ? SmCipher::Des3 : SmCipher::Aes);
    expectSecureRead(chip, wire, r);
  }
}

TEST_P(PaceRoundTrip, AWrongPasswordIsRefusedAtTheLastStep) {
  const Variant v = GetParam();
  VirtualChip chip = chipOffering(v);
  SimChannel wire(chip);
  try {
    performPace(wire, infoOf(v), PacePassword::can("654321"));
    FAIL() << "a wrong CAN opened the chip";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access);
    EXPECT_EQ(e.step(), "GENERAL AUTHENTICATE (mutual authentication)");
    EXPECT_EQ(e.detail(), "access denied: check the CAN");
  }
  EXPECT_FALSE(chip.secured());
}

INSTANTIATE_TEST_SUITE_P(
    Variants, PaceRoundTrip,
    ::testing::Values(
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 12, "PACE-ECDH-GM-AES128"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13, "PACE-ECDH-GM-AES128"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes192, 15, "PACE-ECDH-GM-AES192"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 16, "PACE-ECDH-GM-AES256"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 17, "PACE-ECDH-GM-AES256"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 18, "PACE-ECDH-GM-AES256"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Tdes, 13, "PACE-ECDH-GM-3DES"},
        Variant{KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 0, "PACE-DH-GM-AES128"},
        Variant{KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Tdes, 1, "PACE-DH-GM-3DES"},
        Variant{KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes256, 2, "PACE-DH-GM-AES256"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes128, 13, "PACE-ECDH-IM-AES128"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Tdes, 12, "PACE-ECDH-IM-3DES"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes192, 16, "PACE-ECDH-IM-AES192"},
        Variant{KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes256, 17, "PACE-ECDH-IM-AES256"},
        Variant{KeyAgreement::Dh, PaceMapping::Integrated, SymmetricCipher::Aes128, 0, "PACE-DH-IM-AES128"},
        Variant{KeyAgreement::Dh, PaceMapping::Integrated, SymmetricCipher::Aes256, 2, "PACE-DH-IM-AES256"}),
    [](const ::testing::TestParamInfo<Variant>& i) {
      std::string n = std::string(i.param.name).substr(5) + "_" + std::to_string(i.param.parameterId);
      for (char& c : n)
        if (c == '-') c = '_';
      return n;
    });

TEST(PaceSelection, PrefersCamThenGmThenImAndSkipsWhatItCannotRun) {
  SecurityInfos infos = parseCardAccess(encodeCardAccess({
      encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes256, 13),
      encodePaceInfo(KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 0),
      encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13),
      encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 5),  // reserved id
  }));
  EXPECT_EQ(paceProtocolName(choosePaceInfo(infos).value()), "PACE-ECDH-GM-AES128");
  infos.pace.push_back(
      parseCardAccess(encodeCardAccess({encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::ChipAuthentication,
                                                       SymmetricCipher::Aes128, 13)}))
          .pace.at(0));
  EXPECT_EQ(paceProtocolName(choosePaceInfo(infos).value()), "PACE-ECDH-CAM-AES128");
  const SecurityInfos none = parseCardAccess(
      encodeCardAccess({encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 5)}));
  EXPECT_FALSE(choosePaceInfo(none).has_value());
}

// ---------------------------------------------------------------- a hostile chip

/// Forwards to the virtual chip and lets a test rewrite the answer to one GENERAL AUTHENTICATE step.
class TamperingChannel : public ApduChannel {
 public:
  TamperingChannel(VirtualChip& chip, int step, std::function<Bytes(Bytes)> rewrite)
      : chip_(chip), step_(step), rewrite_(std::move(rewrite)) {}
  Bytes transmitRaw(ByteView command) override {
    Bytes answer = chip_.transceive(command);
    if (command.size() > 1 && command[1] == 0x86 && ++ga_ == step_) answer = rewrite_(answer);
    return answer;
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "tamper"; }

 private:
  VirtualChip& chip_;
  int step_;
  std::function<Bytes(Bytes)> rewrite_;
  int ga_ = 0;
};

/// Replaces the one data object inside 7C with `value` (keeping the tag), SW 9000.
std::function<Bytes(Bytes)> replaceObject(Bytes value) {
  return [value](Bytes answer) {
    const Tlv outer = decodeOne(ByteView(answer).first(answer.size() - 2));
    const Tlv inner = decodeOne(outer.value);
    return concat({encodeTlv(0x7C, encodeTlv(inner.tag, value)), Bytes{0x90, 0x00}});
  };
}

std::string failureOf(const Variant& v, int step, std::function<Bytes(Bytes)> rewrite) {
  VirtualChip chip = chipOffering(v);
  TamperingChannel channel(chip, step, std::move(rewrite));
  try {
    performPace(channel, infoOf(v), PacePassword::mrz(kMrzInformation));
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access) << e.what();
    return e.what();
  }
  return "accepted";
}

const Variant kEcGm{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13, "PACE-ECDH-GM-AES128"};
const Variant kDhGm{KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 0, "PACE-DH-GM-AES128"};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(PaceHostileChip, EcPointsOffTheCurveAtInfinityOrOfTheWrongLengthAreRefused) {
  // The chip's mapping key (step 2) and ephemeral key (step 3) with one coordinate bit flipped.
  for (int step : {2, 3}) {
    const std::string off = failureOf(kEcGm, step, [](Bytes a) {
      a[a.size() - 3] ^= 0x01;
      return a;
    });
    EXPECT_TRUE(contains(off, "not a point on the curve") || contains(off, "not on the curve")) << off;
  }
  const std::string shortKey = failureOf(kEcGm, 2, replaceObject(Bytes(64, 0x04)));
  EXPECT_TRUE(contains(shortKey, "public key of 64 bytes (65 expected")) << shortKey;
  Bytes infinity(65, 0x00);
  EXPECT_TRUE(contains(failureOf(kEcGm, 3, replaceObject(infinity)), "uncompressed point"));
  Bytes compressed(65, 0x00);
  compressed[0] = 0x02;
  EXPECT_TRUE(contains(failureOf(kEcGm, 2, replaceObject(compressed)), "uncompressed point"));
  // An encrypted nonce that is not whole blocks, a missing object, a truncated token.
  EXPECT_TRUE(contains(failureOf(kEcGm, 1, replaceObject(Bytes(15, 0x11))), "whole cipher blocks"));
  EXPECT_TRUE(contains(failureOf(kEcGm, 3, [](Bytes) { return fromHex("7C009000"); }), "lacks the chip's ephemeral"));
  EXPECT_TRUE(contains(failureOf(kEcGm, 4, replaceObject(Bytes(7, 0x00))), "token does not verify"));
  EXPECT_TRUE(contains(failureOf(kEcGm, 2, [](Bytes) { return fromHex("7C81829000"); }), "malformed answer"));
}

TEST(PaceHostileChip, DhValuesOutsideTheGroupAreRefused) {
  const PaceDomain d = PaceDomain::standard(0);
  const Bytes one = concat({Bytes(127, 0x00), Bytes{0x01}});
  Bytes pMinus1 = fromHex(
      "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371");
  pMinus1.back() -= 1;
  const Bytes two = concat({Bytes(127, 0x00), Bytes{0x02}});  // 2 is not in the order-q subgroup
  EXPECT_TRUE(contains(failureOf(kDhGm, 2, replaceObject(one)), "outside 1 < y < p-1"));
  EXPECT_TRUE(contains(failureOf(kDhGm, 3, replaceObject(pMinus1)), "outside 1 < y < p-1"));
  EXPECT_TRUE(contains(failureOf(kDhGm, 2, replaceObject(two)), "not in the prime-order subgroup"));
  EXPECT_TRUE(contains(failureOf(kDhGm, 3, replaceObject(Bytes(127, 0x05))), "public value of 127 bytes (128 expected)"));
  EXPECT_THROW(d.checkElement(one, "test"), Error);
}

TEST(PaceHostileChip, ReaderNamesARefusedSetAt) {
  VirtualChip chip = chipOffering(kEcGm);
  SimChannel wire(chip);
  // The chip offers GM on brainpoolP256r1; the reader asks for IM.
  const Variant im{KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes128, 13, ""};
  try {
    performPace(wire, infoOf(im), PacePassword::mrz(kMrzInformation));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.step(), "MSE:Set AT (PACE)");
    EXPECT_TRUE(contains(e.detail(), "6A80")) << e.what();
  }
}

}  // namespace
