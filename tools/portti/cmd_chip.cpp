// portti chip make: issues a virtual passport (a chip folder for `--reader sim:DIR`) from an MRZ, a
// photo and a test PKI (`portti pki make-test`), optionally with a fault a verifier must catch.
#include <iostream>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/vision/face_image.hpp"

namespace portti::cli {

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
                       "' (bad-dg-hash, bad-signature, unknown-csca, expired-dsc, revoked-dsc, clone)");
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

  // The chip stores the portrait as an issuer would: scaled and compressed to about 20 KB.
  const std::string photo = args.require("photo");
  const vision::EncodedPortrait portrait = vision::encodeChipPortrait(vision::decodeImage(readFile(photo)));
  spec.faceImage.assign(portrait.bytes.begin(), portrait.bytes.end());
  spec.faceFormat = mrtd::ImageFormat::Jpeg;
  spec.faceWidth = static_cast<std::uint32_t>(portrait.width);
  spec.faceHeight = static_cast<std::uint32_t>(portrait.height);

  const std::string out = args.require("out");
  mrtd::makeVirtualPassport(spec, out);
  std::cout << "virtual passport written to " << out << " (portrait " << portrait.width << "x" << portrait.height
            << " JPEG, " << portrait.bytes.size() << " bytes)\n";
  return 0;
}

}  // namespace portti::cli
