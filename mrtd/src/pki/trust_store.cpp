#include "portti/mrtd/pki/trust_store.hpp"

#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "trust_internal.hpp"

namespace portti::mrtd::pki {

namespace fs = std::filesystem;

namespace {
bool contains(ByteView data, const std::string& s) {
  return std::search(data.begin(), data.end(), s.begin(), s.end()) != data.end();
}

// Every PEM block with `label` as DER.
std::vector<Bytes> pemBlocks(ByteView data, const char* label) {
  std::vector<Bytes> out;
  BIO* bio = BIO_new_mem_buf(data.data(), static_cast<int>(data.size()));
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* der = nullptr;
    long len = 0;
    if (PEM_read_bio(bio, &name, &header, &der, &len) != 1) break;
    if (std::string(name) == label) out.emplace_back(der, der + len);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
  }
  BIO_free(bio);
  opensslErrors();  // the end of the input leaves an error on the queue
  return out;
}

Bytes readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorArea::Pki, "LOAD TRUST", "cannot read " + path.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

bool isPem(ByteView data) { return contains(data.first(std::min<std::size_t>(data.size(), 4096)), "-----BEGIN "); }

// Classifies DER by the structure: ContentInfo(signedData) = master list, else certificate, else CRL.
enum class Kind { MasterList, Certificate, Crl, Unknown };
Kind derKind(ByteView data) {
  try {
    Tlv top = decodeFirst(data);
    if (top.tag != 0x30) return Kind::Unknown;
    TlvReader r(top.value);
    Tlv first = r.next();
    if (first.tag == 0x06) return oidToText(first.value) == oid::kSignedData ? Kind::MasterList : Kind::Unknown;
    if (first.tag != 0x30) return Kind::Unknown;
    // Certificate: tbsCertificate starts with [0] version or the serial INTEGER; CertificateList's
    // tbsCertList with an INTEGER version (v2) or the signature AlgorithmIdentifier.
    const unsigned char* p = data.data();
    if (X509* x = d2i_X509(nullptr, &p, static_cast<long>(data.size()))) {
      X509_free(x);
      return Kind::Certificate;
    }
    p = data.data();
    if (X509_CRL* c = d2i_X509_CRL(nullptr, &p, static_cast<long>(data.size()))) {
      X509_CRL_free(c);
      return Kind::Crl;
    }
  } catch (const Error&) {
  }
  opensslErrors();
  return Kind::Unknown;
}
// RFC 4648 base64 as LDIF writes it (no line breaks left after unfolding); nullopt when malformed.
std::optional<Bytes> base64Decode(std::string_view text) {
  Bytes out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t pad = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') { ++pad; continue; }
    else if (c == ' ' || c == '\r' || c == '\n' || c == '\t') continue;
    else return std::nullopt;
    if (pad) return std::nullopt;  // data after padding
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (pad > 2) return std::nullopt;
  return out;
}

// One LDIF attribute line after unfolding: "name:: base64" or "name: value".
struct LdifAttribute {
  std::string name;  ///< lower case, options kept ("usercertificate;binary")
  std::string value;
  bool base64 = false;
};

// RFC 2849: entries separated by empty lines, a line starting with one space continues the line
// before, lines starting with '#' are comments.
std::vector<std::vector<LdifAttribute>> parseLdif(std::string_view text) {
  std::vector<std::vector<LdifAttribute>> entries(1);
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == ' ' && !lines.empty() && !lines.back().empty()) lines.back() += line.substr(1);
    else lines.push_back(line);
    pos = end + 1;
  }
  for (const std::string& line : lines) {
    if (line.empty()) {
      if (!entries.back().empty()) entries.emplace_back();
      continue;
    }
    if (line[0] == '#') continue;
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    LdifAttribute a;
    a.name = line.substr(0, colon);
    for (char& c : a.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t v = colon + 1;
    if (v < line.size() && line[v] == ':') a.base64 = true, ++v;
    while (v < line.size() && line[v] == ' ') ++v;
    a.value = line.substr(v);
    entries.back().push_back(std::move(a));
  }
  if (entries.back().empty()) entries.pop_back();
  return entries;
}

bool looksLikeLdif(const fs::path& path, ByteView data) {
  if (path.extension() == ".ldif") return true;
  std::string head(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(data.size(), 8)));
  return head.rfind("dn:", 0) == 0 || head.rfind("version:", 0) == 0;
}
}  // namespace

TrustStore::TrustStore() : impl_(std::make_unique<detail::TrustStoreImpl>()) {}
TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;

const std::vector<std::string>& TrustStore::skipped() const { return impl_->skipped; }

