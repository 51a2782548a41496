// What the firmware tests share: a test PKI and a virtual passport issued from the demo portrait
// (real mrtd issuing, real sim reader), a clock the test moves, and small recording devices.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "portti/firmware/result_builder.hpp"
#include "portti/firmware/state_machine.hpp"
#include "portti/firmware/transaction/transaction_facts.hpp"
#include "portti/hw/sim_reader.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/vision/face_image.hpp"

namespace portti::firmware::test {

namespace fs = std::filesystem;

inline const std::string kPseudonymKey(32, '\x07');

/// The ICAO Doc 9303 Part 4 specimen.
inline const std::string kMrz =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

inline fs::path tempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("portti-firmware-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// The demo portrait, or a synthetic image when assets/ has not been set up.
inline cv::Mat loadPortraitImage() {
  cv::Mat img = cv::imread(std::string(PORTTI_SOURCE_DIR) + "/assets/astronaut.png");
  if (!img.empty()) return img;
  img = cv::Mat(320, 240, CV_8UC3, cv::Scalar(90, 120, 160));
  cv::circle(img, {120, 140}, 70, cv::Scalar(160, 180, 210), -1);
  cv::rectangle(img, {80, 120, 20, 10}, cv::Scalar(20, 20, 20), -1);
  cv::rectangle(img, {140, 120, 20, 10}, cv::Scalar(20, 20, 20), -1);
  return img;
}
inline cv::Mat portraitImage() {
  static const cv::Mat cached = loadPortraitImage();
  return cached.clone();
}

/// One issued test world: PKI + a passport chip folder, made once per test binary.
struct World {
  fs::path root, pki, chip, clone;  ///< clone: the same data groups and SOD on a chip with other keys
  mrtd::Bytes portraitJpeg;
  mrtd::pki::TrustStore trust;
};

inline World& world() {
  static World* w = [] {
    auto* made = new World;
    made->root = tempDir("world");
    made->pki = made->root / "pki";
    mrtd::pki::makeTestPki(made->pki.string());
    mrtd::VirtualPassportSpec spec;
    spec.mrz = kMrz;
    spec.pkiDir = made->pki;
    const vision::EncodedPortrait p = vision::encodeChipPortrait(portraitImage());
    spec.faceImage.assign(p.bytes.begin(), p.bytes.end());
    spec.faceWidth = static_cast<std::uint32_t>(p.width);
    spec.faceHeight = static_cast<std::uint32_t>(p.height);
    made->portraitJpeg = spec.faceImage;
    made->chip = made->root / "chip";
    mrtd::makeVirtualPassport(spec, made->chip);
    made->clone = made->root / "clone";
    spec.fault = mrtd::IssuanceFault::Clone;
    mrtd::makeVirtualPassport(spec, made->clone);
    made->trust.addPath((made->pki / "csca.der").string());
    return made;
  }();
  return *w;
}

class FakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return steady_; }
  std::chrono::system_clock::time_point wallNow() const override {
    return wall_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(steady_ - start_);
  }
  void advance(std::chrono::milliseconds d) const { steady_ += d; }

