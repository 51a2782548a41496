// Explicit EC parameters (Doc 9303-12, BSI TR-03111): accepted only when exactly a named curve.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/objects.h>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/pki/ec_parameters.hpp"

using namespace portti::mrtd;
using namespace portti::mrtd::pki;

namespace {
Bytes explicitParameters(int nid) {
  EC_GROUP* g = EC_GROUP_new_by_curve_name(nid);
  EC_GROUP_set_asn1_flag(g, OPENSSL_EC_EXPLICIT_CURVE);
  unsigned char* der = nullptr;
  int len = i2d_ECPKParameters(g, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  EC_GROUP_free(g);
  return out;
}
}  // namespace

TEST(EcParameters, EveryNamedCurveIsRecognised) {
  for (int nid : {NID_secp224r1, NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1, NID_brainpoolP224r1,
                  NID_brainpoolP256r1, NID_brainpoolP320r1, NID_brainpoolP384r1, NID_brainpoolP512r1}) {
    EXPECT_EQ(namedCurveOfExplicitParameters(explicitParameters(nid)), OBJ_nid2sn(nid));
  }
}

TEST(EcParameters, AnyChangedParameterIsRefused) {
  const Bytes good = explicitParameters(NID_brainpoolP256r1);
  // Flip one bit in each of the last 200 bytes (covering a, b, G, n, h); every variant is refused
  // or unreadable, never mapped to a curve.
  int refused = 0;
  for (std::size_t i = good.size() - 200; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    try {
      std::string name = namedCurveOfExplicitParameters(bad);
      ADD_FAILURE() << "byte " << i << " changed, still accepted as " << name;
    } catch (const Error& e) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, 200);
}

TEST(EcParameters, NamedCurveOidIsNotExplicitParameters) {
  EXPECT_THROW(namedCurveOfExplicitParameters(fromHex("06082A8648CE3D030107")), Error);
  EXPECT_THROW(namedCurveOfExplicitParameters({}), Error);
}
