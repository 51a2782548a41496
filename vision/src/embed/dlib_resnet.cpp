// dlib's ResNet face descriptor network, filled from face-api's TF.js export of the same weights.
// Kept alone in this file: the network's templates take over a minute to compile.
#include <dlib/dnn.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "portti/vision/embed/face_embedder.hpp"
#include "portti/vision/error.hpp"

namespace portti::vision {

namespace {

using namespace dlib;

// The network of dlib's examples/dnn_face_recognition_ex.cpp, verbatim.
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = add_prev1<block<N, BN, 1, tag1<SUBNET>>>;

template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<block<N, BN, 2, tag1<SUBNET>>>>>>;

template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, stride, stride, SUBNET>>>>>;

template <int N, typename SUBNET> using ares = relu<residual<block, N, affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block, N, affine, SUBNET>>;

template <typename SUBNET> using alevel0 = ares_down<256, SUBNET>;
template <typename SUBNET> using alevel1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32, ares<32, ares<32, SUBNET>>>;

using anet_type = loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<alevel1<alevel2<alevel3<alevel4<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

/// One tensor of the TF.js manifest, dequantised.
struct NamedTensor {
  std::string name;
  std::vector<int> shape;
  std::vector<float> values;
};

std::vector<NamedTensor> readManifest(const std::string& dir) {
  const std::string manifestPath = dir + "/face_recognition_model-weights_manifest.json";
  std::ifstream mf(manifestPath);
  if (!mf) throw ModelError("cannot read " + manifestPath);
  Poco::JSON::Array::Ptr groups;
  try {
    groups = Poco::JSON::Parser().parse(mf).extract<Poco::JSON::Array::Ptr>();
  } catch (const std::exception& e) {
    throw ModelError(manifestPath + ": not a TF.js weights manifest (" + e.what() + ")");
  }
  std::vector<NamedTensor> out;
  for (std::size_t g = 0; g < groups->size(); ++g) {
    auto group = groups->getObject(static_cast<unsigned>(g));
    std::string blob;
    auto paths = group->getArray("paths");
    for (std::size_t p = 0; p < paths->size(); ++p) {
      const std::string binPath = dir + "/" + paths->getElement<std::string>(static_cast<unsigned>(p));
      std::ifstream bf(binPath, std::ios::binary);
      if (!bf) throw ModelError("cannot read " + binPath);
      blob.append(std::istreambuf_iterator<char>(bf), std::istreambuf_iterator<char>());
    }
    std::size_t offset = 0;
    auto weights = group->getArray("weights");
    for (std::size_t w = 0; w < weights->size(); ++w) {
      auto spec = weights->getObject(static_cast<unsigned>(w));
      NamedTensor t;
      t.name = spec->getValue<std::string>("name");
      std::size_t count = 1;
      auto shape = spec->getArray("shape");
      for (std::size_t i = 0; i < shape->size(); ++i) {
        t.shape.push_back(shape->getElement<int>(static_cast<unsigned>(i)));
        count *= static_cast<std::size_t>(t.shape.back());
      }
      t.values.resize(count);
      if (spec->has("quantization")) {
        auto q = spec->getObject("quantization");
        if (q->getValue<std::string>("dtype") != "uint8") throw ModelError(t.name + ": unsupported quantisation");
        const float scale = static_cast<float>(q->getValue<double>("scale"));
        const float min = static_cast<float>(q->getValue<double>("min"));
        if (offset + count > blob.size()) throw ModelError(t.name + ": weights file too short");
        for (std::size_t i = 0; i < count; ++i) {
          t.values[i] = static_cast<float>(static_cast<unsigned char>(blob[offset + i])) * scale + min;
        }
        offset += count;
      } else {
        if (spec->getValue<std::string>("dtype") != "float32") throw ModelError(t.name + ": unsupported dtype");
        if (offset + 4 * count > blob.size()) throw ModelError(t.name + ": weights file too short");
        std::memcpy(t.values.data(), blob.data() + offset, 4 * count);
        offset += 4 * count;
      }
      out.push_back(std::move(t));
    }
    if (offset != blob.size()) throw ModelError(manifestPath + ": weights file longer than its manifest");
  }
  return out;
}

class DlibResnetEmbedder final : public FaceEmbedder {
 public:
  explicit DlibResnetEmbedder(const std::string& dir) {
    const auto tensors = readManifest(dir);

    // Per-channel affine layers (CONV_MODE): affine_'s default is one weight per element (FC_MODE).
    visit_computational_layers(net_, [](auto& layer) {
      if constexpr (std::is_same_v<std::decay_t<decltype(layer)>, affine_>) layer = affine_(CONV_MODE);
    });
    // One forward pass sizes every layer's parameters; then they are overwritten.
    matrix<rgb_pixel> blank(150, 150);
    assign_all_pixels(blank, rgb_pixel(0, 0, 0));
    net_(blank);

    // Collect layers from the output back to the input, then reverse: manifest order is input first.
    std::vector<tensor*> weighted;   // con_ filters+bias, then fc
    std::vector<affine_*> affines;
    visit_computational_layers(net_, [&](auto& layer) {
      using L = std::decay_t<decltype(layer)>;
      if constexpr (std::is_same_v<L, affine_>) {
        affines.push_back(&layer);
      } else {
        if (layer.get_layer_params().size() > 0) weighted.push_back(&layer.get_layer_params());
      }
    });
    std::reverse(weighted.begin(), weighted.end());
    std::reverse(affines.begin(), affines.end());

    std::size_t t = 0, wi = 0, ai = 0;
    auto next = [&](const char* suffix) -> const NamedTensor& {
      if (t >= tensors.size()) throw ModelError(std::string("manifest ends before a ") + suffix + " tensor");
      const auto& nt = tensors[t++];
      if (nt.name.size() < std::strlen(suffix) || nt.name.compare(nt.name.size() - std::strlen(suffix), std::string::npos, suffix) != 0) {
        throw ModelError("manifest tensor " + nt.name + " where a " + suffix + " tensor was expected");
      }
      return nt;
    };
    while (t + 1 < tensors.size()) {
      const auto& filters = next("/filters");
      const auto& bias = next("/conv/bias");
      const auto& gamma = next("/scale/weights");
      const auto& beta = next("/scale/biases");
      if (wi >= weighted.size() || ai >= affines.size()) throw ModelError("more conv tensors than dlib conv layers");
      tensor& p = *weighted[wi++];
      // TF HWIO [h][w][in][out] -> dlib [out][in][h][w], followed by the out biases.
      const int kh = filters.shape[0], kw = filters.shape[1], ci = filters.shape[2], co = filters.shape[3];
      if (p.size() != static_cast<std::size_t>(kh * kw * ci * co + co)) throw ModelError(filters.name + ": shape does not fit the dlib layer");
      float* d = p.host();
      for (int o = 0; o < co; ++o)
        for (int i = 0; i < ci; ++i)
          for (int y = 0; y < kh; ++y)
            for (int x = 0; x < kw; ++x) *d++ = filters.values[((y * kw + x) * ci + i) * co + o];
      for (int o = 0; o < co; ++o) *d++ = bias.values[o];
      affine_& a = *affines[ai++];
      auto g = a.get_gamma();
      auto b = a.get_beta();
      if (g.size() != gamma.values.size() || b.size() != beta.values.size()) throw ModelError(gamma.name + ": size does not fit the dlib affine layer");
      std::memcpy(g.host(), gamma.values.data(), 4 * gamma.values.size());
      std::memcpy(b.host(), beta.values.data(), 4 * beta.values.size());
    }
    const auto& fc = next("fc");
    if (wi + 1 != weighted.size() || ai != affines.size()) throw ModelError("manifest does not cover every dlib layer");
    tensor& p = *weighted[wi];
    if (p.size() != fc.values.size()) throw ModelError("fc: shape does not fit the dlib layer");
    // dlib's fc_ keeps a [inputs x outputs] matrix, the TF layout.
    std::memcpy(p.host(), fc.values.data(), 4 * fc.values.size());
  }

  FaceDescriptor embed(const cv::Mat& chip) override {
    if (chip.rows != 150 || chip.cols != 150 || chip.type() != CV_8UC3) throw FaceError("embed: expects a 150x150 BGR face chip");
    matrix<rgb_pixel> img(150, 150);
    for (int y = 0; y < 150; ++y) {
      const auto* row = chip.ptr<cv::Vec3b>(y);
      for (int x = 0; x < 150; ++x) img(y, x) = rgb_pixel(row[x][2], row[x][1], row[x][0]);
    }
    matrix<float, 0, 1> v = net_(img);
    FaceDescriptor out{};
    if (v.size() != static_cast<long>(out.size())) throw FaceError("embed: network gave a descriptor of the wrong size");
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (!std::isfinite(v(static_cast<long>(i)))) throw FaceError("embed: network gave a non-finite descriptor");
      out[i] = v(static_cast<long>(i));
    }
    return out;
  }

 private:
  anet_type net_;
};

}  // namespace

std::unique_ptr<FaceEmbedder> FaceEmbedder::loadFaceApi(const std::string& modelDir) {
  return std::make_unique<DlibResnetEmbedder>(modelDir);
}

}  // namespace portti::vision
