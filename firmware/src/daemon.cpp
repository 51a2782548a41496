#include "portti/firmware/daemon.hpp"

#include <Poco/URI.h>

#include <filesystem>
#include <iostream>

#include "portti/firmware/outbox.hpp"
#include "portti/firmware/result_builder.hpp"
#include "portti/firmware/result_signer.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/sender.hpp"
#include "portti/firmware/transaction/face_comparison.hpp"
#include "portti/firmware/transaction/morph_detection.hpp"
#include "portti/firmware/audit_events.hpp"
#include "portti/firmware/audit_log.hpp"
#include "portti/vision/mad/dmad.hpp"
#include "portti/firmware/transaction/transaction_facts.hpp"
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

/// The outbox as the machine's result sink: the result is built, stored durably, and the sender
/// woken; the sender signs it with the device key when it posts.
class OutboxSink : public ResultSink {
 public:
  OutboxSink(ResultBuilder builder, Outbox& outbox, Sender* sender, RecentErrors& errors)
      : builder_(std::move(builder)), outbox_(outbox), sender_(sender), errors_(errors) {}
  void commit(const Transaction& tx) override {
    std::string body = builder_.buildText(tx);
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
  mrtd::pki::TrustStore trust;
  std::shared_ptr<RuleFile> rules;
  std::unique_ptr<RuleFilePolicy> policy;
  std::unique_ptr<VisionFaceComparator> face;
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

  for (const auto& path : config.trustPaths) p.trust.addPath(path);
  if (!config.crl.empty()) p.trust.addPath(config.crl);

  if (!config.rulesFile.empty()) {
    p.rules = std::make_shared<RuleFile>(config.rulesFile);
    p.policy = std::make_unique<RuleFilePolicy>(p.rules);
  }

  MachineSettings settings = config.machine;
  if (!config.faceConfig.empty()) {
    p.face = std::make_unique<VisionFaceComparator>(vision::FaceConfig::load(config.faceConfig.string()));
    if (!config.faceThresholdSet) settings.faceThreshold = p.face->threshold();
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
  p.sink = std::make_unique<OutboxSink>(ResultBuilder(ro), *p.outbox, p.sender.get(), p.errors);

  MachineParts mp;
  mp.reader = p.reader.get();
  mp.mrzReader = p.mrzReader.get();
  mp.camera = p.camera.get();
  mp.gate = p.gate.get();
  mp.policy = p.policy.get();
  mp.faceComparator = p.face.get();
  mp.morphDetector = p.morph.get();
  mp.sink = p.sink.get();
  mp.trust = &p.trust;
  mp.clock = &p.clock;
  p.machine = std::make_unique<TransactionMachine>(mp, settings);
  p.machine->addListener([&p](const StateChange& c) {
    // The decision is made when the result is about to be committed: audit it before the gate moves.
    if (c.state == TransactionState::ResultDelivery) {
      const Transaction& tx = p.machine->transaction();
      try {
        if (tx.decision) p.audit->append("decision", decisionAuditFields(tx.id, *tx.decision));
      } catch (const std::exception& e) {
        p.errors.add("audit", e.what());
      }
    }
    p.feed.publish(c);
    // Step failures and cancellations are the kiosk's own words: safe for the technician's view.
    if (!c.detail.empty() && c.state != TransactionState::Idle) p.errors.add(stateName(c.previous), c.detail);
  });
  p.feed.publish(p.machine->current());

  DiagnosticsSources ds;
  ds.kioskId = config.kioskId;
  ds.mode = modeName(config.mode);
  ds.version = "porttid 0.1.0";
  ds.reader = p.reader.get();
  ds.camera = p.camera.get();
  ds.gate = p.gate.get();
  ds.mrzReader = p.mrzReader.get();
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
  if (p.simDeck) {
    SimDeck* deck = p.simDeck;
    ap.simDocument = [deck](bool present, const std::string& dir) { return deck->place(present, dir); };
  }
  p.api = std::make_unique<ApiServer>(config.api, ap);
}

Daemon::~Daemon() { stop(); }

void Daemon::start() {
  if (running_.exchange(true)) return;
  if (p_->sender) p_->sender->start();
  loop_ = std::thread([this] {
    while (running_) {
      p_->machine->tick();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  p_->api->start();
}

void Daemon::stop() {
  if (!running_.exchange(false)) return;
  p_->api->stop();
  if (loop_.joinable()) loop_.join();
  if (p_->gate) p_->gate->close();
  if (p_->sender) p_->sender->stop();
}

int Daemon::apiPort() const { return p_->api->port(); }
TransactionMachine& Daemon::machine() { return *p_->machine; }
Diagnostics& Daemon::diagnostics() { return *p_->diagnostics; }
StateFeed& Daemon::feed() { return p_->feed; }

}  // namespace portti::firmware
