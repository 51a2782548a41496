// Parsing SecurityInfos (Doc 9303 Part 11, 9.2; TR-03110-3 A.1.1). OIDs under id-PACE and id-CA
// are split into key agreement, mapping and cipher from their last arcs:
//   id-PACE.{1 DH-GM, 2 ECDH-GM, 3 DH-IM, 4 ECDH-IM, 6 ECDH-CAM}.{1 3DES, 2 AES-128, 3 AES-192, 4 AES-256}
//   id-CA.{1 DH, 2 ECDH}.{1 3DES, 2 AES-128, 3 AES-192, 4 AES-256}
// The OID without the cipher arc names a domain parameter info.
#include <cstdlib>
#include <string>
#include <vector>

#include "lds/der.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
constexpr const char* kStep = "parse SecurityInfos";

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorArea::Lds, kStep, message); }

/// The arcs of `oid` below `prefix` (which it must lie under); empty on a non-numeric arc.
std::vector<long> arcsBelow(const std::string& oid, const char* prefix) {
  std::vector<long> arcs;
  std::string rest = oid.substr(std::string(prefix).size());
  std::size_t i = 0;
  while (i < rest.size()) {
    if (rest[i] != '.') return {};
    std::size_t j = ++i;
    while (j < rest.size() && rest[j] != '.') ++j;
    std::string arc = rest.substr(i, j - i);
    if (arc.empty() || arc.size() > 9) return {};
    arcs.push_back(std::strtol(arc.c_str(), nullptr, 10));
    i = j;
  }
  return arcs;
}

std::optional<SymmetricCipher> cipherFromArc(long arc) {
  switch (arc) {
    case 1: return SymmetricCipher::Tdes;
    case 2: return SymmetricCipher::Aes128;
    case 3: return SymmetricCipher::Aes192;
    case 4: return SymmetricCipher::Aes256;
    default: return std::nullopt;
  }
}

struct PaceKind {
  KeyAgreement ka;
  PaceMapping mapping;
};

std::optional<PaceKind> paceKindFromArc(long arc) {
  switch (arc) {
    case 1: return PaceKind{KeyAgreement::Dh, PaceMapping::Generic};
    case 2: return PaceKind{KeyAgreement::Ecdh, PaceMapping::Generic};
    case 3: return PaceKind{KeyAgreement::Dh, PaceMapping::Integrated};
    case 4: return PaceKind{KeyAgreement::Ecdh, PaceMapping::Integrated};
    case 6: return PaceKind{KeyAgreement::Ecdh, PaceMapping::ChipAuthentication};
    default: return std::nullopt;
  }
}

std::optional<KeyAgreement> caKindFromArc(long arc) {
  if (arc == 1) return KeyAgreement::Dh;
  if (arc == 2) return KeyAgreement::Ecdh;
  return std::nullopt;
}

/// Fields after the protocol OID, with count checks.
struct Body {
  std::vector<Tlv> fields;  // fields[0] is the protocol
  const std::string& protocol;

  void expectCount(std::size_t min, std::size_t max, const char* what) const {
    if (fields.size() < min || fields.size() > max) {
      // Built with append(): GCC 12 warns falsely (-Wrestrict) on chains of operator+.
      std::string m(what);
      m.append(" (").append(protocol).append(") has ").append(std::to_string(fields.size() - 1));
      m.append(" fields after the protocol, expected ").append(std::to_string(min - 1));
      if (max != min) m.append(" to ").append(std::to_string(max - 1));
      fail(m);
    }
  }
  std::optional<std::int64_t> optionalInteger(std::size_t i, const char* what) const {
    if (i >= fields.size()) return std::nullopt;
    return detail::derInteger(fields[i], kStep, what);
  }
};

/// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }.
std::string algorithmOid(const Tlv& algorithmIdentifier, const char* what) {
  detail::expectTag(algorithmIdentifier, 0x30, kStep, what);
  Tlv oid = decodeFirst(algorithmIdentifier.value);
  detail::expectTag(oid, 0x06, kStep, what);
  return decodeOid(oid.value);
}

