// Who is asking: a kiosk (by its TLS client certificate) or a reader (by bearer token).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <string>

#include "casesim_config.hpp"

namespace portti::casesim {

struct Caller {
  std::string kioskId;                ///< set when the client certificate names a configured kiosk
  const ReaderEntry* reader = nullptr;  ///< set when a valid bearer token was given
  bool authenticated() const { return reader || !kioskId.empty(); }
  /// The rate-limit bucket.
  std::string key() const { return reader ? "reader:" + reader->name : "kiosk:" + kioskId; }
  /// Readers see their kiosks' results; a kiosk sees its own.
  bool mayRead(const std::string& ofKiosk) const {
    return reader ? reader->kiosks.count(ofKiosk) > 0 : (!kioskId.empty() && kioskId == ofKiosk);
  }
};

/// A bearer token, when present, decides (a wrong token is unauthenticated even with a kiosk
/// certificate); otherwise the client certificate's common name.
Caller identifyCaller(Poco::Net::HTTPServerRequest& request, const Config& config);

}  // namespace portti::casesim
