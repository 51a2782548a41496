// Morphing-attack tools: portti face morph (the generator), mad-train (the D-MAD model), mad-eval (ISO/IEC
// 20059 figures on held-out identities) and morph-check (one document photo, optionally with a live capture).
// Exit codes of morph-check: 0 no morph suspected, 1 morph suspected, 3 no usable face (or a model missing).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "args.hpp"
#include "cli_common.hpp"
#include "det_plot.hpp"
#include "face_cli.hpp"
#include "portti/vision/error.hpp"
#include "portti/vision/eval/mad_metrics.hpp"
#include "portti/vision/face_image.hpp"
#include "portti/vision/face_verifier.hpp"
#include "portti/vision/mad/dmad.hpp"
#include "portti/vision/mad/smad.hpp"
#include "portti/vision/morph/face_morph.hpp"

namespace portti::cli {

namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

constexpr const char* kDefaultModel = "config/mad/dmad.model";
constexpr const char* kDefaultSmadModel = "config/mad/smad.model";

/// Bona fide and morph documents get the same chip format, so format is not what a detector learns.
/// How mad-train and mad-eval store every chip-format document (bona fide and morph alike).
struct ChipSpec {
  vision::ImageFormat format = vision::ImageFormat::Jpeg;
  int width = 480;  ///< the source's own width keeps its JPEG block grid (no rescaling)
};

cv::Mat chipLike(const cv::Mat& portrait, const ChipSpec& chip) {
  return vision::decodeImage(vision::encodeChipPortrait(portrait, chip.width, 20000, chip.format).bytes);
}

/// A document photo analysed, with its S-MAD features (they need the photo as stored, which is then dropped).
struct Document {
  vision::FaceAnalysis analysis;
  std::vector<double> smad;
};

/// Nothing when the photo has no face.
std::optional<Document> analyseDocument(vision::FaceVerifier& verifier, const cv::Mat& photo) {
  Document d{verifier.analyse(photo), {}};
  if (!d.analysis.descriptor) return std::nullopt;
  d.smad = vision::smadFeatures(photo, d.analysis);
  return d;
}

/// The chip encoding of `face morph --chip`: --chip-format jpeg|jp2, else the --out extension (.jp2 or .j2k:
/// JPEG 2000, anything else: JPEG). A --chip-format that contradicts a .jpg/.jp2 name is refused.
/// mad-train and mad-eval: --chip-format jpeg|jp2 (JPEG) and --chip-width N (480) for every chip-format
/// document, bona fide and morph.
ChipSpec chipSpec(const Args& args) {
  const auto option = args.get("chip-format").value_or("jpeg");
  if (option != "jpeg" && option != "jp2") throw UsageError("--chip-format takes jpeg or jp2");
  ChipSpec c;
  c.format = option == "jp2" ? vision::ImageFormat::Jpeg2000 : vision::ImageFormat::Jpeg;
  c.width = std::stoi(args.get("chip-width").value_or("480"));
  if (c.width < 64 || c.width > 2000) throw UsageError("--chip-width is 64..2000 pixels");
  return c;
}

vision::ImageFormat chipFormat(const Args& args, const std::string& out) {
  std::string ext = fs::path(out).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool jp2Name = ext == ".jp2" || ext == ".j2k", jpegName = ext == ".jpg" || ext == ".jpeg";
  const auto option = args.get("chip-format");
  if (!option) return jp2Name ? vision::ImageFormat::Jpeg2000 : vision::ImageFormat::Jpeg;
  if (*option != "jpeg" && *option != "jp2") throw UsageError("--chip-format takes jpeg or jp2");
  const bool jp2 = *option == "jp2";
  if ((jp2 && jpegName) || (!jp2 && jp2Name)) throw UsageError("--chip-format " + *option + " contradicts --out " + out);
  return jp2 ? vision::ImageFormat::Jpeg2000 : vision::ImageFormat::Jpeg;
}

void printJson(const Object::Ptr& o) {
  o->stringify(std::cout, 2);
  std::cout << "\n";
}

int morph(const Args& args) {
  const auto& pos = args.positional();
  if (pos.size() != 3) throw UsageError("give two images: face morph A B --out M.png");
  const std::string out = args.require("out");
  const auto format = chipFormat(args, out);  // a usage error before any work
  const cv::Mat a = loadFaceImage(pos[1]), b = loadFaceImage(pos[2]);
  vision::MorphOptions options;
  if (auto alpha = args.get("alpha")) options.alpha = std::stod(*alpha);
  options.splice = args.flag("splice");
  options.matchColour = args.flag("match-colour");
  vision::FaceVerifier verifier(faceConfigFromArgs(args));
  cv::Mat m = vision::morphFaces(verifier, a, b, options);
  if (args.flag("print-scan")) m = vision::printScan(m);
  std::vector<std::uint8_t> bytes;
  if (args.flag("chip")) {
    bytes = vision::encodeChipPortrait(m, 480, 20000, format).bytes;
  } else if (!cv::imencode(fs::path(out).extension().string().empty() ? ".png" : fs::path(out).extension().string(), m, bytes)) {
    throw std::runtime_error(out + ": cannot encode the morph");
  }
  writeFile(out, bytes);
  std::cout << "morph written to " << out << " (" << bytes.size() << " bytes)\n";
  return 0;
}

/// One person of a data set: the first image in name order is the enrolment (chip) photo, the rest are
/// live probes.
struct Identity {
  std::string id;
  cv::Mat enrolment;
  vision::FaceAnalysis enrolmentAnalysis;
  Document chip;  ///< the enrolment photo in chip format
  std::vector<vision::FaceAnalysis> probes;
  std::vector<Document> probeChips;  ///< the probes in chip format: more bona fide documents for S-MAD
};

/// Reads the identities in `dataset` (skipping `exclude`, at most `limit`) that have a face in their
/// enrolment photo and at least one probe with a face.
std::vector<Identity> loadIdentities(vision::FaceVerifier& verifier, const ChipSpec& chip, const fs::path& dataset,
                                     const std::set<std::string>& exclude, std::size_t limit, std::size_t& skipped) {
  if (!fs::is_directory(dataset)) throw std::runtime_error(dataset.string() + ": not a folder");
  std::vector<Identity> out;
  for (const auto& dir : sortedEntries(dataset, true)) {
    if (out.size() == limit) break;
    Identity p;
    p.id = dir.filename().string();
    if (exclude.count(p.id)) continue;
    std::vector<fs::path> files;
    for (const auto& f : sortedEntries(dir, false))
      if (isImageFile(f)) files.push_back(f);
    if (files.size() < 2) continue;
    try {
      p.enrolment = loadFaceImage(files[0].string());
      p.enrolmentAnalysis = verifier.analyse(p.enrolment);
      if (!p.enrolmentAnalysis.descriptor) throw vision::FaceError("no face");
      auto enrolmentChip = analyseDocument(verifier, chipLike(p.enrolment, chip));
      if (!enrolmentChip) throw vision::FaceError("no face in chip format");
      p.chip = std::move(*enrolmentChip);
      for (std::size_t i = 1; i < files.size(); ++i) {
        const cv::Mat probe = loadFaceImage(files[i].string());
        auto a = verifier.analyse(probe);
        if (!a.descriptor) continue;
        p.probes.push_back(std::move(a));
        if (auto probeChip = analyseDocument(verifier, chipLike(probe, chip))) p.probeChips.push_back(std::move(*probeChip));
      }
    } catch (const std::exception& e) {
      std::cerr << "portti face: identity " << p.id << " left out: " << e.what() << "\n";
      ++skipped;
      continue;
    }
    if (p.probes.empty()) {
      ++skipped;
      continue;
    }
    out.push_back(std::move(p));
  }
  return out;
}

/// Morph pairs as an attacker chooses them: each identity with its `perIdentity` most similar others
/// (by enrolment descriptor), each unordered pair once.
std::vector<std::pair<std::size_t, std::size_t>> lookalikePairs(const std::vector<Identity>& ids, std::size_t perIdentity) {
  std::set<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::vector<std::pair<float, std::size_t>> byDistance;
    for (std::size_t j = 0; j < ids.size(); ++j) {
      if (j == i) continue;
      byDistance.emplace_back(vision::descriptorDistance(ids[i].enrolmentAnalysis.descriptor->dlib, ids[j].enrolmentAnalysis.descriptor->dlib), j);
    }
    std::sort(byDistance.begin(), byDistance.end());
    for (std::size_t k = 0; k < std::min(perIdentity, byDistance.size()); ++k) {
      pairs.insert({std::min(i, byDistance[k].second), std::max(i, byDistance[k].second)});
    }
  }
  return {pairs.begin(), pairs.end()};
}

