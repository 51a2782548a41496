// BAC against ICAO 9303-11 Appendix D verbatim (reader and chip side), a full BAC plus secure
// reading between the two sides, and the refusals: wrong MRZ, forged or mismatched answers.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/bac.hpp"
#include "portti/mrtd/sm/crypto.hpp"

using namespace portti::mrtd;

namespace {

/// K_seed of Appendix D.2, computed here from the MRZ information as the MRZ module would.
Bytes appendixDSeed() {
  const std::string mrzInformation = "L898902C<369080619406236";
  Bytes hash = crypto::sha1(Bytes(mrzInformation.begin(), mrzInformation.end()));
  hash.resize(16);
  return hash;
}

const Bytes kRndIc = fromHex("4608F91988702212");
const Bytes kRndIfd = fromHex("781723860C06C226");
const Bytes kKIfd = fromHex("0B795240CB7049B01C19B33E32804F0B");
const Bytes kKIc = fromHex("0B4F80323EB3191CB04970CB4052790B");
const char* kMutualAuthCommand =
    "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728";
const char* kMutualAuthAnswer = "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449";

/// Answers with queued responses and records the commands it was sent.
class ScriptedChannel : public ApduChannel {
 public:
  Bytes transmitRaw(ByteView command) override {
    sent.push_back(toHex(command));
    if (answers.empty()) throw Error(ErrorArea::Transport, "scripted", "no answer left");
    Bytes a = fromHex(answers.front());
    answers.pop_front();
    return a;
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "scripted"; }

  std::deque<std::string> answers;
  std::vector<std::string> sent;
};

ScriptedChannel appendixDChip(const std::string& mutualAnswer = std::string(kMutualAuthAnswer) + "9000",
                              const std::string& challenge = "4608F919887022129000") {
  ScriptedChannel c;
  c.answers = {challenge, mutualAnswer};
  return c;
}

void expectDenied(const std::function<void()>& run, const char* what) {
  try {
    run();
    ADD_FAILURE() << what << ": BAC succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Access) << what;
    EXPECT_EQ(e.step(), "MUTUAL AUTHENTICATE") << what;
    EXPECT_EQ(e.detail(), "access denied: check the MRZ") << what << ": " << e.what();
  }
}

}  // namespace

TEST(BacAppendixD, KeySeedAndBasicAccessKeys) {
  EXPECT_EQ(toHex(appendixDSeed()), "239AB9CB282DAF66231DC5A4DF6BFBAE");
  const BacKeys keys = deriveBacKeys(appendixDSeed());
  EXPECT_EQ(toHex(keys.kEnc.view()), "AB94FDECF2674FDFB9B391F85D7F76F2");
  EXPECT_EQ(toHex(keys.kMac.view()), "7962D9ECE03D1ACD4C76089DCE131543");
  EXPECT_THROW(deriveBacKeys(Bytes(15, 0)), Error);
}

