#include "portti/mrtd/mrz.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "portti/mrtd/error.hpp"

using namespace portti::mrtd;

namespace {

// ICAO Doc 9303 specimens: Part 4 (TD3), Part 5 (TD1), Part 6 (TD2), Part 7 (MRV-A, MRV-B).
const std::string kTd3L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kTd3L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const std::string kTd1L1 = "I<UTOD231458907<<<<<<<<<<<<<<<";
const std::string kTd1L2 = "7408122F1204159UTO<<<<<<<<<<<6";
const std::string kTd1L3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const std::string kTd2L1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
const std::string kTd2L2 = "D231458907UTO7408122F1204159<<<<<<<6";
const std::string kMrvAL1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kMrvAL2 = "L8988901C4XXX4009078F96121096ZE184226B<<<<<<";
const std::string kMrvBL1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
const std::string kMrvBL2 = "L8988901C4XXX4009078F9612109<<<<<<<<";
// A TD1 with a 12-character document number (Part 5, 4.2.4 note j): D23145890 in the number
// field, '<' in its check digit position, the overflow 734 and the real check digit 9 in the
// optional data, then a filler. Check digits computed independently (7-3-1 by hand/script).
const std::string kLongL1 = "I<UTOD23145890<7349<AB12<<<<<<";
const std::string kLongL2 = "7408122F1204159UTO<<<<<<<<<<<4";

std::string join(std::initializer_list<std::string> lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::string errorsOf(const Mrz& m) {
  std::string all;
  for (const auto& e : m.errors) all += e + "\n";
  return all;
}

bool hasError(const Mrz& m, const std::string& text) {
  for (const auto& e : m.errors) {
    if (e == text) return true;
  }
  return false;
}

}  // namespace

TEST(MrzCheckDigit, WeightsAndCharacterValues) {
  // Part 3, 4.9 worked example: 520727 -> 3; Part 11 D.2 fields.
  EXPECT_EQ(mrzCheckDigit("520727"), 3);
  EXPECT_EQ(mrzCheckDigit("L898902C<"), 3);
  EXPECT_EQ(mrzCheckDigit("690806"), 1);
  EXPECT_EQ(mrzCheckDigit("940623"), 6);
  EXPECT_EQ(mrzCheckDigit("AB2134<<<"), 5);  // Part 3, 4.9 example 2
  EXPECT_EQ(mrzCheckDigit(""), 0);
  EXPECT_EQ(mrzCheckDigit("a"), -1);
  EXPECT_EQ(mrzCheckDigit("12 3"), -1);
}

TEST(Mrz, Td3Specimen) {
  Mrz m = parseMrz(join({kTd3L1, kTd3L2}));
  ASSERT_TRUE(m.valid()) << errorsOf(m);
  EXPECT_EQ(m.format, MrzFormat::TD3);
  EXPECT_STREQ(mrzFormatName(m.format), "TD3");
  EXPECT_EQ(m.documentCode, "P");
  EXPECT_EQ(m.issuingState, "UTO");
  EXPECT_EQ(m.documentNumber, "L898902C3");
  EXPECT_EQ(m.documentNumberCheckDigit, '6');
  EXPECT_EQ(m.nationality, "UTO");
  EXPECT_EQ(m.dateOfBirth, "740812");
  EXPECT_EQ(m.dateOfExpiry, "120415");
  EXPECT_EQ(m.sex, 'F');
  EXPECT_EQ(m.primaryIdentifier, "ERIKSSON");
  EXPECT_EQ(m.secondaryIdentifier, "ANNA MARIA");
  EXPECT_EQ(m.optionalData, "ZE184226B");
  EXPECT_TRUE(m.validity.documentNumber && m.validity.dateOfBirth && m.validity.dateOfExpiry &&
              m.validity.optionalData && m.validity.names && m.validity.sex);
  EXPECT_EQ(m.validity.composite, std::optional<bool>(true));
  EXPECT_EQ(mrzInformation(m), "L898902C3674081221204159");
}

TEST(Mrz, Td1Specimen) {
  Mrz m = parseMrz(join({kTd1L1, kTd1L2, kTd1L3}));
  ASSERT_TRUE(m.valid()) << errorsOf(m);
  EXPECT_EQ(m.format, MrzFormat::TD1);
  EXPECT_EQ(m.documentCode, "I");
  EXPECT_EQ(m.documentNumber, "D23145890");
  EXPECT_EQ(m.documentNumberCheckDigit, '7');
  EXPECT_EQ(m.dateOfBirth, "740812");
  EXPECT_EQ(m.dateOfExpiry, "120415");
  EXPECT_EQ(m.nationality, "UTO");
  EXPECT_EQ(m.primaryIdentifier, "ERIKSSON");
  EXPECT_EQ(m.secondaryIdentifier, "ANNA MARIA");
  EXPECT_EQ(m.optionalData, "");
  EXPECT_EQ(m.optionalData2, "");
  EXPECT_EQ(m.validity.composite, std::optional<bool>(true));
  EXPECT_EQ(mrzInformation(m), "D23145890774081221204159");
}

TEST(Mrz, Td2Specimen) {
  Mrz m = parseMrz(join({kTd2L1, kTd2L2}));
  ASSERT_TRUE(m.valid()) << errorsOf(m);
  EXPECT_EQ(m.format, MrzFormat::TD2);
  EXPECT_EQ(m.documentNumber, "D23145890");
  EXPECT_EQ(m.dateOfBirth, "740812");
  EXPECT_EQ(m.dateOfExpiry, "120415");
  EXPECT_EQ(m.primaryIdentifier, "ERIKSSON");
  EXPECT_EQ(m.secondaryIdentifier, "ANNA MARIA");
}

TEST(Mrz, VisaSpecimensHaveNoComposite) {
  Mrz a = parseMrz(join({kMrvAL1, kMrvAL2}));
  ASSERT_TRUE(a.valid()) << errorsOf(a);
  EXPECT_EQ(a.format, MrzFormat::MrvA);
  EXPECT_STREQ(mrzFormatName(a.format), "MRV-A");
  EXPECT_EQ(a.documentCode, "V");
  EXPECT_EQ(a.documentNumber, "L8988901C");
  EXPECT_EQ(a.nationality, "XXX");
  EXPECT_EQ(a.dateOfBirth, "400907");
  EXPECT_EQ(a.dateOfExpiry, "961210");
  EXPECT_EQ(a.optionalData, "6ZE184226B");
  EXPECT_FALSE(a.validity.composite.has_value());

  Mrz b = parseMrz(join({kMrvBL1, kMrvBL2}));
  ASSERT_TRUE(b.valid()) << errorsOf(b);
  EXPECT_EQ(b.format, MrzFormat::MrvB);
  EXPECT_STREQ(mrzFormatName(b.format), "MRV-B");
  EXPECT_EQ(b.documentNumber, "L8988901C");
  EXPECT_EQ(b.optionalData, "");
  EXPECT_FALSE(b.validity.composite.has_value());
}

TEST(Mrz, Td1LongDocumentNumber) {
  Mrz m = parseMrz(join({kLongL1, kLongL2, kTd1L3}));
  ASSERT_TRUE(m.valid()) << errorsOf(m);
  EXPECT_EQ(m.documentNumber, "D23145890734");
  EXPECT_EQ(m.documentNumberCheckDigit, '9');
  EXPECT_EQ(m.optionalData, "AB12");
  // The BAC key uses the full number and its real check digit (Part 11, 9.7.2).
  EXPECT_EQ(mrzInformation(m), "D23145890734974081221204159");
  EXPECT_EQ(mrzInformation("D23145890734", "740812", "120415"), mrzInformation(m));

  // The overflow's check digit broken.
  std::string l1 = kLongL1;
  l1[18] = '8';
  Mrz bad = parseMrz(join({l1, kLongL2, kTd1L3}));
  EXPECT_FALSE(bad.validity.documentNumber);
  EXPECT_TRUE(hasError(bad, "document_number check digit: expected 9, found 8")) << errorsOf(bad);
  // '<' in the check digit position without an overflow is a plain wrong check digit.
  std::string l1b = kTd1L1;
  l1b[14] = '<';
  Mrz bad2 = parseMrz(join({l1b, kTd1L2, kTd1L3}));
  EXPECT_TRUE(hasError(bad2, "document_number check digit: expected 7, found <")) << errorsOf(bad2);
}

TEST(Mrz, AcceptsSeparatorsAndWhitespace) {
  for (const std::string& text : {"  " + kTd3L1 + "\r\n" + kTd3L2 + "\r\n\n",
                                  "\n\t" + kTd3L1 + " \n " + kTd3L2 + "\t", kTd3L1 + kTd3L2}) {
    Mrz m = parseMrz(text);
    EXPECT_TRUE(m.valid()) << errorsOf(m);
    EXPECT_EQ(m.format, MrzFormat::TD3);
  }
  EXPECT_EQ(parseMrz(kTd1L1 + kTd1L2 + kTd1L3).format, MrzFormat::TD1);
  EXPECT_EQ(parseMrz(kTd2L1 + kTd2L2).format, MrzFormat::TD2);
}

// Every check digit broken on its own: the message names the field and both digits.
TEST(Mrz, EachCheckDigitBrokenAlone) {
  struct Case {
    std::vector<std::string> lines;
    int line;
    std::size_t column;
    char replacement;
    std::string message;
    bool MrzFieldValidity::*field;  // nullptr: the composite
  };
  const std::vector<std::string> td3 = {kTd3L1, kTd3L2};
  const std::vector<std::string> td1 = {kTd1L1, kTd1L2, kTd1L3};
  const std::vector<std::string> td2 = {kTd2L1, kTd2L2};
  const std::vector<std::string> mrva = {kMrvAL1, kMrvAL2};
  const std::vector<std::string> mrvb = {kMrvBL1, kMrvBL2};
  const Case cases[] = {
      {td3, 1, 9, '5', "document_number check digit: expected 6, found 5", &MrzFieldValidity::documentNumber},
      {td3, 1, 19, '3', "date_of_birth check digit: expected 2, found 3", &MrzFieldValidity::dateOfBirth},
      {td3, 1, 27, '8', "date_of_expiry check digit: expected 9, found 8", &MrzFieldValidity::dateOfExpiry},
      {td3, 1, 42, '2', "optional_data check digit: expected 1, found 2", &MrzFieldValidity::optionalData},
      {td3, 1, 43, '1', "composite check digit: expected 0, found 1", nullptr},
      {td1, 0, 14, '8', "document_number check digit: expected 7, found 8",
       &MrzFieldValidity::documentNumber},
      {td1, 1, 6, '1', "date_of_birth check digit: expected 2, found 1", &MrzFieldValidity::dateOfBirth},
      {td1, 1, 14, '0', "date_of_expiry check digit: expected 9, found 0", &MrzFieldValidity::dateOfExpiry},
      {td1, 1, 29, '7', "composite check digit: expected 6, found 7", nullptr},
      {td2, 1, 9, '1', "document_number check digit: expected 7, found 1", &MrzFieldValidity::documentNumber},
      {td2, 1, 19, '<', "date_of_birth check digit: expected 2, found <", &MrzFieldValidity::dateOfBirth},
      {td2, 1, 27, '2', "date_of_expiry check digit: expected 9, found 2", &MrzFieldValidity::dateOfExpiry},
      {td2, 1, 35, '5', "composite check digit: expected 6, found 5", nullptr},
      {mrva, 1, 9, '3', "document_number check digit: expected 4, found 3",
       &MrzFieldValidity::documentNumber},
      {mrva, 1, 19, '9', "date_of_birth check digit: expected 8, found 9", &MrzFieldValidity::dateOfBirth},
      {mrvb, 1, 27, '0', "date_of_expiry check digit: expected 9, found 0", &MrzFieldValidity::dateOfExpiry},
  };
  for (const Case& c : cases) {
    std::vector<std::string> lines = c.lines;
    ASSERT_NE(lines[c.line][c.column], c.replacement);
    lines[c.line][c.column] = c.replacement;
    Mrz m = parseMrzLines(lines);
    SCOPED_TRACE(c.message);
    EXPECT_FALSE(m.valid());
    // The field's own digit fails, and the composite (where there is one) covers it too.
    EXPECT_TRUE(hasError(m, c.message)) << errorsOf(m);
    if (c.field) {
      EXPECT_FALSE(m.validity.*(c.field));
    } else {
      EXPECT_EQ(m.errors.size(), 1u) << errorsOf(m);
      EXPECT_EQ(m.validity.composite, std::optional<bool>(false));
    }
  }
}

TEST(Mrz, WrongLayouts) {
  const std::string expected =
      "layout: expected 3 lines of 30 characters (TD1), 2 lines of 36 (TD2, MRV-B) or 2 lines of 44 (TD3, "
      "MRV-A); found ";
  struct Case {
    std::string text;
    std::string found;
  };
  const Case cases[] = {
      {kTd3L1 + "\n" + kTd3L2.substr(0, 43), "2 lines of 44 and 43 characters"},
      {kTd3L1 + "<\n" + kTd3L2 + "<", "2 lines of 45 and 45 characters"},
      {kTd3L1, "1 line of 44 characters"},
      {kTd1L1 + "\n" + kTd1L2, "2 lines of 30 and 30 characters"},
      {kTd2L1 + "\n" + kTd3L2, "2 lines of 36 and 44 characters"},
      {kTd1L1 + "\n" + kTd1L2 + "\n" + kTd1L3 + "\n" + kTd1L3, "4 lines of 30, 30, 30 and 30 characters"},
      {kTd3L1 + kTd3L2 + "<", "1 line of 89 characters"},
  };
  for (const Case& c : cases) {
    Mrz m = parseMrz(c.text);
    EXPECT_EQ(m.format, MrzFormat::Unknown);
    EXPECT_FALSE(m.valid());
    ASSERT_EQ(m.errors.size(), 1u) << errorsOf(m);
    EXPECT_EQ(m.errors[0], expected + c.found);
  }
  Mrz empty = parseMrz(" \n\r\n ");
  EXPECT_FALSE(empty.valid());
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0], "layout: no MRZ lines found");
  EXPECT_THROW(mrzInformation(empty), Error);
}

