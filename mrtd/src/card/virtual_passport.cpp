#include "portti/mrtd/card/virtual_passport.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <map>
#include <memory>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg11.hpp"
#include "portti/mrtd/lds/dg12.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/ef_com.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/pki/issuing.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kStep = "issue virtual passport";
constexpr const char* kChipAuthKeyFile = "chip_auth.key.pem";
constexpr const char* kActiveAuthKeyFile = "active_auth.key.pem";
// BSI TR-03111 ecdsa-plain-SHA256: the AA signature scheme DG14 announces for an EC DG15 key.
constexpr const char* kEcdsaPlainSha256 = "0.4.0.127.0.7.1.1.4.1.3";

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

/// "EC:<curve>", "RSA:<bits>" or "DH:<group>" (an RFC 5114 group as OpenSSL names it).
Pkey generateKey(const std::string& spec) {
  EVP_PKEY* key = nullptr;
  if (spec.rfind("DH:", 0) == 0) {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DHX", nullptr),
                                                                      EVP_PKEY_CTX_free);
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

std::string privateKeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    throw Error(ErrorArea::Crypto, kStep, "cannot write a private key");
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
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

}  // namespace

std::optional<IssuanceFault> issuanceFaultFromName(const std::string& name) {
  if (name == "none") return IssuanceFault::None;
  if (name == "bad-dg-hash") return IssuanceFault::BadDgHash;
  if (name == "bad-signature") return IssuanceFault::BadSignature;
  if (name == "unknown-csca") return IssuanceFault::UnknownCsca;
  if (name == "expired-dsc") return IssuanceFault::ExpiredDsc;
  if (name == "revoked-dsc") return IssuanceFault::RevokedDsc;
  if (name == "clone") return IssuanceFault::Clone;
  return std::nullopt;
}

IssuedPassport issueVirtualPassport(const VirtualPassportSpec& spec) {
  const Mrz mrz = parseValidMrz(spec.mrz);
  if (spec.faceImage.empty()) throw Error(ErrorArea::Lds, kStep, "no face image");

  // Keys the chip keeps secret; their public halves go into DG14 and DG15.
  Pkey chipAuthKey = generateKey(spec.chipAuthKey);
  Pkey activeAuthKey = generateKey(spec.activeAuthKey);
  const bool ecActiveAuth = EVP_PKEY_is_a(activeAuthKey.get(), "EC");

  const KeyAgreement caAgreement = EVP_PKEY_is_a(chipAuthKey.get(), "EC") ? KeyAgreement::Ecdh : KeyAgreement::Dh;
  std::vector<Bytes> dg14Infos = {
      encodeChipAuthenticationInfo(caAgreement, spec.chipAuthCipher),
      encodeChipAuthenticationPublicKeyInfo(chipAuthKey.get()),
  };
  if (ecActiveAuth) dg14Infos.push_back(encodeActiveAuthenticationInfo(kEcdsaPlainSha256));

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

  ChipConfig& conf = out.chip.config;
  conf.set("mrz_information", mrzInformation(mrz));
  conf.set("extended_length", spec.extendedLength ? "yes" : "no");
  conf.set("max_response", spec.extendedLength ? "65536" : "256");
  conf.set("chip_auth_key", kChipAuthKeyFile);
  conf.set("active_auth_key", kActiveAuthKeyFile);
  if (spec.fault == IssuanceFault::Clone) {
    // The copied files announce the genuine chip's keys; the clone can only hold its own.
    chipAuthKey = generateKey(spec.chipAuthKey);
    activeAuthKey = generateKey(spec.activeAuthKey);
  }
  out.chip.privateKeys[kChipAuthKeyFile] = privateKeyPem(chipAuthKey.get());
  out.chip.privateKeys[kActiveAuthKeyFile] = privateKeyPem(activeAuthKey.get());
  return out;
}

void makeVirtualPassport(const VirtualPassportSpec& spec, const std::filesystem::path& outDir) {
  writeChipFolder(issueVirtualPassport(spec).chip, outDir);
}

}  // namespace portti::mrtd