/// A morph of two identities' enrolment photos in chip format, analysed; nothing when the generator
/// refuses (same person) or the morph has no face.
std::optional<Document> morphDocument(vision::FaceVerifier& verifier, const ChipSpec& chip, const Identity& a,
                                      const Identity& b) {
  try {
    const cv::Mat m = vision::morphFaces(verifier, a.enrolment, a.enrolmentAnalysis, b.enrolment, b.enrolmentAnalysis);
    if (auto doc = analyseDocument(verifier, chipLike(m, chip))) return doc;
    std::cerr << "portti face: morph " << a.id << "+" << b.id << " left out: no face found in it\n";
  } catch (const vision::FaceError& e) {
    std::cerr << "portti face: morph " << a.id << "+" << b.id << " left out: " << e.what() << "\n";
  }
  return std::nullopt;
}

std::size_t optionSize(const Args& args, const std::string& name, std::size_t fallback) {
  const auto v = args.get(name);
  return v ? static_cast<std::size_t>(std::stoul(*v)) : fallback;
}

int madTrain(const Args& args) {
  const auto datasets = args.all("dataset");  // several: one model from all (e.g. studio and in-the-wild)
  if (datasets.empty()) throw UsageError("missing --dataset");
  const std::string out = args.require("out");
  const std::string smadOut = args.get("smad-out").value_or((fs::path(out).parent_path() / "smad.model").string());
  const auto seed = static_cast<std::uint32_t>(std::stoul(args.require("seed")));
  const double fraction = std::stod(args.get("train-fraction").value_or("0.5"));
  const std::size_t perIdentity = optionSize(args, "pairs-per-identity", 3);
  const std::size_t limit = optionSize(args, "limit", SIZE_MAX);
  const auto chip = chipSpec(args);
  for (const auto& d : datasets)
    if (!fs::is_directory(d)) throw std::runtime_error(d + ": not a folder");
  for (const auto& file : {fs::path(out), fs::path(smadOut)})
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
  vision::FaceVerifier verifier(faceConfigFromArgs(args));

  std::mt19937 rng(seed);
  std::vector<vision::MadExample> examples, smadExamples;
  std::vector<std::string> trainingIds;
  std::size_t morphs = 0;
  for (const fs::path dataset : datasets) {
    // The training identities: a seeded shuffle (our own Fisher-Yates over mt19937, whose output the
    // standard fixes) of the first `limit` identities, the first `fraction` of them.
    std::vector<std::string> all;
    for (const auto& dir : sortedEntries(dataset, true)) all.push_back(dir.filename().string());
    if (all.size() > limit) all.resize(limit);
    std::set<std::string> heldOut;
    for (const auto& dir : sortedEntries(dataset, true)) heldOut.insert(dir.filename().string());
    for (std::size_t i = all.size(); i > 1; --i) std::swap(all[i - 1], all[rng() % i]);
    const auto trainCount = static_cast<std::size_t>(static_cast<double>(all.size()) * fraction);
    for (std::size_t i = 0; i < trainCount; ++i) heldOut.erase(all[i]);

    std::size_t skipped = 0;
    const auto ids = loadIdentities(verifier, chip, dataset, heldOut, SIZE_MAX, skipped);
    for (const auto& p : ids) {
      trainingIds.push_back(p.id);
      for (const auto& probe : p.probes) examples.push_back({vision::dmadFeatures(p.chip.analysis, probe), false});
      smadExamples.push_back({p.chip.smad, false});
      for (const auto& probeChip : p.probeChips) smadExamples.push_back({probeChip.smad, false});
    }
    for (const auto& [i, j] : lookalikePairs(ids, perIdentity)) {
      const bool swap = rng() % 2 == 1;  // which subject's image carries the background
      const Identity& a = swap ? ids[j] : ids[i];
      const Identity& b = swap ? ids[i] : ids[j];
      const auto doc = morphDocument(verifier, chip, a, b);
      if (!doc) continue;
      ++morphs;
      smadExamples.push_back({doc->smad, true});
      for (const Identity* subject : {&a, &b})
        for (const auto& probe : subject->probes) examples.push_back({vision::dmadFeatures(doc->analysis, probe), true});
    }
  }
  std::string datasetArgs;
  for (const auto& d : datasets) datasetArgs += " --dataset " + d;
  if (limit != SIZE_MAX) datasetArgs += " --limit " + std::to_string(limit);
  if (chip.format != vision::ImageFormat::Jpeg) datasetArgs += " --chip-format jp2";
  if (chip.width != 480) datasetArgs += " --chip-width " + std::to_string(chip.width);
  const std::string madeBy = "made by: portti face mad-train" + datasetArgs + " --seed " +
                             std::to_string(seed) + " --out " + out + " --smad-out " + smadOut;
  auto model = vision::MadModel::train(examples);
  model.featureSet = vision::kDmadFeatureSet;
  model.trainingIdentities = trainingIds;
  model.save(out, {"portti D-MAD model: logistic regression on descriptor differences and landmark shift", madeBy,
                   "training identities: " + std::to_string(trainingIds.size()) + ", morphs: " + std::to_string(morphs) +
                       ", examples: " + std::to_string(examples.size()),
                   "threshold: the lowest with training BPCER <= 5%"});
  auto smad = vision::MadModel::train(smadExamples);
  smad.featureSet = vision::kSmadFeatureSet;
  smad.trainingIdentities = model.trainingIdentities;
  smad.save(smadOut, {"portti S-MAD model: logistic regression on LBP histograms and noise residual of the chip and JPEG compression cues", madeBy,
                      "training identities: " + std::to_string(trainingIds.size()) + ", morphs: " + std::to_string(morphs) +
                          ", examples: " + std::to_string(smadExamples.size()),
                      "threshold: the lowest with training BPCER <= 5%"});
  std::cout << "D-MAD model written to " << out << " (" << trainingIds.size() << " identities, " << morphs << " morphs, "
            << examples.size() << " examples, threshold " << model.threshold << "); S-MAD model to " << smadOut
            << " (" << smadExamples.size() << " examples, threshold " << smad.threshold << ")\n";
  return 0;
}

