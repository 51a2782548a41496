// The MAD classifier: it learns a separable toy problem, is deterministic, survives a save/load round
// trip (threshold and training identities included) and refuses a model of the wrong size.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "portti/vision/mad/mad_model.hpp"

using namespace portti::vision;

namespace {

std::vector<MadExample> toyExamples() {
  // Morphs have a large first feature; the second is noise.
  std::vector<MadExample> e;
  for (int i = 0; i < 20; ++i) e.push_back({{0.1 + i * 0.01, static_cast<double>(i % 3)}, false});
  for (int i = 0; i < 10; ++i) e.push_back({{0.9 + i * 0.01, static_cast<double>(i % 3)}, true});
  return e;
}

}  // namespace

TEST(MadModel, LearnsSavesAndLoads) {
  auto m = MadModel::train(toyExamples());
  m.trainingIdentities = {"001", "007"};
  m.featureSet = "toy-2";
  EXPECT_TRUE(m.suspected(m.score({0.95, 1})));
  EXPECT_FALSE(m.suspected(m.score({0.12, 1})));
  EXPECT_DOUBLE_EQ(MadModel::train(toyExamples()).score({0.5, 1}), m.score({0.5, 1}));  // deterministic

  const auto path = (std::filesystem::temp_directory_path() / "portti_mad_model_test.model").string();
  m.save(path, {"test model"});
  const auto loaded = MadModel::load(path, 2, "toy-2");
  EXPECT_DOUBLE_EQ(loaded.threshold, m.threshold);
  EXPECT_DOUBLE_EQ(loaded.score({0.5, 1}), m.score({0.5, 1}));
  EXPECT_EQ(loaded.trainingIdentities, m.trainingIdentities);
  EXPECT_EQ(loaded.featureSet, "toy-2");
  EXPECT_THROW(MadModel::load(path, 130, "toy-2"), std::runtime_error);
  // A model of another feature set (an older S-MAD) is refused, and the message says what to do.
  try {
    (void)MadModel::load(path, 2, "toy-3");
    ADD_FAILURE() << "a toy-2 model loaded as toy-3";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("feature set toy-2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("mad-train"), std::string::npos) << e.what();
  }
  EXPECT_THROW(loaded.score({0.5}), std::invalid_argument);
  std::remove(path.c_str());
}

TEST(MadModel, RefusesOneClassAndBrokenFiles) {
  EXPECT_THROW(MadModel::train({{{1.0}, false}, {{2.0}, false}}), std::invalid_argument);
  EXPECT_THROW(MadModel::train({}), std::invalid_argument);
  const auto path = (std::filesystem::temp_directory_path() / "portti_mad_model_broken.model").string();
  std::ofstream(path) << "features 2\nthreshold x\n";
  EXPECT_THROW(MadModel::load(path, 2, "toy-1"), std::runtime_error);
  std::remove(path.c_str());
  EXPECT_THROW(MadModel::load("/nonexistent/model", 2, "toy-1"), std::runtime_error);
}

TEST(MadModel, AFileWithoutFeatureSetIsVersionOne) {
  // Models written before the feature_set line (config/mad/dmad.model of 2026-12-04) are "<kind>-1".
  auto m = MadModel::train(toyExamples());
  const auto path = (std::filesystem::temp_directory_path() / "portti_mad_model_v1.model").string();
  m.save(path, {"no feature set"});
  EXPECT_EQ(MadModel::load(path, 2, "smad-1").featureSet, "smad-1");
  EXPECT_THROW(MadModel::load(path, 2, "smad-2"), std::runtime_error);
  std::remove(path.c_str());
}
