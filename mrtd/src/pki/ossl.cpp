#include "ossl.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <map>
#include <vector>

#include "portti/mrtd/lds/oid.hpp"
#include "portti/mrtd/pki/ec_parameters.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::pki {

// One OID codec for mrtd (lds/oid.hpp); here its errors are PKI errors.
std::string oidToText(ByteView v) {
  try {
    return decodeOid(v);
  } catch (const Error& e) {
    throw Error(ErrorArea::Pki, "OBJECT IDENTIFIER", e.detail());
  }
}

Bytes oidDer(const std::string& dotted) {
  try {
    return encodeOid(dotted);
  } catch (const Error& e) {
    throw Error(ErrorArea::Pki, "OBJECT IDENTIFIER", e.detail());
  }
}

namespace {
const std::map<std::string, std::string>& digestOids() {
  static const std::map<std::string, std::string> m = {
      {"1.3.14.3.2.26", "SHA-1"},
      {"2.16.840.1.101.3.4.2.4", "SHA-224"},
      {"2.16.840.1.101.3.4.2.1", "SHA-256"},
      {"2.16.840.1.101.3.4.2.2", "SHA-384"},
      {"2.16.840.1.101.3.4.2.3", "SHA-512"},
  };
  return m;
}

std::uint64_t smallInteger(ByteView v, const char* what) {
  if (v.empty() || v.size() > 4 || (v[0] & 0x80))
    throw Error(ErrorArea::Pki, what, "integer out of range");
  std::uint64_t n = 0;
  for (auto b : v) n = (n << 8) | b;
  return n;
}

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
std::pair<std::string, std::optional<Tlv>> readAlgorithm(ByteView whole, const char* what) {
  Tlv seq = decodeOne(whole);
  if (seq.tag != 0x30) throw Error(ErrorArea::Pki, what, "AlgorithmIdentifier is not a SEQUENCE");
  TlvReader r(seq.value);
  Tlv o = r.next();
  if (o.tag != 0x06) throw Error(ErrorArea::Pki, what, "AlgorithmIdentifier without OID");
  std::optional<Tlv> params;
  if (!r.atEnd()) params = r.next();
  return {oidToText(o.value), params};
}

std::string hashOfAlgorithm(ByteView whole, const char* what) {
  auto [o, p] = readAlgorithm(whole, what);
  auto n = digestNameOfOid(o);
  if (!n) throw Error(ErrorArea::Pki, what, "unsupported digest algorithm " + o);
  return *n;
}
}  // namespace

std::optional<std::string> digestNameOfOid(const std::string& dotted) {
  auto it = digestOids().find(dotted);
  if (it == digestOids().end()) return std::nullopt;
  return it->second;
}

std::string digestOid(const std::string& name) {
  for (const auto& [o, n] : digestOids())
    if (n == name) return o;
  throw Error(ErrorArea::Pki, "DIGEST", "unknown digest " + name);
}

const EVP_MD* digestByName(const std::string& name) {
  const EVP_MD* md = name == "SHA-1"     ? EVP_sha1()
                     : name == "SHA-224" ? EVP_sha224()
                     : name == "SHA-256" ? EVP_sha256()
                     : name == "SHA-384" ? EVP_sha384()
                     : name == "SHA-512" ? EVP_sha512()
                                         : nullptr;
  if (!md) throw Error(ErrorArea::Pki, "DIGEST", "unknown digest " + name);
  return md;
}

Bytes digest(const std::string& name, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, digestByName(name), nullptr) != 1)
    throwCrypto("DIGEST", "hashing failed");
  out.resize(len);
  return out;
}

