// The transaction state machine (issue 7 item 1): idle, document presented, access key, chip read,
// chip verification, live capture, face comparison, morph checks, decision, result delivery (commit
// to the outbox), actuation (the gate opens only after the commit), reset.
//
// No threads inside: tick() does the work of the current state once and returns; a daemon calls it
// in a loop, a test calls it by hand with a fake clock. Every state has a timeout; taking the
// document away before the decision cancels; every state change goes to the listeners.
// Inputs from the UI (manual MRZ / CAN, case number, start, cancel) may come from other threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portti/firmware/transaction.hpp"
#include "portti/firmware/transaction/devices.hpp"
#include "portti/hw/access_key_source.hpp"
#include "portti/hw/camera.hpp"
#include "portti/hw/gate.hpp"
#include "portti/mrtd/pki/trust_store.hpp"

namespace portti::firmware {

/// What the UI sees of a state change: no personal data, ever.
struct StateChange {
  std::uint64_t sequence = 0;  ///< increases by one per change
  TransactionState state = TransactionState::Idle;
  TransactionState previous = TransactionState::Idle;
  std::string transactionId;   ///< random, empty when idle
  Mode mode = Mode::Egate;
  std::string message;         ///< for the applicant ("Place your passport on the reader", ...)
  std::string detail;          ///< why (a step's reason, a timeout, a cancellation)
  std::optional<Outcome> outcome;  ///< set from the decision on
  std::vector<std::string> reasons;  ///< the decision's reason codes (rule codes, never personal data)
  /// Live capture only: what the traveller should do now (guidance codes, most important first) and
  /// where the face is in the newest frame; republished after every frame judged.
  std::vector<std::string> guidance;
  std::optional<FaceBox> faceBox;
  std::chrono::system_clock::time_point at{};
  std::string event;  ///< a kiosk event published beside the state ("officer_called"); empty for a change
};

using StateListener = std::function<void(const StateChange&)>;

/// Timeouts per state and the capture budget.
struct MachineTimeouts {
  std::map<TransactionState, std::chrono::milliseconds> perState{
      {TransactionState::DocumentPresented, std::chrono::seconds(5)},
      {TransactionState::AccessKey, std::chrono::seconds(30)},
      {TransactionState::ChipRead, std::chrono::seconds(15)},
      {TransactionState::ChipVerification, std::chrono::seconds(5)},
      {TransactionState::LiveCapture, std::chrono::seconds(10)},
      {TransactionState::FaceComparison, std::chrono::seconds(5)},
      {TransactionState::MorphCheck, std::chrono::seconds(5)},
      {TransactionState::Decision, std::chrono::seconds(2)},
      {TransactionState::ResultDelivery, std::chrono::seconds(5)},
      {TransactionState::Actuation, std::chrono::seconds(5)},
      {TransactionState::Reset, std::chrono::seconds(30)},
  };
  /// Live capture: frames are judged for this long (or up to `captureMaxFrames`) and the best one
  /// kept; it ends at the first frame that passes every quality check. Long enough for a traveller
  /// to follow the guidance ("move closer").
  std::chrono::milliseconds captureBudget{5000};
  int captureMaxFrames = 600;  // a bound for tests and benchmarks: the budget ends a real capture first
  std::chrono::milliseconds timeout(TransactionState state) const;
};

/// The devices and services a kiosk plugs in; nullptr where a piece does not exist (its step stays
/// `not done`). The reader is required.
struct MachineParts {
  hw::CardReader* reader = nullptr;
  hw::AccessKeySource* mrzReader = nullptr;  ///< the document (OCR) reader; manual entry is built in
  hw::Camera* camera = nullptr;
  CaptureAssessor* captureAssessor = nullptr;  ///< judges live frames; none: the first frame, unjudged
  FramePreview* preview = nullptr;             ///< the kiosk screen's live preview
  hw::Gate* gate = nullptr;
  FaceComparator* faceComparator = nullptr;
  MorphDetector* morphDetector = nullptr;
  DecisionPolicy* policy = nullptr;
  ResultSink* sink = nullptr;
  const mrtd::pki::TrustStore* trust = nullptr;
  const Clock* clock = nullptr;
};

struct MachineSettings {
  Mode mode = Mode::Egate;
  MachineTimeouts timeouts;
  /// Face comparison threshold for the face step's verdict (rules see the score itself).
  double faceThreshold = 0.62;
  /// Morph score at or above which the morph step fails.
  double morphThreshold = 0.5;
  /// How long the gate stays open for one passage (its watchdog closes it after).
  std::chrono::milliseconds gateOpenFor{8000};
};

class TransactionMachine {
 public:
  /// Throws std::invalid_argument when parts.reader or parts.clock is missing.
  TransactionMachine(const MachineParts& parts, MachineSettings settings);
  ~TransactionMachine();

  void addListener(StateListener listener);

  /// Does the current state's work once. Never throws: a failing step is recorded and handled.
  void tick();

  /// The state now and the last change.
  StateChange current() const;
  /// The transaction in progress (tests and the result builder); the machine owns it.
  const Transaction& transaction() const { return tx_; }
  /// The number of transactions finished (decided or cancelled) since start.
  std::uint64_t finishedCount() const;

  // Inputs from the UI; any thread.
  /// Manual MRZ entry (any form parseMrz accepts). Returns an error message, empty when accepted.
  std::string enterMrz(const std::string& mrzText);
  /// Manual CAN entry (6 digits). Returns an error message, empty when accepted.
  std::string enterCan(const std::string& can);
  /// Service point: the case or diary number for the next transaction. Returns an error message.
  std::string setCaseNumber(const std::string& caseNumber);
  /// Starts a transaction with the document already on the reader (a "retry" button).
  void requestStart();
  /// Cancels the transaction in progress (before its decision).
  void requestCancel(const std::string& reason);

 private:
  struct Inputs;
  void enter(TransactionState next, const std::string& detail = {});
  void publish(const std::string& detail);
  void finishStep(TransactionState state, Verdict verdict, const std::string& reason,
                  std::chrono::steady_clock::time_point started);
  void cancel(const std::string& reason);
  bool timedOut() const;
  void runState();

  MachineParts parts_;
  MachineSettings settings_;
  Transaction tx_;
  TransactionState state_ = TransactionState::Idle;
  std::chrono::steady_clock::time_point stateEntered_{};
  bool cardSeenAbsent_ = true;
  bool counted_ = false;  // the transaction in Reset has been counted
  std::uint64_t sequence_ = 0;
  std::uint64_t finished_ = 0;
  std::vector<StateListener> listeners_;
  mutable std::mutex mutex_;  // guards inputs_, last_ and finished_
  std::unique_ptr<Inputs> inputs_;
  hw::ManualEntry manual_;  // keys typed at the UI
  StateChange last_;
  std::optional<FrameAssessment> latestFrame_;  // the live capture's newest judged frame (guidance)
};

}  // namespace portti::firmware
