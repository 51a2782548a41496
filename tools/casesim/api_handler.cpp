#include "api_handler.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include "caller.hpp"
#include "portti/firmware/result_signer.hpp"

namespace portti::casesim {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::streamsize kMaxBody = 1 << 20;

std::string jsonString(const std::string& s) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(Poco::Dynamic::Var(s), out);
  return out.str();
}

void reply(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& json) {
  response.setStatus(status);
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(json.size()));
  response.send() << json;
}

void error(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& why) {
  reply(response, status, "{\"error\":" + jsonString(why) + "}");
}

// Unknown and forbidden look the same, so an id's existence leaks nothing.
void notFound(HTTPServerResponse& response) {
  error(response, HTTPResponse::HTTP_NOT_FOUND, "not found");
}

std::string verificationJson(const StoredVerification& v) {
  return "{\"id\":" + jsonString(v.id) + ",\"kiosk_id\":" + jsonString(v.kioskId) +
         ",\"case_ref\":" + jsonString(v.caseRef) + ",\"received_at_ms\":" + std::to_string(v.receivedAtMs) +
         ",\"result\":" + v.body + "}";
}

bool validKey(const std::string& key) {
  static const std::regex pattern("[A-Za-z0-9._:-]{1,128}");
  return std::regex_match(key, pattern);
}

// The fault switch's refusal (Config::Faults), with the case API's optional reason code.
void refuseByFault(HTTPServerResponse& response, int status) {
  reply(response, static_cast<HTTPResponse::HTTPStatus>(status),
        "{\"error\":\"refused by the test fault switch\",\"code\":\"refused_by_fault\"}");
}

class PostVerification : public Poco::Net::HTTPRequestHandler {
 public:
  PostVerification(ApiContext c, std::string caseRef) : c_(c), caseRef_(std::move(caseRef)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    Caller caller = identifyCaller(request, c_.config);
    if (caller.kioskId.empty() || caller.reader)
      return error(response, HTTPResponse::HTTP_FORBIDDEN,
                   "only a configured kiosk (by its client certificate) may post results");
    const std::string key = request.get("Idempotency-Key", "");
    if (!validKey(key))
      return error(response, HTTPResponse::HTTP_BAD_REQUEST,
                   "Idempotency-Key missing or not 1..128 of [A-Za-z0-9._:-]");
    if (request.getContentLength() > kMaxBody)
      return error(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "body over 1 MiB");
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body, static_cast<std::size_t>(kMaxBody) + 1);
    if (static_cast<std::streamsize>(body.size()) > kMaxBody)
      return error(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "body over 1 MiB");
    if (request.get("Portti-Signature-Alg", std::string(firmware::kResultSignatureAlg)) !=
        firmware::kResultSignatureAlg)
      return error(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "unsupported signature algorithm");
    const auto& kiosk = c_.config.kiosks.at(caller.kioskId);
    if (!firmware::verifyResultSignature(body, request.get("Portti-Signature", ""),
                                         kiosk.signingCertificatePem))
      return error(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY,
                   "signature does not verify with the kiosk's signing certificate");
    Poco::JSON::Object::Ptr doc;
    try {
      doc = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      return error(response, HTTPResponse::HTTP_BAD_REQUEST, "body is not a JSON object");
    }
    if (doc->optValue<std::string>("transaction_id", "") != key)
      return error(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY,
                   "transaction_id in the body differs from the Idempotency-Key");
    if (doc->optValue<std::string>("kiosk_id", "") != caller.kioskId)
      return error(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY,
                   "kiosk_id in the body differs from the client certificate");
    const auto& faults = c_.config.faults;
    const bool refuse = !faults.refuseResultsWhile.empty() && std::filesystem::exists(faults.refuseResultsWhile);
    if (refuse && !faults.refuseAfterStoring) return refuseByFault(response, faults.refuseStatus);
    PutResult put = c_.store.put(key, caller.kioskId, caseRef_, body);
    if (refuse) return refuseByFault(response, faults.refuseStatus);
    std::string answer = "{\"id\":" + jsonString(put.id) + ",\"transaction_id\":" + jsonString(key) + "}";
    switch (put.outcome) {
      case PutOutcome::Created:
        return reply(response, HTTPResponse::HTTP_CREATED, answer);
      case PutOutcome::Duplicate:
        return reply(response, HTTPResponse::HTTP_OK, answer);
      case PutOutcome::Conflict:
        return error(response, HTTPResponse::HTTP_CONFLICT,
                     "Idempotency-Key already used for a different result");
    }
  }

 private:
  ApiContext c_;
  std::string caseRef_;
};

