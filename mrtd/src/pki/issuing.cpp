#include "portti/mrtd/pki/issuing.hpp"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ossl.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::pki {

namespace {
namespace fs = std::filesystem;
const char* kStep = "ISSUE";

Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorArea::Pki, "LOAD SIGNER", "cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const fs::path& path, ByteView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) throw Error(ErrorArea::Pki, "WRITE TEST PKI", "cannot write " + path.string());
}

PkeyPtr privateKey(const SecretBytes& pkcs8) {
  const unsigned char* p = pkcs8.data();
  EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pkcs8.size()));
  if (!k) throwCrypto("LOAD SIGNER", "unreadable private key");
  return PkeyPtr(k);
}

SecretBytes pkcs8Der(EVP_PKEY* key) {
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(key);
  unsigned char* buf = nullptr;
  int len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &buf) : 0;
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (len <= 0) throwCrypto(kStep, "cannot encode private key as PKCS#8");
  SecretBytes out(ByteView(buf, static_cast<std::size_t>(len)));
  OPENSSL_clear_free(buf, static_cast<std::size_t>(len));
  return out;
}

std::string pkcs8Pem(const SecretBytes& der) {
  PkeyPtr k = privateKey(der);
  return ossl::privateKeyPem(k.get());
}

PkeyPtr generateKey(const std::string& spec, bool explicitParams) {
  EVP_PKEY* k = nullptr;
  if (spec.rfind("EC:", 0) == 0) {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", spec.substr(3).c_str());
    if (k && explicitParams &&
        EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT) != 1) {
      EVP_PKEY_free(k);
      k = nullptr;
    }
  } else if (spec.rfind("RSA:", 0) == 0) {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(std::stoul(spec.substr(4))));
  }
  if (!k) throwCrypto(kStep, "cannot generate key " + spec);
  return PkeyPtr(k);
}

void addExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext || X509_add_ext(cert, ext, -1) != 1) {
    X509_EXTENSION_free(ext);
    throwCrypto(kStep, std::string("cannot add extension ") + value);
  }
  X509_EXTENSION_free(ext);
}

// A critical extension under a private arc (1.3.6.1.4.1.99999 is not assigned to anyone we know).
void addUnknownCriticalExtension(X509* cert) {
  AsnObjPtr obj(OBJ_txt2obj("1.3.6.1.4.1.99999.1.1", 1));
  ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
  const unsigned char nullDer[] = {0x05, 0x00};
  X509_EXTENSION* ext = nullptr;
  if (obj && value && ASN1_OCTET_STRING_set(value, nullDer, sizeof nullDer) == 1)
    ext = X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), 1, value);
  ASN1_OCTET_STRING_free(value);
  if (!ext || X509_add_ext(cert, ext, -1) != 1) {
    X509_EXTENSION_free(ext);
    throwCrypto(kStep, "cannot add the unknown critical extension");
  }
  X509_EXTENSION_free(ext);
}

std::string signatureOidFor(EVP_PKEY* key, const std::string& digestName) {
  static const std::map<std::string, std::pair<std::string, std::string>> oids = {
      {"SHA-1", {"1.2.840.10045.4.1", "1.2.840.113549.1.1.5"}},
      {"SHA-224", {"1.2.840.10045.4.3.1", "1.2.840.113549.1.1.14"}},
      {"SHA-256", {"1.2.840.10045.4.3.2", "1.2.840.113549.1.1.11"}},
      {"SHA-384", {"1.2.840.10045.4.3.3", "1.2.840.113549.1.1.12"}},
      {"SHA-512", {"1.2.840.10045.4.3.4", "1.2.840.113549.1.1.13"}},
  };
  auto it = oids.find(digestName);
  if (it == oids.end()) throw Error(ErrorArea::Pki, kStep, "unknown digest " + digestName);
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? it->second.first : it->second.second;
}

Bytes sign(EVP_PKEY* key, const std::string& digestName, ByteView data) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digestByName(digestName), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1)
    throwCrypto(kStep, "cannot sign");
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1) throwCrypto(kStep, "cannot sign");
  sig.resize(len);
  return sig;
}

// DER SET OF order: by encoding, byte by byte (written out: GCC 12 warns falsely on std::vector's <).
bool derLess(const Bytes& a, const Bytes& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (a[i] != b[i]) return a[i] < b[i];
  return a.size() < b.size();
}

Bytes integer(long v) { return encodeTlv(0x02, Bytes{static_cast<std::uint8_t>(v)}); }
}  // namespace

