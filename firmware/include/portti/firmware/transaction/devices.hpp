// What the transaction machine needs from the kiosk's devices and services, as small interfaces so
// the machine runs in tests without threads, hardware or network. A missing piece (nullptr) leaves
// its step `not done`: the machine never invents a pass.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "portti/firmware/transaction.hpp"
#include "portti/firmware/transaction/frame_assessment.hpp"
#include "portti/hw/card_reader.hpp"

namespace portti::firmware {

/// Time for the machine: steady time for timeouts, wall time for the result.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() const = 0;
  virtual std::chrono::system_clock::time_point wallNow() const = 0;
};

class SystemClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wallNow() const override { return std::chrono::system_clock::now(); }
};


/// Judges live frames for capture (vision's quality checks). Cheap enough for every frame: no template.
class CaptureAssessor {
 public:
  virtual ~CaptureAssessor() = default;
  /// Throws std::exception when the frame cannot be judged.
  virtual FrameAssessment assess(const cv::Mat& frame) = 0;
};

/// Where the capture step shows the traveller what the camera sees (the kiosk screen's preview).
class FramePreview {
 public:
  virtual ~FramePreview() = default;
  /// The newest frame of the capture in progress.
  virtual void show(const cv::Mat& frame) = 0;
  /// The capture is over: forget every frame.
  virtual void clear() = 0;
};

/// Face comparison of the chip portrait and the live frame; a similarity score in [0, 1].
class FaceComparator {
 public:
  virtual ~FaceComparator() = default;
  /// Throws std::exception with a reason when no face can be compared.
  virtual double compare(const cv::Mat& portrait, const cv::Mat& live) = 0;
};

/// A morphing attack detector (differential: chip portrait against live frame); a score in [0, 1],
/// higher meaning more likely morphed.
class MorphDetector {
 public:
  virtual ~MorphDetector() = default;
  virtual double score(const cv::Mat& portrait, const cv::Mat& live) = 0;
};

/// The decision rules.
class DecisionPolicy {
 public:
  virtual ~DecisionPolicy() = default;
  virtual Decision decide(const Transaction& transaction) = 0;
};

/// Where results go: commit() returns only when the result is durably stored (the outbox), and
/// throws with a clear reason when it is not (disk full, ...): the gate then stays closed.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void commit(const Transaction& transaction) = 0;
};

}  // namespace portti::firmware
