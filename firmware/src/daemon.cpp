#include "portti/firmware/daemon.hpp"

#include <Poco/URI.h>

#include <filesystem>
#include <iostream>

#include "portti/firmware/officer_calls.hpp"
#include "portti/firmware/outbox.hpp"
#include "portti/firmware/result_builder.hpp"
#include "portti/firmware/result_signer.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/sender.hpp"
#include "portti/firmware/transaction/capture_assessment.hpp"
#include "portti/firmware/transaction/face_comparison.hpp"
#include "portti/firmware/transaction/live_preview.hpp"
#include "portti/firmware/transaction/morph_detection.hpp"
#include "portti/firmware/audit_events.hpp"
#include "portti/firmware/audit_log.hpp"
#include "portti/vision/mad/dmad.hpp"
#include "portti/firmware/transaction/transaction_facts.hpp"
#include "portti/hw/indicator_lights.hpp"
#include "portti/hw/open_reader.hpp"
#include "portti/hw/sim_reader.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::firmware {

namespace fs = std::filesystem;

namespace {

/// The simulated reader of a kiosk without hardware: a chip folder that is put on and taken off the
/// reader through the API (the demo's "traveller"), starting with no document on it.
class SimDeck : public hw::CardReader {
 public:
  explicit SimDeck(std::string defaultChip) : defaultChip_(std::move(defaultChip)) {}

  /// Puts a chip on the reader (the default one when `dir` is empty) or takes it off.
  std::string place(bool present, const std::string& dir) {
    std::lock_guard lock(mutex_);
    if (!present) {
      present_ = false;
      return {};
    }
    try {
      chip_ = std::make_unique<hw::SimReader>("sim:" + (dir.empty() ? defaultChip_ : dir));
    } catch (const std::exception& e) {
      return e.what();
    }
    present_ = true;
    return {};
  }

  mrtd::Bytes transmitRaw(mrtd::ByteView command) override {
    std::lock_guard lock(mutex_);
    if (!present_ || !chip_) throw mrtd::Error(mrtd::ErrorArea::Transport, "transmit", "no card in the field");
    return chip_->transmitRaw(command);
  }
  mrtd::ChannelLimits limits() const override {
    std::lock_guard lock(mutex_);
    return chip_ ? chip_->limits() : mrtd::ChannelLimits{};
  }
  std::string name() const override { return "sim"; }
  std::string readerName() const override { return "simulated reader (" + defaultChip_ + ")"; }
  std::string readerVersion() const override { return "portti virtual chip"; }
  bool cardPresent() override {
    std::lock_guard lock(mutex_);
    return present_;
  }
  bool waitForCard(std::chrono::milliseconds timeout) override {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!cardPresent()) {
      if (std::chrono::steady_clock::now() >= end) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }
  bool waitForRemoval(std::chrono::milliseconds timeout) override {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (cardPresent()) {
      if (std::chrono::steady_clock::now() >= end) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

 private:
  std::string defaultChip_;
  mutable std::mutex mutex_;
  std::unique_ptr<hw::SimReader> chip_;
  bool present_ = false;
};

/// The outbox as the machine's result sink: the decision goes into the audit log, the result
/// (carrying that record's anchor) is built, stored durably, and the sender woken; the sender signs
/// it with the device key when it posts. A decision that cannot be audited is not stored either:
/// the transaction fails safe.
class OutboxSink : public ResultSink {
 public:
  OutboxSink(ResultBuilder builder, Outbox& outbox, Sender* sender, AuditLog& audit, RecentErrors& errors)
      : builder_(std::move(builder)), outbox_(outbox), sender_(sender), audit_(audit), errors_(errors) {}
  void commit(const Transaction& tx) override {
    AuditAnchor anchor;
    try {
      anchor = audit_.append("decision", decisionAuditFields(tx.id, tx.decision.value_or(Decision{})));
    } catch (const std::exception& e) {
      errors_.add("audit", e.what());
      throw;
    }
    std::string body = builder_.buildText(tx, anchor);
    try {
      outbox_.enqueue(tx.id, body, tx.mode == Mode::ServicePoint ? tx.caseNumber : std::string());
    } catch (const std::exception& e) {
      wipeString(body);
      errors_.add("outbox", e.what());
      throw;
    }
    wipeString(body);
    if (sender_) sender_->wake();
  }

 private:
  ResultBuilder builder_;
  Outbox& outbox_;
  Sender* sender_;
  AuditLog& audit_;
  RecentErrors& errors_;
};

}  // namespace

struct Daemon::Parts {
  KioskConfig config;
  RecentErrors errors;
  std::unique_ptr<hw::CardReader> reader;
  SimDeck* simDeck = nullptr;
  std::unique_ptr<hw::AccessKeySource> mrzReader;
  std::unique_ptr<hw::Camera> camera;
  std::unique_ptr<hw::Gate> gate;
  std::unique_ptr<hw::IndicatorLights> lights;
  mrtd::pki::TrustStore trust;
  std::shared_ptr<RuleFile> rules;
  std::unique_ptr<RuleFilePolicy> policy;
  std::unique_ptr<VisionFaceComparator> face;
  std::unique_ptr<VisionCaptureAssessor> capture;
  LivePreview preview;
  std::unique_ptr<VisionMorphDetector> morph;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<Sender> sender;
  std::unique_ptr<OutboxSink> sink;
  SystemClock clock;
  std::unique_ptr<TransactionMachine> machine;
  StateFeed feed;
  std::unique_ptr<Diagnostics> diagnostics;
  std::unique_ptr<ApiServer> api;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<OfficerDesk> officer;
  std::chrono::milliseconds gateOpenFor{0};
  std::string gateOpenedBy;  // the transaction whose passage the gate is open for (machine thread)
  std::chrono::steady_clock::time_point gateOpenedAt{};
  std::chrono::steady_clock::time_point rulesLooked{};