SignerCredentials loadSigner(const std::string& certificatePath, const std::string& keyPath) {
  SignerCredentials s;
  Bytes cert = readFile(certificatePath);
  if (cert.size() > 10 && cert[0] == '-') {
    BIO* bio = BIO_new_mem_buf(cert.data(), static_cast<int>(cert.size()));
    X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!x) throwCrypto("LOAD SIGNER", "unreadable certificate " + certificatePath);
    X509Ptr owner(x);
    s.certificate = derOf(x);
  } else {
    s.certificate = std::move(cert);
    parseCertificate(s.certificate, certificatePath);
  }
  Bytes key = readFile(keyPath);
  if (key.size() > 10 && key[0] == '-') {
    PkeyPtr owner = ossl::privateKeyFromPem(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    OPENSSL_cleanse(key.data(), key.size());
    if (!owner) throwCrypto("LOAD SIGNER", "unreadable private key " + keyPath);
    s.privateKey = pkcs8Der(owner.get());
  } else {
    s.privateKey = SecretBytes(std::move(key));
    privateKey(s.privateKey);
  }
  return s;
}

SignerCredentials issueCertificate(const CertificateRequest& req, const SignerCredentials* issuer) {
  PkeyPtr key = req.existingKey ? privateKey(*req.existingKey) : generateKey(req.key, req.explicitEcParameters);
  X509Ptr cert(X509_new());
  X509Ptr issuerCert;
  PkeyPtr issuerKey;
  if (issuer) {
    issuerCert = parseCertificate(issuer->certificate, "issuer certificate");
    issuerKey = privateKey(issuer->privateKey);
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto add = [&](const char* field, const std::string& v) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(v.c_str()), -1,
                               -1, 0);
  };
  add("C", req.country);
  add("O", "portti test");
  add("CN", req.commonName);
  if (X509_set_version(cert.get(), 2) != 1 || ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), req.serial) != 1 ||
      !ASN1_TIME_set(X509_getm_notBefore(cert.get()), req.notBefore) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), req.notAfter) || X509_set_pubkey(cert.get(), key.get()) != 1 ||
      X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuerCert.get()) : name) != 1)
    throwCrypto(kStep, "cannot fill certificate");
  X509* signerCert = issuer ? issuerCert.get() : cert.get();
  addExt(cert.get(), signerCert, NID_subject_key_identifier, "hash");
  addExt(cert.get(), signerCert, NID_authority_key_identifier, "keyid:always");
  if (req.ca) addExt(cert.get(), signerCert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  const std::string usage =
      !req.keyUsage.empty() ? req.keyUsage : req.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature";
  addExt(cert.get(), signerCert, NID_key_usage, usage.c_str());
  if (req.unknownCriticalExtension) addUnknownCriticalExtension(cert.get());
  if (X509_sign(cert.get(), issuer ? issuerKey.get() : key.get(), EVP_sha256()) <= 0)
    throwCrypto(kStep, "cannot sign certificate " + req.commonName);
  SignerCredentials out;
  out.certificate = derOf(cert.get());
  // The signature BIT STRING ends the certificate: its last byte belongs to the signature value.
  if (req.corruptSignature) out.certificate.back() ^= 0x01;
  out.privateKey = pkcs8Der(key.get());
  return out;
}

Bytes buildSignedData(const std::string& contentType, ByteView content, const SignerCredentials& signer,
                      const std::string& digestName, bool corruptSignature) {
  SignedDataFaults faults;
  faults.corruptSignature = corruptSignature;
  return buildSignedData(contentType, content, signer, digestName, faults);
}

namespace {
// Signed attributes (RFC 5652 5.3, Doc 9303-10 4.6.2.3): contentType and messageDigest, in DER
// SET OF order (sorted by encoding); the body of the SET, without its tag.
Bytes signedAttributes(const std::string& contentType, const Bytes& messageDigest) {
  std::vector<Bytes> attrs = {
      encodeTlv(0x30, concat({oidDer(oid::kContentTypeAttr), encodeTlv(0x31, oidDer(contentType))})),
      encodeTlv(0x30, concat({oidDer(oid::kMessageDigestAttr), encodeTlv(0x31, encodeTlv(0x04, messageDigest))})),
  };
  std::sort(attrs.begin(), attrs.end(), derLess);
  return concat({attrs[0], attrs[1]});
}
}  // namespace

