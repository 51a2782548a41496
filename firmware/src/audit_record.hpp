// The byte format of one audit record (private to audit_log.cpp and audit_verify.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "portti/mrtd/bytes.hpp"

namespace portti::firmware::audit {

/// The prev of the first record: 32 zero bytes, in hex.
std::string genesisHash();

/// hex(SHA-256(prev hash bytes || body)).
std::string chainHash(std::string_view prevHex, std::string_view body);
/// hex(HMAC-SHA256(key, hash bytes)).
std::string chainMac(mrtd::ByteView key, std::string_view hashHex);

/// The trailer that ends a record after its body: ,"hash":"H"[,"mac":"M"]}
std::string trailer(const std::string& hashHex, const std::optional<std::string>& macHex);

/// A line split into the hashed body and its trailer; nullopt when there is no trailer.
struct SplitRecord {
  std::string_view body;
  std::string hash;
  std::optional<std::string> mac;
};
std::optional<SplitRecord> splitRecord(std::string_view line);

}  // namespace portti::firmware::audit