/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }.
void checkSubjectPublicKeyInfo(const Tlv& spki) {
  detail::expectTag(spki, 0x30, kStep, "chipAuthenticationPublicKey");
  auto parts = decodeAll(spki.value);
  if (parts.size() != 2) fail("chipAuthenticationPublicKey is not { AlgorithmIdentifier, BIT STRING }");
  algorithmOid(parts[0], "chipAuthenticationPublicKey algorithm");
  detail::expectTag(parts[1], 0x03, kStep, "chipAuthenticationPublicKey subjectPublicKey");
  if (parts[1].value.empty()) fail("chipAuthenticationPublicKey: empty BIT STRING");
}

Bytes copy(ByteView v) { return Bytes(v.begin(), v.end()); }

void parseOne(const Tlv& info, SecurityInfos& out) {
  detail::expectTag(info, 0x30, kStep, "SecurityInfo");
  auto fields = decodeAll(info.value);
  if (fields.empty()) fail("empty SecurityInfo");
  detail::expectTag(fields[0], 0x06, kStep, "SecurityInfo protocol");
  const std::string protocol = decodeOid(fields[0].value);
  const Body body{fields, protocol};
  const Bytes der = copy(info.whole);

  if (oidIsUnder(protocol, oids::kPace)) {
    auto arcs = arcsBelow(protocol, oids::kPace);
    auto kind = arcs.empty() ? std::nullopt : paceKindFromArc(arcs[0]);
    if (kind && arcs.size() == 2) {
      auto cipher = cipherFromArc(arcs[1]);
      // CAM is defined with AES only (Doc 9303 Part 11, 9.2.1).
      if (cipher && !(kind->mapping == PaceMapping::ChipAuthentication && *cipher == SymmetricCipher::Tdes)) {
        body.expectCount(2, 3, "PACEInfo");
        PaceInfo p{protocol, kind->ka, kind->mapping, *cipher,
                   detail::derInteger(fields[1], kStep, "PACEInfo version"),
                   body.optionalInteger(2, "PACEInfo parameterId"), der};
        // Doc 9303 Part 11 9.2.1: version SHALL be 2. Named, not fatal: the protocol still runs.
        if (p.version != 2) {
          out.deviations.push_back({"security-infos.pace-version",
                                    "PACEInfo " + protocol + " has version " + std::to_string(p.version) + ", not 2"});
        }
        out.pace.push_back(std::move(p));
        return;
      }
    } else if (kind && arcs.size() == 1) {
      body.expectCount(2, 3, "PACEDomainParameterInfo");
      PaceDomainParameterInfo p{protocol, kind->ka, kind->mapping,
                                algorithmOid(fields[1], "PACEDomainParameterInfo domainParameter"),
                                copy(fields[1].whole), body.optionalInteger(2, "PACEDomainParameterInfo parameterId"),
                                der};
      out.paceDomainParameters.push_back(std::move(p));
      return;
    }
    out.deviations.push_back({"security-infos.unknown-pace-protocol", "unrecognised id-PACE protocol " + protocol});
    out.unknown.push_back({protocol, der});
    return;
  }
  if (oidIsUnder(protocol, oids::kCa)) {
    auto arcs = arcsBelow(protocol, oids::kCa);
    auto ka = arcs.empty() ? std::nullopt : caKindFromArc(arcs[0]);
    if (ka && arcs.size() == 2 && cipherFromArc(arcs[1])) {
      body.expectCount(2, 3, "ChipAuthenticationInfo");
      ChipAuthenticationInfo c{protocol, *ka, *cipherFromArc(arcs[1]),
                               detail::derInteger(fields[1], kStep, "ChipAuthenticationInfo version"),
                               body.optionalInteger(2, "ChipAuthenticationInfo keyId"), der};
      // TR-03110-3 A.1.1.2: version 1 (CA1) or 2 (CA2, eIDAS); anything else is named.
      if (c.version != 1 && c.version != 2) {
        out.deviations.push_back({"security-infos.ca-version", "ChipAuthenticationInfo " + protocol +
                                                                   " has version " + std::to_string(c.version)});
      }
      out.chipAuthentication.push_back(std::move(c));
      return;
    }
    if (ka && arcs.size() == 1) {
      body.expectCount(2, 3, "ChipAuthenticationDomainParameterInfo");
      ChipAuthenticationDomainParameterInfo c{
          protocol, *ka, algorithmOid(fields[1], "ChipAuthenticationDomainParameterInfo domainParameter"),
          copy(fields[1].whole), body.optionalInteger(2, "ChipAuthenticationDomainParameterInfo keyId"), der};
      out.chipAuthenticationDomainParameters.push_back(std::move(c));
      return;
    }
    out.deviations.push_back({"security-infos.unknown-ca-protocol", "unrecognised id-CA protocol " + protocol});
    out.unknown.push_back({protocol, der});
    return;
  }
  if (protocol == oids::kPkDh || protocol == oids::kPkEcdh) {
    body.expectCount(2, 3, "ChipAuthenticationPublicKeyInfo");
    checkSubjectPublicKeyInfo(fields[1]);
    ChipAuthenticationPublicKeyInfo c{protocol, protocol == oids::kPkDh ? KeyAgreement::Dh : KeyAgreement::Ecdh,
                                      copy(fields[1].whole),
                                      body.optionalInteger(2, "ChipAuthenticationPublicKeyInfo keyId"), der};
    out.chipAuthenticationPublicKeys.push_back(std::move(c));
    return;
  }
  if (protocol == oids::kActiveAuthentication) {
    body.expectCount(3, 3, "ActiveAuthenticationInfo");
    detail::expectTag(fields[2], 0x06, kStep, "ActiveAuthenticationInfo signatureAlgorithm");
    ActiveAuthenticationInfo a{detail::derInteger(fields[1], kStep, "ActiveAuthenticationInfo version"),
                               decodeOid(fields[2].value), der};
    out.activeAuthentication.push_back(std::move(a));
    return;
  }
  if (protocol == oids::kTa) {
    body.expectCount(2, 3, "TerminalAuthenticationInfo");
    TerminalAuthenticationInfo t{detail::derInteger(fields[1], kStep, "TerminalAuthenticationInfo version"),
                                 fields.size() > 2 ? copy(fields[2].whole) : Bytes{}, der};
    out.terminalAuthentication.push_back(std::move(t));
    return;
  }
  out.unknown.push_back({protocol, der});
}