TEST(Mrz, BadCharactersNameTheField) {
  struct Case {
    int line;
    std::size_t column;
    char replacement;
    std::string message;
  };
  const Case cases[] = {
      {1, 3, 'a', "document_number: invalid character 'a' at line 2, position 4"},
      {1, 15, 'O', "date_of_birth: invalid character 'O' at line 2, position 16"},
      {1, 23, ' ', "date_of_expiry: invalid character ' ' at line 2, position 24"},
      {0, 12, '1', "names: invalid character '1' at line 1, position 13"},
      {0, 3, '\xC4', "issuing_state: invalid character byte 0xC4 at line 1, position 4"},
      {1, 11, '7', "nationality: invalid character '7' at line 2, position 12"},
      {1, 30, '-', "optional_data: invalid character '-' at line 2, position 31"},
      {0, 0, '<', "document_code: the first character must be a letter, found '<'"},
      {1, 20, 'Q', "sex: invalid value 'Q' (expected M, F, X or <)"},
      {1, 9, 'C', "document_number check digit: expected 6, found C"},
  };
  // Fields that must not be empty.
  {
    std::vector<std::string> lines = {kTd3L1, kTd3L2};
    lines[0].replace(2, 3, "<<<");
    lines[1].replace(10, 3, "<<<");
    lines[1].replace(0, 10, "<<<<<<<<<0");
    lines[1][43] = static_cast<char>(
        '0' + mrzCheckDigit(lines[1].substr(0, 10) + lines[1].substr(13, 7) + lines[1].substr(21, 22)));
    Mrz m = parseMrzLines(lines);
    EXPECT_EQ(m.errors, (std::vector<std::string>{"issuing_state: empty", "document_number: empty",
                                                  "nationality: empty"}));
    EXPECT_FALSE(m.validity.issuingState || m.validity.documentNumber || m.validity.nationality);
  }
  for (const Case& c : cases) {
    std::vector<std::string> lines = {kTd3L1, kTd3L2};
    lines[c.line][c.column] = c.replacement;
    Mrz m = parseMrzLines(lines);
    SCOPED_TRACE(c.message);
    EXPECT_EQ(m.format, MrzFormat::TD3);
    EXPECT_FALSE(m.valid());
    EXPECT_TRUE(hasError(m, c.message)) << errorsOf(m);
  }
  // A TD1 with a bad character in optional data 2.
  std::string l2 = kTd1L2;
  l2[20] = '*';
  Mrz m = parseMrz(join({kTd1L1, l2, kTd1L3}));
  EXPECT_TRUE(hasError(m, "optional_data_2: invalid character '*' at line 2, position 21")) << errorsOf(m);
  EXPECT_FALSE(m.validity.optionalData);
  EXPECT_EQ(m.validity.composite, std::optional<bool>(false));
}