bool TrustStore::addCertificate(ByteView data, const std::string& source) {
  std::vector<Bytes> ders;
  if (isPem(data)) ders = pemBlocks(data, "CERTIFICATE");
  else ders.emplace_back(data.begin(), data.end());
  if (ders.empty()) throw Error(ErrorArea::Pki, "LOAD TRUST", source + ": no certificate");
  bool anchor = false;
  for (const Bytes& der : ders) {
    CertPtr e = makeEntry(der, source);
    // CLARIFICATIONS 5: only CA certificates (CSCAs, link certificates) are anchors.
    if (isCa(e->x.get())) {
      impl_->explicitAnchors.push_back(e);
      anchor = true;
    } else {
      impl_->otherCertificates.push_back(e);
    }
  }
  return anchor;
}

void TrustStore::addMasterList(ByteView der, const std::string& source) {
  const std::string step = "LOAD MASTER LIST " + source;
  detail::TrustStoreImpl::List list;
  list.source = source;
  list.signedData = parseSignedData(der, step);
  if (list.signedData.eContentType != oid::kCscaMasterList)
    throw Error(ErrorArea::Pki, step, "wrong content type " + list.signedData.eContentType + " (expected 2.23.136.1.1.2)");
  // CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate } (Doc 9303-12 8.2)
  Tlv seq = decodeOne(list.signedData.eContent);
  if (seq.tag != 0x30) throw Error(ErrorArea::Pki, step, "CscaMasterList is not a SEQUENCE");
  TlvReader r(seq.value);
  Tlv version = r.next();
  Tlv certs = r.next();
  if (version.tag != 0x02 || certs.tag != 0x31) throw Error(ErrorArea::Pki, step, "malformed CscaMasterList");
  for (const Tlv& c : decodeAll(certs.value)) {
    try {
      CertPtr e = makeEntry(c.whole, source);
      if (isCa(e->x.get())) list.certificates.push_back(e);
    } catch (const Error&) {
      impl_->skipped.push_back(source + ": an unreadable certificate in the list");
    }
  }
  impl_->lists.push_back(std::move(list));
}

void TrustStore::addCrl(ByteView data, const std::string& source) {
  std::vector<Bytes> ders;
  if (isPem(data)) ders = pemBlocks(data, "X509 CRL");
  else ders.emplace_back(data.begin(), data.end());
  if (ders.empty()) throw Error(ErrorArea::Pki, "LOAD CRL", source + ": no CRL");
  for (const Bytes& der : ders) {
    const unsigned char* p = der.data();
    X509_CRL* c = d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size()));
    if (!c) throwCrypto("LOAD CRL", "cannot parse CRL " + source);
    impl_->crls.push_back(CrlEntry{X509CrlPtr(c), der, source});
  }
}

std::size_t TrustStore::addLdif(std::string_view text, const std::string& source) {
  std::size_t loaded = 0;
  std::size_t entryNumber = 0;
  for (const auto& entry : parseLdif(text)) {
    ++entryNumber;
    std::string dn;
    for (const LdifAttribute& a : entry)
      if (a.name == "dn") dn = a.value;
    const std::string where = source + " entry " + std::to_string(entryNumber) + (dn.empty() ? std::string() : " (" + dn + ")");
    for (const LdifAttribute& a : entry) {
      const bool ml = a.name == "pkdmasterlistcontent" || a.name == "pkdmasterlistcontent;binary";
      const bool cert = a.name == "usercertificate;binary" || a.name == "usercertificate" || a.name == "cacertificate;binary";
      const bool crl = a.name == "certificaterevocationlist;binary" || a.name == "certificaterevocationlist";
      if (!ml && !cert && !crl) continue;
      std::optional<Bytes> der = a.base64 ? base64Decode(a.value) : std::nullopt;
      if (!der || der->empty()) {
        impl_->skipped.push_back(where + ": " + a.name + " is not a base64 value");
        continue;
      }
      try {
        if (ml) {
          addMasterList(*der, where);
        } else if (cert) {
          // A collection is not an operator's explicit choice of anchor: CSCAs reach the store in
          // master lists (whose signer must chain to a given anchor) or as files of their own.
          CertPtr e = makeEntry(*der, where);
          if (isCa(e->x.get())) {
            impl_->skipped.push_back(where + ": a CA certificate in an LDIF collection is not an anchor");
            continue;
          }
          impl_->otherCertificates.push_back(e);
        } else {
          addCrl(*der, where);
        }
        ++loaded;
      } catch (const Error& e) {
        impl_->skipped.push_back(where + ": " + e.what());
      }
    }
  }
  return loaded;
}

