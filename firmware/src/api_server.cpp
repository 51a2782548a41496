#include "portti/firmware/api_server.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <openssl/crypto.h>

#include "json_support.hpp"
#include "portti/firmware/rate_limiter.hpp"
#include "portti/firmware/web/speech.hpp"
#include "portti/firmware/web/static_files.hpp"

#include <sstream>

#include "portti/firmware/transaction.hpp"

namespace portti::firmware {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

namespace {

bool sameSecret(const std::string& given, const std::string& expected) {
  // Length is not secret (the config demands a minimum); the bytes are compared in constant time.
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

TechnicianAuth::TechnicianAuth(std::string pin, std::string token, int maxFailures, std::chrono::seconds lockout)
    : pin_(std::move(pin)), token_(std::move(token)), maxFailures_(maxFailures), lockout_(lockout) {}

TechnicianAuth::Result TechnicianAuth::check(const std::string& pin, const std::string& token,
                                             std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (pin_.empty() && token_.empty()) return Result::NotConfigured;
  if (now < lockedUntil_) return Result::LockedOut;  // even the right secret waits: no oracle
  if ((!pin.empty() && sameSecret(pin, pin_)) || (!token.empty() && sameSecret(token, token_))) {
    failures_ = 0;
    return Result::Ok;
  }
  if (++failures_ >= maxFailures_) {
    failures_ = 0;
    lockedUntil_ = now + lockout_;
    return Result::LockedOut;
  }
  return Result::Denied;
}

void StateFeed::publish(const StateChange& change) {
  {
    std::lock_guard lock(mutex_);
    latest_ = change;
    latest_.sequence = ++sequence_;
  }
  cv_.notify_all();
}

void StateFeed::publishEvent(const std::string& event) {
  {
    std::lock_guard lock(mutex_);
    latest_.previous = latest_.state;  // the state did not change
    latest_.event = event;
    latest_.sequence = ++sequence_;
  }
  cv_.notify_all();
}

StateChange StateFeed::waitNewer(std::uint64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || latest_.sequence > after; });
  return latest_;
}

void StateFeed::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool StateFeed::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

StateChange StateFeed::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

std::string uiStateName(TransactionState state) {
  // The kiosk UI's names (ui/js/screens.js): snake case; delivery and the reset's "take document".
  if (state == TransactionState::ResultDelivery) return "delivery";
  if (state == TransactionState::Reset) return "take_document";
  std::string name = stateName(state);
  for (auto& ch : name)
    if (ch == ' ') ch = '_';
  return name;
}

std::string stateJson(const StateChange& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("sequence", c.sequence);
  o->set("seq", c.sequence);
  o->set("state", uiStateName(c.state));
  o->set("previous", uiStateName(c.previous));
  o->set("mode", modeName(c.mode));
  o->set("transaction_id", c.transactionId);
  o->set("message", c.message);
  o->set("detail", c.detail);
  if (c.outcome) o->set("outcome", outcomeName(*c.outcome));
  Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
  for (const auto& r : c.reasons) reasons->add(r);
  o->set("reasons", reasons);
  Poco::JSON::Array::Ptr guidance = new Poco::JSON::Array;
  for (const auto& g : c.guidance) guidance->add(g);
  o->set("guidance", guidance);
  if (c.faceBox) {
    Object::Ptr box = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    box->set("x", c.faceBox->x);
    box->set("y", c.faceBox->y);
    box->set("width", c.faceBox->width);
    box->set("height", c.faceBox->height);
    o->set("face_box", box);
  }
  o->set("at", isoTime(c.at));
  if (!c.event.empty()) o->set("event", c.event);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str();
}

struct ApiServer::Impl {
  ApiConfig config;
  Parts parts;
  TechnicianAuth auth;
  RateLimiter limiter;         // per client address
  RateLimiter officerLimiter;  // call-outs, beside the general limit
  web::Speech speech;
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;

