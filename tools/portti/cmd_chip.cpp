// portti chip make: issues a virtual passport (a chip folder for `--reader sim:DIR`) from an MRZ, a
// photo and a test PKI (`portti pki make-test`), optionally with a fault a verifier must catch.
// The chip offers PACE (default PACE-ECDH-GM-AES128 on brainpoolP256r1) beside BAC, with a CAN
// (given, or random) recorded in the folder's can.txt.
#include <iostream>
#include <map>
#include <optional>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/pace.hpp"
#include "portti/vision/face_image.hpp"

namespace portti::cli {

namespace {

/// --pace-mapping gm|im|cam|none, --pace-curve (a standardised curve or DH group), --pace-cipher.
std::optional<mrtd::PaceOffer> paceOfferFromArgs(const Args& args) {
  mrtd::PaceOffer offer;
  const std::string mapping = args.get("pace-mapping").value_or("gm");
  if (mapping == "none") return std::nullopt;
  if (mapping == "gm") offer.mapping = mrtd::PaceMapping::Generic;
  else if (mapping == "im") offer.mapping = mrtd::PaceMapping::Integrated;
  else if (mapping == "cam") offer.mapping = mrtd::PaceMapping::ChipAuthentication;
  else throw UsageError("--pace-mapping: gm, im, cam or none");
  const std::string curve = args.get("pace-curve").value_or("brainpoolP256r1");
  static const std::map<std::string, int> kCurves = {
      {"P-256", 12}, {"prime256v1", 12}, {"P-384", 15}, {"secp384r1", 15}, {"P-521", 18}, {"secp521r1", 18},
      {"brainpoolP256r1", 13}, {"brainpoolP384r1", 16}, {"brainpoolP512r1", 17}, {"brainpoolP320r1", 14},
      {"dh1024", 0}, {"dh2048-224", 1}, {"dh2048-256", 2}};
  const auto c = kCurves.find(curve);
  if (c == kCurves.end())
    throw UsageError("--pace-curve: P-256, P-384, P-521, brainpoolP256r1, brainpoolP384r1, brainpoolP512r1, "
                     "brainpoolP320r1, dh1024, dh2048-224 or dh2048-256");
  offer.parameterId = c->second;
  offer.keyAgreement = c->second <= 2 ? mrtd::KeyAgreement::Dh : mrtd::KeyAgreement::Ecdh;
  const std::string cipher = args.get("pace-cipher").value_or("aes128");
  if (cipher == "3des") offer.cipher = mrtd::SymmetricCipher::Tdes;
  else if (cipher == "aes128") offer.cipher = mrtd::SymmetricCipher::Aes128;
  else if (cipher == "aes192") offer.cipher = mrtd::SymmetricCipher::Aes192;
  else if (cipher == "aes256") offer.cipher = mrtd::SymmetricCipher::Aes256;
  else throw UsageError("--pace-cipher: 3des, aes128, aes192 or aes256");
  if (offer.mapping == mrtd::PaceMapping::ChipAuthentication &&
      (offer.keyAgreement == mrtd::KeyAgreement::Dh || offer.cipher == mrtd::SymmetricCipher::Tdes))
    throw UsageError("PACE-CAM is defined for elliptic curves with AES only");
  return offer;
}

}  // namespace

int runChip(const Words& words) {
  if (words.empty() || words[0] != "make") throw UsageError("unknown chip command");
  Args args(Words(words.begin() + 1, words.end()), {});

  mrtd::VirtualPassportSpec spec;
  spec.mrz = mrzArgument(args.require("mrz"));
  spec.pkiDir = args.require("pki");
  if (auto fault = args.get("fault")) {
    auto parsed = mrtd::issuanceFaultFromName(*fault);
    if (!parsed) {
      throw UsageError("unknown fault '" + *fault +
                       "' (bad-dg-hash, bad-signature, unknown-csca, expired-dsc, revoked-dsc, clone, wrong-can, "
                       "pace-only, bac-only, pace-refused, pace-chip-error, pace-bad-token, bad-card-access, "
                       "pace-unsupported)");
    }
    spec.fault = *parsed;
  }
  // Active Authentication key in DG15: EC (ECDSA plain SHA-256, announced in DG14) or RSA
  // (ISO/IEC 9796-2 with SHA-1).
  if (auto aa = args.get("aa")) {
    if (*aa == "ec") spec.activeAuthKey = "EC:prime256v1";
    else if (*aa == "rsa") spec.activeAuthKey = "RSA:2048";
    else throw UsageError("unknown --aa '" + *aa + "' (rsa, ec)");
  }

  if (auto can = args.get("can")) {
    if (can->size() != 6 || can->find_first_not_of("0123456789") != std::string::npos)
      throw UsageError("--can takes 6 digits");
    spec.can = *can;
  }
  spec.pace = paceOfferFromArgs(args);

  // The chip stores the portrait as an issuer would: scaled and compressed to about 20 KB.
  const std::string photo = args.require("photo");
  const vision::EncodedPortrait portrait = vision::encodeChipPortrait(vision::decodeImage(readFile(photo)));
  spec.faceImage.assign(portrait.bytes.begin(), portrait.bytes.end());
  spec.faceFormat = mrtd::ImageFormat::Jpeg;
  spec.faceWidth = static_cast<std::uint32_t>(portrait.width);
  spec.faceHeight = static_cast<std::uint32_t>(portrait.height);

  const std::string out = args.require("out");
  const std::string can = mrtd::makeVirtualPassport(spec, out);
  std::cout << "virtual passport written to " << out << " (portrait " << portrait.width << "x" << portrait.height
            << " JPEG, " << portrait.bytes.size() << " bytes)\n";
  std::string access = "BAC";
  if (spec.pace && spec.fault != mrtd::IssuanceFault::BacOnly) {
    mrtd::PaceInfo offered;
    offered.keyAgreement = spec.pace->keyAgreement;
    offered.mapping = spec.pace->mapping;
    offered.cipher = spec.pace->cipher;
    access = mrtd::paceProtocolName(offered) + (spec.fault == mrtd::IssuanceFault::PaceOnly ? "" : " and BAC");
  }
  std::cout << "access: " << access << ", CAN " << can << " (in can.txt)\n";
  return 0;
}

}  // namespace portti::cli
