// bench_appliance: whole transactions per minute on the simulated kiosk, the way porttid runs them:
// a virtual passport on the in-process reader (BAC, full read), Passive Authentication, a synthetic
// camera (best of the capture frames), the e-gate rule file, the result committed to a real SQLite
// outbox (WAL, synchronous=FULL), the gate. No face comparator or MAD yet: those steps are `not done`
// and cost nothing here. Prints the rate and the mean time of each step.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <unistd.h>

#include <opencv2/imgproc.hpp>

#include "portti/firmware/outbox.hpp"
#include "portti/firmware/result_builder.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/state_machine.hpp"
#include "portti/firmware/transaction/transaction_facts.hpp"
#include "portti/hw/camera.hpp"
#include "portti/hw/gate.hpp"
#include "portti/hw/sim_reader.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/vision/face_image.hpp"

using namespace portti;
using namespace portti::firmware;
namespace fs = std::filesystem;

namespace {

const char* kMrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F3104150ZE184226B<<<<<16";

class OutboxSink : public ResultSink {
 public:
  OutboxSink(ResultBuilder b, Outbox& o) : builder_(std::move(b)), outbox_(o) {}
  void commit(const Transaction& tx) override { outbox_.enqueue(tx.id, builder_.buildText(tx)); }

 private:
  ResultBuilder builder_;
  Outbox& outbox_;
};

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::stoi(argv[1]) : 30;
  const fs::path dir = fs::temp_directory_path() / ("bench-appliance-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  mrtd::pki::makeTestPki((dir / "pki").string());
  cv::Mat face(400, 300, CV_8UC3, cv::Scalar(200, 200, 200));
  cv::ellipse(face, {150, 190}, {90, 120}, 0, 0, 360, cv::Scalar(140, 170, 210), -1);
  const vision::EncodedPortrait portrait = vision::encodeChipPortrait(face);
  mrtd::VirtualPassportSpec spec;
  spec.mrz = kMrz;
  spec.pkiDir = dir / "pki";
  spec.faceImage.assign(portrait.bytes.begin(), portrait.bytes.end());
  spec.faceWidth = static_cast<std::uint32_t>(portrait.width);
  spec.faceHeight = static_cast<std::uint32_t>(portrait.height);
  mrtd::makeVirtualPassport(spec, dir / "chip");

  mrtd::pki::TrustStore trust;
  trust.addPath((dir / "pki" / "csca.der").string());
  std::ofstream(dir / "egate.rules") << "rule pa: pa.status == valid else reject PA_INVALID\n"
                                        "rule expiry: doc.expiry >= today else reject DOC_EXPIRED\n"
                                        "rule face: face.score >= 0.62 else refer FACE_MISMATCH\n";
  RuleFilePolicy policy(std::make_shared<RuleFile>(dir / "egate.rules"));
  Outbox outbox((dir / "outbox.sqlite").string());
  OutboxSink sink(ResultBuilder({"kiosk-bench", std::string(32, 'k'), false, false}), outbox);
  hw::SimReader reader("sim:" + (dir / "chip").string());
  reader.setCardPresent(false);
  auto camera = hw::openCamera("synthetic:640x480");
  auto gate = hw::openGate("sim");
  SystemClock clock;

  MachineParts parts;
  parts.reader = &reader;
  parts.camera = camera.get();
  parts.gate = gate.get();
  parts.policy = &policy;
  parts.sink = &sink;
  parts.trust = &trust;
  parts.clock = &clock;
  MachineSettings settings;
  settings.timeouts.captureMaxFrames = 3;
  settings.timeouts.captureBudget = std::chrono::milliseconds(300);
  settings.gateOpenFor = std::chrono::milliseconds(10);
  TransactionMachine machine(parts, settings);

  std::map<TransactionState, double> stepMs;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    reader.setCardPresent(true);
    while (machine.current().state != TransactionState::Reset) {
      machine.tick();
      if (machine.current().state == TransactionState::AccessKey) machine.enterMrz(kMrz);  // typed at the UI
    }
    for (const auto& s : machine.transaction().steps) stepMs[s.step] += s.milliseconds;
    reader.setCardPresent(false);
    while (machine.current().state != TransactionState::Idle) machine.tick();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "appliance (simulated kiosk): " << count << " transactions in " << std::fixed << std::setprecision(2)
            << seconds << " s = " << std::setprecision(0) << count * 60.0 / seconds << " transactions per minute\n"
            << "  capture: the first synthetic 640x480 frame (no face models here: nothing judges its quality); the sim "
            << "reader has no radio link (bench_read_chip models the link time of a real one)\n"
            << "  outbox: " << outbox.depth() << " results committed (SQLite WAL, synchronous=FULL)\n"
            << "  mean ms per step:\n";
  for (const auto& [state, ms] : stepMs)
    std::cout << "    " << std::left << std::setw(20) << stateName(state) << std::right << std::setprecision(2)
              << ms / count << "\n";
  fs::remove_all(dir);
  return 0;
}
