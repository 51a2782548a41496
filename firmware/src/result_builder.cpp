#include "portti/firmware/result_builder.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <stdexcept>

#include "json_support.hpp"
#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules_json.hpp"
#include "portti/mrtd/bytes.hpp"

namespace portti::firmware {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// Results carry microseconds and the zone: two results of one second stay ordered.
std::string preciseTime(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%s%z");
}

std::string base64(const std::uint8_t* data, std::size_t size) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, 0);
  enc.rdbuf()->setLineLength(0);
  enc.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  enc.close();
  return out.str();
}

Object::Ptr verdictObject(Verdict verdict, const std::string& reason) {
  Object::Ptr o = newObject();
  o->set("status", toString(verdict));
  if (!reason.empty()) o->set("reason", reason);
  return o;
}

Object::Ptr passiveAuthObject(const ChipEvidence& chip) {
  Object::Ptr o = newObject();
  if (!chip.passiveAuth) {
    o->set("status", "not done");
    return o;
  }
  const auto& pa = *chip.passiveAuth;
  using mrtd::pki::toString;
  o->set("status", toString(pa.status));
  o->set("signature", toString(pa.signature));
  o->set("hashes", toString(pa.hashes));
  o->set("chain", toString(pa.chain));
  o->set("revocation", toString(pa.revocation));
  o->set("trust_source", toString(pa.trustSource));
  o->set("digest_algorithm", pa.digestAlgorithm);
  o->set("signature_algorithm", pa.signatureAlgorithm);
  o->set("reasons", stringArray(pa.reasons));
  o->set("tolerances", stringArray(pa.tolerances));
  return o;
}

}  // namespace

ResultBuilder::ResultBuilder(ResultOptions options) : options_(std::move(options)) {
  if (!options_.pseudonymKey.empty()) pseudonymizer_.emplace(options_.pseudonymKey);
}

Object::Ptr ResultBuilder::build(const Transaction& tx, const std::optional<AuditAnchor>& audit) const {
  Object::Ptr r = newObject();
  r->set("version", 1);
  r->set("transaction_id", tx.id);
  r->set("kiosk_id", options_.kioskId);
  r->set("mode", modeName(tx.mode));
  if (tx.mode == Mode::ServicePoint) r->set("case_number", tx.caseNumber);
  r->set("started_at", preciseTime(tx.startedAt));
  r->set("finished_at", preciseTime(tx.finishedAt));

  Object::Ptr doc = newObject();
  if (tx.chip.dg1) {
    const mrtd::Mrz& mrz = *tx.chip.dg1;
    doc->set("type", mrz.documentCode);
    doc->set("issuing_state", mrz.issuingState);
    const auto expiry = mrzDate(mrz.dateOfExpiry, MrzDateKind::Expiry, utcDate(tx.startedAt));
    doc->set("expiry", expiry ? formatDate(*expiry) : std::string());
    doc->set("mrz_valid", mrz.valid());
    if (pseudonymizer_) {
      std::string value = mrz.issuingState + "/" + mrz.documentNumber;
      doc->set("number_pseudonym", pseudonymizer_->pseudonym(value));
      wipeString(value);
    }
    if (options_.includeDocumentNumber) doc->set("number", mrz.documentNumber);
  }
  r->set("document", doc);

  Object::Ptr chip = newObject();
  chip->set("read", toString(tx.chip.read));
  chip->set("access", tx.chip.accessMethod);
  chip->set("downgrade", tx.chip.paceAdvertised && tx.chip.accessMethod == "BAC");
  chip->set("passive_auth", passiveAuthObject(tx.chip));
  Object::Ptr ca = verdictObject(tx.chip.chipAuth, tx.chip.chipAuth == Verdict::Passed ? "" : tx.chip.chipAuthReason);
  if (!tx.chip.chipAuthMethod.empty()) ca->set("method", tx.chip.chipAuthMethod);
  chip->set("chip_auth", ca);
  r->set("chip", chip);

  Object::Ptr face = verdictObject(tx.face, "");
  if (tx.faceScore) face->set("score", *tx.faceScore);
  face->set("live_capture", toString(tx.liveCapture));
  r->set("face", face);
  Object::Ptr morph = verdictObject(tx.morph, tx.morph == Verdict::Passed ? "" : tx.morphReason);
  if (tx.morphScore) morph->set("score", *tx.morphScore);
  r->set("morph", morph);

  Array::Ptr steps = new Array;
  for (const auto& s : tx.steps) {
    Object::Ptr o = newObject();
    o->set("step", stateName(s.step));
    o->set("verdict", toString(s.verdict));
    if (!s.reason.empty()) o->set("reason", s.reason);
    o->set("ms", s.milliseconds);
    steps->add(o);
  }
  r->set("steps", steps);

  r->set("decision", decisionJson(tx.decision.value_or(Decision{})));
  if (audit) {
    Object::Ptr a = newObject();
    a->set("seq", audit->seq);
    a->set("hash", audit->hash);
    r->set("audit", a);
  }

  if (options_.includeImages) {
    Object::Ptr images = newObject();
    if (!tx.chip.portrait.empty()) images->set("portrait_jpeg_base64", base64(tx.chip.portrait.data(), tx.chip.portrait.size()));
    if (!tx.liveFrame.empty()) {
      std::vector<std::uint8_t> jpeg;
      cv::imencode(".jpg", tx.liveFrame, jpeg);
      images->set("live_jpeg_base64", base64(jpeg.data(), jpeg.size()));
    }
    r->set("images", images);
  }
  return r;
}

std::string ResultBuilder::buildText(const Transaction& tx, const std::optional<AuditAnchor>& audit) const {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(build(tx, audit), out);
  return out.str();
}

}  // namespace portti::firmware
