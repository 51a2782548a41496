// The case API (docs/case-api.yaml): post a signed result, fetch one by id, fetch a case's results.
// Nothing lists or walks results.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "casesim_config.hpp"
#include "portti/firmware/rate_limiter.hpp"
#include "verification_store.hpp"

namespace portti::casesim {

/// Shared by every request thread.
struct ApiContext {
  const Config& config;
  VerificationStore& store;
  firmware::RateLimiter& readLimiter;  // per caller
};

class ApiHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(ApiContext context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  ApiContext context_;
};

}  // namespace portti::casesim
