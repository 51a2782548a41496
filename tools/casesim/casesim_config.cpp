#include "casesim_config.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace portti::casesim {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p, const std::string& what) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(what + " " + p.string() + " cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string requiredString(const Poco::JSON::Object::Ptr& o, const std::string& key,
                           const std::string& where) {
  if (!o || !o->has(key) || !o->get(key).isString())
    throw std::runtime_error(where + "." + key + " (a string) is missing");
  return o->getValue<std::string>(key);
}

}  // namespace

Config loadConfig(const std::string& path) {
  const std::string prefix = "config " + path + ": ";
  try {
    fs::path base = fs::path(path).parent_path();
    auto resolve = [&](const std::string& p) { return fs::path(p).is_absolute() ? p : (base / p).string(); };
    Poco::JSON::Parser parser;
    auto root = parser.parse(readFile(path, "file")).extract<Poco::JSON::Object::Ptr>();
    Config c;
    if (auto listen = root->getObject("listen")) {
      c.host = listen->optValue<std::string>("host", c.host);
      c.port = listen->optValue<int>("port", c.port);
    }
    auto tls = root->getObject("tls");
    if (!tls) throw std::runtime_error("tls (an object) is missing");
    c.certificateFile = resolve(requiredString(tls, "certificate", "tls"));
    c.privateKeyFile = resolve(requiredString(tls, "privateKey", "tls"));
    c.clientCaFile = resolve(requiredString(tls, "clientCa", "tls"));
    for (const auto& f : {c.certificateFile, c.privateKeyFile, c.clientCaFile})
      if (!fs::is_regular_file(f)) throw std::runtime_error("tls file " + f + " does not exist");
    c.database = resolve(requiredString(root, "database", "config"));
    auto kiosks = root->getArray("kiosks");
    if (!kiosks || kiosks->size() == 0) throw std::runtime_error("kiosks (a non-empty array) is missing");
    for (size_t i = 0; i < kiosks->size(); ++i) {
      auto k = kiosks->getObject(static_cast<unsigned>(i));
      std::string where = "kiosks[" + std::to_string(i) + "]";
      KioskEntry e{requiredString(k, "id", where), ""};
      e.signingCertificatePem =
          readFile(resolve(requiredString(k, "signingCertificate", where)), where + ".signingCertificate");
      c.kiosks[e.id] = e;
    }
    if (auto readers = root->getArray("readers")) {
      for (size_t i = 0; i < readers->size(); ++i) {
        auto r = readers->getObject(static_cast<unsigned>(i));
        std::string where = "readers[" + std::to_string(i) + "]";
        ReaderEntry e{requiredString(r, "name", where), requiredString(r, "token", where), {}};
        if (e.token.size() < 16) throw std::runtime_error(where + ".token is shorter than 16 characters");
        if (auto ks = r->getArray("kiosks"))
          for (size_t j = 0; j < ks->size(); ++j)
            e.kiosks.insert(ks->getElement<std::string>(static_cast<unsigned>(j)));
        c.readers.push_back(e);
      }
    }
    if (auto limit = root->getObject("rateLimit"))
      c.readsPerMinute = limit->optValue<int>("readsPerMinute", c.readsPerMinute);
    c.readAnswerFloorMs = root->optValue<int>("readAnswerFloorMs", c.readAnswerFloorMs);
    if (auto faults = root->getObject("faults")) {
      const std::string flag = faults->optValue<std::string>("refuseResultsWhile", "");
      if (!flag.empty()) c.faults.refuseResultsWhile = resolve(flag);
      c.faults.refuseStatus = faults->optValue<int>("refuseStatus", c.faults.refuseStatus);
      c.faults.refuseAfterStoring = faults->optValue<bool>("refuseAfterStoring", false);
      if (c.faults.refuseStatus < 400 || c.faults.refuseStatus > 499)
        throw std::runtime_error("faults.refuseStatus must be a 4xx status");
    }
    if (c.readAnswerFloorMs < 0 || c.readAnswerFloorMs > 10000)
      throw std::runtime_error("readAnswerFloorMs must be 0..10000");
    if (c.port < 0 || c.port > 65535) throw std::runtime_error("listen.port out of range");
    if (c.readsPerMinute < 1) throw std::runtime_error("rateLimit.readsPerMinute must be >= 1");
    return c;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(prefix + e.displayText());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(prefix + e.what());
  }
}

}  // namespace portti::casesim
