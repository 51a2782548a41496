// portti pki make-test DIR: writes the test PKI the virtual passport signs with (see
// portti/mrtd/pki/issuing.hpp for the files), and prints what it wrote.
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "portti/mrtd/pki/issuing.hpp"

namespace portti::cli {

int runPki(const Words& words) {
  Args args(words, {});
  const auto& pos = args.positional();
  if (pos.size() != 2 || pos[0] != "make-test") throw UsageError("expected: pki make-test DIR");
  mrtd::pki::TestPki p = mrtd::pki::makeTestPki(pos[1]);
  std::cout << "test PKI written to " << p.dir << "\n"
            << "  CSCA (trust anchor):        " << p.csca << "\n"
            << "  master list:                " << p.masterList << "\n"
            << "  CRL (revokes dsc-revoked):  " << p.crl << "\n"
            << "  document signer:            " << p.dsc << " + " << p.dscKey << "\n"
            << "  RSA document signer:        " << p.rsaDsc << " + " << p.rsaDscKey << "\n"
            << "  expired document signer:    " << p.expiredDsc << " + " << p.expiredDscKey << "\n"
            << "  revoked document signer:    " << p.revokedDsc << " + " << p.revokedDscKey << "\n"
            << "  signer under unknown CSCA:  " << p.unknownCscaDsc << " + " << p.unknownCscaDscKey << "\n";
  return 0;
}

}  // namespace portti::cli
