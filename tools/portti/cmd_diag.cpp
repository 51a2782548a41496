// portti diag --url http://127.0.0.1:8480 (--token T | --pin P) [--self-test] [--json]: asks a
// running porttid for its diagnostics (devices, trust store, outbox, rules, recent errors) or runs
// its self-test, and prints them. Exit 0 when answered (and, for --self-test, every part passed or
// was not configured), 1 when a self-test part failed, 3 when porttid refused or cannot be reached.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <iostream>

#include "args.hpp"
#include "commands.hpp"

namespace portti::cli {

namespace {

using Poco::JSON::Object;

void printList(const std::string& title, const Poco::JSON::Array::Ptr& items) {
  if (!items || items->size() == 0) return;
  std::cout << title << ":\n";
  for (std::size_t i = 0; i < items->size(); ++i) std::cout << "  " << items->get(static_cast<unsigned>(i)).toString() << "\n";
}

void printReport(const Object::Ptr& r) {
  std::cout << "kiosk:    " << r->optValue<std::string>("kiosk_id", "?") << " (" << r->optValue<std::string>("mode", "?")
            << "), " << r->optValue<std::string>("version", "") << ", " << r->optValue<int>("transactions", 0)
            << " transactions\n";
  auto devices = r->getArray("devices");
  for (std::size_t i = 0; devices && i < devices->size(); ++i) {
    auto d = devices->getObject(static_cast<unsigned>(i));
    std::cout << "device:   " << d->getValue<std::string>("kind") << " " << d->getValue<std::string>("spec") << ": "
              << (d->getValue<bool>("present") ? "present" : "ABSENT") << ", " << d->getValue<std::string>("model");
    const std::string err = d->optValue<std::string>("last_error", "");
    std::cout << (err.empty() ? "" : ", last error: " + err) << "\n";
  }
  auto trust = r->getObject("trust");
  std::cout << "trust:    " << trust->optValue<int>("csca_count", 0) << " CSCAs, "
            << trust->optValue<int>("certificate_files", 0) << " certificate files\n";
  printList("  expiring within 90 days", trust->getArray("expiring_within_90_days"));
  printList("  expired", trust->getArray("expired"));
  printList("  CRL next update", trust->getArray("crl_next_update"));
  auto outbox = r->getObject("outbox");
  std::cout << "outbox:   " << outbox->get("depth").toString() << " pending, " << outbox->optValue<int>("delivered", 0)
            << " delivered since start";
  const std::string last = outbox->optValue<std::string>("last_error", "");
  std::cout << (last.empty() ? "" : ", last error: " + last) << "\n";
  auto dead = outbox->getArray("dead_letters");
  for (std::size_t i = 0; dead && i < dead->size(); ++i) {
    auto d = dead->getObject(static_cast<unsigned>(i));
    std::cout << "  dead letter " << d->getValue<std::string>("transaction_id") << ": " << d->getValue<std::string>("reason") << "\n";
  }
  auto calls = r->getArray("officer_calls");
  for (std::size_t i = 0; calls && i < calls->size(); ++i) {
    auto c = calls->getObject(static_cast<unsigned>(i));
    std::cout << "officer:  called " << c->getValue<std::string>("at") << " on screen "
              << c->getValue<std::string>("screen") << " (call " << c->getValue<std::string>("id") << ", open)\n";
  }
  auto rules = r->getObject("rules");
  std::cout << "rules:    " << rules->optValue<std::string>("file", "") << " (" << rules->optValue<int>("count", 0)
            << " rules)\n";
  printList("  refused reload", rules->getArray("refused_reload"));
  auto errors = r->getArray("recent_errors");
  for (std::size_t i = 0; errors && i < errors->size(); ++i) {
    auto e = errors->getObject(static_cast<unsigned>(i));
    std::cout << "error:    " << e->getValue<std::string>("at") << " " << e->getValue<std::string>("area") << ": "
              << e->getValue<std::string>("message") << "\n";
  }
}

}  // namespace

int runDiag(const Words& words) {
  Args args(words, {"json", "self-test"});
  const Poco::URI url(args.require("url"));
  if (url.getScheme() != "http") throw UsageError("--url: porttid's API is plain http on localhost");
  Poco::Net::HTTPClientSession session(url.getHost(), url.getPort());
  session.setTimeout(Poco::Timespan(30, 0));
  const bool selfTest = args.flag("self-test");
  Poco::Net::HTTPRequest request(selfTest ? "POST" : "GET", selfTest ? "/api/diagnostics/self-test" : "/api/diagnostics",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  if (auto token = args.get("token")) request.set("Authorization", "Bearer " + *token);
  if (auto pin = args.get("pin")) request.set("X-Technician-Pin", *pin);
  request.setContentLength(0);
  std::string body;
  Poco::Net::HTTPResponse response;
  try {
    session.sendRequest(request);
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  } catch (const std::exception& e) {
    std::cerr << "portti diag: cannot reach porttid at " << url.toString() << ": " << e.what() << "\n";
    return 3;
  }
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    std::cerr << "portti diag: porttid answered " << response.getStatus() << ": " << body << "\n";
    return 3;
  }
  const Object::Ptr r = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
  if (args.flag("json")) {
    Poco::JSON::Stringifier::stringify(r, std::cout, 2);
    std::cout << "\n";
  } else if (!selfTest) {
    printReport(r);
  }
  if (!selfTest) return 0;
  int failed = 0;
  for (const auto& [name, value] : *r) {
    if (value.type() != typeid(Object::Ptr)) continue;
    const auto part = value.extract<Object::Ptr>();
    const std::string status = part->optValue<std::string>("status", part->optValue<std::string>("self_test", "not done"));
    const std::string detail = part->optValue<std::string>("detail", part->optValue<std::string>("self_test_detail", ""));
    if (!args.flag("json")) std::cout << name << ": " << status << (detail.empty() ? "" : " (" + detail + ")") << "\n";
    if (status == "failed") ++failed;
  }
  return failed ? 1 : 0;
}

}  // namespace portti::cli