  /// Appends one audit record; a failure is a recent error (the daemon goes on).
  void record(const std::string& event, const Poco::JSON::Object& fields) {
    try {
      audit->append(event, fields);
    } catch (const std::exception& e) {
      errors.add("audit", e.what());
    }
  }
  void record(const AuditEvent& e) { record(e.event, e.fields); }
};

Daemon::Daemon(const KioskConfig& config) : p_(std::make_unique<Parts>()) {
  Parts& p = *p_;
  p.config = config;
  fs::create_directories(config.dataDir);
  // Every decision goes into the hash-chained audit log (no personal data: audit_events.hpp).
  p.audit = std::make_unique<AuditLog>(config.dataDir / "audit.log", AuditLog::Options{config.kioskId, std::nullopt});

  if (config.reader.rfind("sim:", 0) == 0) {
    auto deck = std::make_unique<SimDeck>(config.reader.substr(4));
    p.simDeck = deck.get();
    p.reader = std::move(deck);
  } else {
    p.reader = hw::openReader(config.reader);
  }
  if (config.mrzReader != "none") p.mrzReader = hw::openAccessKeySource(config.mrzReader);
  if (config.camera != "none") p.camera = hw::openCamera(config.camera);
  if (config.gate != "none") p.gate = hw::openGate(config.gate);
  if (config.lights != "none") p.lights = hw::openIndicatorLights(config.lights);

  for (const auto& path : config.trustPaths) p.trust.addPath(path);
  if (!config.crl.empty()) p.trust.addPath(config.crl);

  if (!config.rulesFile.empty()) {
    p.rules = std::make_shared<RuleFile>(config.rulesFile);
    p.policy = std::make_unique<RuleFilePolicy>(p.rules);
    p.rules->onReload([&p](RuleFile::Reload r, const RuleSet& inForce, const std::vector<RuleError>& errors) {
      if (r == RuleFile::Reload::Reloaded) p.record("rules_reloaded", rulesReloadedAuditFields(inForce));
      if (r == RuleFile::Reload::Refused)
        p.record("rules_refused", rulesRefusedAuditFields(p.config.rulesFile.string(), errors, inForce.digest));
    });
  }

  MachineSettings settings = config.machine;
  if (!config.faceConfig.empty()) {
    p.face = std::make_unique<VisionFaceComparator>(vision::FaceConfig::load(config.faceConfig.string()));
    if (!config.faceThresholdSet) settings.faceThreshold = p.face->threshold();
    p.capture = std::make_unique<VisionCaptureAssessor>(p.face->verifier());
    if (!config.morphModel.empty()) {
      p.morph = std::make_unique<VisionMorphDetector>(
          p.face->verifier(), vision::MadModel::load(config.morphModel.string(), vision::kDmadFeatures, vision::kDmadFeatureSet));
      if (!config.morphThresholdSet) settings.morphThreshold = p.morph->threshold();
    }
  }

  p.outbox = std::make_unique<Outbox>(config.outboxPath.string());
  if (!config.caseSystem.url.empty()) {
    const Poco::URI url(config.caseSystem.url);
    SenderConfig sc;
    sc.host = url.getHost();
    sc.port = url.getPort();
    sc.caFile = config.caseSystem.caFile;
    sc.certificateFile = config.caseSystem.certFile;
    sc.privateKeyFile = config.caseSystem.keyFile;
    p.sender = std::make_unique<Sender>(*p.outbox, ResultSigner::fromPemFile(config.caseSystem.signingKeyFile), sc);
  }
  ResultOptions ro;
  ro.kioskId = config.kioskId;
  ro.pseudonymKey = pseudonymKey(config);
  ro.includeDocumentNumber = config.caseSystem.includeDocumentNumber;
  ro.includeImages = config.includeImages;
  p.sink = std::make_unique<OutboxSink>(ResultBuilder(ro), *p.outbox, p.sender.get(), *p.audit, p.errors);
  p.gateOpenFor = settings.gateOpenFor;

  MachineParts mp;
  mp.reader = p.reader.get();
  mp.mrzReader = p.mrzReader.get();
  mp.camera = p.camera.get();
  mp.captureAssessor = p.capture.get();
  mp.preview = &p.preview;
  mp.gate = p.gate.get();
  mp.policy = p.policy.get();
  mp.faceComparator = p.face.get();
  mp.morphDetector = p.morph.get();
  mp.sink = p.sink.get();
  mp.trust = &p.trust;
  mp.clock = &p.clock;
  p.machine = std::make_unique<TransactionMachine>(mp, settings);
  p.machine->addListener([&p](const StateChange& c) {
    // The decision was audited when its result was committed (OutboxSink); what the gate did follows.
    if (c.state == TransactionState::Reset && c.previous == TransactionState::Actuation) {
      const Transaction& tx = p.machine->transaction();
      if (auto e = gateAuditEvent(tx, p.gateOpenFor)) p.record(*e);
      if (tx.gateOpened) {
        p.gateOpenedBy = tx.id;
        p.gateOpenedAt = std::chrono::steady_clock::now();
      }
    }
    p.feed.publish(c);
    // Step failures and cancellations are the kiosk's own words: safe for the technician's view.
    if (!c.detail.empty() && c.state != TransactionState::Idle) p.errors.add(stateName(c.previous), c.detail);
  });
  p.feed.publish(p.machine->current());

  // Officer call-outs: audited, shown by the lamps, published to the UI; a site adds its forwarder
  // as another OfficerCallChannel here.
  p.officer = std::make_unique<OfficerDesk>(p.audit.get(), &p.errors);
  if (p.lights) p.officer->addChannel(std::make_unique<IndicatorLightsChannel>(*p.lights));
  p.officer->setListener([&p](const std::string& event, const OfficerCall&) { p.feed.publishEvent(event); });

  DiagnosticsSources ds;
  ds.kioskId = config.kioskId;
  ds.mode = modeName(config.mode);
  ds.version = "porttid 0.1.0";
  ds.reader = p.reader.get();
  ds.camera = p.camera.get();
  ds.gate = p.gate.get();
  ds.mrzReader = p.mrzReader.get();
  ds.lights = p.lights.get();
  ds.officer = p.officer.get();
  ds.trust = &p.trust;
  ds.trustPaths = config.trustPaths;
  if (!config.crl.empty()) ds.trustPaths.push_back(config.crl);
  ds.outbox = p.outbox.get();
  ds.sender = p.sender.get();
  ds.rules = p.rules.get();
  ds.errors = &p.errors;
  TransactionMachine* machine = p.machine.get();
  ds.transactionsDone = [machine] { return machine->finishedCount(); };
  p.diagnostics = std::make_unique<Diagnostics>(ds, config.dataDir / "selftest");

  ApiServer::Parts ap;
  ap.machine = p.machine.get();
  ap.feed = &p.feed;
  ap.diagnostics = p.diagnostics.get();
  ap.errors = &p.errors;
  ap.preview = &p.preview;
  ap.desk.outbox = p.outbox.get();
  ap.desk.audit = p.audit.get();
  ap.desk.officer = p.officer.get();
  if (Sender* sender = p.sender.get()) ap.desk.wakeSender = [sender] { sender->wake(); };
  if (p.simDeck) {
    SimDeck* deck = p.simDeck;
    ap.simDocument = [deck](bool present, const std::string& dir) { return deck->place(present, dir); };
  }
  p.api = std::make_unique<ApiServer>(config.api, ap);
}

Daemon::~Daemon() { stop(); }

void Daemon::start() {
  if (running_.exchange(true)) return;
  p_->record(daemonStartedAuditEvent("porttid 0.1.0", p_->config.mode,
                                     p_->rules ? p_->rules->current()->digest : std::string()));
  if (p_->sender) p_->sender->start();
  loop_ = std::thread([this] {
    Parts& p = *p_;
    while (running_) {
      p.machine->tick();
      // The gate closed: its watchdog after the passage time, or forced earlier (a cancel, a refusal).
      if (!p.gateOpenedBy.empty() && p.gate && !p.gate->isOpen()) {
        const bool timeOver =
            std::chrono::steady_clock::now() - p.gateOpenedAt >= p.gateOpenFor - std::chrono::milliseconds(100);
        p.record(gateClosedAuditEvent(p.gateOpenedBy, timeOver ? "passage time over" : "forced closed"));
        p.gateOpenedBy.clear();
      }
      // A changed rule file is taken (or refused, and audited) when it changes, not at the next decision.
      if (p.rules && std::chrono::steady_clock::now() - p.rulesLooked > std::chrono::seconds(1)) {
        p.rulesLooked = std::chrono::steady_clock::now();
        p.rules->reloadIfChanged();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  p_->api->start();
}

void Daemon::stop() {
  if (!running_.exchange(false)) return;
  p_->api->stop();
  if (loop_.joinable()) loop_.join();
  const bool forced = p_->gate && p_->gate->isOpen();
  if (p_->gate) p_->gate->close();
  if (!p_->gateOpenedBy.empty())
    p_->record(gateClosedAuditEvent(p_->gateOpenedBy, forced ? "shutdown" : "passage time over"));
  p_->gateOpenedBy.clear();
  if (p_->sender) p_->sender->stop();
  p_->record(daemonStoppedAuditEvent(p_->machine->finishedCount()));
}

int Daemon::apiPort() const { return p_->api->port(); }
TransactionMachine& Daemon::machine() { return *p_->machine; }
Diagnostics& Daemon::diagnostics() { return *p_->diagnostics; }
StateFeed& Daemon::feed() { return p_->feed; }

}  // namespace portti::firmware
