// The virtual passport the chip-authenticity tests issue: the ICAO specimen MRZ, a placeholder
// portrait, the test PKI, and a trust store that anchors its CSCA.
#pragma once

#include "mrtd/pki/test_pki_fixture.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/pki/trust_store.hpp"

namespace portti::mrtd::fixtures {

inline constexpr const char* kSpecimenMrz =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

/// The specimen passport issued by the test PKI, with `fault`.
inline VirtualPassportSpec specimenPassport(IssuanceFault fault = IssuanceFault::None) {
  VirtualPassportSpec s;
  s.mrz = kSpecimenMrz;
  s.faceImage = Bytes(3000, 0x5A);
  s.faceWidth = 480;
  s.faceHeight = 600;
  s.pkiDir = pki::testing::testPki().dir;
  s.fault = fault;
  return s;
}

/// A trust store holding the test PKI (its CSCA an anchor), made once.
inline const pki::TrustStore& testPkiTrust() {
  static const pki::TrustStore t = [] {
    pki::TrustStore s;
    s.addPath(pki::testing::testPki().dir);
    return s;
  }();
  return t;
}

}  // namespace portti::mrtd::fixtures
