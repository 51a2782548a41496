#include "pa_json.hpp"

#include <Poco/JSON/Array.h>

#include <cctype>

namespace portti::cli {

Poco::JSON::Array::Ptr stringsJson(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (const auto& s : items) a->add(s);
  return a;
}

namespace {

std::string lowerHex(mrtd::ByteView b) {
  std::string h = mrtd::toHex(b);
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return h;
}
}  // namespace

Poco::JSON::Object::Ptr paJson(const mrtd::pki::PassiveAuthResult& r) {
  using mrtd::pki::toString;
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("status", toString(r.status));
  o->set("reasons", stringsJson(r.reasons));
  o->set("codes", stringsJson(r.codes));
  o->set("digest_algorithm", r.digestAlgorithm);
  o->set("signature_algorithm", r.signatureAlgorithm);
  Poco::JSON::Object::Ptr hashes = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [n, h] : r.dgHashes) hashes->set(std::to_string(n), lowerHex(h));
  o->set("dg_hashes", hashes);
  Poco::JSON::Array::Ptr checked = new Poco::JSON::Array;
  for (int n : r.checkedDgs) checked->add(n);
  o->set("checked_dgs", checked);
  Poco::JSON::Object::Ptr signer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  signer->set("subject", r.signerSubject);
  signer->set("issuer", r.signerIssuer);
  o->set("signer", signer);
  Poco::JSON::Object::Ptr csca = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  csca->set("subject", r.cscaSubject);
  csca->set("source", r.cscaSource);
  o->set("csca", csca);
  Poco::JSON::Object::Ptr checks = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  checks->set("signature", toString(r.signature));
  checks->set("hashes", toString(r.hashes));
  checks->set("chain", toString(r.chain));
  checks->set("revocation", toString(r.revocation));
  checks->set("trust_source", toString(r.trustSource));
  o->set("checks", checks);
  o->set("tolerances", stringsJson(r.tolerances));
  o->set("notes", stringsJson(r.notes));
  o->set("warnings", stringsJson(r.warnings));
  return o;
}

}  // namespace portti::cli
