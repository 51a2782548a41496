// bench_pace: what PACE costs. Part 1: compute time of one PACE run per variant (reader and virtual
// chip in one process, both sides' arithmetic; median of many runs), with its APDUs and bytes. Part 2:
// a full read of a virtual passport (EF.CardAccess, EF.COM, EF.SOD, DG1, DG2 20 KB, DG14, DG15) per
// scheme: BAC, BAC + AA, PACE-GM, PACE-GM + CA, PACE-CAM: APDUs, bytes on the wire, the modelled link
// time and the in-process time (one table of schemes; add a row to compare another). Part 3: compute
// time of Chip Authentication per group (EC curves, RFC 5114 DH groups); Part 4: of Active
// Authentication per key.
//
// Link model (stated, not measured), as bench_read_chip: 424 kbit/s, 9 bits per byte, 3 framing bytes
// per frame, one command and one response frame per APDU, 5 ms turnaround per APDU.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <unistd.h>
#include <vector>

#include "link_model.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/mrtd/pki/trust_store.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/protocol/chip_auth.hpp"
#include "portti/mrtd/protocol/pace.hpp"

using namespace portti::mrtd;
using portti::bench::linkMs;

namespace {

const char* kMrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Variant {
  const char* curve;
  KeyAgreement ka;
  PaceMapping mapping;
  SymmetricCipher cipher;
  int parameterId;
};

// ---- Part 1: one PACE run per variant
void paceVariants(const std::string& mrzInfo) {
  const Variant variants[] = {
      {"P-256", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 12},
      {"P-384", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes192, 15},
      {"P-521", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 18},
      {"brainpoolP256r1", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13},
      {"brainpoolP256r1", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Tdes, 13},
      {"brainpoolP384r1", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes192, 16},
      {"brainpoolP512r1", KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes256, 17},
      {"brainpoolP256r1", KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes128, 13},
      {"P-256", KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes128, 12},
      {"DH 1024/160", KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 0},
      {"DH 2048/224", KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 1},
      {"DH 2048/256", KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes256, 2},
      {"DH 1024/160", KeyAgreement::Dh, PaceMapping::Integrated, SymmetricCipher::Aes128, 0},
  };
  std::printf("Part 1: one PACE run, reader + virtual chip in-process (both sides' arithmetic)\n");
  std::printf("%-22s %-16s %5s %6s %6s %11s\n", "protocol", "domain", "runs", "APDUs", "bytes", "median ms");
  for (const Variant& v : variants) {
    const Bytes infoDer = encodePaceInfo(v.ka, v.mapping, v.cipher, v.parameterId);
    ChipImage image;
    image.files["EF.CardAccess"] = encodeCardAccess({infoDer});
    image.config.set("mrz_information", mrzInfo);
    if (v.ka == KeyAgreement::Dh && v.parameterId > 0) image.config.set("extended_length", "yes");
    const PaceInfo info = parseCardAccess(image.files["EF.CardAccess"]).pace.at(0);
    const PacePassword password = PacePassword::mrz(mrzInfo);
    const int runs = v.ka == KeyAgreement::Dh && v.parameterId > 0 ? 15 : 41;
    std::vector<double> times;
    ChannelCounters counters;
    for (int i = 0; i < runs; ++i) {
      VirtualChip chip(image);
      SimChannel sim(chip);
      CountingChannel wire(sim);
      const auto t0 = std::chrono::steady_clock::now();
      performPace(wire, info, password);
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      counters = wire.counters();
    }
    std::printf("%-22s %-16s %5d %6zu %6zu %11.2f\n", paceProtocolName(info).c_str(), v.curve, runs, counters.apdus,
                counters.bytesSent + counters.bytesReceived, median(times));
  }
}

// ---- Part 2: a full read per access scheme
struct Scheme {
  std::string label;
  ChipImage chip;
  AccessKey key;
  /// Work after the read that belongs to the scheme (e.g. checking PACE-CAM against DG14).
  std::function<void(const DocumentRead&)> after;
  bool chipAuthentication = false;    ///< CA after DG14 (needs the trust store)
  bool activeAuthentication = false;  ///< AA at the end
};

void fullReads(std::vector<Scheme>& schemes, const pki::TrustStore& trust) {
  constexpr int kRuns = 11;
  std::printf("\nPart 2: full read (EF.CardAccess, EF.COM, EF.SOD, DG1, DG2, DG14, DG15), extended length, median of %d\n",
              kRuns);
  std::printf("%-26s %-22s %6s %9s %10s %14s\n", "scheme", "access", "APDUs", "bytes", "link ms", "in-process ms");
  for (Scheme& s : schemes) {
    DocumentReadOptions options;
    options.dataGroups = {1, 2, 14, 15};
    options.trust = &trust;
    options.chipAuthentication = s.chipAuthentication;
    options.activeAuthentication = s.activeAuthentication;
    std::vector<double> times;
    DocumentRead read;
    for (int i = 0; i < kRuns; ++i) {
      SimChannel channel(std::make_unique<VirtualChip>(s.chip));
      const auto t0 = std::chrono::steady_clock::now();
      read = readDocument(channel, s.key, options);
      if (s.after) s.after(read);
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    const std::size_t bytes = read.totals.bytesSent + read.totals.bytesReceived;
    std::printf("%-26s %-22s %6zu %9zu %10.1f %14.2f\n", s.label.c_str(), read.accessMethod.c_str(), read.totals.apdus,
                bytes, linkMs(read.totals.apdus, bytes), median(times));
  }
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

/// Part 3: one Chip Authentication per group (reader key pair, both key agreements, KDF; no link)
/// and one Active Authentication per key (chip signs, reader verifies), medians.
void chipAuthenticity(VirtualPassportSpec spec) {
  constexpr int kRuns = 41;
  const auto medianOf = [](const std::function<void()>& f) {
    std::vector<double> times;
    for (int i = 0; i < kRuns; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      f();
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return median(times);
  };
  spec.pace.reset();
  std::printf("\nPart 3: Chip Authentication compute time per group, median of %d\n", kRuns);
  std::printf("%-22s %-16s %10s\n", "group", "protocol", "ms");
  const std::pair<const char*, SymmetricCipher> groups[] = {
      {"EC:prime256v1", SymmetricCipher::Aes128},      {"EC:secp384r1", SymmetricCipher::Aes192},
      {"EC:secp521r1", SymmetricCipher::Aes256},       {"EC:brainpoolP256r1", SymmetricCipher::Aes128},
      {"EC:brainpoolP384r1", SymmetricCipher::Aes192}, {"EC:brainpoolP512r1", SymmetricCipher::Aes256},
      {"DH:dh_1024_160", SymmetricCipher::Tdes},       {"DH:dh_2048_224", SymmetricCipher::Aes128},
      {"DH:dh_2048_256", SymmetricCipher::Aes128},
  };
  for (const auto& [group, cipher] : groups) {
    spec.chipAuthKey = group;
    spec.chipAuthCipher = cipher;
    const IssuedPassport passport = issueVirtualPassport(spec);
    const ChipAuthParameters params = selectChipAuthParameters(parseDg14(passport.chip.files.at("DG14")));
    ChipAuthLoopback chip(passport.privateKeys.at("chip_auth.key.pem"));
    const double ms = medianOf([&] { performChipAuthentication(chip, params); });
    std::printf("%-22s %-16s %10.3f\n", group + 3, params.name().c_str(), ms);
  }
  spec.chipAuthKey = "EC:prime256v1";
  spec.chipAuthCipher = SymmetricCipher::Aes128;
  std::printf("\nPart 4: Active Authentication compute time (chip signs, reader verifies), median of %d\n", kRuns);
  std::printf("%-22s %-24s %10s\n", "key", "algorithm", "ms");
  for (const char* key : {"EC:prime256v1", "EC:brainpoolP384r1", "RSA:1024", "RSA:2048"}) {
    spec.activeAuthKey = key;
    const IssuedPassport passport = issueVirtualPassport(spec);
    const Dg15 dg15 = parseDg15(passport.chip.files.at("DG15"));
    const SecurityInfos dg14 = parseDg14(passport.chip.files.at("DG14"));
    std::optional<ActiveAuthenticationInfo> info;
    if (!dg14.activeAuthentication.empty()) info = dg14.activeAuthentication.front();
    const ActiveAuthChip chip(passport.privateKeys.at("active_auth.key.pem"));
    const Bytes challenge = fromHex("0102030405060708");
    ActiveAuthResult last;
    const double ms = medianOf([&] { last = verifyActiveAuthentication(dg15, info, challenge, chip.sign(challenge)); });
    std::printf("%-22s %-24s %10.3f%s\n", key, last.algorithm.c_str(), ms,
                last.status == AuthStatus::Passed ? "" : "  (FAILED)");
  }
}

}  // namespace

int main() {
  const Mrz mrz = parseValidMrz(kMrz);
  const std::string mrzInfo = mrzInformation(mrz);
  paceVariants(mrzInfo);

  const auto dir = std::filesystem::temp_directory_path() / ("portti-bench-pace-" + std::to_string(::getpid()));
  pki::makeTestPki(dir.string());
  VirtualPassportSpec spec;
  spec.mrz = kMrz;
  spec.faceImage.assign(20000, 0x5A);  // a 20 KB portrait: only its size matters here
  spec.faceImage[0] = 0xFF, spec.faceImage[1] = 0xD8, spec.faceImage[2] = 0xFF;
  spec.faceWidth = 480;
  spec.faceHeight = 640;
  spec.pkiDir = dir;

  pki::TrustStore trust;
  trust.addPath(dir.string());
  std::vector<Scheme> schemes;
  spec.fault = IssuanceFault::BacOnly;
  const ChipImage bacChip = issueVirtualPassport(spec).chip;
  schemes.push_back({"BAC", bacChip, AccessKey::mrz(mrzInfo), {}, false, false});
  schemes.push_back({"BAC + AA", bacChip, AccessKey::mrz(mrzInfo), {}, false, true});
  spec.fault = IssuanceFault::None;
  spec.pace = PaceOffer{KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13};
  const ChipImage gmChip = issueVirtualPassport(spec).chip;
  schemes.push_back({"PACE-GM", gmChip, AccessKey::mrz(mrzInfo), {}, false, false});
  schemes.push_back({"PACE-GM + CA", gmChip, AccessKey::mrz(mrzInfo), {}, true, false});
  spec.pace = PaceOffer{KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 13};
  // PACE-CAM's chip proof is checked against DG14 once PA proved it (chip_auth "PACE-CAM": no CA APDUs).
  schemes.push_back({"PACE-CAM", issueVirtualPassport(spec).chip, AccessKey::mrz(mrzInfo),
                     [](const DocumentRead& r) {
                       if (r.chipAuth.status != AuthStatus::Passed) std::fprintf(stderr, "PACE-CAM did not verify\n");
                     },
                     true, false});
  fullReads(schemes, trust);
  chipAuthenticity(spec);
  std::filesystem::remove_all(dir);
  std::printf("\n");
  portti::bench::printLinkModel();
  return 0;
}
