// OpenPACE (libeac, BSI TR-03110 / ICAO 9303-11 PACE by Frank Morgner et al.) as the other side of
// a PACE run: as the card answering portti's reader, or as the terminal talking to portti's virtual
// chip. Test-only: an independent implementation to cross-check portti where no published run exists.
//
// Two places where OpenPACE 1.1.2 (Debian 12) is bridged, each a documented seam in its own API:
//  - PACE-CAM is not in OpenPACE. CAM runs the Generic Mapping (9303-11 4.4.3.3.1) under its own
//    OID, so OpenPACE runs ECDH-GM with the CAM OID in its tokens (pace_ctx->protocol), and the CAM
//    data A_IC = E(KS_enc, CA_IC) goes through OpenPACE's EAC_encrypt/EAC_decrypt with SSC = -1
//    (the IV of 4.4.3.5.1); CA_IC itself is computed here with plain OpenSSL.
//  - OpenPACE 1.1.2 refuses to set up the Integrated Mapping at all (EAC_CTX_init_pace fails for
//    every id-PACE-*-IM OID: "Invalid arguments" in pace_lib.c), and its IM source is TR-03110's
//    first version, not ICAO's: x = E(t, s) in one cipher block instead of the pseudo-random
//    function R(s,t) of 4.4.3.3.2, Icart's point encoding instead of 9303-11 Appendix B, and for
//    ECDH the mapped point is computed but never installed as the generator. So for IM OpenPACE runs
//    its GM suite with the IM OID in the tokens and its two mapping hooks (pace_ctx->map_generate_key,
//    map_compute_key) replaced: a random t, and ICAO's mapping (portti's PaceDomain::mapIntegrated,
//    itself checked against the ICAO worked examples). Nonce, key agreement on the mapped generator,
//    key derivation and tokens stay OpenPACE's; the IM mapping is not cross-checked.
#pragma once

#include <eac/eac.h>
#include <eac/pace.h>

#include <memory>
#include <optional>
#include <string>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/card/channel.hpp"
#include "portti/mrtd/lds/security_infos.hpp"

namespace portti::interop {

using mrtd::ByteView;
using mrtd::Bytes;

/// OpenSSL's BUF_MEM (OpenPACE's byte strings), owned and wiped on release.
struct BufFree {
  void operator()(BUF_MEM* b) const { BUF_MEM_clear_free(b); }
};
using Buf = std::unique_ptr<BUF_MEM, BufFree>;
Buf toBuf(ByteView b);
Bytes bytesOf(const BUF_MEM* m);

/// One PACE variant: key agreement, mapping, cipher and standardised domain parameters.
struct Variant {
  mrtd::KeyAgreement ka;
  mrtd::PaceMapping mapping;
  mrtd::SymmetricCipher cipher;
  int parameterId;
  const char* name;  ///< portti's protocol name, "PACE-ECDH-GM-AES128"
};

/// An EAC_CTX initialised for `v` with a CAN password, plus the steps both roles share.
class OpenPaceSide {
 public:
  OpenPaceSide(const Variant& v, const std::string& can);
  ~OpenPaceSide();
  OpenPaceSide(const OpenPaceSide&) = delete;
  OpenPaceSide& operator=(const OpenPaceSide&) = delete;

  const Variant& variant() const { return v_; }
  EAC_CTX* ctx() { return ctx_; }
  const PACE_SEC* secret() const { return secret_; }

  /// KS_enc / KS_mac as OpenPACE derived them (empty before PACE_STEP3C).
  Bytes ksEnc() const;
  Bytes ksMac() const;
  /// OpenPACE's PACE mapping private key SK_map (GM/CAM), for CA_IC.
  Bytes mapPrivateKey() const;
  /// E(KS_enc, pad(data)) / its inverse with IV = E(KS_enc, -1): the CAM data of 4.4.3.5.1.
  Bytes camEncrypt(ByteView data);
  std::optional<Bytes> camDecrypt(ByteView data);
  /// True when a DH value OpenPACE encoded (its public keys, shared secret, token input) came out
  /// shorter than the field: OpenPACE writes DH integers without leading zeros, ICAO's encoding
  /// (9303-11 9.4.5 / the worked examples) and portti left-pad them. Happens ~1 in 256 values.
  bool shortDhEncoding() const { return shortDh_; }
  void noteDhValue(ByteView value, bool sentByOpenPace);
  void noteSharedSecret();

 private:
  Variant v_;
  EAC_CTX* ctx_ = nullptr;
  PACE_SEC* secret_ = nullptr;
  bool shortDh_ = false;
};

/// OpenPACE as the card: answers MSE:Set AT and the GENERAL AUTHENTICATE chain with PACE_STEP*.
/// With a CAM key it adds the encrypted chip authentication data (8A) to the last answer.
class OpenPaceCard : public mrtd::ApduChannel {
 public:
  OpenPaceCard(const Variant& v, const std::string& can, Bytes camStaticPrivateKey = {});
  Bytes transmitRaw(ByteView command) override;
  mrtd::ChannelLimits limits() const override;
  std::string name() const override { return "OpenPACE card"; }

  OpenPaceSide& side() { return side_; }
  /// Whether OpenPACE accepted the reader's token T_PCD.
  bool readerTokenVerified() const { return readerTokenVerified_; }

 private:
  mrtd::ResponseApdu answer(const mrtd::CommandApdu& c);
  OpenPaceSide side_;
  Bytes camKey_;
  int next_ = 0;
  Bytes readerEphemeral_;
  bool readerTokenVerified_ = false;
};

/// The OID string of `v` as portti writes it in EF.CardAccess.
std::string protocolOid(const Variant& v);
/// PACEInfo of `v` (as parsed from EF.CardAccess).
mrtd::PaceInfo paceInfoOf(const Variant& v);

}  // namespace portti::interop
