// The JSON form of a Passive Authentication verdict, shared by `portti pa` and `portti read`.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "portti/mrtd/pki/passive_auth.hpp"

namespace portti::cli {

/// {status, reasons, notes, digest_algorithm, signature_algorithm, dg_hashes: {"1": hex}, checked_dgs,
///  signer: {subject, issuer}, csca: {subject, source}, checks: {signature, hashes, chain, revocation,
///  trust_source}, tolerances}
Poco::JSON::Object::Ptr paJson(const mrtd::pki::PassiveAuthResult& r);

/// A JSON array of strings, in order (the verdicts' reason and code lists).
Poco::JSON::Array::Ptr stringsJson(const std::vector<std::string>& items);

}  // namespace portti::cli
