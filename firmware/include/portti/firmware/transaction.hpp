// One transaction at the kiosk: its mode, the states the machine walks through, and everything it
// learns on the way. Chip data and images live only here, in memory, and are overwritten by wipe()
// when the transaction ends (issue 7 item 8).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/firmware/rules_eval.hpp"
#include "portti/firmware/transaction/frame_assessment.hpp"
#include "portti/hw/access_key_source.hpp"
#include "portti/mrtd/protocol/authenticity.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"

namespace portti::firmware {

/// Every check starts `not done` and becomes `passed` only on proof (the mrtd verdict type).
using Verdict = mrtd::pki::CheckStatus;
using mrtd::pki::toString;

/// `egate`: a traveller at a border gate. `service-point`: an applicant whose case or diary number
/// is entered first; the result is attached to that case.
enum class Mode { Egate, ServicePoint };
const char* modeName(Mode mode);                     ///< "egate", "service-point"
std::optional<Mode> modeFromName(const std::string& name);

/// The states of the transaction machine, in the order a successful transaction visits them.
/// The result is committed to the outbox (ResultDelivery) before the gate opens (Actuation).
enum class TransactionState {
  Idle,
  DocumentPresented,
  AccessKey,
  ChipRead,
  ChipVerification,
  LiveCapture,
  FaceComparison,
  MorphCheck,
  Decision,
  ResultDelivery,
  Actuation,
  Reset,
};
const char* stateName(TransactionState state);  ///< "idle", "document presented", ...

/// The key that opens the chip (hw: from the MRZ reader or typed in; personal data).
using AccessKey = hw::AccessKey;

/// What one step concluded.
struct StepRecord {
  TransactionState step = TransactionState::Idle;
  Verdict verdict = Verdict::NotDone;
  std::string reason;  ///< why not passed (never personal data)
  double milliseconds = 0;
};

/// What the chip gave and what its verification found.
struct ChipEvidence {
  std::string accessMethod = "none";  ///< "BAC", "PACE", "none"
  bool paceAdvertised = false;        ///< EF.CardAccess was present (a BAC read is then a downgrade)
  std::map<int, mrtd::Bytes> dataGroups;  ///< raw, as read
  mrtd::Bytes sod;
  std::optional<mrtd::Mrz> dg1;       ///< personal: never leaves the transaction except as facts
  mrtd::Bytes portrait;               ///< the encoded DG2 image
  Verdict read = Verdict::NotDone;
  std::optional<mrtd::pki::PassiveAuthResult> passiveAuth;
  mrtd::ChipAuthResult chipAuthResult;      ///< as the read found it (Chip Authentication or PACE-CAM)
  mrtd::ActiveAuthResult activeAuthResult;  ///< as the read found it
  Verdict chipAuth = Verdict::NotDone;  ///< Chip or Active Authentication, on top of a valid PA
  std::string chipAuthMethod;           ///< "CA-ECDH-AES128", "PACE-CAM", "AA", ... or empty
  std::string chipAuthReason = "not done";
};

struct Transaction {
  std::string id;  ///< random 128 bits as hex, set when the transaction starts
  Mode mode = Mode::Egate;
  std::string caseNumber;  ///< service-point only
  std::chrono::system_clock::time_point startedAt{}, finishedAt{};
  std::optional<AccessKey> accessKey;
  ChipEvidence chip;
  cv::Mat liveFrame;          ///< the best frame of the live capture
  std::optional<FrameAssessment> liveAssessment;  ///< its quality; none when nothing judged it
  int liveFramesSeen = 0;
  Verdict liveCapture = Verdict::NotDone;
  std::optional<double> faceScore;
  Verdict face = Verdict::NotDone;
  std::optional<double> morphScore;
  Verdict morph = Verdict::NotDone;
  std::string morphReason = "no morphing attack detector installed";
  /// The rules' decision with its trace (rules_eval.hpp); reasons the machine adds (the result
  /// could not be stored, ...) are reason codes like the rules' own.
  std::optional<Decision> decision;
  bool resultCommitted = false;
  bool gateOpened = false;
  std::string applicantMessage;
  std::vector<StepRecord> steps;
  bool cancelled = false;
  std::string cancelReason;

  const StepRecord* step(TransactionState state) const;
  /// Overwrites every buffer holding chip data, images or keys, then clears them.
  void wipe();
};

/// A new transaction id: 128 random bits (OpenSSL's DRBG) as 32 lower-case hex digits, never
/// sequential, so ids reveal neither order nor count. Throws std::runtime_error without randomness.
std::string newTransactionId();

/// Overwrites a byte buffer or string in place (not optimised away) and clears it.
void wipeBytes(mrtd::Bytes& bytes);
void wipeString(std::string& text);
void wipeImage(cv::Mat& image);

}  // namespace portti::firmware
