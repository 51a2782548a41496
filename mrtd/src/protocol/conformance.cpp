// The conformance table and its runner. Each case starts from a well-formed document signed by a
// valid Document Signer and changes one thing, the way TR-03105 Part 5 derives its negative tests.
#include "portti/mrtd/protocol/conformance.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <ctime>
#include <memory>
#include <optional>

#include "core/openssl.hpp"
#include "portti/mrtd/card/sim_channel.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/lds/data_group.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg11.hpp"
#include "portti/mrtd/lds/dg12.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/lds/ef_com.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {

using pki::CertificateRequest;
using pki::SignerCredentials;

constexpr long kDay = 86400;
constexpr long kYear = 365 * kDay;

using Pkey = ossl::PkeyPtr;

Pkey ecKey() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1");
  if (!k) throw Error(ErrorArea::Crypto, "conformance", "cannot generate an EC key");
  return Pkey(k);
}

Pkey rsaKey() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  if (!k) throw Error(ErrorArea::Crypto, "conformance", "cannot generate an RSA key");
  return Pkey(k);
}


/// The CAN printed on every conformance document.
constexpr const char* kCan = "123456";

// BSI TR-03111 ecdsa-plain-SHA256: the AA scheme DG14 announces for an EC DG15 key.
constexpr const char* kEcdsaPlainSha256 = "0.4.0.127.0.7.1.1.4.1.3";

/// The PKI every case shares, made in memory once per run.
struct Fixture {
  std::time_t now = std::time(nullptr);
  SignerCredentials csca, dsc, revokedDsc;
  Bytes crl;
  Pkey chipAuthKey = ecKey(), activeAuthKey = ecKey();
  Pkey cloneKey = ecKey();  ///< a clone's own key: not the one DG14 / DG15 announce
  long nextSerial = 100;

  Fixture() {
    csca = issue(request("portti Conformance CSCA", true, now - kYear, now + 15 * kYear), nullptr);
    dsc = issue(request("portti Conformance DS", false, now - kDay, now + 10 * kYear), &csca);
    revokedDsc = issue(request("portti Conformance DS revoked", false, now - kDay, now + 10 * kYear), &csca);
    crl = pki::buildCrl(csca, {revokedDsc.certificate}, now - kDay);
  }

  CertificateRequest request(const std::string& cn, bool ca, std::time_t from, std::time_t to) {
    CertificateRequest r;
    r.commonName = cn;
    r.ca = ca;
    r.notBefore = from;
    r.notAfter = to;
    r.serial = nextSerial++;
    return r;
  }
  SignerCredentials issue(const CertificateRequest& r, const SignerCredentials* issuer) {
    return pki::issueCertificate(r, issuer);
  }
  /// A DSC under the conformance CSCA, changed by `edit`.
  SignerCredentials dscWith(const std::function<void(CertificateRequest&)>& edit) {
    CertificateRequest r = request("portti Conformance DS variant", false, now - kDay, now + 10 * kYear);
    edit(r);
    return issue(r, &csca);
  }
};

/// A document to issue: what the chip holds, what the SOD signs, and what the inspection trusts.
struct Document {
  MrzFields fields;                  ///< DG1
  std::optional<MrzFields> printed;  ///< the MRZ that gives access, when it differs from DG1
  std::map<int, Bytes> dataGroups;   ///< signed by the SOD and written to the chip
  std::string hash = "SHA-256";
  pki::SodOptions sod;
  SignerCredentials signer;
  std::optional<std::vector<int>> comList;  ///< EF.COM's list; default: the signed DGs
  /// Changes to the chip's files after signing ("EF.COM", "EF.SOD", "DG2").
  std::function<void(std::map<std::string, Bytes>&)> afterSigning;
  bool trustCsca = true;             ///< the conformance CSCA is an explicit anchor
  std::vector<Bytes> anchors;        ///< more certificates given explicitly
  std::vector<Bytes> masterLists;
  std::vector<Bytes> crls;           ///< default: the conformance CSCA's current CRL
  bool useDefaultCrl = true;
  /// The private keys the chip holds (PEM); empty: the chip has none for that protocol.
  std::string chipAuthKey, activeAuthKey;
  /// PACE: the chip's EF.CardAccess. nullopt: none, and the document is read by BAC with the key
  /// seed (the BAC cases). With it the reader holds the MRZ (or the CAN) and chooses as `portti
  /// read` does: PACE when offered, and a PACE failure ends the read.
  std::optional<Bytes> cardAccess;
  bool bac = true;                                ///< the chip answers BAC (false: PACE only)
  bool readByCan = false;                         ///< the reader gives the CAN instead of the MRZ
  std::string chipCan = kCan;                     ///< the chip's CAN (another: the reader's is wrong)
  std::optional<std::string> chipMrzInformation;  ///< the chip's MRZ password, when it differs
  std::string paceFault;                          ///< chip.conf pace_fault (virtual_chip.hpp)
};

Bytes fakeJpeg() {
  Bytes b = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00};
  for (int i = 0; i < 300; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
  b.push_back(0xFF);
  b.push_back(0xD9);
  return b;
}

Bytes opaqueDg(int n) { return encodeTlv(dataGroupTag(n), encodeTlv(0x53, Bytes(24, static_cast<std::uint8_t>(0x30 + n)))); }