TEST(Mrz, ImplausibleDates) {
  // 741312 with a correct check digit (7-3-1 over 741312 = 8): only the date is wrong.
  std::string l2 = kTd3L2;
  l2.replace(13, 7, "7413128");
  Mrz m = parseMrz(join({kTd3L1, l2}));
  EXPECT_TRUE(hasError(m, "date_of_birth: 741312 is not a valid YYMMDD date")) << errorsOf(m);
  EXPECT_FALSE(m.validity.dateOfBirth);
  // An unknown day and month of birth (fillers, Part 3 4.7) is allowed.
  std::string l2b = kTd3L2;
  l2b.replace(13, 7, "74<<<<" + std::to_string(mrzCheckDigit("74<<<<")));
  Mrz unknown = parseMrz(join({kTd3L1, l2b}));
  EXPECT_TRUE(unknown.validity.dateOfBirth) << errorsOf(unknown);
  EXPECT_EQ(unknown.dateOfBirth, "74<<<<");
}

TEST(Mrz, NamesSplitAndNormalised) {
  MrzName n = splitMrzName("VAN<DER<STEEN<<MARIANNE<LOUISE<<<<<<<<<<");
  EXPECT_EQ(n.primaryIdentifier, "VAN DER STEEN");
  EXPECT_EQ(n.secondaryIdentifier, "MARIANNE LOUISE");
  n = splitMrzName("ERIKSSON<<<<<<<<<");
  EXPECT_EQ(n.primaryIdentifier, "ERIKSSON");
  EXPECT_EQ(n.secondaryIdentifier, "");
  n = splitMrzName("SMITH<<JOHN<J");
  EXPECT_EQ(n.secondaryIdentifier, "JOHN J");
}

