#include "portti/mrtd/card/virtual_passport.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <fstream>

#include <map>
#include <memory>

#include "core/openssl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg11.hpp"
#include "portti/mrtd/lds/dg12.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/ef_com.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kStep = "issue virtual passport";
constexpr const char* kChipAuthKeyFile = "chip_auth.key.pem";
constexpr const char* kActiveAuthKeyFile = "active_auth.key.pem";
// BSI TR-03111 ecdsa-plain-SHA256: the AA signature scheme DG14 announces for an EC DG15 key.
constexpr const char* kEcdsaPlainSha256 = "0.4.0.127.0.7.1.1.4.1.3";

using Pkey = ossl::PkeyPtr;

/// "EC:<curve>", "RSA:<bits>" or "DH:<group>" (an RFC 5114 group as OpenSSL names it).
Pkey generateKey(const std::string& spec) {
  EVP_PKEY* key = nullptr;
  if (spec.rfind("DH:", 0) == 0) {
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DHX", nullptr));
    std::string group = spec.substr(3);
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
                                 OSSL_PARAM_construct_end()};
    if (ctx && EVP_PKEY_keygen_init(ctx.get()) > 0 && EVP_PKEY_CTX_set_params(ctx.get(), params) > 0)
      EVP_PKEY_generate(ctx.get(), &key);
  } else if (spec.rfind("EC:", 0) == 0) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", spec.substr(3).c_str());
  } else if (spec.rfind("RSA:", 0) == 0) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(std::stoul(spec.substr(4))));
  } else {
    throw Error(ErrorArea::Crypto, kStep, "unknown key type '" + spec + "' (EC:<curve> or RSA:<bits>)");
  }
  if (!key) throw Error(ErrorArea::Crypto, kStep, "cannot generate a " + spec + " key");
  return Pkey(key);
}


/// The Document Signer each fault signs with (files of pki::makeTestPki).
std::string signerName(IssuanceFault fault) {
  switch (fault) {
    case IssuanceFault::ExpiredDsc: return "dsc-expired";
    case IssuanceFault::RevokedDsc: return "dsc-revoked";
    case IssuanceFault::UnknownCsca: return "dsc-unknown-csca";
    default: return "dsc";
  }
}

/// Six random digits (RAND_bytes, rejection sampling so every digit is uniform).
std::string randomCan() {
  std::string can;
  while (can.size() < 6) {
    unsigned char b = 0;
    if (RAND_bytes(&b, 1) != 1) throw Error(ErrorArea::Crypto, kStep, "RAND_bytes failed");
    if (b < 250) can.push_back(static_cast<char>('0' + b % 10));
  }
  return can;
}

}  // namespace

std::optional<IssuanceFault> issuanceFaultFromName(const std::string& name) {
  if (name == "none") return IssuanceFault::None;
  if (name == "bad-dg-hash") return IssuanceFault::BadDgHash;
  if (name == "bad-signature") return IssuanceFault::BadSignature;
  if (name == "unknown-csca") return IssuanceFault::UnknownCsca;
  if (name == "expired-dsc") return IssuanceFault::ExpiredDsc;
  if (name == "revoked-dsc") return IssuanceFault::RevokedDsc;
  if (name == "clone") return IssuanceFault::Clone;
  if (name == "wrong-can") return IssuanceFault::WrongCan;
  if (name == "pace-only") return IssuanceFault::PaceOnly;
  if (name == "bac-only") return IssuanceFault::BacOnly;
  if (name == "pace-refused") return IssuanceFault::PaceRefused;
  if (name == "pace-chip-error") return IssuanceFault::PaceChipError;
  if (name == "pace-bad-token") return IssuanceFault::PaceBadToken;
  if (name == "bad-card-access") return IssuanceFault::BadCardAccess;
  if (name == "pace-unsupported") return IssuanceFault::PaceUnsupported;
  return std::nullopt;
}

