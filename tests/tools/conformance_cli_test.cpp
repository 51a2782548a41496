// `portti conformance` (the whole suite, as the acceptance check runs it) and the inspection
// verdict that `portti read --json` prints beside Passive Authentication.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <sstream>
#include <unistd.h>

#include "tools/run_portti.hpp"

using portti::testing::quote;
using portti::testing::runPortti;
namespace fs = std::filesystem;

namespace {
std::size_t linesContaining(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (line.find(word) != std::string::npos) ++n;
  }
  return n;
}
}  // namespace

TEST(ConformanceCli, EveryCasePassesAndOnlyPassingRowsSayPass) {
  auto r = runPortti("conformance");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_GE(linesContaining(r.out, "pass"), 40u) << r.out;
  EXPECT_EQ(linesContaining(r.out, "fail "), 0u) << r.out;  // the header and summary carry neither word
  EXPECT_NE(r.out.find("SOD-05"), std::string::npos);
}

TEST(ConformanceCli, OneGroupAndAnUnknownCase) {
  auto r = runPortti("conformance --case CERT");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("CERT-01"), std::string::npos);
  EXPECT_EQ(r.out.find("SOD-01"), std::string::npos);
  EXPECT_EQ(runPortti("conformance --case NO-SUCH").exitCode, 1);  // nothing ran: not a success
}

TEST(ReadInspection, JsonCarriesChecksAndFailureCodes) {
  const char* photo = "assets/astronaut.png";
  if (!fs::exists(photo)) GTEST_SKIP() << photo << " missing: run scripts/setup";
  const fs::path dir = fs::temp_directory_path() / ("portti-inspect-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  // The ICAO specimen: Passive Authentication valid, the document itself expired in 2012.
  const std::string mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
  ASSERT_EQ(runPortti("pki make-test " + quote((dir / "pki").string())).exitCode, 0);
  ASSERT_EQ(runPortti("chip make --mrz " + quote(mrz) + " --photo " + photo + " --pki " + quote((dir / "pki").string()) +
                      " --out " + quote((dir / "chip").string()))
                .exitCode,
            0);
  auto r = runPortti("read --reader sim:" + quote((dir / "chip").string()) + " --mrz " + quote(mrz) + " --trust " +
                     quote((dir / "pki").string()) + " --json");
  fs::remove_all(dir);
  ASSERT_EQ(r.exitCode, 0) << r.out;  // the exit code follows Passive Authentication
  auto o = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getObject("passive_auth")->getValue<std::string>("status"), "valid");
  EXPECT_EQ(o->getValue<std::string>("verdict"), "invalid");
  auto checks = o->getObject("checks");
  EXPECT_EQ(checks->getObject("passive_auth")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(checks->getObject("dg1_vs_mrz")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(checks->getObject("com_vs_sod")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(checks->getObject("issuing_state")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(checks->getObject("lds_structure")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(checks->getObject("document_expiry")->getValue<std::string>("status"), "failed");
  EXPECT_EQ(checks->getObject("chip_auth")->getValue<std::string>("status"), "passed");
  EXPECT_EQ(checks->getObject("active_auth")->getValue<std::string>("status"), "passed");
  auto failures = o->getArray("failures");
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ(failures->getElement<std::string>(0), "doc.expired");
}