void TrustStore::addPath(const std::string& path) {
  fs::path p(path);
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(p, ec))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      Bytes data = readFile(f);
      if (looksLikeLdif(f, data)) {
        addLdif(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), f.string());
        continue;
      }
      // Private keys (the test PKI keeps them beside the certificates) are never trust material.
      if (isPem(data) && !contains(data, "-----BEGIN CERTIFICATE") && !contains(data, "-----BEGIN X509 CRL")) {
        impl_->skipped.push_back(f.string() + ": not a certificate or CRL");
        continue;
      }
      try {
        if (isPem(data)) {
          if (contains(data, "-----BEGIN CERTIFICATE")) addCertificate(data, f.string());
          if (contains(data, "-----BEGIN X509 CRL")) addCrl(data, f.string());
          continue;
        }
        switch (derKind(data)) {
          case Kind::MasterList: addMasterList(data, f.string()); break;
          case Kind::Certificate: addCertificate(data, f.string()); break;
          case Kind::Crl: addCrl(data, f.string()); break;
          case Kind::Unknown: impl_->skipped.push_back(f.string() + ": not a certificate, master list or CRL");
        }
      } catch (const Error& e) {
        impl_->skipped.push_back(f.string() + ": " + e.what());
      }
    }
    return;
  }
  if (!fs::is_regular_file(p, ec)) throw Error(ErrorArea::Pki, "LOAD TRUST", "no such file or folder: " + path);
  Bytes data = readFile(p);
  if (looksLikeLdif(p, data)) {
    if (addLdif(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), path) == 0)
      throw Error(ErrorArea::Pki, "LOAD TRUST", path + ": LDIF without a master list, certificate or CRL");
    return;
  }
  if (isPem(data)) {
    bool any = false;
    if (contains(data, "-----BEGIN CERTIFICATE")) addCertificate(data, path), any = true;
    if (contains(data, "-----BEGIN X509 CRL")) addCrl(data, path), any = true;
    if (!any) throw Error(ErrorArea::Pki, "LOAD TRUST", path + ": PEM without a certificate or CRL");
    return;
  }
  switch (derKind(data)) {
    case Kind::MasterList: addMasterList(data, path); return;
    case Kind::Certificate: addCertificate(data, path); return;
    case Kind::Crl: addCrl(data, path); return;
    case Kind::Unknown: break;
  }
  throw Error(ErrorArea::Pki, "LOAD TRUST", path + ": not a certificate, master list or CRL");
}

namespace detail {

bool TrustStoreImpl::isExplicit(const CertEntry* entry) const {
  return std::any_of(explicitAnchors.begin(), explicitAnchors.end(),
                     [&](const CertPtr& c) { return c.get() == entry; });
}

std::vector<CertPtr> TrustStoreImpl::anchors(std::time_t at, std::vector<MasterListReport>* reports) const {
  std::vector<CertPtr> out = explicitAnchors;
  for (const List& list : lists) {
    MasterListReport rep;
    rep.source = list.source;
    rep.certificates = list.certificates.size();
    // The list's signer must chain to an anchor the operator gave explicitly: a list vouched for by a
    // CSCA from the same (or any) list proves nothing (QUIRKS "never fail open").
    std::vector<CertPtr> embedded;
    for (const Bytes& c : list.signedData.certificates) {
      try {
        embedded.push_back(makeEntry(c, list.source + " (signer)"));
      } catch (const Error&) {
      }
    }
    std::vector<std::string> tolerances;
    const SignerInfo& si = list.signedData.signerInfos.front();
    CertPtr signer = findSignerCertificate(si, embedded, tolerances);
    if (!signer) signer = findSignerCertificate(si, explicitAnchors, tolerances);
    if (!signer) {
      rep.reason = "master-list signer certificate not found";
    } else if (!signer->publicKey()) {
      rep.reason = "master-list signer key refused: " + signer->keyError();
    } else if (std::string why = verifySignerInfo(list.signedData, si, signer->publicKey(), tolerances); !why.empty()) {
      rep.reason = "master-list signature: " + why;
    } else if (std::string v = validityProblem(signer->x.get(), at); !v.empty()) {
      rep.reason = "master-list signer " + v;
    } else {
      bool selfAnchor = std::any_of(explicitAnchors.begin(), explicitAnchors.end(),
                                    [&](const CertPtr& a) { return a->der == signer->der; });
      if (selfAnchor) {
        rep.trusted = true;
        rep.reason = "signed by the explicit anchor " + signer->subject();
      } else {
        IssuerSearch s = findIssuer(*signer, explicitAnchors, at);
        if (!s.issuer) {
          rep.reason = "master-list signer " + signer->subject() + " does not chain to a given trust anchor (" +
                       s.reason + ")";
        } else if (std::string v2 = validityProblem(s.issuer->x.get(), at); !v2.empty()) {
          rep.reason = "anchor " + s.issuer->subject() + " of the master-list signer is " + v2;
        } else {
          rep.trusted = true;
          rep.reason = "signer " + signer->subject() + " issued by " + s.issuer->subject();
        }
      }
    }
    if (rep.trusted) out.insert(out.end(), list.certificates.begin(), list.certificates.end());
    if (reports) reports->push_back(rep);
  }
  return out;
}

}  // namespace detail

std::size_t TrustStore::anchorCount(std::time_t at) const { return impl_->anchors(at).size(); }

std::vector<MasterListReport> TrustStore::masterLists(std::time_t at) const {
  std::vector<MasterListReport> out;
  impl_->anchors(at, &out);
  return out;
}

}  // namespace portti::mrtd::pki
