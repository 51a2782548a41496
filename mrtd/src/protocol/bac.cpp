// BAC, ICAO Doc 9303 Part 11 4.3 (steps as in Appendix D.3):
//   reader: S = RND.IFD || RND.IC || K.IFD, E.IFD = 3DES(K_enc, S), M.IFD = MAC(K_mac, E.IFD)
//   chip:   checks M.IFD and RND.IC, answers E.IC = 3DES(K_enc, RND.IC || RND.IFD || K.IC), M.IC
//   both:   KS_seed = K.IFD xor K.IC, KS_enc / KS_mac by the KDF, SSC = RND.IC[4..8] || RND.IFD[4..8]
#include "portti/mrtd/protocol/bac.hpp"

#include <openssl/crypto.h>

#include <string>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/crypto.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kMutualAuthenticate = "MUTUAL AUTHENTICATE";
constexpr const char* kDenied = "access denied: check the MRZ";

/// A buffer wiped when it goes out of scope (for the plain cryptograms holding key material).
struct Wiped {
  Bytes bytes;
  ~Wiped() {
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  }
};

void requireLength(ByteView value, std::size_t length, const char* what) {
  if (value.size() != length) {
    throw Error(ErrorArea::Access, "BAC",
                std::string(what) + " of " + std::to_string(value.size()) + " bytes (" + std::to_string(length) +
                    " expected)");
  }
}

/// Session keys and SSC from both key halves and both randoms (9303-11 4.3.3.3, 9.8.2).
SecureMessaging startSession(ByteView kIfd, ByteView kIc, ByteView rndIc, ByteView rndIfd) {
  Wiped seed{Bytes(16)};
  for (std::size_t i = 0; i < 16; ++i) seed.bytes[i] = kIfd[i] ^ kIc[i];
  const SecretBytes ksEnc = crypto::deriveKey(seed.bytes, crypto::KeyAlgorithm::Des3, crypto::KdfCounter::Enc);
  const SecretBytes ksMac = crypto::deriveKey(seed.bytes, crypto::KeyAlgorithm::Des3, crypto::KdfCounter::Mac);
  const Bytes ssc = concat({rndIc.subspan(4, 4), rndIfd.subspan(4, 4)});
  return SecureMessaging(SmCipher::Des3, ksEnc.view(), ksMac.view(), ssc);
}

}  // namespace

BacKeys deriveBacKeys(ByteView keySeed) {
  requireLength(keySeed, 16, "key seed");
  return {crypto::deriveKey(keySeed, crypto::KeyAlgorithm::Des3, crypto::KdfCounter::Enc),
          crypto::deriveKey(keySeed, crypto::KeyAlgorithm::Des3, crypto::KdfCounter::Mac)};
}

SecureMessaging performBac(ApduChannel& channel, ByteView keySeed) {
  const SecretBytes rndIfd = crypto::randomBytes(8);
  const SecretBytes kIfd = crypto::randomBytes(16);
  return performBac(channel, keySeed, rndIfd.view(), kIfd.view());
}