TEST(Mrz, PersonalNumberCheckDigitMayBeFillerWhenEmpty) {
  // Part 4: with no personal number the check digit is '<' or 0.
  std::string l2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<";
  for (char cd : {'<', '0'}) {
    std::string line = l2 + cd;
    std::string data = line.substr(0, 10) + line.substr(13, 7) + line.substr(21, 22);
    line += static_cast<char>('0' + mrzCheckDigit(data));
    Mrz m = parseMrz(join({kTd3L1, line}));
    EXPECT_TRUE(m.valid()) << errorsOf(m);
  }
  std::string line = l2 + "5";
  line +=
      static_cast<char>('0' + mrzCheckDigit(line.substr(0, 10) + line.substr(13, 7) + line.substr(21, 22)));
  Mrz m = parseMrz(join({kTd3L1, line}));
  EXPECT_TRUE(hasError(m, "optional_data check digit: expected 0, found 5")) << errorsOf(m);
}

TEST(Mrz, ParseValidMrzThrowsWithEveryError) {
  EXPECT_NO_THROW(parseValidMrz(join({kTd3L1, kTd3L2})));
  std::string l2 = kTd3L2;
  l2[27] = '8';
  try {
    parseValidMrz(join({kTd3L1, l2}));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Mrz);
    EXPECT_NE(std::string(e.what()).find("date_of_expiry check digit: expected 9, found 8"),
              std::string::npos);
    EXPECT_NE(std::string(e.what()).find("composite check digit"), std::string::npos);
  }
}