SignatureScheme signatureScheme(ByteView algorithmIdentifier, const std::string& contextHash) {
  using K = SignatureScheme::Kind;
  static const std::map<std::string, std::pair<K, std::string>> table = {
      {"1.2.840.113549.1.1.5", {K::RsaPkcs1, "SHA-1"}},
      {"1.2.840.113549.1.1.14", {K::RsaPkcs1, "SHA-224"}},
      {"1.2.840.113549.1.1.11", {K::RsaPkcs1, "SHA-256"}},
      {"1.2.840.113549.1.1.12", {K::RsaPkcs1, "SHA-384"}},
      {"1.2.840.113549.1.1.13", {K::RsaPkcs1, "SHA-512"}},
      {"1.2.840.10045.4.1", {K::Ecdsa, "SHA-1"}},
      {"1.2.840.10045.4.3.1", {K::Ecdsa, "SHA-224"}},
      {"1.2.840.10045.4.3.2", {K::Ecdsa, "SHA-256"}},
      {"1.2.840.10045.4.3.3", {K::Ecdsa, "SHA-384"}},
      {"1.2.840.10045.4.3.4", {K::Ecdsa, "SHA-512"}},
      // BSI TR-03111 ecdsa-plain-signatures: r || s instead of a DER SEQUENCE.
      {"0.4.0.127.0.7.1.1.4.1.1", {K::EcdsaPlain, "SHA-1"}},
      {"0.4.0.127.0.7.1.1.4.1.2", {K::EcdsaPlain, "SHA-224"}},
      {"0.4.0.127.0.7.1.1.4.1.3", {K::EcdsaPlain, "SHA-256"}},
      {"0.4.0.127.0.7.1.1.4.1.4", {K::EcdsaPlain, "SHA-384"}},
      {"0.4.0.127.0.7.1.1.4.1.5", {K::EcdsaPlain, "SHA-512"}},
  };
  auto [o, params] = readAlgorithm(algorithmIdentifier, "SIGNATURE ALGORITHM");
  SignatureScheme s;
  if (auto it = table.find(o); it != table.end()) {
    s.kind = it->second.first;
    s.hash = it->second.second;
    s.name = std::string(s.kind == K::RsaPkcs1 ? "RSA-PKCS1-v1_5" : s.kind == K::Ecdsa ? "ECDSA" : "ECDSA-plain") +
             " with " + s.hash;
    return s;
  }
  if (o == oid::kRsaEncryption || o == oid::kEcPublicKey) {
    // A bare key algorithm as signatureAlgorithm (seen in SODs): the hash is the digestAlgorithm's.
    if (contextHash.empty())
      throw Error(ErrorArea::Pki, "SIGNATURE ALGORITHM", "bare key algorithm without a digest algorithm");
    s.kind = o == oid::kRsaEncryption ? K::RsaPkcs1 : K::Ecdsa;
    s.hash = contextHash;
    s.name = std::string(s.kind == K::RsaPkcs1 ? "RSA-PKCS1-v1_5" : "ECDSA") + " with " + s.hash;
    return s;
  }
  if (o == oid::kRsaPss) {
    // RFC 4055 RSASSA-PSS-params: [0] hashAlgorithm (SHA-1), [1] maskGenAlgorithm (MGF1 SHA-1),
    // [2] saltLength (20), [3] trailerField (1).
    s.kind = K::RsaPss;
    s.hash = "SHA-1";
    s.mgf1Hash = "SHA-1";
    if (params && params->tag == 0x30) {
      for (const Tlv& f : decodeAll(params->value)) {
        if (f.tag == 0xA0) {
          s.hash = hashOfAlgorithm(decodeOne(f.value).whole, "RSASSA-PSS hashAlgorithm");
        } else if (f.tag == 0xA1) {
          auto [mo, mp] = readAlgorithm(decodeOne(f.value).whole, "RSASSA-PSS maskGenAlgorithm");
          if (mo != oid::kMgf1 || !mp)
            throw Error(ErrorArea::Pki, "SIGNATURE ALGORITHM", "RSASSA-PSS mask generation is not MGF1");
          s.mgf1Hash = hashOfAlgorithm(mp->whole, "RSASSA-PSS MGF1 hash");
        } else if (f.tag == 0xA2) {
          Tlv i = decodeOne(f.value);
          if (i.tag != 0x02) throw Error(ErrorArea::Pki, "SIGNATURE ALGORITHM", "bad RSASSA-PSS saltLength");
          s.saltLength = static_cast<int>(smallInteger(i.value, "RSASSA-PSS saltLength"));
        } else if (f.tag == 0xA3) {
          Tlv i = decodeOne(f.value);
          if (i.tag != 0x02 || smallInteger(i.value, "RSASSA-PSS trailerField") != 1)
            throw Error(ErrorArea::Pki, "SIGNATURE ALGORITHM", "RSASSA-PSS trailerField is not 1");
        }
      }
    }
    s.name = "RSASSA-PSS with " + s.hash + ", MGF1 " + s.mgf1Hash + ", salt " + std::to_string(s.saltLength);
    return s;
  }
  throw Error(ErrorArea::Pki, "SIGNATURE ALGORITHM", "unsupported signature algorithm " + o);
}

bool verifySignature(EVP_PKEY* key, const SignatureScheme& s, ByteView data, ByteView signature) {
  using K = SignatureScheme::Kind;
  int base = EVP_PKEY_get_base_id(key);
  bool rsa = s.kind == K::RsaPkcs1 || s.kind == K::RsaPss;
  if (rsa && base != EVP_PKEY_RSA && base != EVP_PKEY_RSA_PSS) return false;
  if (!rsa && base != EVP_PKEY_EC) return false;
  Bytes sig(signature.begin(), signature.end());
  if (s.kind == K::EcdsaPlain) {
    if (sig.empty() || sig.size() % 2) return false;
    std::size_t h = sig.size() / 2;
    ECDSA_SIG* es = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(sig.data(), static_cast<int>(h), nullptr);
    BIGNUM* ss = BN_bin2bn(sig.data() + h, static_cast<int>(h), nullptr);
    if (!es || !r || !ss || ECDSA_SIG_set0(es, r, ss) != 1) {
      BN_free(r);
      BN_free(ss);
      ECDSA_SIG_free(es);
      ERR_clear_error();
      return false;
    }
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    if (len <= 0) return false;
    sig.assign(der, der + len);
    OPENSSL_free(der);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, digestByName(s.hash), nullptr, key) == 1;
  if (ok && s.kind == K::RsaPss)
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digestByName(s.mgf1Hash)) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, s.saltLength) == 1;
  else if (ok && s.kind == K::RsaPkcs1)
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  ok = ok && EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data.data(), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

