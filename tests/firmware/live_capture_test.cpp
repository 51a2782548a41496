// The live-capture step over vision's capture-quality checks: the guidance codes and face box it
// publishes while capturing, the frame it keeps, the facts the rules get (face.quality, face.count),
// and the preview that exists only while the capture runs.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "kiosk_fixture.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/transaction/capture_assessment.hpp"
#include "portti/firmware/transaction/live_preview.hpp"
#include "portti/firmware/transaction/transaction_facts.hpp"

namespace portti::firmware::test {
namespace {

using TS = TransactionState;
using vision::QualityReason;

/// Judges the camera's frames from a script, one entry per frame (the last repeats).
class ScriptedAssessor : public CaptureAssessor {
 public:
  explicit ScriptedAssessor(std::vector<FrameAssessment> script) : script_(std::move(script)) {}
  FrameAssessment assess(const cv::Mat& frame) override {
    if (frame.empty()) throw std::runtime_error("empty frame");
    return script_[std::min(calls++, script_.size() - 1)];
  }
  std::size_t calls = 0;

 private:
  std::vector<FrameAssessment> script_;
};

/// Records what the capture showed on the screen's preview.
class RecordingPreview : public FramePreview {
 public:
  void show(const cv::Mat& frame) override {
    if (!frame.empty()) ++shown, showing = true;
  }
  void clear() override { ++cleared, showing = false; }
  int shown = 0, cleared = 0;
  bool showing = false;
};

FrameAssessment tooSmall(double score) {
  FrameAssessment a;
  a.faceFound = true;
  a.score = score;
  a.quality = 0.45;
  a.faces = 1;
  a.guidance = {"move_closer"};
  a.box = FaceBox{0.45, 0.4, 0.1, 0.12};
  return a;
}

FrameAssessment good() {
  FrameAssessment a;
  a.faceFound = a.acceptable = true;
  a.score = 1.2;
  a.quality = 0.8;
  a.faces = 1;
  a.box = FaceBox{0.3, 0.2, 0.4, 0.5};
  return a;
}

std::vector<StateChange> captureChanges(const Kiosk& k) {
  std::vector<StateChange> out;
  for (const auto& c : k.changes)
    if (c.state == TS::LiveCapture) out.push_back(c);
  return out;
}

TEST(CaptureGuidance, CodesComeInOrderOfImportanceEachOnce) {
  EXPECT_EQ(guidanceCodes({QualityReason::Blurred, QualityReason::PosePitch, QualityReason::FaceTooSmall,
                           QualityReason::PoseYaw}),
            (std::vector<std::string>{"move_closer", "look_at_camera", "hold_still"}));
  EXPECT_EQ(guidanceCodes({QualityReason::EyesClosed, QualityReason::TooDark, QualityReason::SeveralFaces}),
            (std::vector<std::string>{"one_person_only", "too_dark", "eyes_closed"}));
  EXPECT_EQ(guidanceCodes({QualityReason::NoFace}), std::vector<std::string>{"step_in_front"});
  EXPECT_TRUE(guidanceCodes({}).empty());
  // Every reason vision knows has a code.
  for (int r = 0; r <= static_cast<int>(QualityReason::EyesClosed); ++r)
    EXPECT_EQ(guidanceCodes({static_cast<QualityReason>(r)}).size(), 1u)
        << vision::reasonCode(static_cast<QualityReason>(r));
}

TEST(CaptureGuidance, QualityCountAndBoxFromVisionsReport) {
  vision::FaceAnalysis none;
  none.quality.reasons = {QualityReason::NoFace};
  FrameAssessment a = frameAssessment(none, {640, 480});
  EXPECT_FALSE(a.faceFound);
  EXPECT_FALSE(a.acceptable);
  EXPECT_EQ(a.faces, 0);
  EXPECT_EQ(a.quality, 0.0);
  EXPECT_FALSE(a.box);
  EXPECT_EQ(a.guidance, std::vector<std::string>{"step_in_front"});

  vision::FaceAnalysis fine;
  fine.detection.found = true;
  fine.detection.subject.box = cv::Rect(160, 120, 320, 240);
  fine.quality.acceptable = true;
  fine.quality.score = 1.5;
  a = frameAssessment(fine, {640, 480});
  EXPECT_TRUE(a.acceptable);
  EXPECT_EQ(a.faces, 1);
  EXPECT_DOUBLE_EQ(a.quality, 0.5 + 0.5 * 0.75);
  ASSERT_TRUE(a.box);
  EXPECT_DOUBLE_EQ(a.box->x, 0.25);
  EXPECT_DOUBLE_EQ(a.box->y, 0.25);
  EXPECT_DOUBLE_EQ(a.box->width, 0.5);
  EXPECT_DOUBLE_EQ(a.box->height, 0.5);

  // A second person does not lower the subject's quality, but the capture goes on and the count says so.
  vision::FaceAnalysis two = fine;
  two.detection.otherFaces = 1;
  two.quality.acceptable = false;
  two.quality.reasons = {QualityReason::SeveralFaces};
  two.quality.score = 1.0;
  a = frameAssessment(two, {640, 480});
  EXPECT_FALSE(a.acceptable);
  EXPECT_EQ(a.faces, 2);
  EXPECT_DOUBLE_EQ(a.quality, 0.5 + 0.5 * 0.75);
  EXPECT_EQ(a.guidance, std::vector<std::string>{"one_person_only"});

  // Failed checks: below 0.5, by the share passed. A face cut by the border is clipped to the frame.
  vision::FaceAnalysis poor = fine;
  poor.detection.subject.box = cv::Rect(-40, 400, 200, 200);
  poor.quality.acceptable = false;
  poor.quality.reasons = {QualityReason::FaceCut, QualityReason::TooDark};
  a = frameAssessment(poor, {640, 480});
  EXPECT_DOUBLE_EQ(a.quality, 0.5 * 8 / 10);
  ASSERT_TRUE(a.box);
  EXPECT_DOUBLE_EQ(a.box->x, 0.0);
  EXPECT_DOUBLE_EQ(a.box->width, 160.0 / 640);
  EXPECT_DOUBLE_EQ(a.box->y + a.box->height, 1.0);
}

TEST(LiveCapture, GuidanceIsPublishedPerFrameUntilAGoodFrameEndsTheCapture) {
  Kiosk k;
  k.settings.timeouts.captureMaxFrames = 10;
  ScriptedAssessor assessor({tooSmall(0.1), tooSmall(0.2), good(), tooSmall(0.3)});
  RecordingPreview preview;
  CapturingPolicy policy;
  k.parts.captureAssessor = &assessor;
  k.parts.preview = &preview;
  k.parts.policy = &policy;
  k.runToIdle(80);
  EXPECT_EQ(assessor.calls, 3u) << "the first acceptable frame ends the capture";
  const auto changes = captureChanges(k);
  // Entering the state (no frame yet), then one change per judged frame that left the capture open.
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_TRUE(changes[0].guidance.empty());
  EXPECT_FALSE(changes[0].faceBox);
  for (std::size_t i = 1; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].guidance, std::vector<std::string>{"move_closer"});
    ASSERT_TRUE(changes[i].faceBox);
    EXPECT_DOUBLE_EQ(changes[i].faceBox->width, 0.1);
    EXPECT_EQ(changes[i].previous, TS::LiveCapture);
  }
  for (const auto& c : k.changes)
    if (c.state != TS::LiveCapture) {
      EXPECT_TRUE(c.guidance.empty() && !c.faceBox) << stateName(c.state);
    }
  // The good frame was kept: its facts reach the rules, the step passed.
  EXPECT_EQ(describe(policy.facts.get("face.quality")), "0.8");
  EXPECT_EQ(describe(policy.facts.get("face.count")), "1");
  ASSERT_NE(k.machine().transaction().step(TS::LiveCapture), nullptr);
  EXPECT_EQ(k.machine().transaction().step(TS::LiveCapture)->verdict, Verdict::Passed);
  EXPECT_EQ(preview.shown, 3);
  EXPECT_FALSE(preview.showing) << "the preview is cleared when the capture ends";
}

