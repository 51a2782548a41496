#include "portti/mrtd/pki/ec_parameters.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "ossl.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::pki {

namespace {

[[noreturn]] void refuse(const std::string& why) {
  ERR_clear_error();
  throw Error(ErrorArea::Pki, "EC PARAMETERS", why);
}

BnPtr bn(ByteView v) { return BnPtr(BN_bin2bn(v.data(), static_cast<int>(v.size()), nullptr)); }
}  // namespace

std::string namedCurveOfExplicitParameters(ByteView der) {
  // ECParameters ::= SEQUENCE { version INTEGER(1), fieldID FieldID, curve Curve, base ECPoint,
  //                             order INTEGER, cofactor INTEGER OPTIONAL }
  Tlv seq = decodeOne(der);
  if (seq.tag != 0x30) refuse("ECParameters is not a SEQUENCE");
  TlvReader r(seq.value);
  Tlv version = r.next();
  Tlv field = r.next();
  Tlv curve = r.next();
  Tlv base = r.next();
  Tlv order = r.next();
  std::optional<Tlv> cofactor;
  if (!r.atEnd()) cofactor = r.next();
  if (version.tag != 0x02 || field.tag != 0x30 || curve.tag != 0x30 || base.tag != 0x04 || order.tag != 0x02 ||
      (cofactor && cofactor->tag != 0x02))
    refuse("malformed ECParameters");
  TlvReader fr(field.value);
  Tlv fieldType = fr.next();
  if (fieldType.tag != 0x06 || oidToText(fieldType.value) != oid::kPrimeField)
    refuse("only prime-field curves are accepted");
  Tlv prime = fr.next();
  TlvReader cr(curve.value);
  Tlv a = cr.next();
  Tlv b = cr.next();
  if (prime.tag != 0x02 || a.tag != 0x04 || b.tag != 0x04) refuse("malformed curve in ECParameters");

  BnPtr p = bn(prime.value), av = bn(a.value), bv = bn(b.value), n = bn(order.value);
  BnPtr h = cofactor ? bn(cofactor->value) : nullptr;
  static const int kCurves[] = {NID_X9_62_prime192v1, NID_secp224r1,       NID_X9_62_prime256v1,
                                NID_secp384r1,        NID_secp521r1,       NID_brainpoolP160r1,
                                NID_brainpoolP192r1,  NID_brainpoolP224r1, NID_brainpoolP256r1,
                                NID_brainpoolP320r1,  NID_brainpoolP384r1, NID_brainpoolP512r1};
  BnPtr gp(BN_new()), ga(BN_new()), gb(BN_new());
  for (int nid : kCurves) {
    ossl::EcGroupPtr g(EC_GROUP_new_by_curve_name(nid));
    if (!g || EC_GROUP_get_curve(g.get(), gp.get(), ga.get(), gb.get(), nullptr) != 1) continue;
    if (BN_cmp(gp.get(), p.get()) || BN_cmp(ga.get(), av.get()) || BN_cmp(gb.get(), bv.get())) continue;
    if (BN_cmp(EC_GROUP_get0_order(g.get()), n.get())) continue;
    if (h && BN_cmp(EC_GROUP_get0_cofactor(g.get()), h.get())) continue;
    ossl::EcPointPtr gen(EC_POINT_new(g.get()));
    if (!gen || EC_POINT_oct2point(g.get(), gen.get(), base.value.data(), base.value.size(), nullptr) != 1 ||
        EC_POINT_cmp(g.get(), gen.get(), EC_GROUP_get0_generator(g.get()), nullptr) != 0) {
      ERR_clear_error();
      continue;
    }
    return OBJ_nid2sn(nid);
  }
  refuse("explicit EC parameters equal no known named curve; refused");
}

}  // namespace portti::mrtd::pki
