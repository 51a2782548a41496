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
/// Live capture: frames within the budget, the sharpest kept.
StepOutcome captureLive(Transaction& tx, hw::Camera* camera, const Clock& clock, const MachineTimeouts& timeouts);
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

/// Sharpness of a frame (variance of the Laplacian of its grey image): the capture's quality score.
double frameSharpness(const cv::Mat& frame);

}  // namespace portti::firmware::steps
