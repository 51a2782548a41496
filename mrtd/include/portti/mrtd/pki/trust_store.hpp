// The inspection system's trust: CSCA certificates (Doc 9303-12 5.1), CSCA master lists (9303-12 8)
// and CRLs (9303-12 7.1.4), from files and folders the operator names (CLARIFICATIONS 5).
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd::pki {

namespace detail {
struct TrustStoreImpl;
}

/// What became of one master list: trusted only when its own signer chains to a certificate the
/// operator gave explicitly (never to a certificate from the same or another list).
struct MasterListReport {
  std::string source;
  bool trusted = false;
  std::string reason;        ///< why not trusted, or which anchor vouched for it
  std::size_t certificates = 0;  ///< CSCA certificates it holds
};

class TrustStore {
 public:
  TrustStore();
  ~TrustStore();
  TrustStore(TrustStore&&) noexcept;
  TrustStore& operator=(TrustStore&&) noexcept;

  /// A file (certificate DER/PEM, master list, CRL DER/PEM) or a folder of them (recursively).
  /// Private keys and unknown files in folders are skipped; an unreadable named file throws Error{Pki}.
  void addPath(const std::string& path);
  /// A certificate given explicitly: it becomes an anchor when it is a CA certificate (CSCA or link
  /// certificate, basicConstraints cA); any other certificate (a DSC) is kept only as a possible SOD
  /// signer, never as an anchor. Returns true when it became an anchor.
  bool addCertificate(ByteView derOrPem, const std::string& source = "certificate");
  /// A CSCA master list (CMS SignedData, eContentType 2.23.136.1.1.2). Its signer is checked against
  /// the explicit anchors when the store is used, so the order of adding does not matter.
  void addMasterList(ByteView der, const std::string& source = "master list");
  /// A CRL (DER or PEM); its signature is checked against its issuing CSCA when it is used.
  void addCrl(ByteView derOrPem, const std::string& source = "crl");

  /// An LDIF collection of the ICAO PKD (RFC 2849): CSCA master lists (`pkdMasterListContent`),
  /// certificates (`userCertificate;binary`) and CRLs (`certificateRevocationList;binary`), as
  /// base64 `::` values with folded lines. A master list's signer is checked as for any list; its
  /// certificates are DSCs (never anchors: a CA certificate in a collection is skipped, CSCAs come
  /// in master lists or as files of their own). Returns the number of objects loaded; unreadable
  /// objects are skipped and listed in skipped(). `addPath` takes `.ldif` files.
  std::size_t addLdif(std::string_view text, const std::string& source = "ldif");

  /// Number of explicit anchors plus CA certificates of trusted master lists at time `at`.
  std::size_t anchorCount(std::time_t at) const;
  /// The fate of each master list at time `at`.
  std::vector<MasterListReport> masterLists(std::time_t at) const;
  /// Files skipped while loading folders (private keys, unknown formats), for diagnostics.
  const std::vector<std::string>& skipped() const;

  const detail::TrustStoreImpl& impl() const { return *impl_; }

 private:
  std::unique_ptr<detail::TrustStoreImpl> impl_;
};

}  // namespace portti::mrtd::pki