PkeyPtr normalisedPublicKey(ByteView spki, std::string* tolerance) {
  Tlv seq = decodeOne(spki);
  if (seq.tag != 0x30) throw Error(ErrorArea::Pki, "PUBLIC KEY", "SubjectPublicKeyInfo is not a SEQUENCE");
  TlvReader r(seq.value);
  Tlv alg = r.next();
  Tlv bits = r.next();
  if (bits.tag != 0x03 || bits.value.empty() || bits.value[0] != 0)
    throw Error(ErrorArea::Pki, "PUBLIC KEY", "bad subjectPublicKey BIT STRING");
  auto [o, params] = readAlgorithm(alg.whole, "PUBLIC KEY");
  Bytes der(spki.begin(), spki.end());
  if (o == oid::kEcPublicKey && params && params->tag == 0x30) {
    // Doc 9303-12 lets CSCA/DSC keys carry explicit curve parameters; OpenSSL 3 refuses them.
    // Accept them only when they are exactly a named curve, and compute on that curve.
    std::string curve = namedCurveOfExplicitParameters(params->whole);
    ByteView point = bits.value.subspan(1);
    OSSL_PARAM ps[3];
    ps[0] = OSSL_PARAM_construct_utf8_string("group", curve.data(), 0);
    ps[1] = OSSL_PARAM_construct_octet_string("pub", const_cast<std::uint8_t*>(point.data()), point.size());
    ps[2] = OSSL_PARAM_construct_end();
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* k = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &k, EVP_PKEY_PUBLIC_KEY, ps) != 1)
      throwCrypto("PUBLIC KEY", "EC point is not on the named curve " + curve);
    if (tolerance) *tolerance = "explicit-ec-parameters";
    return PkeyPtr(k);
  }
  if (o == oid::kRsaPss) {
    // An RSASSA-PSS key restricts OpenSSL to PSS; the scheme comes from the signature's algorithm.
    Bytes algRsa = encodeTlv(0x30, concat({oidDer(oid::kRsaEncryption), Bytes{0x05, 0x00}}));
    der = encodeTlv(0x30, concat({algRsa, bits.whole}));
  }
  const unsigned char* p = der.data();
  EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (!k) throwCrypto("PUBLIC KEY", "unreadable public key (" + o + ")");
  return PkeyPtr(k);
}

Bytes derOf(X509* cert) {
  unsigned char* buf = nullptr;
  int len = i2d_X509(cert, &buf);
  if (len <= 0) throwCrypto("CERTIFICATE", "cannot encode certificate");
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

Bytes derOf(const X509_NAME* name) {
  unsigned char* buf = nullptr;
  int len = i2d_X509_NAME(name, &buf);
  if (len <= 0) throwCrypto("NAME", "cannot encode name");
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

std::string nameText(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio) return "";
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

namespace {
std::vector<std::string> canonicalRdns(const X509_NAME* name) {
  std::vector<std::string> out;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    char oidBuf[80];
    OBJ_obj2txt(oidBuf, sizeof oidBuf, X509_NAME_ENTRY_get_object(e), 1);
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    std::string v;
    if (len >= 0) {
      // RFC 4518-style folding: ASCII case, leading/trailing and repeated inner spaces.
      bool space = false;
      for (int k = 0; k < len; ++k) {
        unsigned char c = utf8[k];
        if (c == ' ') {
          space = !v.empty();
          continue;
        }
        if (space) v.push_back(' ');
        space = false;
        v.push_back(static_cast<char>(c < 0x80 ? std::tolower(c) : c));
      }
      OPENSSL_free(utf8);
    }
    out.push_back(std::string(oidBuf) + "=" + v);
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

bool sameName(const X509_NAME* a, const X509_NAME* b) {
  if (!a || !b) return false;
  if (X509_NAME_cmp(a, b) == 0) return true;
  return canonicalRdns(a) == canonicalRdns(b);
}

X509Ptr parseCertificate(ByteView der, const std::string& what) {
  const unsigned char* p = der.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (!x) throwCrypto("CERTIFICATE", "cannot parse " + what);
  return X509Ptr(x);
}

SignedX509Parts splitSigned(ByteView der) {
  Tlv seq = decodeFirst(der);
  if (seq.tag != 0x30) throw Error(ErrorArea::Pki, "SIGNED OBJECT", "not a SEQUENCE");
  TlvReader r(seq.value);
  Tlv tbs = r.next();
  Tlv alg = r.next();
  Tlv sig = r.next();
  if (tbs.tag != 0x30 || alg.tag != 0x30 || sig.tag != 0x03 || sig.value.empty() || sig.value[0] != 0)
    throw Error(ErrorArea::Pki, "SIGNED OBJECT", "malformed signed structure");
  SignedX509Parts p;
  p.toBeSigned.assign(tbs.whole.begin(), tbs.whole.end());
  p.algorithm.assign(alg.whole.begin(), alg.whole.end());
  p.signature.assign(sig.value.begin() + 1, sig.value.end());
  return p;
}

}  // namespace portti::mrtd::pki