TEST(LiveCapture, WithoutAGoodFrameTheBestIsKeptAndTheStepFailsWithItsGuidance) {
  Kiosk k;
  k.settings.timeouts.captureMaxFrames = 4;
  FrameAssessment two = good();
  two.acceptable = false;
  two.score = 0.9;
  two.faces = 2;
  two.guidance = {"one_person_only"};
  ScriptedAssessor assessor({tooSmall(0.1), two, tooSmall(0.5), tooSmall(0.2)});
  CapturingPolicy policy;
  k.parts.captureAssessor = &assessor;
  k.parts.policy = &policy;
  k.runToIdle(80);
  EXPECT_EQ(assessor.calls, 4u) << "captureMaxFrames";
  const StepRecord* step = k.machine().transaction().step(TS::LiveCapture);
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->verdict, Verdict::Failed);
  EXPECT_NE(step->reason.find("one_person_only"), std::string::npos) << step->reason;
  EXPECT_EQ(describe(policy.facts.get("face.count")), "2") << "the highest-scoring frame";
  EXPECT_EQ(describe(policy.facts.get("face.quality")), "0.8");
}

TEST(LiveCapture, TheBudgetEndsTheCaptureAndNoAssessorLeavesTheQualityMissing) {
  Kiosk budget;
  budget.settings.timeouts.captureMaxFrames = 1000;
  budget.settings.timeouts.captureBudget = std::chrono::milliseconds(450);  // the fake camera: 100 ms a frame
  ScriptedAssessor assessor({tooSmall(0.1)});
  budget.parts.captureAssessor = &assessor;
  budget.runToIdle(80);
  EXPECT_GE(assessor.calls, 4u);
  EXPECT_LE(assessor.calls, 6u);
  EXPECT_EQ(budget.machine().transaction().step(TS::LiveCapture)->verdict, Verdict::Failed);

  Kiosk plain;
  CapturingPolicy policy;
  plain.parts.policy = &policy;
  plain.runToIdle();
  EXPECT_TRUE(isMissing(policy.facts.get("face.quality"))) << "nothing judged the frame: never a pass";
  EXPECT_TRUE(isMissing(policy.facts.get("face.count")));
  EXPECT_EQ(plain.machine().transaction().step(TS::LiveCapture)->verdict, Verdict::NotDone);
  EXPECT_FALSE(describe(policy.facts.get("face.score")).empty());
}

