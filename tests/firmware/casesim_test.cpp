// portti-casesim's contract (docs/case-api.yaml), exercised over real mutual-TLS HTTPS.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <map>

#include "firmware/delivery_fixture.hpp"
#include "firmware/test_pki.hpp"
#include "portti/firmware/result_signer.hpp"

using portti::test::CaseSim;
using portti::test::pki;

namespace {

struct Reply {
  int status = 0;
  std::string body;
};

Reply call(int port, const std::string& method, const std::string& path, const std::string& cert,
           std::map<std::string, std::string> headers = {}, const std::string& body = "") {
  static std::once_flag ssl;
  std::call_once(ssl, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, pki(cert + ".key"), pki(cert + ".pem"),
                             pki("ca.pem"), Poco::Net::Context::VERIFY_STRICT, 4, false);
  Poco::Net::HTTPSClientSession session("localhost", static_cast<Poco::UInt16>(port), context);
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  Reply reply;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
  reply.status = response.getStatus();
  return reply;
}

std::string resultBody(const std::string& id, const std::string& kiosk = "kiosk-1",
                       const std::string& decision = "accept") {
  return "{\"transaction_id\":\"" + id + "\",\"kiosk_id\":\"" + kiosk + "\",\"decision\":\"" + decision + "\"}";
}

Reply post(int port, const std::string& path, const std::string& key, const std::string& body,
           const std::string& cert = "kiosk", const std::string& deviceKey = "device.key") {
  auto signer = portti::firmware::ResultSigner::fromPemFile(pki(deviceKey));
  return call(port, "POST", path, cert, {{"Idempotency-Key", key}, {"Portti-Signature", signer.sign(body)}},
              body);
}

std::string idOf(const Reply& r) {
  auto at = r.body.find("\"id\":\"");
  return at == std::string::npos ? "" : r.body.substr(at + 6, 32);
}

std::map<std::string, std::string> bearer(const std::string& token = CaseSim::kReaderToken) {
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace

TEST(CaseSim, PostIsIdempotentAndChecksSignatureKioskAndKey) {
  portti::test::TempDir dir;
  CaseSim cs(dir.path.string(), pki(""), {});
  const std::string path = "/api/v1/verifications";
  Reply created = post(cs.port(), path, "tx-1", resultBody("tx-1"));
  EXPECT_EQ(created.status, 201) << created.body;
  Reply again = post(cs.port(), path, "tx-1", resultBody("tx-1"));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(idOf(again), idOf(created));
  EXPECT_EQ(post(cs.port(), path, "tx-1", resultBody("tx-1", "kiosk-1", "reject")).status, 409);
  // Signed by another kiosk's device key, or not signed at all.
  EXPECT_EQ(post(cs.port(), path, "tx-2", resultBody("tx-2"), "kiosk", "device2.key").status, 422);
  EXPECT_EQ(call(cs.port(), "POST", path, "kiosk", {{"Idempotency-Key", "tx-3"}}, resultBody("tx-3")).status,
            422);
  EXPECT_EQ(post(cs.port(), path, "tx-4", resultBody("tx-other")).status, 422);  // key != body id
  EXPECT_EQ(post(cs.port(), path, "bad key!", resultBody("bad key!")).status, 400);
  EXPECT_EQ(post(cs.port(), path, "tx-5", "not json").status, 400);
  EXPECT_EQ(cs.storedKeys(), std::vector<std::string>{"tx-1"});
}

TEST(CaseSim, ReadsNeedAuthenticationAndUnknownLooksLikeForbidden) {
  portti::test::TempDir dir;
  CaseSim cs(dir.path.string(), pki(""), {});
  std::string id = idOf(post(cs.port(), "/api/v1/verifications", "tx-r", resultBody("tx-r")));
  ASSERT_EQ(id.size(), 32u);
  const std::string path = "/api/v1/verifications/" + id;
  Reply own = call(cs.port(), "GET", path, "kiosk");
  EXPECT_EQ(own.status, 200);
  EXPECT_NE(own.body.find("\"decision\":\"accept\""), std::string::npos) << own.body;
  // The stored record's keys are snake_case like the result's own.
  for (const char* key : {"\"kiosk_id\":\"kiosk-1\"", "\"case_ref\":\"\"", "\"received_at_ms\":", "\"transaction_id\":\"tx-r\""})
    EXPECT_NE(own.body.find(key), std::string::npos) << key << " in " << own.body;
  EXPECT_EQ(call(cs.port(), "GET", path, "kiosk2", bearer()).status, 200);  // reader of kiosk-1
  Reply forbidden = call(cs.port(), "GET", path, "kiosk2");                 // another kiosk
  Reply unknown = call(cs.port(), "GET", "/api/v1/verifications/" + std::string(32, '0'), "kiosk2");
  EXPECT_EQ(forbidden.status, 404);
  EXPECT_EQ(forbidden.status, unknown.status);
  EXPECT_EQ(forbidden.body, unknown.body);
  EXPECT_EQ(call(cs.port(), "GET", path, "kiosk", bearer("wrong-token-0123456789")).status, 401);
  // Nothing lists or walks results.
  EXPECT_EQ(call(cs.port(), "GET", "/api/v1/verifications", "kiosk", bearer()).status, 405);
  EXPECT_EQ(call(cs.port(), "GET", "/api/v1/verifications/", "kiosk", bearer()).status, 404);
  EXPECT_EQ(call(cs.port(), "GET", "/api/v1/cases//verifications", "kiosk", bearer()).status, 404);
}

TEST(CaseSim, ReadsAreRateLimitedPerCaller) {
  portti::test::TempDir dir;
  CaseSim cs(dir.path.string(), pki(""), {.readsPerMinute = 3});
  const std::string path = "/api/v1/verifications/" + std::string(32, 'a');
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call(cs.port(), "GET", path, "kiosk").status, 404);
  EXPECT_EQ(call(cs.port(), "GET", path, "kiosk").status, 429);
  EXPECT_EQ(call(cs.port(), "GET", path, "kiosk", bearer()).status, 404);  // another caller
}

TEST(CaseSim, CaseEndpointAttachesAndReturnsOnlyThatCase) {
  portti::test::TempDir dir;
  CaseSim cs(dir.path.string(), pki(""), {});
  const std::string casePath = "/api/v1/cases/DIARY-2026-0042/verifications";
  Reply created = post(cs.port(), casePath, "tx-c1", resultBody("tx-c1"));
  ASSERT_EQ(created.status, 201) << created.body;
  post(cs.port(), "/api/v1/verifications", "tx-e", resultBody("tx-e"));
  Reply got = call(cs.port(), "GET", casePath, "kiosk2", bearer());
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_NE(got.body.find(idOf(created)), std::string::npos);
  EXPECT_EQ(got.body.find("tx-e"), std::string::npos) << "an e-gate result leaked into a case";
  Reply otherCase = call(cs.port(), "GET", "/api/v1/cases/DIARY-2026-0043/verifications", "kiosk2", bearer());
  Reply notHers = call(cs.port(), "GET", casePath, "kiosk2");
  EXPECT_EQ(otherCase.status, 404);
  EXPECT_EQ(notHers.status, 404);
  EXPECT_EQ(otherCase.body, notHers.body);
}

TEST(CaseSim, ExpiredClientCertificateFailsTheHandshake) {
  portti::test::TempDir dir;
  CaseSim cs(dir.path.string(), pki(""), {});
  EXPECT_ANY_THROW(post(cs.port(), "/api/v1/verifications", "tx-x", resultBody("tx-x"), "expired-kiosk"));
  EXPECT_TRUE(cs.storedKeys().empty());
}

TEST(CaseSim, CorruptOrIncompleteConfigIsAClearError) {
  portti::test::TempDir dir;
  auto run = [&](const std::string& text) {
    std::ofstream(dir / "bad.json") << text;
    portti::test::ChildProcess child(
        {portti::test::binDir() + "/portti-casesim", "--config", dir / "bad.json"}, dir / "err.txt");
    int code = child.wait();
    return std::make_pair(code, portti::test::readText(dir / "err.txt"));
  };
  auto [code, err] = run("{\"listen\": {\"port\": 8443,");
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("config " + (dir / "bad.json")), std::string::npos) << err;
  std::tie(code, err) = run("{\"tls\": {\"certificate\": \"a.pem\"}}");
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("tls.privateKey"), std::string::npos) << err;
  std::tie(code, err) =
      run("{\"tls\": {\"certificate\": \"/nope.pem\", \"privateKey\": \"/nope.key\", "
          "\"clientCa\": \"/nope-ca.pem\"}, \"database\": \"x\"}");
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("/nope.pem does not exist"), std::string::npos) << err;
}

TEST(CaseSim, IdempotencyHoldsAcrossARestart) {
  portti::test::TempDir dir;
  CaseSim cs(dir.path.string(), pki(""), {});
  Reply first = post(cs.port(), "/api/v1/verifications", "tx-keep", resultBody("tx-keep"));
  ASSERT_EQ(first.status, 201);
  cs.stop();
  cs.start();
  Reply again = post(cs.port(), "/api/v1/verifications", "tx-keep", resultBody("tx-keep"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(idOf(again), idOf(first));
  EXPECT_EQ(cs.storedKeys(), std::vector<std::string>{"tx-keep"});
}
