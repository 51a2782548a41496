#include "portti/firmware/state_machine.hpp"

#include <exception>
#include <stdexcept>

#include "portti/mrtd/mrz.hpp"
#include "transaction/steps.hpp"

namespace portti::firmware {

using TS = TransactionState;

std::chrono::milliseconds MachineTimeouts::timeout(TransactionState state) const {
  auto it = perState.find(state);
  return it == perState.end() ? std::chrono::seconds(10) : it->second;
}

struct TransactionMachine::Inputs {
  std::string caseNumber;
  bool start = false;
  std::optional<std::string> cancel;
};

TransactionMachine::TransactionMachine(const MachineParts& parts, MachineSettings settings)
    : parts_(parts), settings_(std::move(settings)), inputs_(std::make_unique<Inputs>()) {
  if (!parts_.reader) throw std::invalid_argument("transaction machine: no card reader");
  if (!parts_.clock) throw std::invalid_argument("transaction machine: no clock");
  tx_.mode = settings_.mode;
  stateEntered_ = parts_.clock->now();
  last_.mode = settings_.mode;
  last_.at = parts_.clock->wallNow();
  last_.message = settings_.mode == Mode::ServicePoint ? "Enter the case number" : "Place your passport on the reader";
}

TransactionMachine::~TransactionMachine() = default;

void TransactionMachine::addListener(StateListener listener) { listeners_.push_back(std::move(listener)); }

StateChange TransactionMachine::current() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::uint64_t TransactionMachine::finishedCount() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

namespace {
std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p;
  return out;
}
}  // namespace

std::string TransactionMachine::enterMrz(const std::string& mrzText) { return joined(manual_.submitMrz(mrzText)); }

std::string TransactionMachine::enterCan(const std::string& can) { return joined(manual_.submitCan(can)); }

std::string TransactionMachine::setCaseNumber(const std::string& caseNumber) {
  if (settings_.mode != Mode::ServicePoint) return "case numbers are for the service-point mode";
  if (caseNumber.empty() || caseNumber.size() > 64) return "a case number has 1 to 64 characters";
  for (char c : caseNumber)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '/' && c != '.')
      return "a case number holds letters, digits, '-', '/' and '.'";
  std::lock_guard lock(mutex_);
  inputs_->caseNumber = caseNumber;
  return {};
}

void TransactionMachine::requestStart() {
  std::lock_guard lock(mutex_);
  inputs_->start = true;
}

void TransactionMachine::requestCancel(const std::string& reason) {
  std::lock_guard lock(mutex_);
  inputs_->cancel = reason.empty() ? "cancelled" : reason;
}

void TransactionMachine::publish(const std::string& detail) {
  StateChange change;
  {
    std::lock_guard lock(mutex_);
    change.sequence = ++sequence_;
    change.previous = last_.state;
    change.state = state_;
    change.transactionId = state_ == TS::Idle ? std::string() : tx_.id;
    change.mode = settings_.mode;
    change.detail = detail;
    if (tx_.decision && state_ >= TS::Decision) {
      change.outcome = tx_.decision->outcome;
      change.reasons = tx_.decision->reasons;
    }
    change.at = parts_.clock->wallNow();
    if (state_ == TS::LiveCapture && latestFrame_) {
      change.guidance = latestFrame_->guidance;
      change.faceBox = latestFrame_->box;
    }
    switch (state_) {
      case TS::Idle:
        change.message = settings_.mode == Mode::ServicePoint && inputs_->caseNumber.empty()
                             ? "Enter the case number"
                             : "Place your passport on the reader";
        break;
      case TS::DocumentPresented: change.message = "Document detected: keep it on the reader"; break;
      case TS::AccessKey: change.message = "Reading the document: enter the MRZ or CAN if asked"; break;
      case TS::ChipRead: change.message = "Reading the chip: keep the document on the reader"; break;
      case TS::ChipVerification: change.message = "Checking the document"; break;
      case TS::LiveCapture: change.message = "Look at the camera"; break;
      case TS::FaceComparison:
      case TS::MorphCheck:
      case TS::Decision:
      case TS::ResultDelivery: change.message = "Please wait"; break;
      case TS::Actuation:
      case TS::Reset: change.message = tx_.applicantMessage.empty() ? steps::closingMessage(tx_) : tx_.applicantMessage; break;
    }
    last_ = change;
  }
  for (const auto& listener : listeners_) {
    try {
      listener(change);
    } catch (const std::exception&) {
      // A listener (the UI feed) must never stop a transaction.
    }
  }
}