MrzFields defaultFields(std::time_t now) {
  MrzFields f;
  f.format = MrzFormat::TD3;
  f.documentCode = "P";
  f.issuingState = "UTO";
  f.documentNumber = "CF1234567";
  f.dateOfBirth = "800101";
  f.sex = 'F';
  char exp[8];
  std::tm tm{};
  const std::time_t later = now + 5 * kYear;
  gmtime_r(&later, &tm);
  std::strftime(exp, sizeof exp, "%y%m%d", &tm);
  f.dateOfExpiry = exp;
  f.nationality = "UTO";
  f.primaryIdentifier = "SPECIMEN";
  f.secondaryIdentifier = "TEST";
  return f;
}

Bytes dg1Of(const MrzFields& f) { return encodeDg1(composeMrz(f)); }

Document baseDocument(Fixture& fx) {
  Document d;
  d.fields = defaultFields(fx.now);
  Dg11 dg11;
  dg11.fullName = "SPECIMEN<<TEST";
  Dg12 dg12;
  dg12.issuingAuthority = "PORTTI CONFORMANCE";
  d.dataGroups = {
      {1, dg1Of(d.fields)},
      {2, encodeDg2(fakeJpeg(), ImageFormat::Jpeg, 240, 320)},
      {11, encodeDg11(dg11)},
      {12, encodeDg12(dg12)},
      {14, encodeDg14({encodeChipAuthenticationInfo(KeyAgreement::Ecdh, SymmetricCipher::Aes128),
                       encodeChipAuthenticationPublicKeyInfo(fx.chipAuthKey.get()),
                       encodeActiveAuthenticationInfo(kEcdsaPlainSha256)})},
      {15, encodeDg15(fx.activeAuthKey.get())},
  };
  d.signer = fx.dsc;
  d.chipAuthKey = ossl::privateKeyPem(fx.chipAuthKey.get());
  d.activeAuthKey = ossl::privateKeyPem(fx.activeAuthKey.get());
  return d;
}

/// Flips the last byte of a file: inside its value, the structure stays intact.
void flipLast(Bytes& b) { b.back() ^= 0x01; }

/// A case: its row and how its document differs from the base document.
struct CaseDef {
  ConformanceCase row;
  std::function<void(Fixture&, Document&)> build;
};

using V = VerdictStatus;

