// bench_mad: the time morphing-attack detection adds to a transaction (median CPU milliseconds over 15
// runs). The transaction has already analysed the chip photo and the live capture (detection, landmarks,
// descriptor) for verification, so MAD adds only its features and two dot products: S-MAD's LBP and noise
// residual on the aligned chip, D-MAD's descriptor and landmark differences. Run from the project root;
// needs ../shared/faces/frll and config/mad/.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "portti/vision/face_image.hpp"
#include "portti/vision/face_verifier.hpp"
#include "portti/vision/mad/dmad.hpp"
#include "portti/vision/mad/smad.hpp"

using namespace portti::vision;

namespace {

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double medianMs(const std::function<void()>& f) {
  std::vector<double> t;
  for (int i = 0; i < 15; ++i) {
    const double start = cpuMs();
    f();
    t.push_back(cpuMs() - start);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main() {
  const std::string frll = "../shared/faces/frll";
  if (!std::filesystem::exists(frll)) {
    std::printf("bench_mad: %s is absent\n", frll.c_str());
    return 0;
  }
  FaceVerifier verifier(FaceConfig::load("config/face.conf"));
  const auto dmad = MadModel::load("config/mad/dmad.model", kDmadFeatures, kDmadFeatureSet);
  const auto smad = MadModel::load("config/mad/smad.model", kSmadFeatures, kSmadFeatureSet);
  const cv::Mat document = decodeImage(encodeChipPortrait(cv::imread(frll + "/001/neutral.jpg"), 480, 20000).bytes);
  const cv::Mat live = cv::imread(frll + "/001/smiling.jpg");
  const auto doc = verifier.analyse(document);
  const auto cap = verifier.analyse(live);
  if (!doc.descriptor || !cap.descriptor) {
    std::printf("bench_mad: no face in the FRLL portraits\n");
    return 1;
  }
  double sink = 0;
  const double analyse = medianMs([&] { sink += verifier.analyse(document).descriptor.has_value() ? 1 : 0; });
  const double s = medianMs([&] { sink += smad.score(smadFeatures(document, doc)); });
  const double d = medianMs([&] { sink += dmad.score(dmadFeatures(doc, cap)); });
  std::printf("verification's own analysis of the 480 px chip photo (for scale): %.2f ms\n", analyse);
  std::printf("S-MAD (features + score): %.3f ms\n", s);
  std::printf("D-MAD (features + score): %.3f ms\n", d);
  std::printf("MAD adds %.3f ms to a transaction (%.1f%% of one analysis)\n", s + d, 100 * (s + d) / analyse);
  return sink < 0 ? 1 : 0;
}