SecureMessaging performBac(ApduChannel& channel, ByteView keySeed, ByteView rndIfd, ByteView kIfd) {
  requireLength(rndIfd, 8, "RND.IFD");
  requireLength(kIfd, 16, "K.IFD");
  const BacKeys keys = deriveBacKeys(keySeed);

  // GET CHALLENGE (9303-11 4.3.4.1 / D.3 step 1).
  const ResponseApdu challenge = channel.transmit({0x00, 0x84, 0x00, 0x00, {}, 8});
  if (!challenge.ok()) {
    throw Error(ErrorArea::Access, "GET CHALLENGE",
                "the chip refused (" + describeStatus(challenge.sw) + "): it may not offer BAC");
  }
  if (challenge.data.size() != 8) {
    throw Error(ErrorArea::Access, "GET CHALLENGE",
                "the chip answered " + std::to_string(challenge.data.size()) + " bytes (8 expected)");
  }
  const Bytes& rndIc = challenge.data;

  // MUTUAL AUTHENTICATE with E.IFD || M.IFD (D.3 steps 3-6).
  Wiped s{concat({rndIfd, rndIc, kIfd})};
  const Bytes eIfd = crypto::des3CbcEncrypt(keys.kEnc.view(), s.bytes);
  const Bytes mIfd = crypto::retailMac(keys.kMac.view(), eIfd);
  const ResponseApdu answer = channel.transmit({0x00, 0x82, 0x00, 0x00, concat({eIfd, mIfd}), 40});
  if (answer.sw == sw::kAuthenticationFailed || answer.sw == sw::kSecurityNotSatisfied) {
    throw Error(ErrorArea::Access, kMutualAuthenticate, kDenied);
  }
  if (!answer.ok()) {
    throw Error(ErrorArea::Access, kMutualAuthenticate, "the chip refused (" + describeStatus(answer.sw) + ")");
  }
  if (answer.data.size() != 40) {
    throw Error(ErrorArea::Access, kMutualAuthenticate,
                "malformed answer of " + std::to_string(answer.data.size()) + " bytes (40 expected)");
  }
  const ByteView eIc = ByteView(answer.data).first(32);
  const ByteView mIc = ByteView(answer.data).subspan(32);
  // The MAC first, then the cryptogram: the chip must have used the same keys and our challenge.
  if (!crypto::equalConstantTime(crypto::retailMac(keys.kMac.view(), eIc), mIc)) {
    throw Error(ErrorArea::Access, kMutualAuthenticate, kDenied);
  }
  Wiped r{crypto::des3CbcDecrypt(keys.kEnc.view(), eIc)};
  const ByteView rv = r.bytes;
  if (!crypto::equalConstantTime(rv.first(8), rndIc) || !crypto::equalConstantTime(rv.subspan(8, 8), rndIfd)) {
    throw Error(ErrorArea::Access, kMutualAuthenticate, kDenied);
  }
  return startSession(kIfd, rv.subspan(16, 16), rndIc, rndIfd);
}

BacChip::BacChip(ByteView keySeed) : keys_(deriveBacKeys(keySeed)) {}

Bytes BacChip::getChallenge() {
  const SecretBytes rnd = crypto::randomBytes(8);
  return getChallenge(rnd.view());
}

Bytes BacChip::getChallenge(ByteView rndIc) {
  requireLength(rndIc, 8, "RND.IC");
  challenge_ = Bytes(rndIc.begin(), rndIc.end());
  return *challenge_;
}

std::optional<BacChip::Grant> BacChip::mutualAuthenticate(ByteView commandData) {
  const SecretBytes kIc = crypto::randomBytes(16);
  return mutualAuthenticate(commandData, kIc.view());
}

std::optional<BacChip::Grant> BacChip::mutualAuthenticate(ByteView commandData, ByteView kIc) {
  requireLength(kIc, 16, "K.IC");
  // One attempt per challenge: whatever happens, the challenge is spent.
  const std::optional<Bytes> rndIc = std::move(challenge_);
  challenge_.reset();
  if (!rndIc || commandData.size() != 40) return std::nullopt;
  const ByteView eIfd = commandData.first(32);
  if (!crypto::equalConstantTime(crypto::retailMac(keys_.kMac.view(), eIfd), commandData.subspan(32))) {
    return std::nullopt;
  }
  Wiped s{crypto::des3CbcDecrypt(keys_.kEnc.view(), eIfd)};
  const ByteView sv = s.bytes;
  if (!crypto::equalConstantTime(sv.subspan(8, 8), *rndIc)) return std::nullopt;
  const ByteView rndIfd = sv.first(8);
  const ByteView kIfd = sv.subspan(16, 16);
  Wiped r{concat({*rndIc, rndIfd, kIc})};
  const Bytes eIc = crypto::des3CbcEncrypt(keys_.kEnc.view(), r.bytes);
  const Bytes mIc = crypto::retailMac(keys_.kMac.view(), eIc);
  return Grant{concat({eIc, mIc}), startSession(kIfd, kIc, *rndIc, rndIfd)};
}

}  // namespace portti::mrtd