SecurityInfos parseSet(const Tlv& set) {
  detail::expectTag(set, 0x31, kStep, "SecurityInfos");
  SecurityInfos out;
  TlvReader reader(set.value);
  while (!reader.atEnd()) parseOne(reader.next(), out);
  return out;
}
}  // namespace

std::size_t SecurityInfos::size() const {
  return pace.size() + paceDomainParameters.size() + chipAuthentication.size() +
         chipAuthenticationDomainParameters.size() + chipAuthenticationPublicKeys.size() +
         activeAuthentication.size() + terminalAuthentication.size() + unknown.size();
}

SecurityInfos parseSecurityInfos(ByteView set) {
  TlvReader reader(set);
  SecurityInfos out = parseSet(reader.next());
  if (!reader.atEnd()) {
    out.deviations.push_back({"security-infos.trailing-bytes",
                              std::to_string(reader.rest().size()) + " bytes after the SET OF SecurityInfo"});
  }
  out.raw = copy(set);
  return out;
}

SecurityInfos parseCardAccess(ByteView cardAccess) {
  SecurityInfos out = parseSecurityInfos(cardAccess);
  if (out.size() == 0) throw Error(ErrorArea::Lds, "parse EF.CardAccess", "EF.CardAccess holds no SecurityInfo");
  return out;
}

SecurityInfos parseDg14(ByteView dg14) {
  TlvReader reader(dg14);
  Tlv file = reader.next();
  if (file.tag != 0x6E) {
    throw Error(ErrorArea::Lds, "parse DG14", "not DG14: the file starts with tag " + toHex(encodeTag(file.tag)));
  }
  // Inside 6E only the SET may stand: bytes there would be covered by the hash yet unparsed.
  SecurityInfos out = parseSet(decodeOne(file.value));
  if (!reader.atEnd()) {
    out.deviations.push_back({"dg14.trailing-bytes", std::to_string(reader.rest().size()) + " bytes after DG14"});
  }
  out.raw = copy(dg14);
  return out;
}

}  // namespace portti::mrtd