TEST(LiveCapture, RemovingTheDocumentDuringTheCaptureCancelsAndClearsThePreview) {
  Kiosk k;
  k.settings.timeouts.captureMaxFrames = 50;
  ScriptedAssessor assessor({tooSmall(0.1)});
  RecordingPreview preview;
  k.parts.captureAssessor = &assessor;
  k.parts.preview = &preview;
  for (int i = 0; i < 40 && assessor.calls < 2; ++i) k.machine().tick();
  ASSERT_EQ(k.machine().current().state, TS::LiveCapture);
  EXPECT_TRUE(preview.showing);
  k.reader.setCardPresent(false);
  k.machine().tick();
  EXPECT_EQ(k.machine().current().state, TS::Reset);
  EXPECT_FALSE(preview.showing);
  EXPECT_TRUE(k.sink.results.empty());
}

TEST(LivePreview, ASmallJpegOnlyUntilCleared) {
  LivePreview preview(240);
  EXPECT_FALSE(preview.latest());
  preview.show(cv::Mat(480, 640, CV_8UC3, cv::Scalar(40, 90, 200)));
  auto picture = preview.latest();
  ASSERT_TRUE(picture);
  const cv::Mat decoded = cv::imdecode(picture->jpeg, cv::IMREAD_COLOR);
  EXPECT_EQ(decoded.cols, 240);
  EXPECT_EQ(decoded.rows, 180);
  preview.show(portraitImage());
  EXPECT_EQ(preview.latest()->number, picture->number + 1);
  preview.clear();
  EXPECT_FALSE(preview.latest());
}