TEST(BacAppendixD, ReaderSideSendsAndAcceptsTheWorkedExample) {
  ScriptedChannel chip = appendixDChip();
  SecureMessaging sm = performBac(chip, appendixDSeed(), kRndIfd, kKIfd);
  ASSERT_EQ(chip.sent.size(), 2u);
  EXPECT_EQ(chip.sent[0], "0084000008");
  EXPECT_EQ(chip.sent[1], kMutualAuthCommand);
  EXPECT_EQ(sm.cipher(), SmCipher::Des3);
  EXPECT_EQ(toHex(sm.ssc()), "887022120C06C226");
  // KS_enc / KS_mac are right iff the session protects SELECT EF.COM exactly as D.4 does.
  EXPECT_EQ(toHex(sm.protectCommand({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).encode()),
            "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  EXPECT_EQ(sm.unprotectResponse(ResponseApdu::decode(fromHex("990290008E08FA855A5D4C50A8ED9000"))).sw, 0x9000);
}

TEST(BacAppendixD, ChipSideAnswersTheWorkedExample) {
  BacChip chip(appendixDSeed());
  EXPECT_EQ(toHex(chip.getChallenge(kRndIc)), "4608F91988702212");
  const CommandApdu mutual = CommandApdu::decode(fromHex(kMutualAuthCommand));
  auto grant = chip.mutualAuthenticate(mutual.data, kKIc);
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(toHex(grant->responseData), kMutualAuthAnswer);
  EXPECT_EQ(toHex(grant->sm.ssc()), "887022120C06C226");
  // The chip's session reads the D.4 commands and answers with the D.4 responses.
  CommandApdu select =
      grant->sm.unprotectCommand(CommandApdu::decode(fromHex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")));
  EXPECT_EQ(toHex(select.encode()), "00A4020C02011E");
  EXPECT_EQ(toHex(grant->sm.protectResponse({{}, 0x9000}).encode()), "990290008E08FA855A5D4C50A8ED9000");
}

TEST(BacAppendixD, RefusalsAreAccessDenied) {
  const Bytes seed = appendixDSeed();
  // The chip refuses the key.
  for (const char* status : {"6300", "6982"}) {
    ScriptedChannel chip = appendixDChip(status);
    expectDenied([&] { performBac(chip, seed, kRndIfd, kKIfd); }, status);
  }
  // A forged M.IC.
  std::string forged = std::string(kMutualAuthAnswer) + "9000";
  forged[forged.size() - 5] = forged[forged.size() - 5] == '9' ? '8' : '9';
  {
    ScriptedChannel chip = appendixDChip(forged);
    expectDenied([&] { performBac(chip, seed, kRndIfd, kKIfd); }, "forged M.IC");
  }
  // A valid answer to someone else's RND.IFD (gmrtd TestProcessResponseRndIfcMismatchErr).
  {
    ScriptedChannel chip = appendixDChip();
    expectDenied([&] { performBac(chip, seed, fromHex("781723860C06C2FF"), kKIfd); }, "RND.IFD not echoed");
  }
  // A valid answer to another challenge (gmrtd TestProcessResponseRndIccMismatchErr).
  {
    ScriptedChannel chip = appendixDChip(std::string(kMutualAuthAnswer) + "9000", "4608F919887022009000");
    expectDenied([&] { performBac(chip, seed, kRndIfd, kKIfd); }, "RND.IC not echoed");
  }
  // The wrong MRZ: another key seed (gmrtd TestProcessResponseKMacKeyMismatchErr in spirit).
  {
    ScriptedChannel chip = appendixDChip();
    Bytes wrong = seed;
    wrong[0] ^= 0x01;
    expectDenied([&] { performBac(chip, wrong, kRndIfd, kKIfd); }, "wrong seed");
  }
}

TEST(BacAppendixD, OtherFailuresSayWhatHappened) {
  const Bytes seed = appendixDSeed();
  struct Case {
    const char* what;
    ScriptedChannel chip;
    const char* step;
    const char* detailPart;
  };
  std::vector<Case> cases;
  cases.push_back({"no BAC", appendixDChip("", "6D00"), "GET CHALLENGE", "6D00"});
  cases.push_back({"short challenge", appendixDChip("", "4608F9199000"), "GET CHALLENGE", "4 bytes"});
  cases.push_back({"39-byte answer", appendixDChip(std::string(kMutualAuthAnswer).substr(0, 78) + "9000"),
                   "MUTUAL AUTHENTICATE", "39 bytes"});
  cases.push_back({"other status", appendixDChip("6700"), "MUTUAL AUTHENTICATE", "6700"});
  for (Case& c : cases) {
    try {
      performBac(c.chip, seed, kRndIfd, kKIfd);
      ADD_FAILURE() << c.what;
    } catch (const Error& e) {
      EXPECT_EQ(e.area(), ErrorArea::Access) << c.what;
      EXPECT_EQ(e.step(), c.step) << c.what;
      EXPECT_NE(e.detail().find(c.detailPart), std::string::npos) << c.what << ": " << e.what();
      EXPECT_NE(e.detail(), "access denied: check the MRZ") << c.what;
    }
  }
  ScriptedChannel chip = appendixDChip();
  EXPECT_THROW(performBac(chip, Bytes(15, 0), kRndIfd, kKIfd), Error);
  EXPECT_THROW(performBac(chip, seed, Bytes(7, 0), kKIfd), Error);
  EXPECT_THROW(performBac(chip, seed, kRndIfd, Bytes(8, 0)), Error);
}

TEST(BacChipSide, DeniesWithoutAFreshChallengeOrTheRightKey) {
  const Bytes seed = appendixDSeed();
  const Bytes data = CommandApdu::decode(fromHex(kMutualAuthCommand)).data;
  BacChip chip(seed);
  EXPECT_FALSE(chip.mutualAuthenticate(data, kKIc).has_value());  // no challenge yet
  chip.getChallenge(kRndIc);
  EXPECT_FALSE(chip.mutualAuthenticate(ByteView(data).first(39), kKIc).has_value());  // wrong length
  EXPECT_FALSE(chip.mutualAuthenticate(data, kKIc).has_value());  // the challenge was spent
  chip.getChallenge(kRndIc);
  Bytes badMac = data;
  badMac.back() ^= 0x01;
  EXPECT_FALSE(chip.mutualAuthenticate(badMac, kKIc).has_value());
  chip.getChallenge(fromHex("0102030405060708"));  // a new challenge: the old answer is a replay
  EXPECT_FALSE(chip.mutualAuthenticate(data, kKIc).has_value());
  BacChip other(fromHex("00112233445566778899AABBCCDDEEFF"));
  other.getChallenge(kRndIc);
  EXPECT_FALSE(other.mutualAuthenticate(data, kKIc).has_value());
  EXPECT_EQ(chip.getChallenge().size(), 8u);
  EXPECT_NE(toHex(chip.getChallenge()), toHex(chip.getChallenge()));
}

// --- a full BAC between the two sides ------------------------------------------------------------

namespace {

/// A tiny chip: BAC with BacChip, then EF.COM under secure messaging; plain 6988 on SM errors.
class BacCard : public ApduChannel {
 public:
  explicit BacCard(ByteView seed) : bac_(seed) {}

  Bytes transmitRaw(ByteView raw) override {
    const CommandApdu c = CommandApdu::decode(raw);
    if (sm_ && SecureMessaging::isProtected(c)) {
      try {
        return sm_->protectResponse(serve(sm_->unprotectCommand(c))).encode();
      } catch (const Error&) {
        sm_.reset();  // 9303-11 9.8.6: an SM error ends the session
        return ResponseApdu{{}, sw::kSmDataObjectsIncorrect}.encode();
      }
    }
    sm_.reset();  // any plain command ends secure messaging
    if (c.ins == 0x84 && c.ne == 8) return ResponseApdu{bac_.getChallenge(), sw::kOk}.encode();
    if (c.ins == 0x82) {
      auto grant = bac_.mutualAuthenticate(c.data);
      if (!grant) return ResponseApdu{{}, sw::kAuthenticationFailed}.encode();
      sm_.emplace(std::move(grant->sm));
      return ResponseApdu{grant->responseData, sw::kOk}.encode();
    }
    return ResponseApdu{{}, sw::kSecurityNotSatisfied}.encode();
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "bac-card"; }

 private:
  ResponseApdu serve(const CommandApdu& c) {
    const Bytes efCom = fromHex("60145F0104303130365F36063034303030305C026175");
    if (c.ins == 0xA4) {
      selected_ = c.data == fromHex("011E");
      return {{}, selected_ ? sw::kOk : sw::kFileNotFound};
    }
    if (c.ins == 0xB0 && selected_) {
      const std::size_t offset = std::min<std::size_t>(std::size_t{c.p1} << 8 | c.p2, efCom.size());
      const std::size_t n = std::min(c.ne, efCom.size() - offset);
      return {Bytes(efCom.begin() + static_cast<std::ptrdiff_t>(offset),
                    efCom.begin() + static_cast<std::ptrdiff_t>(offset + n)),
              sw::kOk};
    }
    return {{}, sw::kSecurityNotSatisfied};
  }

  BacChip bac_;
  std::optional<SecureMessaging> sm_;
  bool selected_ = false;
};

}  // namespace

TEST(BacEndToEnd, ReaderAndChipAgreeAndReadEfCom) {
  BacCard card(appendixDSeed());
  CountingChannel counting(card);
  SecureChannel secure(counting, performBac(counting, appendixDSeed()));
  EXPECT_EQ(counting.counters().apdus, 2u);
  EXPECT_TRUE(secure.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).ok());
  Bytes file = secure.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4}).data;
  const ResponseApdu rest = secure.transmit({0x00, 0xB0, 0x00, 0x04, {}, 256});
  file.insert(file.end(), rest.data.begin(), rest.data.end());
  EXPECT_EQ(toHex(file), "60145F0104303130365F36063034303030305C026175");
  EXPECT_EQ(secure.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("0101"), 0}).sw, sw::kFileNotFound);
  // Two runs never share session keys: a second BAC restarts secure messaging.
  SecureChannel again(counting, performBac(counting, appendixDSeed()));
  EXPECT_TRUE(again.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).ok());
  EXPECT_THROW(secure.transmit({0x00, 0xB0, 0x00, 0x00, {}, 4}), Error);  // old keys: chip says 6988
  EXPECT_TRUE(secure.broken());
}

TEST(BacEndToEnd, WrongMrzIsAccessDenied) {
  BacCard card(appendixDSeed());
  const std::string otherMrz = "L898902C<369080619406237";  // another date of expiry
  Bytes seed = crypto::sha1(Bytes(otherMrz.begin(), otherMrz.end()));
  seed.resize(16);
  expectDenied([&] { performBac(card, seed); }, "wrong MRZ");
  // The chip still works with the right one afterwards.
  SecureChannel secure(card, performBac(card, appendixDSeed()));
  EXPECT_TRUE(secure.transmit({0x00, 0xA4, 0x02, 0x0C, fromHex("011E"), 0}).ok());
}