// Both reads share the same checks in the same order, and answer after the same floor time.
class GetHandler : public Poco::Net::HTTPRequestHandler {
 public:
  GetHandler(ApiContext c, std::string verificationId, std::string caseRef)
      : c_(c), id_(std::move(verificationId)), caseRef_(std::move(caseRef)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    auto floor = std::chrono::steady_clock::now() + std::chrono::milliseconds(c_.config.readAnswerFloorMs);
    Caller caller = identifyCaller(request, c_.config);
    if (!caller.authenticated())
      return error(response, HTTPResponse::HTTP_UNAUTHORIZED, "authentication required");
    if (!c_.readLimiter.allow(caller.key())) {
      response.set("Retry-After", "60");
      return error(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS, "rate limit exceeded");
    }
    auto [status, json] = answer(caller);
    std::this_thread::sleep_until(floor);
    if (status == HTTPResponse::HTTP_NOT_FOUND) return notFound(response);
    reply(response, status, json);
  }

 private:
  std::pair<HTTPResponse::HTTPStatus, std::string> answer(const Caller& caller) {
    if (caseRef_.empty()) {
      auto v = c_.store.get(id_);
      if (!v || !caller.mayRead(v->kioskId)) return {HTTPResponse::HTTP_NOT_FOUND, ""};
      return {HTTPResponse::HTTP_OK, verificationJson(*v)};
    }
    std::string list;
    for (const auto& v : c_.store.byCase(caseRef_))
      if (caller.mayRead(v.kioskId)) {
        if (!list.empty()) list += ',';
        list += verificationJson(v);
      }
    if (list.empty()) return {HTTPResponse::HTTP_NOT_FOUND, ""};
    return {HTTPResponse::HTTP_OK,
            "{\"case_ref\":" + jsonString(caseRef_) + ",\"verifications\":[" + list + "]}"};
  }

  ApiContext c_;
  std::string id_, caseRef_;
};

class Refuse : public Poco::Net::HTTPRequestHandler {
 public:
  Refuse(HTTPResponse::HTTPStatus status, std::string why) : status_(status), why_(std::move(why)) {}
  void handleRequest(HTTPServerRequest&, HTTPServerResponse& response) override {
    error(response, status_, why_);
  }

 private:
  HTTPResponse::HTTPStatus status_;
  std::string why_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* ApiHandlerFactory::createRequestHandler(const HTTPServerRequest& request) {
  // Split the raw path before decoding, so a case reference may contain an encoded '/'.
  std::string raw = request.getURI().substr(0, request.getURI().find_first_of("?#"));
  std::vector<std::string> parts;
  std::size_t begin = raw.empty() || raw[0] != '/' ? 0 : 1;
  while (begin <= raw.size()) {
    std::size_t end = std::min(raw.find('/', begin), raw.size());
    std::string segment;
    Poco::URI::decode(raw.substr(begin, end - begin), segment);
    parts.push_back(segment);
    begin = end + 1;
  }
  const std::string& method = request.getMethod();
  bool post = method == "POST", get = method == "GET";
  auto wrongMethod = []() -> Poco::Net::HTTPRequestHandler* {
    return new Refuse(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method not allowed");
  };
  if (parts.size() >= 3 && parts[0] == "api" && parts[1] == "v1") {
    if (parts.size() == 3 && parts[2] == "verifications") {
      if (post) return new PostVerification(context_, "");
      return wrongMethod();
    }
    if (parts.size() == 4 && parts[2] == "verifications") {
      if (get) return new GetHandler(context_, parts[3], "");
      return wrongMethod();
    }
    if (parts.size() == 5 && parts[2] == "cases" && parts[4] == "verifications" && !parts[3].empty()) {
      if (post) return new PostVerification(context_, parts[3]);
      if (get) return new GetHandler(context_, "", parts[3]);
      return wrongMethod();
    }
  }
  return new Refuse(HTTPResponse::HTTP_NOT_FOUND, "not found");
}

}  // namespace portti::casesim