void TransactionMachine::enter(TransactionState next, const std::string& detail) {
  // Camera frames are shown only while the capture runs.
  if (state_ == TS::LiveCapture && next != TS::LiveCapture && parts_.preview) parts_.preview->clear();
  latestFrame_.reset();
  state_ = next;
  stateEntered_ = parts_.clock->now();
  publish(detail);
}

bool TransactionMachine::timedOut() const {
  return parts_.clock->now() - stateEntered_ > settings_.timeouts.timeout(state_);
}

void TransactionMachine::finishStep(TransactionState state, Verdict verdict, const std::string& reason,
                                    std::chrono::steady_clock::time_point started) {
  StepRecord record;
  record.step = state;
  record.verdict = verdict;
  record.reason = reason;
  record.milliseconds = std::chrono::duration<double, std::milli>(parts_.clock->now() - started).count();
  tx_.steps.push_back(std::move(record));
}

void TransactionMachine::cancel(const std::string& reason) {
  tx_.cancelled = true;
  tx_.cancelReason = reason;
  tx_.applicantMessage = steps::closingMessage(tx_);
  if (parts_.gate) parts_.gate->close();
  enter(TS::Reset, "cancelled: " + reason);
}

void TransactionMachine::tick() {
  try {
    runState();
  } catch (const std::exception& e) {
    // A step that throws past its own handling: fail closed, never open the gate.
    if (state_ != TS::Idle && state_ != TS::Reset) cancel(std::string("internal error: ") + e.what());
  }
}

