#include "portti/vision/mad/mad_model.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "portti/vision/eval/mad_metrics.hpp"

namespace portti::vision {

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

MadModel MadModel::train(const std::vector<MadExample>& examples, double trainingBpcer) {
  if (examples.empty()) throw std::invalid_argument("MAD train: no examples");
  const std::size_t n = examples.front().features.size();
  std::size_t morphs = 0;
  for (const auto& e : examples) {
    if (e.features.size() != n) throw std::invalid_argument("MAD train: examples with different feature counts");
    morphs += e.morph ? 1 : 0;
  }
  const std::size_t bona = examples.size() - morphs;
  if (morphs == 0 || bona == 0) throw std::invalid_argument("MAD train: need both bona fide and morph examples");
  MadModel m;
  m.mean_.assign(n, 0);
  m.scale_.assign(n, 0);
  for (const auto& e : examples)
    for (std::size_t j = 0; j < n; ++j) m.mean_[j] += e.features[j] / static_cast<double>(examples.size());
  for (const auto& e : examples)
    for (std::size_t j = 0; j < n; ++j) m.scale_[j] += std::pow(e.features[j] - m.mean_[j], 2) / static_cast<double>(examples.size());
  for (auto& s : m.scale_) s = s > 1e-18 ? 1.0 / std::sqrt(s) : 0.0;

  std::vector<std::vector<double>> x;
  for (const auto& e : examples) {
    std::vector<double> z(n);
    for (std::size_t j = 0; j < n; ++j) z[j] = (e.features[j] - m.mean_[j]) * m.scale_[j];
    x.push_back(std::move(z));
  }
  // Class-balanced weights: each class counts as half of the data.
  const double wMorph = 0.5 / static_cast<double>(morphs), wBona = 0.5 / static_cast<double>(bona);
  const double l2 = 1e-2, rate = 0.5;
  m.weights_.assign(n, 0);
  std::vector<double> grad(n);
  for (int iter = 0; iter < 3000; ++iter) {
    std::fill(grad.begin(), grad.end(), 0.0);
    double gradBias = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      double z = m.bias_;
      for (std::size_t j = 0; j < n; ++j) z += m.weights_[j] * x[i][j];
      const double y = examples[i].morph ? 1.0 : 0.0;
      const double err = (sigmoid(z) - y) * (examples[i].morph ? wMorph : wBona);
      for (std::size_t j = 0; j < n; ++j) grad[j] += err * x[i][j];
      gradBias += err;
    }
    for (std::size_t j = 0; j < n; ++j) m.weights_[j] -= rate * (grad[j] + l2 * m.weights_[j]);
    m.bias_ -= rate * gradBias;
  }
  std::vector<double> bonaScores, morphScores;
  for (const auto& e : examples) (e.morph ? morphScores : bonaScores).push_back(m.score(e.features));
  m.threshold = madPointAtBpcer(bonaScores, morphScores, trainingBpcer).threshold;
  return m;
}

double MadModel::score(const std::vector<double>& features) const {
  if (features.size() != weights_.size()) throw std::invalid_argument("MAD: wrong feature count for the model");
  double z = bias_;
  for (std::size_t j = 0; j < features.size(); ++j) z += weights_[j] * (features[j] - mean_[j]) * scale_[j];
  return sigmoid(z);
}

void MadModel::save(const std::string& path, const std::vector<std::string>& header) const {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(path + ": cannot write the MAD model");
  for (const auto& h : header) out << "# " << h << "\n";
  out << std::setprecision(17);
  if (!featureSet.empty()) out << "feature_set " << featureSet << "\n";
  out << "features " << weights_.size() << "\n";
  out << "threshold " << threshold << "\n";
  out << "bias " << bias_ << "\n";
  const auto row = [&](const char* name, const std::vector<double>& v) {
    out << name;
    for (double d : v) out << " " << d;
    out << "\n";
  };
  row("mean", mean_);
  row("scale", scale_);
  row("weights", weights_);
  out << "training_identities";
  for (const auto& id : trainingIdentities) out << " " << id;
  out << "\n";
  if (!out) throw std::runtime_error(path + ": cannot write the MAD model");
}

MadModel MadModel::load(const std::string& path, std::size_t expectedFeatures, const std::string& expectedSet) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the MAD model");
  MadModel m;
  std::size_t features = 0;
  bool haveThreshold = false, haveBias = false;
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string key;
    s >> key;
    const auto fail = [&](const std::string& what) {
      return std::runtime_error(path + ":" + std::to_string(lineNo) + ": " + what);
    };
    auto readRow = [&](std::vector<double>& v) {
      double d;
      while (s >> d) v.push_back(d);
      if (!s.eof()) throw fail("not a number in " + key);
    };
    if (key == "feature_set") {
      if (!(s >> m.featureSet)) throw fail("bad feature set");
    } else if (key == "features") {
      if (!(s >> features)) throw fail("bad feature count");
    } else if (key == "threshold") {
      if (!(s >> m.threshold)) throw fail("bad threshold");
      haveThreshold = true;
    } else if (key == "bias") {
      if (!(s >> m.bias_)) throw fail("bad bias");
      haveBias = true;
    } else if (key == "mean") {
      readRow(m.mean_);
    } else if (key == "scale") {
      readRow(m.scale_);
    } else if (key == "weights") {
      readRow(m.weights_);
    } else if (key == "training_identities") {
      std::string id;
      while (s >> id) m.trainingIdentities.push_back(id);
    } else {
      throw fail("unknown key " + key);
    }
  }
  if (m.featureSet.empty()) m.featureSet = expectedSet.substr(0, expectedSet.find('-')) + "-1";  // before the line existed
  if (m.featureSet != expectedSet || (features != 0 && features != expectedFeatures)) {
    throw std::runtime_error(path + ": a MAD model for feature set " + m.featureSet + " (" + std::to_string(features) +
                             " features); this portti computes " + expectedSet + " (" + std::to_string(expectedFeatures) +
                             "): make it again with portti face mad-train");
  }
  if (features != expectedFeatures || m.mean_.size() != features || m.scale_.size() != features ||
      m.weights_.size() != features || !haveThreshold || !haveBias) {
    throw std::runtime_error(path + ": incomplete MAD model (expected " + std::to_string(expectedFeatures) + " features)");
  }
  return m;
}

}  // namespace portti::vision