 private:
  std::chrono::steady_clock::time_point start_{std::chrono::seconds(1000)};
  mutable std::chrono::steady_clock::time_point steady_{start_};
  std::chrono::system_clock::time_point wall_{std::chrono::seconds(1'780'000'000)};
};

/// The kiosk's document (MRZ) reader, reading the specimen's MRZ when `ready`.
class FixedMrzReader : public hw::AccessKeySource {
 public:
  explicit FixedMrzReader(std::string mrz) : mrz_(std::move(mrz)) {}
  std::optional<hw::AccessKey> next(std::chrono::milliseconds) override {
    if (!ready) return std::nullopt;
    return hw::AccessKey::fromMrz(mrz_);
  }
  hw::DeviceStatus status() const override { return {"mrz-source", "fixed", true, "fixed", "", hw::SelfTest::NotDone, ""}; }
  hw::DeviceStatus selfTest() override { return status(); }
  bool ready = true;

 private:
  std::string mrz_;
};

/// A camera that returns the portrait, each frame a little more blurred (the first is the best).
class FakeCamera : public hw::Camera {
 public:
  explicit FakeCamera(const FakeClock& clock) : clock_(clock) {}
  std::optional<hw::Frame> grab(std::chrono::milliseconds) override {
    clock_.advance(std::chrono::milliseconds(100));
    if (broken) return std::nullopt;
    cv::Mat frame = portraitImage();
    if (frames_ > 0) cv::GaussianBlur(frame, frame, cv::Size(0, 0), 1.0 + frames_);
    ++frames_;
    return hw::Frame{frame, clock_.now(), static_cast<std::uint64_t>(frames_)};
  }
  hw::CameraSettings settings() const override { return {}; }
  std::string describe() const override { return "fake"; }
  std::chrono::milliseconds sinceLastFrame() const override { return std::chrono::milliseconds(0); }
  hw::DeviceStatus status() const override { return {"camera", "fake", true, "fake", broken ? "stalled" : "", hw::SelfTest::NotDone, ""}; }
  hw::DeviceStatus selfTest(std::chrono::milliseconds) override { return status(); }
  bool broken = false;

 private:
  const FakeClock& clock_;
  int frames_ = 0;
};

/// Records what the machine asked of the gate.
class RecordingGate : public hw::Gate {
 public:
  void open(std::chrono::milliseconds) override { events.push_back("open"); }
  void close() noexcept override { events.push_back("closed"); }
  bool isOpen() const override { return false; }
  hw::DeviceStatus status() const override { return {"gate", "recording", true, "recording", "", hw::SelfTest::NotDone, ""}; }
  hw::DeviceStatus selfTest(bool) override { return status(); }
  std::vector<std::string> events;
};

class FixedComparator : public FaceComparator {
 public:
  explicit FixedComparator(double score) : score_(score) {}
  double compare(const cv::Mat& portrait, const cv::Mat& live) override {
    if (portrait.empty() || live.empty()) throw std::runtime_error("empty image");
    return score_;
  }

 private:
  double score_;
};

/// Accepts when PA is valid and the face passed, else refers: a stand-in for the rules.
class SimplePolicy : public DecisionPolicy {
 public:
  Decision decide(const Transaction& tx) override {
    Decision d;
    const bool pa = tx.chip.passiveAuth && tx.chip.passiveAuth->status == mrtd::pki::PaStatus::Valid;
    if (pa && tx.face == Verdict::Passed) {
      d.outcome = Outcome::Accept;
    } else {
      d.outcome = Outcome::Refer;
      if (!pa) d.reasons.push_back("PA_NOT_VALID");
      if (tx.face != Verdict::Passed) d.reasons.push_back("FACE_NOT_PASSED");
    }
    return d;
  }
};

/// Keeps every committed result's JSON text; fails when told to (disk full).
class RecordingSink : public ResultSink {
 public:
  explicit RecordingSink(ResultOptions options, std::vector<std::string>* gateEvents = nullptr)
      : builder_(std::move(options)), gateEvents_(gateEvents) {}
  void commit(const Transaction& tx) override {
    if (fail) throw std::runtime_error("database or disk is full");
    results.push_back(builder_.buildText(tx));
    gateEventsAtCommit = gateEvents_ ? gateEvents_->size() : 0;
  }
  std::vector<std::string> results;
  bool fail = false;
  std::size_t gateEventsAtCommit = 0;

 private:
  ResultBuilder builder_;
  std::vector<std::string>* gateEvents_;
};

/// A whole simulated kiosk around a machine.
struct Kiosk {
  explicit Kiosk(Mode mode = Mode::Egate, double faceScore = 0.9, const fs::path& chip = world().chip)
      : reader("sim:" + chip.string()),
        mrzReader(kMrz),
        camera(clock),
        comparator(faceScore),
        sink(ResultOptions{"kiosk-test", kPseudonymKey, false, false}, &gate.events) {
    parts.reader = &reader;
    parts.mrzReader = &mrzReader;
    parts.camera = &camera;
    parts.gate = &gate;
    parts.faceComparator = &comparator;
    parts.policy = &policy;
    parts.sink = &sink;
    parts.trust = &world().trust;
    parts.clock = &clock;
    settings.mode = mode;
    settings.timeouts.captureMaxFrames = 3;
  }
  TransactionMachine& machine() {
    if (!m) {
      m = std::make_unique<TransactionMachine>(parts, settings);
      m->addListener([this](const StateChange& c) { changes.push_back(c); });
    }
    return *m;
  }
  /// Ticks until the machine is back in idle or `max` ticks passed.
  void runToIdle(int max = 50) {
    for (int i = 0; i < max; ++i) {
      machine().tick();
      if (machine().current().state == TransactionState::Idle && machine().finishedCount() > 0) return;
      if (machine().current().state == TransactionState::Reset) reader.setCardPresent(false);
    }
  }
  std::vector<std::string> stateNames() const {
    std::vector<std::string> names;
    for (const auto& c : changes) names.push_back(stateName(c.state));
    return names;
  }

  FakeClock clock;
  hw::SimReader reader;
  FixedMrzReader mrzReader;
  FakeCamera camera;
  RecordingGate gate;
  FixedComparator comparator;
  SimplePolicy policy;
  RecordingSink sink;
  MachineParts parts;
  MachineSettings settings;
  std::unique_ptr<TransactionMachine> m;
  std::vector<StateChange> changes;
};

/// Captures the facts of the transaction at decision time (a fixed "today": 2026-12-04).
class CapturingPolicy : public DecisionPolicy {
 public:
  Decision decide(const Transaction& tx) override {
    facts = transactionFacts(tx, Date{2026, 12, 4});
    return Decision{};
  }
  Facts facts;
};

}  // namespace portti::firmware::test