void TransactionMachine::runState() {
  auto cardPresent = [this] {
    try {
      return parts_.reader->cardPresent();
    } catch (const std::exception&) {
      return false;
    }
  };
  // Cancellation and removal apply until the decision; from then on the result stands.
  if (state_ > TS::Idle && state_ < TS::Decision) {
    std::optional<std::string> cancelRequest;
    {
      std::lock_guard lock(mutex_);
      cancelRequest.swap(inputs_->cancel);
    }
    if (cancelRequest) return cancel(*cancelRequest);
    if (!cardPresent()) return cancel("document removed");
  }

  const auto started = parts_.clock->now();
  auto budget = [this] { return std::to_string(settings_.timeouts.timeout(state_).count()) + " ms"; };
  // A step that ran past its timeout: its evidence is not trusted.
  auto finish = [&](const steps::StepOutcome& out) {
    if (timedOut()) {
      finishStep(state_, Verdict::Failed, "timed out after " + budget(), started);
      return false;
    }
    finishStep(state_, out.verdict, out.reason, started);
    return true;
  };

  switch (state_) {
    case TS::Idle: {
      const bool present = cardPresent();
      if (!present) cardSeenAbsent_ = true;
      bool start = false;
      std::string caseNumber;
      {
        std::lock_guard lock(mutex_);
        start = inputs_->start;
        inputs_->start = false;
        inputs_->cancel.reset();
        caseNumber = inputs_->caseNumber;
      }
      if (!present || (!cardSeenAbsent_ && !start)) return;
      if (settings_.mode == Mode::ServicePoint && caseNumber.empty()) return;
      tx_.wipe();
      tx_ = Transaction{};
      tx_.id = newTransactionId();
      tx_.mode = settings_.mode;
      tx_.startedAt = parts_.clock->wallNow();
      {
        std::lock_guard lock(mutex_);
        tx_.caseNumber = inputs_->caseNumber;
        wipeString(inputs_->caseNumber);
      }
      // Keys typed before this document was presented belong to no one: drop them.
      while (manual_.next(std::chrono::milliseconds(0))) {
      }
      cardSeenAbsent_ = false;
      return enter(TS::DocumentPresented);
    }
    case TS::DocumentPresented:
      return enter(TS::AccessKey);
    case TS::AccessKey: {
      const steps::StepOutcome out = steps::resolveAccessKey(tx_, manual_, parts_.mrzReader);
      if (out.pending) {
        if (timedOut()) return cancel("no access key within " + budget());
        return;
      }
      finishStep(TS::AccessKey, Verdict::Passed, {}, stateEntered_);
      return enter(TS::ChipRead);
    }
    case TS::ChipRead: {
      const steps::StepOutcome out = steps::readChip(tx_, *parts_.reader, parts_.trust);
      if (!finish(out) || out.verdict != Verdict::Passed) {
        tx_.chip.read = Verdict::Failed;
        // The card may have gone while reading: that is a cancellation, not a verdict.
        if (!cardPresent()) return cancel("document removed");
        return enter(TS::Decision, tx_.steps.back().reason);
      }
      return enter(TS::ChipVerification);
    }
    case TS::ChipVerification: {
      const steps::StepOutcome out = steps::verifyChip(tx_, parts_);
      if (!finish(out)) tx_.chip.passiveAuth.reset();
      return enter(TS::LiveCapture, tx_.steps.back().reason);
    }
    case TS::LiveCapture: {
      // One frame per tick, so the guidance reaches the screen and a removed document cancels.
      const auto deadline = stateEntered_ + settings_.timeouts.captureBudget;
      const steps::StepOutcome out =
          steps::captureFrame(tx_, parts_, deadline, settings_.timeouts.captureMaxFrames, latestFrame_);
      const bool late = timedOut();
      if (out.pending && !late) {
        if (latestFrame_) publish({});  // the guidance for this frame
        return;
      }
      finishStep(TS::LiveCapture, late ? Verdict::Failed : out.verdict, late ? "timed out after " + budget() : out.reason,
                 stateEntered_);
      if (late) {
        wipeImage(tx_.liveFrame);
        tx_.liveCapture = Verdict::Failed;
      }
      return enter(TS::FaceComparison, tx_.steps.back().reason);
    }
    case TS::FaceComparison: {
      const steps::StepOutcome out = steps::compareFaces(tx_, parts_.faceComparator, settings_.faceThreshold);
      if (!finish(out)) {
        tx_.faceScore.reset();
        tx_.face = Verdict::Failed;
      }
      return enter(TS::MorphCheck, tx_.steps.back().reason);
    }
    case TS::MorphCheck: {
      const steps::StepOutcome out = steps::checkMorph(tx_, parts_.morphDetector, settings_.morphThreshold);
      if (!finish(out)) {
        tx_.morphScore.reset();
        tx_.morph = Verdict::Failed;
      }
      return enter(TS::Decision, tx_.steps.back().reason);
    }
    case TS::Decision: {
      const steps::StepOutcome out = steps::decide(tx_, parts_.policy);
      if (!finish(out)) {
        tx_.decision = Decision{};
        tx_.decision->reasons.push_back("DECISION_TIMEOUT");
      }
      return enter(TS::ResultDelivery, tx_.steps.back().reason);
    }
    case TS::ResultDelivery: {
      tx_.finishedAt = parts_.clock->wallNow();
      const steps::StepOutcome out = steps::deliverResult(tx_, parts_.sink);
      finishStep(TS::ResultDelivery, out.verdict, out.reason, started);
      return enter(TS::Actuation, out.reason);
    }
    case TS::Actuation: {
      const steps::StepOutcome out = steps::actuate(tx_, parts_.gate, settings_.gateOpenFor);
      finishStep(TS::Actuation, out.verdict, out.reason, started);
      return enter(TS::Reset, out.reason);
    }
    case TS::Reset: {
      if (!counted_) {
        // First tick after the transaction: wipe its chip data and images, count it once.
        counted_ = true;
        if (tx_.finishedAt == std::chrono::system_clock::time_point{}) tx_.finishedAt = parts_.clock->wallNow();
        tx_.wipe();
        std::lock_guard lock(mutex_);
        ++finished_;
      }
      if (!cardPresent()) {
        cardSeenAbsent_ = true;
        counted_ = false;
        return enter(TS::Idle);
      }
      if (timedOut()) {
        counted_ = false;  // the document stays: a new transaction needs it taken away (or a start)
        return enter(TS::Idle, "document not taken within " + budget());
      }
      return;
    }
  }
}

}  // namespace portti::firmware
