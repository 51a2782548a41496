// porttid's local API from a test: one HTTP call, and one traveller (the ICAO specimen on the sim
// reader, the MRZ typed in) through it.
#pragma once

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kiosk_fixture.hpp"

namespace portti::firmware::test {

struct Reply {
  int status = 0;
  std::string cacheControl, body;
  Poco::JSON::Object::Ptr json() const { return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>(); }
};

inline Reply call(int port, const std::string& method, const std::string& path, const std::string& body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.set(k, v);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply r;
  r.status = response.getStatus();
  r.cacheControl = response.get("Cache-Control", "");
  Poco::StreamCopier::copyToString(in, r.body);
  return r;
}

/// The technician token of the tests' kiosk configurations.
inline const std::pair<std::string, std::string> kTech{"Authorization", "Bearer technician-token-0123456789"};

/// Runs one transaction through the API; returns the final state (reset) as JSON.
inline Poco::JSON::Object::Ptr transactionThroughApi(int port) {
  std::uint64_t seq = call(port, "GET", "/api/state").json()->getValue<std::uint64_t>("sequence");
  EXPECT_EQ(call(port, "POST", "/api/sim/document", R"({"present":true})", {kTech}).status, 200);
  Poco::JSON::Object::Ptr state;
  for (int i = 0; i < 100; ++i) {
    state = call(port, "GET", "/api/state?after=" + std::to_string(seq)).json();
    seq = state->getValue<std::uint64_t>("sequence");
    const std::string name = state->getValue<std::string>("state");
    if (name == "access_key") {
      Poco::JSON::Object mrz;
      mrz.set("mrz", kMrz);
      std::ostringstream body;
      mrz.stringify(body);
      EXPECT_EQ(call(port, "POST", "/api/mrz", body.str()).status, 202);
    }
    if (name == "take_document") break;
  }
  EXPECT_EQ(call(port, "POST", "/api/sim/document", R"({"present":false})", {kTech}).status, 200);
  for (int i = 0; i < 100 && call(port, "GET", "/api/state").json()->getValue<std::string>("state") != "idle"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return state;
}

}  // namespace portti::firmware::test