Bytes buildSignedData(const std::string& contentType, ByteView content, const SignerCredentials& signer,
                      const std::string& digestName, const SignedDataFaults& faults) {
  X509Ptr cert = parseCertificate(signer.certificate, "signer certificate");
  PkeyPtr key = privateKey(signer.privateKey);
  const Bytes digestAlg = encodeTlv(0x30, oidDer(faults.signerInfoDigestOid.value_or(digestOid(digestName))));
  Bytes messageDigest = digest(digestName, content);
  if (faults.wrongMessageDigest) messageDigest[0] ^= 0x01;
  const Bytes attrBody = signedAttributes(faults.contentTypeAttribute.value_or(contentType), messageDigest);
  Bytes signedBytes = encodeTlv(0x31, attrBody);
  if (faults.signOtherContent) signedBytes = encodeTlv(0x31, signedAttributes(contentType, digest(digestName, *faults.signOtherContent)));
  if (faults.noSignedAttributes) signedBytes.assign(content.begin(), content.end());
  Bytes signature = sign(key.get(), digestName, signedBytes);
  if (faults.corruptSignature) signature.back() ^= 0x01;
  Bytes sigAlg = oidDer(signatureOidFor(key.get(), digestName));
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) sigAlg = concat({sigAlg, Bytes{0x05, 0x00}});
  unsigned char* serial = nullptr;
  int serialLen = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert.get()), &serial);
  if (serialLen <= 0) throwCrypto(kStep, "cannot encode serial number");
  Bytes serialDer(serial, serial + serialLen);
  OPENSSL_free(serial);
  Bytes signerInfo = encodeTlv(
      0x30, concat({integer(1), encodeTlv(0x30, concat({derOf(X509_get_issuer_name(cert.get())), serialDer})),
                    digestAlg, faults.noSignedAttributes ? Bytes{} : encodeTlv(0xA0, attrBody),
                    encodeTlv(0x30, sigAlg), encodeTlv(0x04, signature)}));
  Bytes signedData = encodeTlv(
      0x30, concat({integer(3), encodeTlv(0x31, digestAlg),
                    encodeTlv(0x30, concat({oidDer(contentType), encodeTlv(0xA0, encodeTlv(0x04, content))})),
                    faults.omitCertificate ? Bytes{} : encodeTlv(0xA0, signer.certificate),
                    encodeTlv(0x31, signerInfo)}));
  return encodeTlv(0x30, concat({oidDer(oid::kSignedData), encodeTlv(0xA0, signedData)}));
}

Bytes buildSod(const std::string& hashAlgorithm, const std::map<int, Bytes>& dataGroups,
               const SignerCredentials& signer, const SodOptions& options) {
  // LDSSecurityObject V0 (Doc 9303-10 4.6.2.2)
  Bytes hashes;
  for (const auto& [number, bytes] : dataGroups) {
    if (number < 1 || number > 16) throw Error(ErrorArea::Pki, "BUILD EF.SOD", "no such data group");
    Bytes one = encodeTlv(0x30, concat({integer(number), encodeTlv(0x04, digest(hashAlgorithm, bytes))}));
    hashes.insert(hashes.end(), one.begin(), one.end());
  }
  Bytes lds = encodeTlv(0x30, concat({integer(options.version),
                                      encodeTlv(0x30, oidDer(options.hashAlgorithmOid.value_or(digestOid(hashAlgorithm)))),
                                      encodeTlv(0x30, hashes)}));
  SignedDataFaults faults = options.faults;
  faults.corruptSignature = faults.corruptSignature || options.corruptSignature;
  return encodeTlv(0x77, buildSignedData(options.eContentType, lds, signer, hashAlgorithm, faults));
}

Bytes buildMasterList(const std::vector<Bytes>& cscas, const SignerCredentials& signer) {
  // CscaMasterList (Doc 9303-12 8.2). SET OF in DER order.
  std::vector<Bytes> sorted = cscas;
  std::sort(sorted.begin(), sorted.end(), derLess);
  Bytes certs;
  for (const Bytes& c : sorted) certs.insert(certs.end(), c.begin(), c.end());
  Bytes list = encodeTlv(0x30, concat({integer(0), encodeTlv(0x31, certs)}));
  return buildSignedData(oid::kCscaMasterList, list, signer, "SHA-256");
}

