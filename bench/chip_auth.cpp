// bench_chip_auth: what Chip and Active Authentication cost.
//  1. Compute time of one Chip Authentication per key agreement group: the reader's ephemeral key
//     pair, both sides' key agreement and the session key derivation (no link), median of kRuns.
//  2. Compute time of one Active Authentication (chip signs, reader verifies) per key, median.
//  3. APDUs and bytes of a full read of a virtual passport (EF.COM, EF.SOD, DG1, DG2 20 KB, DG14,
//     DG15, extended length) over BAC alone, BAC + AA, BAC + CA and BAC + CA + AA.
//     Also PACE-GM (+ CA, + AA) and PACE-CAM (the chip proved in the PACE run, + AA).
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <unistd.h>
#include <vector>

#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/protocol/chip_auth.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"

using namespace portti::mrtd;

namespace {

constexpr int kRuns = 41;
const char* kMrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

double medianMs(const std::function<void()>& f) {
  std::vector<double> times;
  for (int i = 0; i < kRuns; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// The chip side of CA behind a channel without secure messaging: only the computation counts.
class ChipAuthLoopback : public ApduChannel {
 public:
  explicit ChipAuthLoopback(const std::string& pem) : chip_(pem) {}
  Bytes transmitRaw(ByteView raw) override {
    const CommandApdu c = CommandApdu::decode(raw);
    ResponseApdu r;
    if (c.ins == 0x22) r.sw = c.p2 == 0xA6 ? chip_.setKeyAgreementTemplate(c.data) : chip_.setAuthenticationTemplate(c.data);
    else r.sw = chip_.generalAuthenticate(c.data, r.data);
    chip_.takeSession();
    return r.encode();
  }
  ChannelLimits limits() const override { return {}; }
  std::string name() const override { return "loopback"; }

 private:
  ChipAuthChip chip_;
};

VirtualPassportSpec baseSpec(const std::filesystem::path& pkiDir) {
  VirtualPassportSpec spec;
  spec.mrz = kMrz;
  spec.faceImage.assign(20000, 0x5A);
  spec.faceImage[0] = 0xFF, spec.faceImage[1] = 0xD8, spec.faceImage[2] = 0xFF;
  spec.faceWidth = 480;
  spec.faceHeight = 640;
  spec.pkiDir = pkiDir;
  return spec;
}

}  // namespace

int main() {
  const auto dir = std::filesystem::temp_directory_path() / ("portti-bench-ca-" + std::to_string(::getpid()));
  pki::makeTestPki(dir.string());
  pki::TrustStore trust;
  trust.addPath(dir.string());

  std::printf("Chip Authentication compute time (reader key pair + both key agreements + KDF), median of %d\n", kRuns);
  std::printf("%-22s %-16s %10s\n", "group", "protocol", "ms");
  const std::pair<const char*, SymmetricCipher> groups[] = {
      {"EC:prime256v1", SymmetricCipher::Aes128},      {"EC:secp384r1", SymmetricCipher::Aes192},
      {"EC:secp521r1", SymmetricCipher::Aes256},       {"EC:brainpoolP256r1", SymmetricCipher::Aes128},
      {"EC:brainpoolP384r1", SymmetricCipher::Aes192}, {"EC:brainpoolP512r1", SymmetricCipher::Aes256},
      {"DH:dh_1024_160", SymmetricCipher::Tdes},       {"DH:dh_2048_224", SymmetricCipher::Aes128},
      {"DH:dh_2048_256", SymmetricCipher::Aes128},
  };
  for (const auto& [group, cipher] : groups) {
    VirtualPassportSpec spec = baseSpec(dir);
    spec.chipAuthKey = group;
    spec.chipAuthCipher = cipher;
    const IssuedPassport passport = issueVirtualPassport(spec);
    const ChipAuthParameters params = selectChipAuthParameters(parseDg14(passport.chip.files.at("DG14")));
    ChipAuthLoopback chip(passport.privateKeys.at("chip_auth.key.pem"));
    const double ms = medianMs([&] { performChipAuthentication(chip, params); });
    std::printf("%-22s %-16s %10.3f\n", group + 3, params.name().c_str(), ms);
  }

  std::printf("\nActive Authentication compute time (chip signs, reader verifies), median of %d\n", kRuns);
  std::printf("%-22s %-24s %10s\n", "key", "algorithm", "ms");
  for (const char* key : {"EC:prime256v1", "EC:brainpoolP384r1", "RSA:1024", "RSA:2048"}) {
    VirtualPassportSpec spec = baseSpec(dir);
    spec.activeAuthKey = key;
    const IssuedPassport passport = issueVirtualPassport(spec);
    const Dg15 dg15 = parseDg15(passport.chip.files.at("DG15"));
    const SecurityInfos dg14 = parseDg14(passport.chip.files.at("DG14"));
    std::optional<ActiveAuthenticationInfo> info;
    if (!dg14.activeAuthentication.empty()) info = dg14.activeAuthentication.front();
    const ActiveAuthChip chip(passport.privateKeys.at("active_auth.key.pem"));
    const Bytes challenge = fromHex("0102030405060708");
    ActiveAuthResult last;
    const double ms = medianMs([&] { last = verifyActiveAuthentication(dg15, info, challenge, chip.sign(challenge)); });
    std::printf("%-22s %-24s %10.3f%s\n", key, last.algorithm.c_str(), ms, last.status == AuthStatus::Passed ? "" : "  (FAILED)");
  }

  std::printf("\nFull read over the virtual chip (extended length): APDUs and bytes on the wire\n");
  std::printf("%-24s %6s %9s %10s  %s\n", "access + authenticity", "APDUs", "bytes", "ms", "CA / AA");
  const IssuedPassport gm = issueVirtualPassport(baseSpec(dir));  // PACE-ECDH-GM-AES128 on brainpoolP256r1
  VirtualPassportSpec camSpec = baseSpec(dir);
  camSpec.pace = PaceOffer{KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 13};
  const IssuedPassport cam = issueVirtualPassport(camSpec);
  const std::string mrzInfo = mrzInformation(parseValidMrz(kMrz));
  const struct {
    const char* name;
    const IssuedPassport* chip;
    bool pace, ca, aa;
  } modes[] = {{"BAC", &gm, false, false, false},          {"BAC + AA", &gm, false, false, true},
               {"BAC + CA", &gm, false, true, false},      {"BAC + CA + AA", &gm, false, true, true},
               {"PACE-GM", &gm, true, false, false},       {"PACE-GM + CA", &gm, true, true, false},
               {"PACE-GM + CA + AA", &gm, true, true, true}, {"PACE-CAM", &cam, true, true, false},
               {"PACE-CAM + AA", &cam, true, true, true}};
  for (const auto& m : modes) {
    DocumentReadOptions options;
    options.trust = &trust;
    options.chipAuthentication = m.ca;
    options.activeAuthentication = m.aa;
    DocumentRead read;
    const double ms = medianMs([&] {
      SimChannel channel(std::make_unique<VirtualChip>(m.chip->chip));
      read = m.pace ? readDocument(channel, AccessKey::mrz(mrzInfo), options)
                    : readDocument(channel, bacKeySeed(mrzInfo), options);
    });
    std::printf("%-24s %6zu %9zu %10.2f  %s / %s  (%s%s)\n", m.name, read.totals.apdus,
                read.totals.bytesSent + read.totals.bytesReceived, ms, toString(read.chipAuth.status),
                toString(read.activeAuth.status), read.accessMethod.c_str(),
                read.chipAuth.protocol.empty() ? "" : (", " + read.chipAuth.protocol).c_str());
  }
  std::filesystem::remove_all(dir);
  return 0;
}