  Impl(const ApiConfig& c, Parts p)
      : config(c),
        parts(std::move(p)),
        auth(c.technicianPin, c.technicianToken, c.maxFailures, c.lockout),
        limiter(c.requestsPerMinute),
        officerLimiter(c.officerCallsPerMinute) {}

  static void reply(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& json) {
    response.setStatus(status);
    response.setContentType("application/json");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(json.size()));
    response.send() << json;
  }
  static std::string message(const std::string& key, const std::string& text) {
    Object o;
    o.set(key, text);
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(o, out);
    return out.str();
  }
  static std::string stringify(const Object::Ptr& o) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(o, out, 2);
    return out.str();
  }
  static Object::Ptr body(HTTPServerRequest& request) {
    std::string text;
    Poco::StreamCopier::copyToString(request.stream(), text, 8192);
    if (text.size() > 8192) throw std::invalid_argument("body too large");
    return Poco::JSON::Parser().parse(text.empty() ? "{}" : text).extract<Object::Ptr>();
  }

  /// Session tokens handed out by /api/tech/login, valid for 15 minutes.
  struct Sessions {
    std::mutex mutex;
    std::map<std::string, std::chrono::steady_clock::time_point> until;
    std::string issue() {
      const std::string token = newTransactionId() + newTransactionId();
      std::lock_guard lock(mutex);
      until[token] = std::chrono::steady_clock::now() + std::chrono::minutes(15);
      return token;
    }
    bool valid(const std::string& token) {
      std::lock_guard lock(mutex);
      auto it = until.find(token);
      if (it == until.end()) return false;
      if (std::chrono::steady_clock::now() < it->second) return true;
      until.erase(it);
      return false;
    }
  } sessions;

  /// Server-sent events: one `data:` line of stateJson per change, until the client goes away.
  void events(HTTPServerResponse& response) {
    response.setContentType("text/event-stream");
    response.set("Cache-Control", "no-store");
    response.setChunkedTransferEncoding(true);
    std::ostream& out = response.send();
    // The state now first (a UI that connects mid-transaction), then every change.
    const StateChange now = parts.feed->latest();
    std::uint64_t seq = now.sequence;
    out << "data: " << stateJson(now) << "\n\n";
    out.flush();
    for (int quiet = 0; out.good() && quiet < 120 && !parts.feed->closed();) {
      const StateChange c = parts.feed->waitNewer(seq, std::chrono::seconds(15));
      if (c.sequence > seq) {
        seq = c.sequence;
        out << "data: " << stateJson(c) << "\n\n";
        quiet = 0;
      } else {
        out << ": keep-alive\n\n";
        ++quiet;
      }
      out.flush();
    }
  }

  /// Technician endpoints: returns true when the caller may go on; answers otherwise.
  bool technician(HTTPServerRequest& request, HTTPServerResponse& response) {
    std::string token;
    const std::string authorization = request.get("Authorization", "");
    if (authorization.rfind("Bearer ", 0) == 0) token = authorization.substr(7);
    if (!token.empty() && sessions.valid(token)) return true;
    return technicianCredentials(request.get("X-Technician-Pin", ""), token, response);
  }

  bool technicianCredentials(const std::string& pin, const std::string& token, HTTPServerResponse& response) {
    switch (auth.check(pin, token)) {
      case TechnicianAuth::Result::Ok: return true;
      case TechnicianAuth::Result::NotConfigured:
        reply(response, HTTPResponse::HTTP_FORBIDDEN, message("error", "no technician PIN or token is configured"));
        return false;
      case TechnicianAuth::Result::LockedOut:
        if (parts.errors) parts.errors->add("api", "technician endpoints locked after repeated failed logins");
        reply(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS, message("error", "locked out after repeated failures"));
        return false;
      case TechnicianAuth::Result::Denied:
        if (parts.errors) parts.errors->add("api", "technician login failed");
        reply(response, HTTPResponse::HTTP_UNAUTHORIZED, message("error", "technician PIN or token required"));
        return false;
    }
    return false;
  }

  /// The live preview: a face image, so only for the kiosk's own screen (loopback) and only while a
  /// capture runs; never cached, never logged, overwritten once sent. Outside the rate limit: the
  /// screen fetches one per judged frame.
  void preview(HTTPServerRequest& request, HTTPServerResponse& response) {
    if (!request.clientAddress().host().isLoopback())
      return reply(response, HTTPResponse::HTTP_FORBIDDEN, message("error", "the preview is for the kiosk's own screen"));
    std::optional<LivePreview::Picture> picture = parts.preview ? parts.preview->latest() : std::nullopt;
    if (!picture) return reply(response, HTTPResponse::HTTP_NOT_FOUND, message("error", "no live capture now"));
    response.setStatus(HTTPResponse::HTTP_OK);
    response.setContentType("image/jpeg");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(picture->jpeg.size()));
    response.send().write(reinterpret_cast<const char*>(picture->jpeg.data()), static_cast<std::streamsize>(picture->jpeg.size()));
    OPENSSL_cleanse(picture->jpeg.data(), picture->jpeg.size());
  }

  void handle(HTTPServerRequest& request, HTTPServerResponse& response) {
    if (request.getMethod() == "GET" && Poco::URI(request.getURI()).getPath() == "/api/camera/preview.jpg")
      return preview(request, response);
    if (!limiter.allow(request.clientAddress().host().toString())) {
      response.set("Retry-After", "60");
      return reply(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS, message("error", "rate limit"));
    }
    const Poco::URI uri(request.getURI());
    const std::string path = uri.getPath();
    const std::string& method = request.getMethod();
    const bool post = method == "POST", get = method == "GET";
    TransactionMachine& machine = *parts.machine;

    if (get && path == "/api/state") {
      std::uint64_t after = 0;
      bool wait = false;
      for (const auto& [k, v] : uri.getQueryParameters())
        if (k == "after") {
          after = std::stoull(v);
          wait = true;
        }
      const StateChange c = wait ? parts.feed->waitNewer(after, std::chrono::seconds(25)) : parts.feed->latest();
      return reply(response, HTTPResponse::HTTP_OK, stateJson(c));
    }
    if (post && path == "/api/speak") {
      const Object::Ptr b = body(request);
      const std::string problem = speech.say(b->optValue<std::string>("lang", ""), b->optValue<std::string>("text", ""));
      if (!problem.empty()) return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, message("error", problem));
      return reply(response, HTTPResponse::HTTP_ACCEPTED, message("status", "speaking"));
    }
    if (get && path == "/api/events") return events(response);
    if (post && path == "/api/tech/login") {
      const Object::Ptr b = body(request);
      if (!technicianCredentials(b->optValue<std::string>("pin", ""), "", response)) return;
      return reply(response, HTTPResponse::HTTP_OK, message("token", sessions.issue()));
    }
    if (post && path == "/api/transaction/access-key") {
      const Object::Ptr b = body(request);
      const std::string problem = b->has("can") ? machine.enterCan(b->optValue<std::string>("can", ""))
                                                : machine.enterMrz(b->optValue<std::string>("mrz", ""));
      if (!problem.empty()) return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, message("error", problem));
      return reply(response, HTTPResponse::HTTP_ACCEPTED, message("status", "access key accepted"));
    }
    if (post && path == "/api/transaction/start") {
      const Object::Ptr b = body(request);
      const std::string caseRef = b->optValue<std::string>("case_ref", "");
      if (!caseRef.empty()) {
        const std::string problem = machine.setCaseNumber(caseRef);
        if (!problem.empty()) return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, message("error", problem));
      }
      machine.requestStart();
      return reply(response, HTTPResponse::HTTP_ACCEPTED, message("status", "start requested"));
    }
    if (post && path == "/api/transaction/cancel") {
      machine.requestCancel("cancelled at the kiosk");
      return reply(response, HTTPResponse::HTTP_ACCEPTED, message("status", "cancel requested"));
    }
    if (post && (path == "/api/mrz" || path == "/api/can" || path == "/api/case")) {
      const Object::Ptr b = body(request);
      const std::string key = path.substr(5);  // "mrz", "can", "case"
      const std::string value = b->optValue<std::string>(key, "");
      const std::string problem = key == "mrz" ? machine.enterMrz(value)
                                  : key == "can" ? machine.enterCan(value)
                                                 : machine.setCaseNumber(value);
      // Problems name fields and check digits, never the values entered.
      if (!problem.empty()) return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, message("error", problem));
      return reply(response, HTTPResponse::HTTP_ACCEPTED, message("status", key + " accepted"));
    }
    if (get && path == "/api/diagnostics") {
      if (!technician(request, response)) return;
      return reply(response, HTTPResponse::HTTP_OK, stringify(parts.diagnostics->report()));
    }
    if (post && path == "/api/diagnostics/self-test") {
      if (!technician(request, response)) return;
      return reply(response, HTTPResponse::HTTP_OK, stringify(parts.diagnostics->selfTest()));
    }
    if (post && path == "/api/officer") {
      if (!officerLimiter.allow(request.clientAddress().host().toString())) {
        response.set("Retry-After", "60");
        return reply(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS, message("error", "rate limit"));
      }
      const StateChange now = machine.current();
      const web::DeskAnswer a = web::callOfficer(parts.desk, uiStateName(now.state), now.transactionId);
      return reply(response, static_cast<HTTPResponse::HTTPStatus>(a.status), a.json);
    }
    if (path.starts_with("/api/outbox/") || path.starts_with("/api/officer/")) {
      if (!technician(request, response)) return;
      if (auto a = web::technicianDeskRoute(parts.desk, method, path))
        return reply(response, static_cast<HTTPResponse::HTTPStatus>(a->status), a->json);
      return reply(response, HTTPResponse::HTTP_NOT_FOUND, message("error", "no such endpoint"));
    }
    if (post && path == "/api/sim/document") {
      if (!technician(request, response)) return;
      if (!parts.simDocument)
        return reply(response, HTTPResponse::HTTP_NOT_FOUND, message("error", "the reader is not simulated"));
      const Object::Ptr b = body(request);
      const std::string problem = parts.simDocument(b->optValue<bool>("present", true), b->optValue<std::string>("chip", ""));
      if (!problem.empty()) return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, message("error", problem));
      return reply(response, HTTPResponse::HTTP_OK, message("status", "done"));
    }
    return reply(response, HTTPResponse::HTTP_NOT_FOUND, message("error", "no such endpoint"));
  }
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(ApiServer::Impl& impl) : impl_(impl) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      impl_.handle(request, response);
    } catch (const std::exception& e) {
      if (!response.sent())
        ApiServer::Impl::reply(response, HTTPResponse::HTTP_BAD_REQUEST, ApiServer::Impl::message("error", e.what()));
    }
  }

 private:
  ApiServer::Impl& impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ApiServer::Impl& impl) : impl_(impl) {}
  // /api/ paths are the API; everything else is the kiosk UI's files.
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    const std::string path = Poco::URI(request.getURI()).getPath();
    if (!path.starts_with("/api/") && !impl_.config.uiRoot.empty()) return new web::StaticFileHandler(impl_.config.uiRoot);
    return new Handler(impl_);
  }

 private:
  ApiServer::Impl& impl_;
};

}  // namespace

ApiServer::ApiServer(const ApiConfig& config, Parts parts) : impl_(std::make_unique<Impl>(config, std::move(parts))) {
  impl_->socket = std::make_unique<Poco::Net::ServerSocket>(
      Poco::Net::SocketAddress(config.bind, static_cast<Poco::UInt16>(config.port)));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), *impl_->socket, params);
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() { impl_->server->start(); }

void ApiServer::stop() {
  if (impl_ && impl_->parts.feed) impl_->parts.feed->close();  // ends event streams and long polls
  if (impl_ && impl_->server) impl_->server->stopAll(true);
}

int ApiServer::port() const { return impl_->socket->address().port(); }

}  // namespace portti::firmware
