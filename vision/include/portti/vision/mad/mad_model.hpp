// A morphing-attack detector's classifier: standardised features, class-balanced L2 logistic regression,
// an operating threshold and the identities it was trained on, in a small text file (config/mad/).
#pragma once

#include <string>
#include <vector>

namespace portti::vision {

/// A labelled training example: features and whether the image (pair) was a morph.
struct MadExample {
  std::vector<double> features;
  bool morph = false;
};

class MadModel {
 public:
  /// Standardises the features, then fits class-balanced L2 logistic regression by full-batch gradient
  /// descent (deterministic: no random state). The operating threshold is set to the lowest training
  /// score with training BPCER <= `trainingBpcer`. Throws std::invalid_argument without both classes.
  static MadModel train(const std::vector<MadExample>& examples, double trainingBpcer = 0.05);

  /// Reads the text model; throws std::runtime_error naming the file and what is wrong, or when it was
  /// made for another feature set than `featureSet` ("smad-2": a file without a feature_set line is
  /// version 1 of its kind, "smad-1") or another feature count than `features`.
  static MadModel load(const std::string& path, std::size_t features, const std::string& featureSet);
  /// `header`: comment lines (without '#') saying how the model was made.
  void save(const std::string& path, const std::vector<std::string>& header) const;

  /// Probability-like score in 0..1: higher is more morph-like.
  double score(const std::vector<double>& features) const;
  bool suspected(double score) const { return score >= threshold; }

  std::size_t featureCount() const { return weights_.size(); }

  double threshold = 0.5;
  std::string featureSet;  ///< which features it scores ("dmad-1", "smad-2"): saved as feature_set
  std::vector<std::string> trainingIdentities;  ///< mad-eval leaves these out (CLARIFICATIONS 15)

 private:
  std::vector<double> mean_, scale_, weights_;
  double bias_ = 0;
};

}  // namespace portti::vision