std::vector<CaseDef> table() {
  std::vector<CaseDef> t;
  auto add = [&](std::string id, std::string group, std::string title, V expected, std::string reason,
                 std::function<void(Fixture&, Document&)> build) {
    t.push_back({{std::move(id), std::move(group), std::move(title), expected, std::move(reason), ""}, std::move(build)});
  };
  auto none = [](Fixture&, Document&) {};

  // --- Well-formed documents: every one must be accepted.
  add("OK-01", "OK", "well-formed document, ECDSA P-256 signer, SHA-256", V::Valid, "", none);
  add("OK-02", "OK", "RSA-2048 document signer (PKCS#1 v1.5)", V::Valid, "", [](Fixture& fx, Document& d) {
    d.signer = fx.dscWith([](CertificateRequest& r) { r.key = "RSA:2048"; });
  });
  using IdHash = std::pair<const char*, const char*>;
  for (auto [id, h] : std::initializer_list<IdHash>{{"OK-03", "SHA-1"}, {"OK-04", "SHA-224"}, {"OK-05", "SHA-384"}, {"OK-06", "SHA-512"}})
    add(id, "OK", std::string(h) + " data group hashes and signature", V::Valid, "",
        [h = std::string(h)](Fixture&, Document& d) { d.hash = h; });
  add("OK-07", "OK", "eContentType id-data holding an LDSSecurityObject (named tolerance)", V::Valid, "",
      [](Fixture&, Document& d) { d.sod.eContentType = "1.2.840.113549.1.7.1"; });
  add("OK-08", "OK", "DG3 listed and signed, refused with 6982: not read, EAC required", V::Valid, "",
      [](Fixture&, Document& d) { d.dataGroups[3] = opaqueDg(3); });
  add("OK-09", "OK", "DG4 listed and signed, absent (6A82): not read, EAC required", V::Valid, "",
      [](Fixture&, Document& d) {
        d.dataGroups[4] = opaqueDg(4);
        d.afterSigning = [](std::map<std::string, Bytes>& files) { files.erase("DG4"); };
      });
  add("OK-10", "OK", "CSCA key rollover: new CSCA and link certificate from a trusted master list", V::Valid, "",
      [](Fixture& fx, Document& d) {
        CertificateRequest oldReq = fx.request("portti Rollover CSCA", true, fx.now - 3 * kYear, fx.now + 10 * kYear);
        SignerCredentials oldCsca = fx.issue(oldReq, nullptr);
        CertificateRequest newReq = fx.request("portti Rollover CSCA", true, fx.now - kDay, fx.now + 15 * kYear);
        SignerCredentials newCsca = fx.issue(newReq, nullptr);
        CertificateRequest linkReq = newReq;
        linkReq.serial = fx.nextSerial++;
        linkReq.existingKey = newCsca.privateKey;
        SignerCredentials link = fx.issue(linkReq, &oldCsca);
        SignerCredentials mls = fx.issue(fx.request("portti Rollover ML signer", false, fx.now - kDay, fx.now + kYear), &oldCsca);
        d.signer = fx.issue(fx.request("portti Rollover DS", false, fx.now - kDay, fx.now + 5 * kYear), &newCsca);
        d.trustCsca = false;
        d.anchors = {oldCsca.certificate};
        d.masterLists = {pki::buildMasterList({oldCsca.certificate, newCsca.certificate, link.certificate}, mls)};
      });
  add("OK-11", "OK", "CSCA key rollover: signer under the new key, only the old CSCA and the link certificate trusted",
      V::Valid, "", [](Fixture& fx, Document& d) {
        SignerCredentials oldCsca = fx.issue(fx.request("portti Link CSCA", true, fx.now - 3 * kYear, fx.now + 10 * kYear), nullptr);
        CertificateRequest newReq = fx.request("portti Link CSCA", true, fx.now - kDay, fx.now + 15 * kYear);
        SignerCredentials newCsca = fx.issue(newReq, nullptr);
        newReq.serial = fx.nextSerial++;
        newReq.existingKey = newCsca.privateKey;
        SignerCredentials link = fx.issue(newReq, &oldCsca);
        d.signer = fx.issue(fx.request("portti Link DS", false, fx.now - kDay, fx.now + 5 * kYear), &newCsca);
        d.trustCsca = false;
        d.anchors = {oldCsca.certificate, link.certificate};
      });
  add("OK-12", "OK", "issuing State D with a DE document signer (ICAO code to ISO 3166)", V::Valid, "",
      [](Fixture& fx, Document& d) {
        d.fields.issuingState = "D";
        d.fields.nationality = "D";
        d.dataGroups[1] = dg1Of(d.fields);
        d.signer = fx.dscWith([](CertificateRequest& r) { r.country = "DE"; });
      });
  add("OK-13", "OK", "document signer key with explicit EC parameters of a named curve (named tolerance)", V::Valid, "",
      [](Fixture& fx, Document& d) { d.signer = fx.dscWith([](CertificateRequest& r) { r.explicitEcParameters = true; }); });
  add("OK-14", "OK", "the CSCA's CRL is past its nextUpdate: used, with a warning", V::Valid, "crl.past-next-update",
      [](Fixture& fx, Document& d) {
        d.useDefaultCrl = false;
        d.crls = {pki::buildCrl(fx.csca, {fx.revokedDsc.certificate}, fx.now - 100 * kDay)};
      });
  add("OK-15", "OK", "TD1 identity card", V::Valid, "", [](Fixture&, Document& d) {
    d.fields.format = MrzFormat::TD1;
    d.fields.documentCode = "ID";
    d.dataGroups[1] = dg1Of(d.fields);
  });

  // --- LDS structure.
  add("LDS-01", "LDS", "DG1 with the tag of DG3 (63)", V::Invalid, "dg1.wrong-tag", [](Fixture&, Document& d) {
    d.dataGroups[1][0] = 0x63;
  });
  add("LDS-02", "LDS", "DG2 with the tag of DG1 (61)", V::Invalid, "dg2.wrong-tag", [](Fixture&, Document& d) {
    d.dataGroups[2][0] = 0x61;
  });
  add("LDS-03", "LDS", "DG1 without the MRZ data object 5F1F", V::Invalid, "dg1.malformed", [](Fixture&, Document& d) {
    d.dataGroups[1] = encodeTlv(0x61, encodeTlv(0x5F20, Bytes(88, '<')));
  });
  add("LDS-04", "LDS", "DG1 MRZ of 87 characters (no known format)", V::Invalid, "dg1.malformed",
      [](Fixture&, Document& d) { d.dataGroups[1] = encodeTlv(0x61, encodeTlv(0x5F1F, Bytes(87, '<'))); });
  add("LDS-05", "LDS", "DG12 length field longer than the file", V::Invalid, "dg12.wrong-length",
      [](Fixture&, Document& d) {
        d.afterSigning = [](std::map<std::string, Bytes>& files) { files["DG12"].pop_back(); };
      });
  add("LDS-06", "LDS", "DG11 with bytes after its TLV: what is read differs from what was signed", V::Invalid,
      "dg11.hash-mismatch", [](Fixture&, Document& d) { d.dataGroups[11].push_back(0x00); });
  add("LDS-07", "LDS", "EF.COM with tag 61 instead of 60", V::Invalid, "com.malformed", [](Fixture&, Document& d) {
    d.afterSigning = [](std::map<std::string, Bytes>& files) { files["EF.COM"][0] = 0x61; };
  });
  add("LDS-08", "LDS", "EF.COM tag list naming an unknown tag (5F)", V::Invalid, "com.malformed",
      [](Fixture&, Document& d) {
        d.afterSigning = [](std::map<std::string, Bytes>& files) {
          files["EF.COM"] = encodeTlv(0x60, concat({encodeTlv(0x5F01, Bytes{'0', '1', '0', '7'}),
                                                    encodeTlv(0x5F36, Bytes{'0', '4', '0', '0', '0', '0'}),
                                                    encodeTlv(0x5C, Bytes{0x61, 0x75, 0x5F})}));
        };
      });
  add("LDS-09", "LDS", "DG11 listed in EF.COM and signed, but absent from the chip", V::Invalid, "com.listed-dg-absent",
      [](Fixture&, Document& d) {
        d.afterSigning = [](std::map<std::string, Bytes>& files) { files.erase("DG11"); };
      });
  add("LDS-10", "LDS", "DG15 listed in EF.COM and signed, but absent from the chip", V::Invalid, "com.listed-dg-absent",
      [](Fixture&, Document& d) {
        d.afterSigning = [](std::map<std::string, Bytes>& files) { files.erase("DG15"); };
      });
  add("LDS-11", "LDS", "DG12 in the SOD and on the chip but not listed in EF.COM", V::Invalid, "sod.dg-not-in-com",
      [](Fixture&, Document& d) { d.comList = std::vector<int>{1, 2, 11, 14, 15}; });
  add("LDS-12", "LDS", "DG13 listed in EF.COM and on the chip but not in the SOD (injected)", V::Invalid,
      "dg13.not-in-sod", [](Fixture&, Document& d) {
        d.comList = std::vector<int>{1, 2, 11, 12, 13, 14, 15};
        d.afterSigning = [](std::map<std::string, Bytes>& files) { files["DG13"] = opaqueDg(13); };
      });
  add("LDS-13", "LDS", "EF.SOD absent", V::Invalid, "sod.missing", [](Fixture&, Document& d) {
    d.afterSigning = [](std::map<std::string, Bytes>& files) { files.erase("EF.SOD"); };
  });
  add("LDS-14", "LDS", "DG2 without a biometric information template", V::Invalid, "dg2.malformed",
      [](Fixture&, Document& d) { d.dataGroups[2] = encodeTlv(0x75, encodeTlv(0x04, Bytes(40, 0x11))); });
  add("LDS-15", "LDS", "DG12 whose inner length overruns the data group", V::Invalid, "dg12.malformed",
      [](Fixture&, Document& d) {
        d.dataGroups[12] = encodeTlv(0x6C, concat({encodeTlv(0x5C, Bytes{0x5F, 0x19}), Bytes{0x5F, 0x19, 0x30, 'A'}}));
      });

  // --- EF.SOD.
  add("SOD-01", "SOD", "wrong eContentType (the master list OID)", V::Invalid, "sod.wrong-content-type",
      [](Fixture&, Document& d) { d.sod.eContentType = "2.23.136.1.1.2"; });
  add("SOD-02", "SOD", "signer certificate missing from the SignedData", V::Invalid, "sod.signer-certificate-missing",
      [](Fixture&, Document& d) { d.sod.faults.omitCertificate = true; });
  add("SOD-03", "SOD", "LDSSecurityObject hashAlgorithm MD5 (unsupported)", V::Invalid, "sod.unsupported-digest",
      [](Fixture&, Document& d) { d.sod.hashAlgorithmOid = "1.2.840.113549.2.5"; });
  add("SOD-04", "SOD", "SignerInfo digestAlgorithm MD5 (unsupported)", V::Invalid, "sod.unsupported-digest",
      [](Fixture&, Document& d) { d.sod.faults.signerInfoDigestOid = "1.2.840.113549.2.5"; });
  add("SOD-05", "SOD", "signed attributes whose messageDigest does not match the content", V::Invalid,
      "sod.message-digest-mismatch", [](Fixture&, Document& d) { d.sod.faults.wrongMessageDigest = true; });
  add("SOD-06", "SOD", "signature over the attributes of other content", V::Invalid, "sod.signature-invalid",
      [](Fixture&, Document& d) { d.sod.faults.signOtherContent = Bytes{0x30, 0x00}; });
  add("SOD-07", "SOD", "signature value corrupted", V::Invalid, "sod.signature-invalid",
      [](Fixture&, Document& d) { d.sod.faults.corruptSignature = true; });
  add("SOD-08", "SOD", "contentType attribute differs from the eContentType", V::Invalid, "sod.content-type-attribute",
      [](Fixture&, Document& d) { d.sod.faults.contentTypeAttribute = "1.2.840.113549.1.7.1"; });
  add("SOD-09", "SOD", "SignerInfo without signed attributes", V::Invalid, "sod.no-signed-attributes",
      [](Fixture&, Document& d) { d.sod.faults.noSignedAttributes = true; });
  add("SOD-10", "SOD", "EF.SOD that holds no SignedData", V::Invalid, "sod.malformed", [](Fixture&, Document& d) {
    d.afterSigning = [](std::map<std::string, Bytes>& files) { files["EF.SOD"] = encodeTlv(0x77, encodeTlv(0x30, encodeTlv(0x02, Bytes{0}))); };
  });
  add("SOD-11", "SOD", "LDSSecurityObject version 7 (unknown)", V::Invalid, "sod.malformed",
      [](Fixture&, Document& d) { d.sod.version = 7; });

  // --- Certificates.
  add("CERT-01", "CERT", "document signer expired", V::Invalid, "cert.dsc-expired", [](Fixture& fx, Document& d) {
    d.signer = fx.dscWith([&](CertificateRequest& r) { r.notBefore = fx.now - 3 * kYear, r.notAfter = fx.now - kYear; });
  });
  add("CERT-02", "CERT", "document signer not yet valid", V::Invalid, "cert.dsc-not-yet-valid",
      [](Fixture& fx, Document& d) {
        d.signer = fx.dscWith([&](CertificateRequest& r) { r.notBefore = fx.now + kYear, r.notAfter = fx.now + 5 * kYear; });
      });
  add("CERT-03", "CERT", "document signer keyUsage keyCertSign without digitalSignature", V::Invalid,
      "cert.dsc-key-usage", [](Fixture& fx, Document& d) {
        d.signer = fx.dscWith([](CertificateRequest& r) { r.keyUsage = "critical,keyCertSign"; });
      });
  add("CERT-04", "CERT", "document signer of an unknown issuer (no trusted CSCA)", V::Indeterminate, "trust.no-csca",
      [](Fixture& fx, Document& d) {
        SignerCredentials other = fx.issue(fx.request("portti Unknown CSCA", true, fx.now - kDay, fx.now + 10 * kYear), nullptr);
        d.signer = fx.issue(fx.request("portti Unknown DS", false, fx.now - kDay, fx.now + 5 * kYear), &other);
      });
  add("CERT-05", "CERT", "document signer revoked by the CSCA's CRL", V::Invalid, "cert.dsc-revoked",
      [](Fixture& fx, Document& d) { d.signer = fx.revokedDsc; });
  add("CERT-06", "CERT", "document signer with an unknown critical extension", V::Invalid,
      "cert.dsc-unknown-critical-extension",
      [](Fixture& fx, Document& d) { d.signer = fx.dscWith([](CertificateRequest& r) { r.unknownCriticalExtension = true; }); });
  add("CERT-07", "CERT", "document signer certificate with a bad signature", V::Invalid, "cert.dsc-signature-invalid",
      [](Fixture& fx, Document& d) {
        // The SOD is signed with the key; only the certificate's own signature is broken.
        d.signer = fx.dscWith([](CertificateRequest& r) { r.corruptSignature = true; });
      });
  add("CERT-08", "CERT", "CSCA expired (document signer still valid)", V::Invalid, "cert.csca-expired",
      [](Fixture& fx, Document& d) {
        SignerCredentials old = fx.issue(fx.request("portti Expired CSCA", true, fx.now - 10 * kYear, fx.now - kYear), nullptr);
        d.signer = fx.issue(fx.request("portti DS of expired CSCA", false, fx.now - 2 * kYear, fx.now + 5 * kYear), &old);
        d.anchors = {old.certificate};
      });
  add("CERT-09", "CERT", "CSCA not yet valid", V::Invalid, "cert.csca-not-yet-valid", [](Fixture& fx, Document& d) {
    SignerCredentials future = fx.issue(fx.request("portti Future CSCA", true, fx.now + kYear, fx.now + 10 * kYear), nullptr);
    d.signer = fx.issue(fx.request("portti DS of future CSCA", false, fx.now - kDay, fx.now + 5 * kYear), &future);
    d.anchors = {future.certificate};
  });
  add("CERT-10", "CERT", "CSCA keyUsage without keyCertSign", V::Invalid, "cert.csca-key-usage",
      [](Fixture& fx, Document& d) {
        CertificateRequest r = fx.request("portti CRL-only CSCA", true, fx.now - kDay, fx.now + 10 * kYear);
        r.keyUsage = "critical,cRLSign";
        SignerCredentials ca = fx.issue(r, nullptr);
        d.signer = fx.issue(fx.request("portti DS of CRL-only CSCA", false, fx.now - kDay, fx.now + 5 * kYear), &ca);
        d.anchors = {ca.certificate};
      });
  add("CERT-11", "CERT", "CSCA with an unknown critical extension", V::Invalid, "cert.csca-unknown-critical-extension",
      [](Fixture& fx, Document& d) {
        CertificateRequest r = fx.request("portti Odd CSCA", true, fx.now - kDay, fx.now + 10 * kYear);
        r.unknownCriticalExtension = true;
        SignerCredentials ca = fx.issue(r, nullptr);
        d.signer = fx.issue(fx.request("portti DS of odd CSCA", false, fx.now - kDay, fx.now + 5 * kYear), &ca);
        d.anchors = {ca.certificate};
      });
  add("CERT-12", "CERT", "link certificate of the signer's CSCA key revoked by the CSCA's CRL", V::Invalid,
      "cert.csca-revoked", [](Fixture& fx, Document& d) {
        SignerCredentials oldCsca = fx.issue(fx.request("portti Revoking CSCA", true, fx.now - 3 * kYear, fx.now + 10 * kYear), nullptr);
        CertificateRequest newReq = fx.request("portti Revoking CSCA", true, fx.now - kDay, fx.now + 15 * kYear);
        SignerCredentials newCsca = fx.issue(newReq, nullptr);
        newReq.serial = fx.nextSerial++;
        newReq.existingKey = newCsca.privateKey;
        SignerCredentials link = fx.issue(newReq, &oldCsca);
        d.signer = fx.issue(fx.request("portti DS under revoked link", false, fx.now - kDay, fx.now + 5 * kYear), &newCsca);
        d.anchors = {oldCsca.certificate, link.certificate};
        d.crls = {pki::buildCrl(oldCsca, {link.certificate}, fx.now - kDay)};
      });
  add("CERT-13", "CERT", "document signer issued by a forged CSCA of the same name", V::Invalid,
      "cert.dsc-signature-invalid", [](Fixture& fx, Document& d) {
        SignerCredentials forged = fx.issue(fx.request("portti Conformance CSCA", true, fx.now - kDay, fx.now + 10 * kYear), nullptr);
        d.signer = fx.issue(fx.request("portti Forged DS", false, fx.now - kDay, fx.now + 5 * kYear), &forged);
      });
  add("CERT-14", "CERT", "CSCA only in a master list whose signer chains to no given anchor", V::Indeterminate,
      "trust.no-csca", [](Fixture& fx, Document& d) {
        SignerCredentials ca = fx.issue(fx.request("portti Listed CSCA", true, fx.now - kDay, fx.now + 10 * kYear), nullptr);
        SignerCredentials mls = fx.issue(fx.request("portti Self ML signer", false, fx.now - kDay, fx.now + kYear), &ca);
        d.signer = fx.issue(fx.request("portti DS of listed CSCA", false, fx.now - kDay, fx.now + 5 * kYear), &ca);
        d.masterLists = {pki::buildMasterList({ca.certificate}, mls)};
      });

  // --- A hash mismatch in each data group read.
  int hashCase = 1;
  for (int n : {1, 2, 5, 7, 11, 12, 13, 14, 15, 16}) {
    char id[32];
    std::snprintf(id, sizeof id, "HASH-%02d", hashCase++);
    add(id, "HASH", dataGroupName(n) + " changed after signing", V::Invalid, "dg" + std::to_string(n) + ".hash-mismatch",
        [n](Fixture&, Document& d) {
          if (!d.dataGroups.count(n)) d.dataGroups[n] = opaqueDg(n);
          d.afterSigning = [n](std::map<std::string, Bytes>& files) { flipLast(files[dataGroupName(n)]); };
        });
  }

  // --- Consistency checks of the inspection system.
  add("CONS-01", "CONS", "DG1 differs from the printed MRZ (same access key, another name)", V::Invalid,
      "dg1.mrz-mismatch", [](Fixture&, Document& d) {
        d.printed = d.fields;
        d.fields.secondaryIdentifier = "OTHER";
        d.dataGroups[1] = dg1Of(d.fields);
      });
  add("CONS-02", "CONS", "issuing State UTO, document signer of FI", V::Invalid, "dsc.country-mismatch",
      [](Fixture& fx, Document& d) { d.signer = fx.dscWith([](CertificateRequest& r) { r.country = "FI"; }); });
  add("CONS-03", "CONS", "issuing State D, document signer of UT", V::Invalid, "dsc.country-mismatch",
      [](Fixture&, Document& d) {
        d.fields.issuingState = "D";
        d.dataGroups[1] = dg1Of(d.fields);
      });
  add("CONS-04", "CONS", "document expired (PA valid: expiry is a separate fact)", V::Invalid, "doc.expired",
      [](Fixture&, Document& d) {
        d.fields.dateOfExpiry = "120415";
        d.dataGroups[1] = dg1Of(d.fields);
      });

  // --- Chip and Active Authentication: the chip must hold the keys DG14 and DG15 announce.
  add("CA-01", "CA", "clone: data groups copied, another Chip Authentication key", V::Invalid, "ca.failed",
      [](Fixture& fx, Document& d) { d.chipAuthKey = ossl::privateKeyPem(fx.cloneKey.get()); });
  add("CA-02", "CA", "chip without the Chip Authentication key DG14 announces", V::Invalid, "ca.failed",
      [](Fixture&, Document& d) { d.chipAuthKey.clear(); });
  add("CA-03", "CA", "clone with both keys replaced: Chip Authentication fails first", V::Invalid, "ca.failed",
      [](Fixture& fx, Document& d) {
        d.chipAuthKey = ossl::privateKeyPem(fx.cloneKey.get());
        d.activeAuthKey = ossl::privateKeyPem(fx.cloneKey.get());
      });
  add("AA-01", "AA", "clone: data groups copied, another Active Authentication key (ECDSA)", V::Invalid, "aa.failed",
      [](Fixture& fx, Document& d) { d.activeAuthKey = ossl::privateKeyPem(fx.cloneKey.get()); });
  add("AA-02", "AA", "chip without the Active Authentication key DG15 announces", V::Invalid, "aa.failed",
      [](Fixture&, Document& d) { d.activeAuthKey.clear(); });
  add("AA-03", "AA", "clone with another RSA Active Authentication key (ISO/IEC 9796-2)", V::Invalid, "aa.failed",
      [](Fixture&, Document& d) {
        Pkey genuine = rsaKey(), clone = rsaKey();
        d.dataGroups[15] = encodeDg15(genuine.get());
        d.activeAuthKey = ossl::privateKeyPem(clone.get());
      });
  add("OK-16", "OK", "RSA-2048 Active Authentication key (ISO/IEC 9796-2)", V::Valid, "", [](Fixture&, Document& d) {
    Pkey key = rsaKey();
    d.dataGroups[15] = encodeDg15(key.get());
    d.activeAuthKey = ossl::privateKeyPem(key.get());
  });

  // --- PACE (Doc 9303-11 4.4): read as `portti read` reads, PACE whenever EF.CardAccess offers it.
  // PACE offered but failing ends the read with its reason: a quiet BAC in its place would read
  // these chips (they all answer BAC with the right MRZ) and make the case fail.
  auto addPace = [&](std::string id, std::string title, V expected, std::string reason, std::string access,
                     std::function<void(Fixture&, Document&)> build) {
    t.push_back({{std::move(id), "PACE", std::move(title), expected, std::move(reason), std::move(access)},
                 std::move(build)});
  };
  const auto offering = [](KeyAgreement ka, PaceMapping m, SymmetricCipher c, int parameterId) {
    return encodeCardAccess({encodePaceInfo(ka, m, c, parameterId)});
  };
  const Bytes gm = offering(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13);
  addPace("PACE-01", "PACE-ECDH-GM-AES128 on brainpoolP256r1 with the MRZ", V::Valid, "", "PACE-ECDH-GM-AES128",
          [gm](Fixture&, Document& d) { d.cardAccess = gm; });
  addPace("PACE-02", "PACE with the CAN (DG1 against the MRZ: not done)", V::Valid, "", "PACE-ECDH-GM-AES128",
          [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.readByCan = true;
          });
  addPace("PACE-03", "PACE-only chip (refuses BAC), PACE-DH-GM-AES128 on the RFC 5114 1024-bit group", V::Valid, "",
          "PACE-DH-GM-AES128", [offering](Fixture&, Document& d) {
            d.cardAccess = offering(KeyAgreement::Dh, PaceMapping::Generic, SymmetricCipher::Aes128, 0);
            d.bac = false;
          });
  addPace("PACE-04", "PACE-CAM on NIST P-256: the chip proves its DG14 key in the PACE run", V::Valid, "",
          "PACE-ECDH-CAM-AES128", [offering](Fixture&, Document& d) {
            d.cardAccess = offering(KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 12);
          });
  addPace("PACE-05", "PACE-ECDH-IM-AES256 on NIST P-384 (Integrated Mapping, AES-256 secure messaging)", V::Valid, "",
          "PACE-ECDH-IM-AES256", [offering](Fixture&, Document& d) {
            d.cardAccess = offering(KeyAgreement::Ecdh, PaceMapping::Integrated, SymmetricCipher::Aes256, 15);
          });
  addPace("PACE-06", "wrong CAN: the chip holds another CAN than the one printed", V::Invalid, "pace.access-denied", "",
          [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.readByCan = true;
            d.chipCan = "654321";
          });
  addPace("PACE-07", "wrong MRZ: the chip's MRZ information differs from the one given", V::Invalid,
          "pace.access-denied", "", [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.chipMrzInformation = "OTHER0000080010100000000";
          });
  addPace("PACE-08", "chip refuses MSE:Set AT (6A80), BAC would work", V::Invalid, "pace.mse-set-at", "",
          [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.paceFault = "refuse-set-at";
          });
  addPace("PACE-09", "chip answers GENERAL AUTHENTICATE (map nonce) with 6F00, BAC would work", V::Invalid,
          "pace.general-authenticate", "", [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.paceFault = "chip-error";
          });
  addPace("PACE-10", "chip's authentication token T_IC does not verify, BAC would work", V::Invalid,
          "pace.chip-token-invalid", "", [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.paceFault = "bad-token";
          });
  addPace("PACE-11", "malformed EF.CardAccess (the PACEInfo cut short in a well-formed SET), BAC would work",
          V::Invalid, "pace.card-access-malformed", "", [](Fixture&, Document& d) {
            Bytes info = encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13);
            info.pop_back();
            d.cardAccess = encodeTlv(0x31, info);
          });
  addPace("PACE-12", "PACE-CAM clone: data groups copied, another chip key", V::Invalid, "ca.failed", "",
          [offering](Fixture& fx, Document& d) {
            d.cardAccess = offering(KeyAgreement::Ecdh, PaceMapping::ChipAuthentication, SymmetricCipher::Aes128, 12);
            d.chipAuthKey = ossl::privateKeyPem(fx.cloneKey.get());
          });
  addPace("PACE-13", "EF.CardAccess offers only unsupported PACE (PACEInfo version 1): BAC, downgrade reported",
          V::Valid, "access.downgrade", "BAC", [](Fixture&, Document& d) {
            d.cardAccess = encodeCardAccess(
                {encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13, 1)});
          });
  addPace("PACE-14", "EF.CardAccess offers only unsupported PACE, read with the CAN: nothing to run", V::Invalid,
          "pace.not-available", "", [](Fixture&, Document& d) {
            d.cardAccess = encodeCardAccess(
                {encodePaceInfo(KeyAgreement::Ecdh, PaceMapping::Generic, SymmetricCipher::Aes128, 13, 1)});
            d.readByCan = true;
          });
  addPace("PACE-15", "EF.CardAccess shorter than its length field, BAC would work", V::Invalid,
          "pace.card-access-malformed", "", [gm](Fixture&, Document& d) {
            d.cardAccess = gm;
            d.cardAccess->pop_back();
          });
  return t;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "\n") + l;
  return s;
}