IssuedPassport issueVirtualPassport(const VirtualPassportSpec& spec) {
  const Mrz mrz = parseValidMrz(spec.mrz);
  if (spec.faceImage.empty()) throw Error(ErrorArea::Lds, kStep, "no face image");

  // PACE as offered in EF.CardAccess (none for the bac-only fault).
  const PaceOffer* pace = spec.fault == IssuanceFault::BacOnly || !spec.pace ? nullptr : &*spec.pace;
  std::string chipAuthKeySpec = spec.chipAuthKey;
  if (pace && pace->mapping == PaceMapping::ChipAuthentication) {
    // PACE-CAM proves the chip with its CA key on the PACE curve (9303-11 4.4.3.5).
    const auto params = standardDomainParameters(pace->parameterId);
    if (!params || params->keyAgreement != KeyAgreement::Ecdh)
      throw Error(ErrorArea::Lds, kStep, "PACE-CAM needs an elliptic curve");
    chipAuthKeySpec = std::string("EC:") + params->groupName;
  }

  // Keys the chip keeps secret; their public halves go into DG14 and DG15.
  Pkey chipAuthKey = generateKey(chipAuthKeySpec);
  Pkey activeAuthKey = generateKey(spec.activeAuthKey);
  const bool ecActiveAuth = EVP_PKEY_is_a(activeAuthKey.get(), "EC");

  const KeyAgreement caAgreement = EVP_PKEY_is_a(chipAuthKey.get(), "EC") ? KeyAgreement::Ecdh : KeyAgreement::Dh;
  std::vector<Bytes> dg14Infos = {
      encodeChipAuthenticationInfo(caAgreement, spec.chipAuthCipher),
      encodeChipAuthenticationPublicKeyInfo(chipAuthKey.get()),
  };
  if (ecActiveAuth) dg14Infos.push_back(encodeActiveAuthenticationInfo(kEcdsaPlainSha256));
  Bytes paceInfo;
  if (pace) {
    paceInfo = encodePaceInfo(pace->keyAgreement, pace->mapping, pace->cipher, pace->parameterId);
    dg14Infos.push_back(paceInfo);  // DG14 repeats the PACEInfo (9303-10 4.7.14), under the SOD
  }

  // DG11 holds the full name in MRZ notation (Part 10 4.7.11): "ERIKSSON<<ANNA<MARIA".
  std::string fullName = mrz.primaryIdentifier + "<<" + mrz.secondaryIdentifier;
  for (char& c : fullName)
    if (c == ' ') c = '<';
  Dg11 dg11;
  dg11.fullName = fullName;
  Dg12 dg12;
  dg12.issuingAuthority = "PORTTI TEST ISSUER";

  std::map<int, Bytes> dataGroups = {
      {1, encodeDg1(mrz.lines)},
      {2, encodeDg2(spec.faceImage, spec.faceFormat, spec.faceWidth, spec.faceHeight)},
      {11, encodeDg11(dg11)},
      {12, encodeDg12(dg12)},
      {14, encodeDg14(dg14Infos)},
      {15, encodeDg15(activeAuthKey.get())},
  };

  const std::string signer = signerName(spec.fault);
  const auto credentials = pki::loadSigner((spec.pkiDir / (signer + ".der")).string(),
                                           (spec.pkiDir / (signer + ".key.pem")).string());
  pki::SodOptions sodOptions;
  sodOptions.corruptSignature = spec.fault == IssuanceFault::BadSignature;
  Bytes sod = pki::buildSod("SHA-256", dataGroups, credentials, sodOptions);

  if (spec.fault == IssuanceFault::BadDgHash) {
    // Changed after signing, inside the image data (the file stays well formed).
    Bytes& dg2 = dataGroups[2];
    dg2[dg2.size() - spec.faceImage.size() / 2] ^= 0x01;
  }

  IssuedPassport out;
  std::vector<int> listed;
  for (const auto& [number, bytes] : dataGroups) {
    out.chip.files["DG" + std::to_string(number)] = bytes;
    listed.push_back(number);
  }
  out.chip.files["EF.COM"] = encodeCom("0107", listed);
  out.chip.files["EF.SOD"] = std::move(sod);
  if (pace) out.chip.files["EF.CardAccess"] = encodeCardAccess({paceInfo});
  if (pace && spec.fault == IssuanceFault::BadCardAccess) {
    // The PACEInfo cut short inside a SET of the right length: the file reads, it does not parse.
    Bytes cut = paceInfo;
    cut.pop_back();
    out.chip.files["EF.CardAccess"] = encodeTlv(0x31, cut);
  }
  if (pace && spec.fault == IssuanceFault::PaceUnsupported)
    out.chip.files["EF.CardAccess"] =
        encodeCardAccess({encodePaceInfo(pace->keyAgreement, pace->mapping, pace->cipher, pace->parameterId, 1)});

  ChipConfig& conf = out.chip.config;
  conf.set("mrz_information", mrzInformation(mrz));
  out.can = spec.can.empty() ? randomCan() : spec.can;
  if (out.can.size() != 6 || out.can.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorArea::Lds, kStep, "a CAN is 6 digits");
  std::string chipCan = out.can;
  if (spec.fault == IssuanceFault::WrongCan) chipCan[5] = chipCan[5] == '9' ? '0' : static_cast<char>(chipCan[5] + 1);
  conf.set("can", chipCan);
  if (spec.fault == IssuanceFault::PaceOnly) conf.set("bac", "no");
  if (spec.fault == IssuanceFault::PaceRefused) conf.set("pace_fault", "refuse-set-at");
  if (spec.fault == IssuanceFault::PaceChipError) conf.set("pace_fault", "chip-error");
  if (spec.fault == IssuanceFault::PaceBadToken) conf.set("pace_fault", "bad-token");
  conf.set("extended_length", spec.extendedLength ? "yes" : "no");
  conf.set("max_response", spec.extendedLength ? "65536" : "256");
  conf.set("chip_auth_key", kChipAuthKeyFile);
  conf.set("active_auth_key", kActiveAuthKeyFile);
  if (spec.fault == IssuanceFault::Clone) {
    // The copied files announce the genuine chip's keys; the clone can only hold its own.
    chipAuthKey = generateKey(chipAuthKeySpec);
    activeAuthKey = generateKey(spec.activeAuthKey);
  }
  out.privateKeys[kChipAuthKeyFile] = ossl::privateKeyPem(chipAuthKey.get());
  out.privateKeys[kActiveAuthKeyFile] = ossl::privateKeyPem(activeAuthKey.get());
  for (const auto& [name, pem] : out.privateKeys) out.chip.keyFiles[name] = Bytes(pem.begin(), pem.end());
  return out;
}

std::string makeVirtualPassport(const VirtualPassportSpec& spec, const std::filesystem::path& outDir) {
  IssuedPassport passport = issueVirtualPassport(spec);
  writeChipFolder(passport.chip, outDir);
  {
    std::ofstream can(outDir / "can.txt", std::ios::binary | std::ios::trunc);
    can << passport.can << "\n";
    if (!can) throw Error(ErrorArea::File, kStep, "cannot write " + (outDir / "can.txt").string());
  }
  for (const auto& [name, pem] : passport.privateKeys) {
    std::ofstream out(outDir / name, std::ios::binary | std::ios::trunc);
    out << pem;
    if (!out) throw Error(ErrorArea::File, kStep, "cannot write " + (outDir / name).string());
    std::filesystem::permissions(outDir / name, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  return passport.can;
}

}  // namespace portti::mrtd