Object::Ptr metricsJson(const vision::MadMetrics& m) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("apcer_at_bpcer_1pct", m.atBpcer1pct.apcer);
  o->set("apcer_at_bpcer_10pct", m.atBpcer10pct.apcer);
  o->set("eer", m.eer);
  return o;
}

/// APCER and BPCER at each operating threshold given with --threshold (the kiosk's: porttid.conf [morph]
/// threshold, the rules' mad.dmad limits), as [{threshold, apcer, bpcer}].
Poco::JSON::Array::Ptr atThresholds(const std::vector<double>& bona, const std::vector<double>& attacks,
                                    const std::vector<double>& thresholds) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (double t : thresholds) {
    const auto p = vision::madPointAt(bona, attacks, t);
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("threshold", t);
    o->set("apcer", p.apcer);
    o->set("bpcer", p.bpcer);
    a->add(o);
  }
  return a;
}

int madEval(const Args& args) {
  const fs::path dataset = args.require("dataset");
  const auto model = vision::MadModel::load(args.get("model").value_or(kDefaultModel), vision::kDmadFeatures, vision::kDmadFeatureSet);
  const auto smad = vision::MadModel::load(args.get("smad-model").value_or(kDefaultSmadModel), vision::kSmadFeatures, vision::kSmadFeatureSet);
  const std::size_t limit = optionSize(args, "limit", SIZE_MAX);
  const auto chip = chipSpec(args);
  const std::size_t perIdentity = optionSize(args, "pairs-per-identity", 3);
  std::vector<double> thresholds;
  for (const auto& t : args.all("threshold")) {
    thresholds.push_back(std::stod(t));
    if (thresholds.back() < 0 || thresholds.back() > 1) throw UsageError("--threshold is a score in 0..1");
  }
  vision::FaceVerifier verifier(faceConfigFromArgs(args));
  const auto started = std::chrono::steady_clock::now();

  std::size_t skipped = 0;
  const std::set<std::string> training(model.trainingIdentities.begin(), model.trainingIdentities.end());
  const auto ids = loadIdentities(verifier, chip, dataset, training, limit, skipped);
  // The baseline a learnt detector must beat: the plain descriptor distance as the score.
  std::vector<double> bonaScores, morphScores, bonaDistances, morphDistances, smadBona, smadMorph;
  std::size_t bonaRejectedByVerifier = 0;
  for (const auto& p : ids) {
    smadBona.push_back(smad.score(p.chip.smad));
    for (const auto& probeChip : p.probeChips) smadBona.push_back(smad.score(probeChip.smad));
    for (const auto& probe : p.probes) {
      bonaScores.push_back(model.score(vision::dmadFeatures(p.chip.analysis, probe)));
      bonaDistances.push_back(vision::descriptorDistance(p.chip.analysis.descriptor->dlib, probe.descriptor->dlib));
      if (!verifier.compare(*p.chip.analysis.descriptor, *probe.descriptor).match) ++bonaRejectedByVerifier;
    }
  }
  std::size_t morphs = 0, acceptedByBoth = 0, pastDmad = 0, pastSmad = 0, pastBoth = 0;
  // The attacks: morphs the generator makes from lookalike pairs, or ready-made ones from --morphs.
  struct Attack {
    std::size_t i, j;
    std::optional<Document> document;
  };
  std::vector<Attack> attacks;
  if (const auto morphDir = args.get("morphs")) {
    std::map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < ids.size(); ++k) index[ids[k].id] = k;
    for (const auto& file : sortedEntries(*morphDir, false)) {
      if (!isImageFile(file)) continue;
      const std::string stem = file.stem().string();
      const auto plus = stem.find('+');
      if (plus == std::string::npos) continue;
      const auto a = index.find(stem.substr(0, plus)), b = index.find(stem.substr(plus + 1));
      if (a == index.end() || b == index.end()) continue;  // a training or unknown identity
      auto doc = analyseDocument(verifier, loadFaceImage(file.string()));  // taken as given: its own format
      if (!doc) {
        std::cerr << "portti face: morph " << file.filename().string() << " left out: no face found in it\n";
        continue;
      }
      attacks.push_back({a->second, b->second, std::move(doc)});
    }
  } else {
    for (const auto& [i, j] : lookalikePairs(ids, perIdentity)) attacks.push_back({i, j, morphDocument(verifier, chip, ids[i], ids[j])});
  }
  for (const auto& attack : attacks) {
    if (!attack.document) continue;
    const auto& doc = attack.document->analysis;
    const std::size_t i = attack.i, j = attack.j;
    ++morphs;
    const double smadScore = smad.score(attack.document->smad);
    smadMorph.push_back(smadScore);
    bool verified = true, dmadPassed = true;
    for (const Identity* subject : {&ids[i], &ids[j]}) {
      for (const auto& probe : subject->probes) {
        const double s = model.score(vision::dmadFeatures(doc, probe));
        morphScores.push_back(s);
        morphDistances.push_back(vision::descriptorDistance(doc.descriptor->dlib, probe.descriptor->dlib));
        if (!verifier.compare(*doc.descriptor, *probe.descriptor).match) verified = false;
        if (model.suspected(s)) dmadPassed = false;
      }
    }
    const bool smadPassed = !smad.suspected(smadScore);
    acceptedByBoth += verified ? 1 : 0;
    pastDmad += verified && dmadPassed ? 1 : 0;
    pastSmad += verified && smadPassed ? 1 : 0;
    pastBoth += verified && dmadPassed && smadPassed ? 1 : 0;
  }
  if (bonaScores.empty() || morphs == 0) throw std::runtime_error("mad-eval: no bona fide pairs or no morphs to evaluate");
  const auto dmad = vision::madMetrics(bonaScores, morphScores);
  const auto atModel = vision::madPointAt(bonaScores, morphScores, model.threshold);

  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("dataset", dataset.string());
  o->set("chip_format", vision::formatName(chip.format));
  o->set("chip_width", chip.width);
  o->set("identities", ids.size());
  o->set("training_identities_left_out", training.size());
  o->set("identities_skipped", skipped);
  o->set("bona_fide", bonaScores.size());
  o->set("morphs", morphs);
  o->set("morph_presentations", morphScores.size());
  Object::Ptr d = metricsJson(dmad);
  d->set("threshold", model.threshold);
  d->set("apcer_at_threshold", atModel.apcer);
  d->set("bpcer_at_threshold", atModel.bpcer);
  d->set("at_thresholds", atThresholds(bonaScores, morphScores, thresholds));
  o->set("dmad", d);
  const auto smadMetrics = vision::madMetrics(smadBona, smadMorph);
  const auto smadAt = vision::madPointAt(smadBona, smadMorph, smad.threshold);
  Object::Ptr sj = metricsJson(smadMetrics);
  sj->set("bona_fide", smadBona.size());
  sj->set("threshold", smad.threshold);
  sj->set("apcer_at_threshold", smadAt.apcer);
  sj->set("bpcer_at_threshold", smadAt.bpcer);
  sj->set("at_thresholds", atThresholds(smadBona, smadMorph, thresholds));
  o->set("smad", sj);
  o->set("distance_baseline", metricsJson(vision::madMetrics(bonaDistances, morphDistances)));
  Object::Ptr mm = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  mm->set("without_mad", static_cast<double>(acceptedByBoth) / static_cast<double>(morphs));
  const auto share = [&](std::size_t n) { return static_cast<double>(n) / static_cast<double>(morphs); };
  mm->set("with_mad", share(pastBoth));  // suspected by either detector, as morph-check decides
  mm->set("with_dmad_only", share(pastDmad));
  mm->set("with_smad_only", share(pastSmad));
  o->set("mmpmr", mm);
  o->set("bona_fide_rejected_by_verifier", bonaRejectedByVerifier);
  if (const auto plotDir = args.get("plot")) {
    writeDetPlot(*plotDir, "dmad", vision::detCurve(bonaScores, morphScores));
    writeDetPlot(*plotDir, "smad", vision::detCurve(smadBona, smadMorph));
    o->set("plots", *plotDir);
  }
  o->set("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (args.flag("json")) {
    printJson(o);
  } else {
    std::cout << "bona fide " << bonaScores.size() << ", morphs " << morphs << ", D-MAD APCER at BPCER 10% "
              << dmad.atBpcer10pct.apcer << ", EER " << dmad.eer << ", MMPMR " << mm->getValue<double>("without_mad")
              << " without MAD, " << mm->getValue<double>("with_mad") << " with it; S-MAD APCER at BPCER 10% " << smadMetrics.atBpcer10pct.apcer << "\n";
  }
  return 0;
}

