#include "virtual_chip_pace.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "core/openssl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/security_infos.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kStep = "virtual chip PACE";

/// The CAM key: the private scalar of an EC key in PEM, and the standardised parameter id of its curve.
void loadCamKey(const Bytes& pem, PaceChip::Config& config) {
  const ossl::PkeyPtr key =
      ossl::privateKeyFromPem(std::string_view(reinterpret_cast<const char*>(pem.data()), pem.size()));
  if (!key) throw Error(ErrorArea::File, kStep, "chip_auth_key is not a readable private key");
  if (!EVP_PKEY_is_a(key.get(), "EC")) return;  // a DH CA key: no CAM (CAM is ECDH only)
  char curve[64] = {};
  std::size_t n = 0;
  BIGNUM* priv = nullptr;
  if (EVP_PKEY_get_group_name(key.get(), curve, sizeof curve, &n) != 1 ||
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &priv) != 1)
    throw Error(ErrorArea::File, kStep, "chip_auth_key: no named curve or private scalar");
  ossl::SecretBnPtr scalar(priv);
  for (int id = 8; id <= 18; ++id) {
    const auto p = standardDomainParameters(id);
    if (p && std::string(p->groupName) == std::string(curve, n)) config.camParameterId = id;
  }
  config.camStaticPrivateKey.resize(static_cast<std::size_t>(BN_num_bytes(scalar.get())));
  BN_bn2bin(scalar.get(), config.camStaticPrivateKey.data());
}

}  // namespace

std::optional<PaceChip> makePaceChip(const ChipImage& image, const ChipSettings& settings) {
  const auto cardAccess = image.files.find("EF.CardAccess");
  if (cardAccess == image.files.end()) return std::nullopt;
  PaceChip::Config config;
  try {
    config.offered = parseCardAccess(cardAccess->second).pace;
  } catch (const Error&) {
    return std::nullopt;  // test chips carry arbitrary bytes there: the chip serves them, offers no PACE
  }
  if (config.offered.empty()) return std::nullopt;
  if (settings.mrzInformation) config.mrz = PacePassword::mrz(*settings.mrzInformation);
  if (settings.can) config.can = PacePassword::can(*settings.can);
  if (const auto keyName = image.config.get("chip_auth_key")) {
    const auto key = image.keyFiles.find(*keyName);
    if (key != image.keyFiles.end()) loadCamKey(key->second, config);
  }
  return PaceChip(std::move(config));
}

}  // namespace portti::mrtd