// ICAO Doc 9303 Part 11, Appendix D.2 (../shared/vectors/icao9303-11-bac-sm.md).
TEST(BacKey, AppendixD2) {
  const std::string info = mrzInformation("L898902C", "690806", "940623");
  EXPECT_EQ(info, "L898902C<369080619406236");
  SecretBytes seed = bacKeySeed(info);
  EXPECT_EQ(toHex(seed.view()), "239AB9CB282DAF66231DC5A4DF6BFBAE");
  // The same through a parsed MRZ holding those fields.
  std::string l2 = "L898902C<3UTO6908061F9406236ZE184226B<<<<<1";
  l2 += static_cast<char>('0' + mrzCheckDigit(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22)));
  Mrz m = parseMrz(join({kTd3L1, l2}));
  ASSERT_TRUE(m.valid()) << errorsOf(m);
  EXPECT_EQ(m.documentNumber, "L898902C");
  EXPECT_EQ(mrzInformation(m), "L898902C<369080619406236");
}

TEST(BacKey, RejectsMalformedFields) {
  EXPECT_THROW(mrzInformation("", "690806", "940623"), Error);
  EXPECT_THROW(mrzInformation("l898902c", "690806", "940623"), Error);
  EXPECT_THROW(mrzInformation("L898902C", "69080", "940623"), Error);
  EXPECT_THROW(mrzInformation("L898902C", "690806", "94062X"), Error);
  EXPECT_THROW(mrzInformation("L898902C", "690806", "9406<3"), Error);
  EXPECT_EQ(bacKeySeed("").size(), 16u);
}

