#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "kiosk_fixture.hpp"

namespace portti::firmware::test {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(ResultBuilder, CarriesFactsAndVerdictsButNoNameNumberOrImages) {
  Kiosk k;
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  const std::string& text = k.sink.results[0];
  for (const char* personal : {"ERIKSSON", "ANNA", "L898902C3", "740812", "base64"})
    EXPECT_EQ(text.find(personal), std::string::npos) << personal << " in " << text;
  auto r = parse(text);
  EXPECT_EQ(r->getValue<std::string>("kiosk_id"), "kiosk-test");
  EXPECT_EQ(r->getValue<std::string>("mode"), "egate");
  auto doc = r->getObject("document");
  EXPECT_EQ(doc->getValue<std::string>("type"), "P");
  EXPECT_EQ(doc->getValue<std::string>("issuing_state"), "UTO");
  EXPECT_EQ(doc->getValue<std::string>("expiry"), "2012-04-15");
  EXPECT_EQ(doc->getValue<std::string>("number_pseudonym"),
            Pseudonymizer(kPseudonymKey).pseudonym("UTO/L898902C3"));
  EXPECT_NE(doc->getValue<std::string>("number_pseudonym"), Pseudonymizer(std::string(32, 'x')).pseudonym("UTO/L898902C3"));
  EXPECT_FALSE(doc->has("number"));
  EXPECT_EQ(r->getObject("chip")->getValue<std::string>("access"), "PACE-ECDH-GM-AES128");  // the virtual passport offers PACE
  EXPECT_EQ(r->getObject("decision")->getArray("reasons")->size(), 0u);
  EXPECT_FALSE(r->has("images"));
  EXPECT_LT(r->getValue<std::string>("started_at"), r->getValue<std::string>("finished_at"));
}

TEST(ResultBuilder, ImagesAndNumberOnlyWhenConfigured) {
  Kiosk k;
  ResultOptions options{"kiosk-test", kPseudonymKey, true, true};
  k.sink = RecordingSink(options, &k.gate.events);
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto r = parse(k.sink.results[0]);
  EXPECT_EQ(r->getObject("document")->getValue<std::string>("number"), "L898902C3");
  ASSERT_TRUE(r->has("images"));
  EXPECT_GT(r->getObject("images")->getValue<std::string>("portrait_jpeg_base64").size(), 1000u);
  EXPECT_GT(r->getObject("images")->getValue<std::string>("live_jpeg_base64").size(), 1000u);
}


}  // namespace
}  // namespace portti::firmware::test
