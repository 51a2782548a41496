// The steps of a transaction, one file each. A step does its work once and says whether it is done
// (with a verdict and, unless passed, a reason) or still waiting (pending). The machine adds timing,
// timeouts, cancellation and publication around them.
#pragma once

#include <string>

#include "portti/firmware/state_machine.hpp"

namespace portti::firmware::steps {

struct StepOutcome {
  bool pending = false;
  Verdict verdict = Verdict::NotDone;
  std::string reason;

  static StepOutcome waiting() { return {true, Verdict::NotDone, {}}; }
  static StepOutcome passed() { return {false, Verdict::Passed, {}}; }
  static StepOutcome failed(std::string why) { return {false, Verdict::Failed, std::move(why)}; }
  static StepOutcome notDone(std::string why) { return {false, Verdict::NotDone, std::move(why)}; }
};

/// Access key: a key entered by hand (already in the transaction) or one from the MRZ reader.
StepOutcome resolveAccessKey(Transaction& tx, hw::AccessKeySource& manual, hw::AccessKeySource* mrzReader);
/// Chip read over the reader with the access key (BAC; PACE when the chip needs it and it exists).
StepOutcome readChip(Transaction& tx, hw::CardReader& reader, const mrtd::pki::TrustStore* trust);
/// Passive Authentication, DG1 and DG2 parsed, then Chip/Active Authentication (only on a valid PA).
StepOutcome verifyChip(Transaction& tx, const MachineParts& parts);
/// Live capture, one frame per call: shows it on the preview, judges it (parts.captureAssessor) and
/// keeps the best frame so far; `latest` is the judgement of this call's frame (for the guidance).
/// Pending until a frame passes every quality check, `deadline` passes or `maxFrames` were taken;
/// then passed when the kept frame is acceptable, failed with its guidance codes otherwise, not done
/// without an assessor (the first frame is kept, unjudged).
StepOutcome captureFrame(Transaction& tx, const MachineParts& parts, std::chrono::steady_clock::time_point deadline,
                         int maxFrames, std::optional<FrameAssessment>& latest);
/// Face comparison of the chip portrait against the live frame.
StepOutcome compareFaces(Transaction& tx, FaceComparator* comparator, double threshold);
/// Morphing attack detection.
StepOutcome checkMorph(Transaction& tx, MorphDetector* detector, double threshold);
/// The decision of the rules; without rules: refer (fail closed).
StepOutcome decide(Transaction& tx, DecisionPolicy* policy);
/// Commits the result to the outbox. Failure: the decision becomes a referral (the gate stays shut).
StepOutcome deliverResult(Transaction& tx, ResultSink* sink);
/// Opens the gate only for an accepted and committed result; otherwise keeps it closed.
StepOutcome actuate(Transaction& tx, hw::Gate* gate, std::chrono::milliseconds openFor);

/// The applicant message for the end of a transaction.
std::string closingMessage(const Transaction& tx);

}  // namespace portti::firmware::steps
