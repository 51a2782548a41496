// Fuzz target: decoding of PACE steps on both sides (ICAO 9303-11 4.4). EF.CardAccess parsing is
// fuzzed by fuzz_security_infos. Input: byte 0 picks the case (low 7 bits: protocol, bit 7: chip side),
// then chunks of [2-byte big-endian length][bytes].
//   reader side: the chunks are the chip's raw answers (data + SW) to MSE:Set AT and GA steps 1-4,
//                with the reader's keys fixed to the worked examples' (ICAO G.1, G.2, H.1), so seeds
//                made of the published answers run the whole protocol;
//   chip side:   the chunks are command APDUs sent to a PaceChip offering the protocol; it must answer
//                every one with a status word and never throw.
#include <cstddef>
#include <cstdint>
#include <deque>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/protocol/pace.hpp"

namespace {
using namespace portti::mrtd;

struct Case {
  KeyAgreement ka;
  PaceMapping mapping;
  SymmetricCipher cipher;
  int parameterId;
  bool can;  // password: CAN "123456" (else the Appendix G MRZ)
  const char* skMap;
  const char* skEph;
  const char* t;
};

const Case kCases[] = {
    // 0: ICAO G.1
    {KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13, false,
     "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
     "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595", ""},
    // 1: ICAO G.2
    {KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 0, false,
     "5265030F751F4AD18B08AC565FC7AC952E41618D", "89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA", ""},
    // 2: ICAO H.1
    {KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes128, 13, true, "",
     "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595", "5DD4CBFC96F5453B130D890A1CDBAE32"},
    // 3: PACE-CAM on brainpoolP256r1 (G.1 keys)
    {KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 13, false,
     "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
     "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595", ""},
    // 4: 3DES on P-256
    {KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Tdes, 12, false,
     "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
     "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595", ""},
};

class ChunkChannel : public ApduChannel {
 public:
  explicit ChunkChannel(std::deque<Bytes> answers) : answers_(std::move(answers)) {}
  Bytes transmitRaw(ByteView) override {
    if (answers_.empty()) throw Error(ErrorArea::Transport, "fuzz", "no answer left");
    Bytes a = std::move(answers_.front());
    answers_.pop_front();
    return a;
  }
  ChannelLimits limits() const override { return {65544, 65538, true}; }
  std::string name() const override { return "fuzz"; }

 private:
  std::deque<Bytes> answers_;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const Case& c = kCases[(data[0] & 0x7F) % (sizeof kCases / sizeof kCases[0])];
  const bool chipSide = (data[0] & 0x80) != 0;
  std::deque<Bytes> chunks;
  for (std::size_t i = 1; i + 2 <= size && chunks.size() < 8;) {
    const std::size_t n = std::size_t{data[i]} << 8 | data[i + 1];
    i += 2;
    const std::size_t take = std::min(n, size - i);
    chunks.emplace_back(data + i, data + i + take);
    i += take;
  }
  const Bytes infoDer = encodePaceInfo(c.ka, c.mapping, c.cipher, c.parameterId);
  const PaceInfo info = parseCardAccess(encodeCardAccess({infoDer})).pace.at(0);
  const PacePassword password = c.can ? PacePassword::can("123456") : PacePassword::mrz("T22000129364081251010318");

  if (!chipSide) {
    PaceReaderRandomForTesting fixed;
    if (*c.skMap) fixed.mapPrivateKey = fromHex(c.skMap);
    fixed.ephemeralPrivateKey = fromHex(c.skEph);
    if (*c.t) fixed.integratedNonce = fromHex(c.t);
    ChunkChannel channel(std::move(chunks));
    try {
      PaceResult r = performPace(channel, info, password, fixed);
      if (r.ksEncForTesting.empty()) __builtin_trap();
    } catch (const Error&) {
    }
    return 0;
  }

  PaceChip::Config config;
  config.offered = {info};
  (c.can ? config.can : config.mrz) = password;
  if (c.mapping == PaceMapping::ChipAuthentication) {
    config.camStaticPrivateKey = fromHex("498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560");
    config.camParameterId = c.parameterId;
  }
  PaceChip chip(std::move(config));
  for (const Bytes& raw : chunks) {
    CommandApdu command;
    try {
      command = CommandApdu::decode(raw);
    } catch (const Error&) {
      continue;
    }
    if (!PaceChip::handles(command)) continue;
    const ResponseApdu r = chip.answer(command);  // must not throw
    if (r.sw == 0x9000 && r.data.empty() && command.ins != 0x22) __builtin_trap();  // GA answers carry 7C
  }
  return 0;
}
