#include "caller.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <openssl/crypto.h>

namespace portti::casesim {
namespace {

bool sameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string clientCommonName(Poco::Net::HTTPServerRequest& request) {
  try {
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Net::SecureStreamSocket socket(impl.socket());
    if (!socket.havePeerCertificate()) return {};
    return socket.peerCertificate().commonName();
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace

Caller identifyCaller(Poco::Net::HTTPServerRequest& request, const Config& config) {
  Caller caller;
  const std::string auth = request.get("Authorization", "");
  if (!auth.empty()) {
    const std::string prefix = "Bearer ";
    if (auth.rfind(prefix, 0) != 0) return caller;
    std::string token = auth.substr(prefix.size());
    for (const auto& r : config.readers)
      if (sameSecret(r.token, token)) caller.reader = &r;
    return caller;
  }
  std::string cn = clientCommonName(request);
  if (config.kiosks.count(cn)) caller.kioskId = cn;
  return caller;
}

}  // namespace portti::casesim
