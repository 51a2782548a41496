// Facts: dates, MRZ dates with their century, age, the missing state.
#include "portti/firmware/facts.hpp"

#include <gtest/gtest.h>

using namespace portti::firmware;

TEST(Facts, Dates) {
  EXPECT_EQ(parseDate("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_FALSE(parseDate("2023-02-29"));
  EXPECT_FALSE(parseDate("2100-02-29"));
  EXPECT_TRUE(parseDate("2000-02-29"));
  EXPECT_FALSE(parseDate("2024-13-01"));
  EXPECT_FALSE(parseDate("2024-1-01"));
  EXPECT_FALSE(parseDate("2024-01-0x"));
  EXPECT_EQ(formatDate(Date{2030, 1, 31}), "2030-01-31");
  EXPECT_LT((Date{2030, 1, 31}), (Date{2030, 2, 1}));
}

TEST(Facts, MrzDatesGetTheirCentury) {
  const Date today{2026, 12, 4};
  EXPECT_EQ(mrzDate("740812", MrzDateKind::Birth, today), (Date{1974, 8, 12}));
  EXPECT_EQ(mrzDate("261204", MrzDateKind::Birth, today), (Date{2026, 12, 4}));
  EXPECT_EQ(mrzDate("261205", MrzDateKind::Birth, today), (Date{1926, 12, 5}));   // not in the future
  EXPECT_EQ(mrzDate("120415", MrzDateKind::Expiry, today), (Date{2012, 4, 15}));  // ICAO specimen
  EXPECT_EQ(mrzDate("350101", MrzDateKind::Expiry, today), (Date{2035, 1, 1}));
  EXPECT_FALSE(mrzDate("74<<<<", MrzDateKind::Birth, today));
  EXPECT_FALSE(mrzDate("741332", MrzDateKind::Birth, today));
}

TEST(Facts, Age) {
  EXPECT_EQ(ageOn(Date{1974, 8, 12}, Date{2026, 12, 4}), 52);
  EXPECT_EQ(ageOn(Date{2008, 12, 4}, Date{2026, 12, 4}), 18);
  EXPECT_EQ(ageOn(Date{2008, 12, 5}, Date{2026, 12, 4}), 17);
  EXPECT_EQ(ageOn(Date{2008, 2, 29}, Date{2026, 2, 28}), 17);
  EXPECT_EQ(ageOn(Date{2008, 2, 29}, Date{2026, 3, 1}), 18);
}

TEST(Facts, MissingIsNotAValue) {
  Facts f;
  EXPECT_TRUE(isMissing(f.get("face.score")));
  f.set("face.score", 0.0);
  EXPECT_FALSE(isMissing(f.get("face.score")));
  EXPECT_EQ(describe(f.get("face.score")), "0");
  f.setMissing("face.score");
  EXPECT_TRUE(isMissing(f.get("face.score")));
  EXPECT_EQ(describe(f.get("face.score")), "missing");
  f.set("pa.status", "valid");
  EXPECT_EQ(describe(f.get("pa.status")), "\"valid\"");
  EXPECT_EQ(FactCatalog::standard().kind("doc.expiry"), FactKind::Date);
  EXPECT_FALSE(FactCatalog::standard().kind("doc.number"));  // personal data is never a fact
}