int morphCheck(const Args& args) {
  const std::string documentPath = args.require("document");
  const cv::Mat document = loadFaceImage(documentPath);
  const auto livePath = args.get("live");
  const cv::Mat live = livePath ? loadFaceImage(*livePath) : cv::Mat();
  const auto model = vision::MadModel::load(args.get("model").value_or(kDefaultModel), vision::kDmadFeatures, vision::kDmadFeatureSet);
  const auto smad = vision::MadModel::load(args.get("smad-model").value_or(kDefaultSmadModel), vision::kSmadFeatures, vision::kSmadFeatureSet);
  vision::FaceVerifier verifier(faceConfigFromArgs(args));
  const auto doc = verifier.analyse(document);
  if (!doc.descriptor) throw vision::FaceError(documentPath + ": no face found in the document photo");

  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const double smadScore = smad.score(vision::smadFeatures(document, doc));
  Object::Ptr sj = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  sj->set("score", smadScore);
  sj->set("threshold", smad.threshold);
  sj->set("suspected", smad.suspected(smadScore));
  o->set("smad", sj);
  bool suspected = smad.suspected(smadScore);
  bool dmadRan = false;
  if (livePath) {
    const auto l = verifier.analyse(live);
    if (!l.descriptor) throw vision::FaceError(*livePath + ": no face found in the live capture");
    const double s = model.score(vision::dmadFeatures(doc, l));
    Object::Ptr d = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    d->set("score", s);
    d->set("threshold", model.threshold);
    d->set("suspected", model.suspected(s));
    o->set("dmad", d);
    suspected = suspected || model.suspected(s);
    dmadRan = true;
  } else {
    o->set("dmad", "not done");  // needs a live capture: never reported as a pass
  }
  o->set("morph_suspected", suspected);
  if (args.flag("json")) {
    printJson(o);
  } else {
    std::cout << (suspected ? "morph suspected" : "no morph suspected")
              << (dmadRan ? " (S-MAD and D-MAD)\n" : " (S-MAD only; D-MAD not done: no --live)\n");
  }
  return suspected ? 1 : 0;
}

}  // namespace

int runFaceMad(const Args& args) {
  const auto& sub = args.positional().at(0);
  if (sub == "morph") return morph(args);
  if (sub == "mad-train") return madTrain(args);
  if (sub == "mad-eval") return madEval(args);
  return morphCheck(args);
}

}  // namespace portti::cli
