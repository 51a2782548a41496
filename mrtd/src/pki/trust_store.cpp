#include "portti/mrtd/pki/trust_store.hpp"

#include <openssl/pem.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

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