ConformanceOutcome runOne(Fixture& fx, const CaseDef& def) {
  ConformanceOutcome out;
  out.testCase = def.row;
  Document d = baseDocument(fx);
  def.build(fx, d);

  ChipImage chip;
  for (const auto& [n, bytes] : d.dataGroups) chip.files[dataGroupName(n)] = bytes;
  std::vector<int> listed;
  for (const auto& [n, bytes] : d.dataGroups) listed.push_back(n);
  chip.files["EF.COM"] = encodeCom("0108", d.comList.value_or(listed));
  chip.files["EF.SOD"] = pki::buildSod(d.hash, d.dataGroups, d.signer, d.sod);
  if (d.afterSigning) d.afterSigning(chip.files);

  const Mrz access = parseValidMrz(joinLines(composeMrz(d.printed.value_or(d.fields))));
  chip.config.set("mrz_information", mrzInformation(access));
  chip.config.set("extended_length", "yes");
  chip.config.set("max_response", "65536");
  if (!d.chipAuthKey.empty()) {
    chip.config.set("chip_auth_key", "chip_auth.key.pem");
    chip.keyFiles["chip_auth.key.pem"] = Bytes(d.chipAuthKey.begin(), d.chipAuthKey.end());
  }
  if (!d.activeAuthKey.empty()) {
    chip.config.set("active_auth_key", "active_auth.key.pem");
    chip.keyFiles["active_auth.key.pem"] = Bytes(d.activeAuthKey.begin(), d.activeAuthKey.end());
  }
  if (d.cardAccess) {
    chip.files["EF.CardAccess"] = *d.cardAccess;
    chip.config.set("can", d.chipCan);
    if (!d.bac) chip.config.set("bac", "no");
    if (d.chipMrzInformation) chip.config.set("mrz_information", *d.chipMrzInformation);
    if (!d.paceFault.empty()) chip.config.set("pace_fault", d.paceFault);
  }

  pki::TrustStore trust;
  if (d.trustCsca) trust.addCertificate(fx.csca.certificate, "conformance CSCA");
  for (const Bytes& a : d.anchors) trust.addCertificate(a, "case anchor");
  for (const Bytes& m : d.masterLists) trust.addMasterList(m, "case master list");
  if (d.useDefaultCrl) trust.addCrl(fx.crl, "conformance CRL");
  for (const Bytes& c : d.crls) trust.addCrl(c, "case CRL");

  VirtualChip card(std::move(chip));
  SimChannel channel(card, "conformance");
  DocumentReadOptions options;
  options.readCardAccess = d.cardAccess.has_value();
  options.trust = &trust;  // Chip Authentication runs once DG14 passed PA against it
  options.paOptions.at = fx.now;
  options.dataGroups.clear();
  for (int n = 1; n <= 16; ++n) options.dataGroups.push_back(n);
  try {
    const DocumentRead read =
        !d.cardAccess ? readDocument(channel, bacKeySeed(mrzInformation(access)), options)
        : d.readByCan ? readDocument(channel, AccessKey::cardAccessNumber(kCan), options)
                      : readDocument(channel, AccessKey::mrz(mrzInformation(access)), options);
    out.access = read.accessMethod;
    InspectionContext context;
    if (!d.readByCan) context.accessMrz = access;
    context.options.at = fx.now;
    const DocumentVerdict v = inspectDocument(read, trust, context);
    out.verdict = v.status;
    out.failures = v.failures;
    out.warnings = v.warnings;
    const InspectionCheck* ca = v.check("chip_auth");
    const InspectionCheck* aa = v.check("active_auth");
    out.chipProved = ca && aa && ca->status == pki::CheckStatus::Passed && aa->status == pki::CheckStatus::Passed;
    if (!out.chipProved && ca && aa)
      out.detail = ca->detail + (ca->detail.empty() || aa->detail.empty() ? "" : " / ") + aa->detail;
    if (v.status == VerdictStatus::Indeterminate) out.failures = v.passiveAuth.codes;
    if (!v.passiveAuth.reasons.empty()) out.detail = v.passiveAuth.reasons.front();
    for (const auto& c : v.checks)
      if (out.detail.empty() && c.status == pki::CheckStatus::Failed) out.detail = c.detail;
  } catch (const Error& e) {
    // The read itself failed: an inspection system rejects the document for that reason.
    out.verdict = VerdictStatus::Invalid;
    out.failures = {readFailureCode(e)};
    out.detail = e.what();
  }

  const auto has = [](const std::vector<std::string>& v, const std::string& code) {
    for (const auto& s : v)
      if (s == code || s.rfind(code + ":", 0) == 0) return true;
    return false;
  };
  const ConformanceCase& c = def.row;
  if (out.verdict != c.expected) {
    out.passed = false;
  } else if (!c.access.empty() && out.access != c.access) {
    out.passed = false;
    out.detail = "read by " + (out.access.empty() ? std::string("nothing") : out.access) + ", not " + c.access;
  } else if (c.expected == VerdictStatus::Valid) {
    // A genuine chip also proves its keys: a valid document with CA or AA not passed is a failure.
    out.passed = out.failures.empty() && (c.reason.empty() || has(out.warnings, c.reason)) && out.chipProved;
    if (!out.chipProved) out.detail = "Chip or Active Authentication not passed: " + out.detail;
  } else {
    out.passed = has(out.failures, c.reason);
  }
  if (out.passed && c.expected == VerdictStatus::Valid) out.detail.clear();
  return out;
}

}  // namespace

std::vector<ConformanceCase> conformanceCases() {
  std::vector<ConformanceCase> out;
  for (const CaseDef& d : table()) out.push_back(d.row);
  return out;
}

std::vector<ConformanceOutcome> runConformance(const std::string& filter,
                                               const std::function<void(const ConformanceOutcome&)>& onCase) {
  Fixture fx;
  std::vector<ConformanceOutcome> out;
  for (const CaseDef& def : table()) {
    if (!filter.empty() && def.row.id.rfind(filter, 0) != 0 && def.row.group != filter) continue;
    ConformanceOutcome o;
    try {
      o = runOne(fx, def);
    } catch (const std::exception& e) {
      // A case that cannot even be issued is a failure of the suite, never a pass.
      o.testCase = def.row;
      o.passed = false;
      o.detail = std::string("could not run: ") + e.what();
    }
    if (onCase) onCase(o);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace portti::mrtd
