// The group arithmetic of PACE (ICAO Doc 9303 Part 11, 4.4.3; BSI TR-03110-2 / TR-03111): a
// standardised domain (9303-11 9.5.1: RFC 5114 DH groups 0-2, NIST and Brainpool curves 8-18)
// with a generator that the mapping step replaces. Group elements travel encoded as on the wire
// (9303-11 9.4.5): an EC point as 04 || X || Y, a DH value as an unsigned integer left-padded
// to the size of p. Every element that comes from a peer is checked before use: right length,
// on the curve / in 1 < y < p-1 and in the prime-order subgroup, not the identity.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/lds/security_infos.hpp"

namespace portti::mrtd {

class PaceDomain {
 public:
  /// The standardised domain parameters `parameterId` with their standard generator. Throws
  /// Error{Access, "PACE domain parameters"} for a reserved id or one portti does not compute on.
  static PaceDomain standard(std::int64_t parameterId);

  ~PaceDomain();
  PaceDomain(const PaceDomain&);
  PaceDomain(PaceDomain&&) noexcept;
  PaceDomain& operator=(PaceDomain&&) noexcept;

  KeyAgreement keyAgreement() const;
  std::int64_t parameterId() const;
  /// Size of p in bits and bytes (an EC coordinate, a DH value).
  std::size_t fieldBits() const;
  std::size_t fieldSize() const;
  /// Size in bytes of the prime group order (private keys, the CAM data).
  std::size_t orderSize() const;
  /// Encoded size of a group element / public key.
  std::size_t elementSize() const;

  /// The current generator, encoded.
  Bytes generator() const;
  /// A private key chosen uniformly in [1, order-1], `orderSize()` bytes.
  SecretBytes randomPrivateKey() const;
  /// generator ^ privateKey (DH) or privateKey x generator (EC), encoded.
  Bytes publicKey(ByteView privateKey) const;

  /// Throws Error{Access, step, reason} unless `element` is a valid element of the group: the
  /// encoded length, on the curve (EC) or 1 < y < p-1 (DH), in the prime-order subgroup, and not
  /// the identity.
  void checkElement(ByteView element, const std::string& step) const;
  /// privateKey applied to the peer's checked element (H of the Generic Mapping), encoded.
  Bytes agree(ByteView privateKey, ByteView peerElement, const std::string& step) const;
  /// The shared secret K of the key agreement: the X coordinate (EC) or the value (DH), fieldSize bytes.
  SecretBytes sharedSecret(ByteView privateKey, ByteView peerElement, const std::string& step) const;

  /// Generic Mapping (9303-11 4.4.3.3.1): the domain with generator s x G + H (EC) or g^s * h (DH).
  PaceDomain mapGeneric(ByteView nonce, ByteView h) const;
  /// Integrated Mapping (4.4.3.3.2): R_p = R mod p, then f_G(R_p) (EC point encoding, 9303-11
  /// Appendix B) or R_p^((p-1)/q) mod p (DH; 1 is refused). `r` is the output of R(s,t).
  PaceDomain mapIntegrated(ByteView r) const;
  /// R mod p, fieldSize bytes (an intermediate of the Integrated Mapping, for tests).
  Bytes reduceModP(ByteView r) const;

  /// PACE-CAM (4.4.3.5.1): CA_IC = SK_IC^-1 * SK_map,IC mod order, FE2OS to orderSize bytes.
  Bytes chipAuthenticationData(ByteView staticPrivateKey, ByteView mapPrivateKey) const;

 private:
  struct Impl;
  explicit PaceDomain(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace portti::mrtd