TEST(MrzCompose, ReproducesTheSpecimens) {
  MrzFields f;
  f.format = MrzFormat::TD3;
  f.documentCode = "P";
  f.issuingState = "UTO";
  f.documentNumber = "L898902C3";
  f.dateOfBirth = "740812";
  f.sex = 'F';
  f.dateOfExpiry = "120415";
  f.nationality = "UTO";
  f.primaryIdentifier = "ERIKSSON";
  f.secondaryIdentifier = "ANNA MARIA";
  f.optionalData = "ZE184226B";
  EXPECT_EQ(composeMrz(f), (std::vector<std::string>{kTd3L1, kTd3L2}));

  f.format = MrzFormat::TD1;
  f.documentCode = "I";
  f.documentNumber = "D23145890";
  f.optionalData = "";
  EXPECT_EQ(composeMrz(f), (std::vector<std::string>{kTd1L1, kTd1L2, kTd1L3}));
  f.format = MrzFormat::TD2;
  EXPECT_EQ(composeMrz(f), (std::vector<std::string>{kTd2L1, kTd2L2}));
  f.format = MrzFormat::TD1;
  f.documentNumber = "D23145890734";
  f.optionalData = "AB12";
  EXPECT_EQ(composeMrz(f), (std::vector<std::string>{kLongL1, kLongL2, kTd1L3}));

  f.format = MrzFormat::MrvA;
  f.documentCode = "V";
  f.documentNumber = "L8988901C";
  f.nationality = "XXX";
  f.dateOfBirth = "400907";
  f.dateOfExpiry = "961210";
  f.optionalData = "6ZE184226B";
  EXPECT_EQ(composeMrz(f), (std::vector<std::string>{kMrvAL1, kMrvAL2}));
  f.format = MrzFormat::MrvB;
  f.optionalData = "";
  EXPECT_EQ(composeMrz(f), (std::vector<std::string>{kMrvBL1, kMrvBL2}));
}

TEST(MrzCompose, RejectsFieldsThatDoNotFit) {
  MrzFields f;
  f.documentCode = "P";
  f.issuingState = "UTO";
  f.documentNumber = "X1234567";
  f.dateOfBirth = "800101";
  f.dateOfExpiry = "300101";
  f.nationality = "UTO";
  f.primaryIdentifier = "VAN DER STEEN";
  f.secondaryIdentifier = "MARIANNE LOUISE AND A VERY LONG SET OF GIVEN NAMES";
  const auto lines = composeMrz(f);
  Mrz m = parseMrzLines(lines);
  EXPECT_TRUE(m.valid()) << errorsOf(m);
  EXPECT_EQ(m.primaryIdentifier, "VAN DER STEEN");
  EXPECT_EQ(lines[1][42], '<');  // empty personal number: filler check digit

  auto broken = [&](auto change) {
    MrzFields g = f;
    change(g);
    return g;
  };
  const MrzFields bad[] = {
      broken([](MrzFields& g) { g.documentNumber = "X12345678901"; }),  // TD3 has no overflow
      broken([](MrzFields& g) { g.documentNumber = "x1234567"; }),
      broken([](MrzFields& g) { g.dateOfBirth = "80010"; }),
      broken([](MrzFields& g) { g.dateOfExpiry = "3001<1"; }),
      broken([](MrzFields& g) { g.issuingState = "UTOP"; }),
      broken([](MrzFields& g) { g.sex = 'Q'; }),
      broken([](MrzFields& g) { g.optionalData = "123456789012345"; }),
      broken([](MrzFields& g) { g.format = MrzFormat::Unknown; }),
      broken([](MrzFields& g) {
        g.format = MrzFormat::TD2;
        g.documentNumber = "X1234567890123";  // overflow of 5 + cd does not fit TD2's 7 with data
        g.optionalData = "AB";
      }),
  };
  for (const MrzFields& g : bad) EXPECT_THROW(composeMrz(g), Error) << g.documentNumber;
}