Bytes buildCrl(const SignerCredentials& issuer, const std::vector<Bytes>& revoked, std::time_t thisUpdate,
               long validDays) {
  X509Ptr cert = parseCertificate(issuer.certificate, "CRL issuer");
  PkeyPtr key = privateKey(issuer.privateKey);
  X509CrlPtr crl(X509_CRL_new());
  ossl::AsnTimePtr last(ASN1_TIME_set(nullptr, thisUpdate)), next(ASN1_TIME_set(nullptr, thisUpdate + validDays * 86400));
  if (!crl || !last || !next || X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(cert.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 || X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1)
    throwCrypto(kStep, "cannot fill CRL");
  for (const Bytes& r : revoked) {
    X509Ptr rc = parseCertificate(r, "revoked certificate");
    X509_REVOKED* entry = X509_REVOKED_new();
    if (!entry || X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(rc.get())) != 1 ||
        X509_REVOKED_set_revocationDate(entry, last.get()) != 1 || X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      throwCrypto(kStep, "cannot add revoked entry");
    }
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), key.get(), EVP_sha256()) <= 0) throwCrypto(kStep, "cannot sign CRL");
  unsigned char* buf = nullptr;
  int len = i2d_X509_CRL(crl.get(), &buf);
  if (len <= 0) throwCrypto(kStep, "cannot encode CRL");
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

TestPki makeTestPki(const std::string& dirName) {
  fs::path dir(dirName);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw Error(ErrorArea::Pki, "WRITE TEST PKI", "cannot create " + dirName);
  const std::time_t now = std::time(nullptr);
  const long day = 86400, year = 365 * day;
  auto req = [&](const std::string& cn, bool ca, long serial, std::time_t from, std::time_t to, const char* key) {
    CertificateRequest r;
    r.commonName = cn;
    r.ca = ca;
    r.serial = serial;
    r.notBefore = from;
    r.notAfter = to;
    r.key = key;
    return r;
  };
  SignerCredentials csca = issueCertificate(req("portti Test CSCA", true, 1, now - day, now + 15 * year, "EC:brainpoolP256r1"), nullptr);
  SignerCredentials dsc = issueCertificate(req("portti Test DS", false, 2, now - day, now + 10 * year, "EC:prime256v1"), &csca);
  SignerCredentials rsa = issueCertificate(req("portti Test DS RSA", false, 3, now - day, now + 10 * year, "RSA:2048"), &csca);
  SignerCredentials expired = issueCertificate(req("portti Test DS expired", false, 4, now - 3 * year, now - year, "EC:prime256v1"), &csca);
  SignerCredentials revoked = issueCertificate(req("portti Test DS revoked", false, 5, now - day, now + 10 * year, "EC:prime256v1"), &csca);
  SignerCredentials mls = issueCertificate(req("portti Test Master List Signer", false, 6, now - day, now + 10 * year, "EC:prime256v1"), &csca);
  // A second CSCA that the operator never trusts: its certificate is written nowhere.
  SignerCredentials otherCsca = issueCertificate(req("portti Unknown CSCA", true, 1, now - day, now + 15 * year, "EC:prime256v1"), nullptr);
  SignerCredentials unknown = issueCertificate(req("portti Test DS unknown CSCA", false, 2, now - day, now + 10 * year, "EC:prime256v1"), &otherCsca);

  TestPki out;
  out.dir = dir.string();
  auto put = [&](const char* base, const SignerCredentials& s, std::string& certPath, std::string* keyPath) {
    certPath = (dir / (std::string(base) + ".der")).string();
    writeFile(certPath, s.certificate);
    if (keyPath) {
      *keyPath = (dir / (std::string(base) + ".key.pem")).string();
      std::string pem = pkcs8Pem(s.privateKey);
      writeFile(*keyPath, ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
      fs::permissions(*keyPath, fs::perms::owner_read | fs::perms::owner_write, ec);
    }
  };
  put("csca", csca, out.csca, nullptr);
  put("dsc", dsc, out.dsc, &out.dscKey);
  put("dsc-rsa", rsa, out.rsaDsc, &out.rsaDscKey);
  put("dsc-expired", expired, out.expiredDsc, &out.expiredDscKey);
  put("dsc-revoked", revoked, out.revokedDsc, &out.revokedDscKey);
  put("dsc-unknown-csca", unknown, out.unknownCscaDsc, &out.unknownCscaDscKey);
  out.masterList = (dir / "masterlist.ml").string();
  writeFile(out.masterList, buildMasterList({csca.certificate}, mls));
  out.crl = (dir / "crl.der").string();
  writeFile(out.crl, buildCrl(csca, {revoked.certificate}, now - day));
  return out;
}

}  // namespace portti::mrtd::pki
