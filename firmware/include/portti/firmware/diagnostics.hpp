// Diagnostics for the technician UI and `portti diag` (issue 7 item 7): device states and versions,
// the trust store (CSCA count, CRL next update, certificates about to expire), the outbox (depth,
// dead letters), the rules in force, recent errors, and a self-test. No personal data in any
// answer: only device names, counts, dates of certificates, and messages the kiosk wrote itself.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "portti/hw/access_key_source.hpp"
#include "portti/hw/camera.hpp"
#include "portti/hw/card_reader.hpp"
#include "portti/hw/gate.hpp"
#include "portti/hw/indicator_lights.hpp"
#include "portti/mrtd/pki/trust_store.hpp"

namespace portti::firmware {

class Outbox;
class OfficerDesk;
class Sender;
class RuleFile;

/// The last errors of the kiosk (bounded), each with its time and area. Callers pass only messages
/// they composed (step reasons, device errors): never document contents.
class RecentErrors {
 public:
  explicit RecentErrors(std::size_t keep = 50) : keep_(keep) {}
  void add(const std::string& area, const std::string& message);
  Poco::JSON::Array::Ptr json() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::chrono::system_clock::time_point at;
    std::string area, message;
  };
  std::size_t keep_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
};

/// Certificates and CRLs found in the trust paths, by date (the TrustStore holds no dates).
struct TrustFileSummary {
  std::size_t certificates = 0;
  std::vector<std::string> expiringSoon;  ///< "subject CN (until YYYY-MM-DD)" within 90 days
  std::vector<std::string> expired;
  std::vector<std::string> crlNextUpdates;  ///< "issuer CN: YYYY-MM-DD"
};
TrustFileSummary summarizeTrustFiles(const std::vector<std::string>& paths, std::time_t now);

struct DiagnosticsSources {
  std::string kioskId, mode, version;
  hw::CardReader* reader = nullptr;
  hw::Camera* camera = nullptr;
  hw::Gate* gate = nullptr;
  hw::AccessKeySource* mrzReader = nullptr;
  hw::IndicatorLights* lights = nullptr;
  const mrtd::pki::TrustStore* trust = nullptr;
  std::vector<std::string> trustPaths;
  Outbox* outbox = nullptr;
  Sender* sender = nullptr;
  RuleFile* rules = nullptr;
  RecentErrors* errors = nullptr;
  OfficerDesk* officer = nullptr;  ///< open call-outs
  std::function<std::uint64_t()> transactionsDone;
};

class Diagnostics {
 public:
  explicit Diagnostics(DiagnosticsSources sources, std::filesystem::path selfTestDir);

  /// The whole report (JSON object).
  Poco::JSON::Object::Ptr report() const;

  /// Reads the built-in test chip (a virtual passport of a synthetic face under its own test PKI,
  /// made once in `selfTestDir`) and verifies it, grabs camera frames, checks the gate line, and
  /// queues a test result (marked "selfTest") in the outbox. Each part: passed / failed / not done.
  Poco::JSON::Object::Ptr selfTest();

 private:
  DiagnosticsSources s_;
  std::filesystem::path selfTestDir_;
};

}  // namespace portti::firmware
