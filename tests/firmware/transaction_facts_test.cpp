// From a transaction to the rules: the facts a real read establishes, and a real rule file deciding.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <fstream>

#include "kiosk_fixture.hpp"
#include "portti/firmware/transaction/transaction_facts.hpp"

namespace portti::firmware::test {
namespace {

TEST(TransactionFacts, AGenuineReadEstablishesTheCatalogFacts) {
  Kiosk k;
  CapturingPolicy policy;
  k.parts.policy = &policy;
  k.runToIdle();
  const Facts& f = policy.facts;
  EXPECT_EQ(describe(f.get("kiosk.mode")), "\"egate\"");
  EXPECT_EQ(describe(f.get("doc.type")), "\"P\"");
  EXPECT_EQ(describe(f.get("doc.issuing_state")), "\"UTO\"");
  EXPECT_EQ(describe(f.get("doc.expiry")), "2012-04-15");
  EXPECT_EQ(describe(f.get("holder.age")), "52");  // born 1974-08-12
  EXPECT_EQ(describe(f.get("doc.mrz_matches_chip")), "true");
  EXPECT_EQ(describe(f.get("chip.access")), "\"pace-ecdh-gm-aes128\"");
  EXPECT_EQ(describe(f.get("pa.status")), "\"valid\"");
  EXPECT_EQ(describe(f.get("pa.revocation")), "\"not checked\"");
  EXPECT_EQ(describe(f.get("chip.auth")), "\"passed\"");
  EXPECT_EQ(describe(f.get("face.score")), "0.9");
  EXPECT_TRUE(isMissing(f.get("mad.dmad"))) << "no MAD: the fact is missing, never a pass";
  for (const auto& [name, value] : f.all()) EXPECT_TRUE(FactCatalog::standard().kind(name)) << name;
}

TEST(TransactionFacts, RuleFilePolicyDecidesWithTheTrace) {
  const fs::path dir = tempDir("rules-policy");
  std::ofstream(dir / "kiosk.rules") << "rule pa: pa.status == valid else reject PA_INVALID\n"
                                        "rule face: face.score >= 0.62 else refer FACE_MISMATCH\n"
                                        "rule mad: mad.dmad < 0.5 else refer MORPH_SUSPECTED\n";
  RuleFilePolicy policy(std::make_shared<RuleFile>(dir / "kiosk.rules"));
  Kiosk k(Mode::Egate, 0.3);
  k.parts.policy = &policy;
  k.runToIdle();
  ASSERT_EQ(k.sink.results.size(), 1u);
  auto r = Poco::JSON::Parser().parse(k.sink.results[0]).extract<Poco::JSON::Object::Ptr>();
  auto d = r->getObject("decision");
  EXPECT_EQ(d->getValue<std::string>("decision"), "refer");
  auto reasons = d->getArray("reasons");
  ASSERT_EQ(reasons->size(), 2u);
  EXPECT_EQ(reasons->getElement<std::string>(0), "FACE_MISMATCH");
  EXPECT_EQ(reasons->getElement<std::string>(1), "MORPH_SUSPECTED");
  EXPECT_EQ(d->getArray("trace")->size(), 3u);
  EXPECT_EQ(k.gate.events, std::vector<std::string>{"closed"});
}

}  // namespace
}  // namespace portti::firmware::test
