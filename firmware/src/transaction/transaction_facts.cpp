#include "portti/firmware/transaction/transaction_facts.hpp"

#include <algorithm>
#include <cctype>

#include "portti/firmware/rules_eval.hpp"
#include "portti/mrtd/mrz.hpp"

namespace portti::firmware {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Facts transactionFacts(const Transaction& tx, const Date& today) {
  Facts f;
  f.set("kiosk.mode", modeName(tx.mode));
  if (tx.chip.read == Verdict::Passed) f.set("chip.access", lower(tx.chip.accessMethod));
  if (const auto& mrz = tx.chip.dg1) {
    f.set("doc.type", mrz->documentCode);
    f.set("doc.issuing_state", mrz->issuingState);
    f.set("holder.nationality", mrz->nationality);
    if (auto expiry = mrzDate(mrz->dateOfExpiry, MrzDateKind::Expiry, today)) f.set("doc.expiry", *expiry);
    if (auto birth = mrzDate(mrz->dateOfBirth, MrzDateKind::Birth, today)) f.set("holder.age", ageOn(*birth, today));
    // The access key used must be the chip's own MRZ (a manual CAN says nothing about it).
    if (tx.accessKey && tx.accessKey->kind == AccessKey::Kind::Mrz) {
      try {
        const std::string chipInfo = mrtd::mrzInformation(*mrz);
        f.set("doc.mrz_matches_chip", tx.accessKey->mrzInformation() == chipInfo);
      } catch (const std::exception&) {
        f.set("doc.mrz_matches_chip", false);
      }
    }
  }
  if (const auto& pa = tx.chip.passiveAuth) {
    f.set("pa.status", mrtd::pki::toString(pa->status));
    f.set("pa.revocation", pa->revocation == Verdict::Passed   ? "good"
                           : pa->revocation == Verdict::Failed ? "revoked"
                                                               : "not checked");
  }
  // As chip verification left them: void (not done) unless a valid PA covered DG14 / DG15.
  f.set("chip.auth", mrtd::toString(tx.chip.chipAuthResult.status));
  f.set("chip.aa", mrtd::toString(tx.chip.activeAuthResult.status));
  if (tx.faceScore) f.set("face.score", *tx.faceScore);
  // Only a frame the capture-quality checks judged has a quality (none without an assessor).
  if (tx.liveAssessment && !tx.liveFrame.empty()) {
    f.set("face.quality", tx.liveAssessment->quality);
    f.set("face.count", tx.liveAssessment->faces);
  }
  if (tx.morphScore) f.set("mad.dmad", *tx.morphScore);
  return f;
}

Decision RuleFilePolicy::decide(const Transaction& tx) {
  rules_->reloadIfChanged();
  const Date today = todayUtc();
  return evaluate(*rules_->current(), transactionFacts(tx, today), today);
}

}  // namespace portti::firmware