TEST(CaptureRules, TheShippedGateRulesReferAPoorCaptureAndASecondPerson) {
  RuleFile egate(fs::path(PORTTI_SOURCE_DIR) / "config/rules/egate.rules");
  RuleFile service(fs::path(PORTTI_SOURCE_DIR) / "config/rules/service-point.rules");
  Facts f;
  f.set("pa.status", "valid");
  f.set("pa.revocation", "not checked");
  f.set("chip.auth", "passed");
  f.set("chip.aa", "not done");
  f.set("doc.expiry", Date{2031, 4, 15});
  f.set("doc.issuing_state", "UTO");
  f.set("holder.age", 52);
  f.set("face.score", 5.0);
  f.set("mad.dmad", 0.1);
  f.set("face.quality", 0.7);
  f.set("face.count", 1);
  const Date today{2026, 12, 4};
  ASSERT_EQ(evaluate(*egate.current(), f, today).outcome, Outcome::Accept);
  ASSERT_EQ(evaluate(*service.current(), f, today).outcome, Outcome::Accept);

  Facts two = f;
  two.set("face.count", 2);
  Decision d = evaluate(*egate.current(), two, today);
  EXPECT_EQ(d.outcome, Outcome::Refer);
  EXPECT_EQ(d.reasons, std::vector<std::string>{"SEVERAL_PEOPLE"});
  EXPECT_EQ(evaluate(*service.current(), two, today).outcome, Outcome::Accept)
      << "a guardian may stand beside";

  Facts poor = f;
  poor.set("face.quality", 0.4);
  d = evaluate(*egate.current(), poor, today);
  EXPECT_EQ(d.outcome, Outcome::Refer);
  EXPECT_EQ(d.reasons, std::vector<std::string>{"CAPTURE_QUALITY"});
  EXPECT_EQ(evaluate(*service.current(), poor, today).reasons, std::vector<std::string>{"CAPTURE_QUALITY"});

  Facts unjudged = f;
  unjudged.setMissing("face.quality");
  unjudged.setMissing("face.count");
  EXPECT_EQ(evaluate(*egate.current(), unjudged, today).outcome, Outcome::Refer)
      << "missing facts fail closed";
}

/// vision's real checks on the demo portrait: acceptable as it is; far away, "move closer".
TEST(VisionCaptureAssessor, TheDemoPortraitPassesAndADistantFaceIsToldToComeCloser) {
  const std::string models = std::string(PORTTI_SOURCE_DIR) + "/assets/npm/vladmandic-face-api-1.7.15/model";
  const cv::Mat portrait = cv::imread(std::string(PORTTI_SOURCE_DIR) + "/assets/astronaut.png");
  if (portrait.empty() || !fs::exists(models)) GTEST_SKIP() << "assets absent: run scripts/setup";
  vision::FaceVerifier verifier(
      vision::FaceConfig::load(std::string(PORTTI_SOURCE_DIR) + "/config/face.conf"));
  VisionCaptureAssessor assessor(verifier);
  const FrameAssessment near = assessor.assess(portrait);
  EXPECT_TRUE(near.acceptable) << (near.guidance.empty() ? "" : near.guidance[0]);
  EXPECT_GE(near.quality, 0.5);
  EXPECT_EQ(near.faces, 1);
  ASSERT_TRUE(near.box);
  EXPECT_GT(near.box->width, 0.1);

  // Far away in a small frame (the browser test's picture): found (vision enlarges small frames to
  // look), but the eyes are less than 40 pixels apart.
  cv::Mat distant(240, 320, CV_8UC3, cv::Scalar(128, 128, 128));
  cv::Mat small;
  cv::resize(portrait, small, cv::Size(240 * portrait.cols / portrait.rows, 240), 0, 0, cv::INTER_AREA);
  small.copyTo(distant(
      cv::Rect((distant.cols - small.cols) / 2, (distant.rows - small.rows) / 2, small.cols, small.rows)));
  const FrameAssessment far = assessor.assess(distant);
  EXPECT_FALSE(far.acceptable);
  EXPECT_TRUE(far.faceFound);
  EXPECT_EQ(far.guidance, std::vector<std::string>{"move_closer"});
  EXPECT_LT(far.quality, 0.5);
}

}  // namespace
}  // namespace portti::firmware::test
