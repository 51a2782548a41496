// Composing MRZ lines from fields: the layouts of ICAO Doc 9303 Parts 4-7 with the check digits
// of Part 3, 4.9.
#include <algorithm>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kStep = "compose MRZ";

bool mrzChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

/// `value` padded with fillers to `width`; throws if it is longer or holds other characters.
std::string field(const char* name, const std::string& value, std::size_t width) {
  if (value.size() > width) {
    throw Error(
        ErrorArea::Mrz, kStep,
        std::string(name) + " '" + value + "' is longer than " + std::to_string(width) + " characters");
  }
  if (!std::all_of(value.begin(), value.end(), mrzChar)) {
    throw Error(ErrorArea::Mrz, kStep,
                std::string(name) + " '" + value + "' holds characters outside A-Z, 0-9 and <");
  }
  return value + std::string(width - value.size(), '<');
}

std::string date(const char* name, const std::string& value, bool mayBeUnknown) {
  const bool ok = value.size() == 6 && std::all_of(value.begin(), value.end(), [&](char c) {
                    return (c >= '0' && c <= '9') || (mayBeUnknown && c == '<');
                  });
  if (!ok) throw Error(ErrorArea::Mrz, kStep, std::string(name) + " must be YYMMDD, got '" + value + "'");
  return value;
}

char cd(std::string_view s) {
  return static_cast<char>('0' + mrzCheckDigit(s));
}

std::string names(const MrzFields& f, std::size_t width) {
  std::string all = f.primaryIdentifier;
  if (!f.secondaryIdentifier.empty()) all += "<<" + f.secondaryIdentifier;
  std::replace(all.begin(), all.end(), ' ', '<');
  if (all.size() > width) all.resize(width);
  return field("names", all, width);
}

/// Document number, its check digit and the optional data that follows it on the same line
/// (`optionalWidth` characters); a number over 9 characters overflows there when `overflow`.
std::string numberAndOptional(const MrzFields& f, std::size_t optionalWidth, bool overflow) {
  const std::string& n = f.documentNumber;
  if (n.size() <= 9) {
    const std::string number = field("document_number", n, 9);
    return number + cd(number) + field("optional_data", f.optionalData, optionalWidth);
  }
  if (!overflow)
    throw Error(ErrorArea::Mrz, kStep, "document_number over 9 characters fits only TD1 and TD2");
  field("document_number", n, 22);
  std::string optional = n.substr(9) + cd(n);
  if (!f.optionalData.empty()) optional += "<" + f.optionalData;
  return n.substr(0, 9) + "<" +
         field("optional_data (with the document number overflow)", optional, optionalWidth);
}

std::string code(const MrzFields& f) {
  return field("document_code", f.documentCode, 2);
}

void requireSex(char sex) {
  if (sex != 'M' && sex != 'F' && sex != 'X' && sex != '<') {
    throw Error(ErrorArea::Mrz, kStep, std::string("sex must be M, F, X or <, got '") + sex + "'");
  }
}

}  // namespace

std::vector<std::string> composeMrz(const MrzFields& f) {
  requireSex(f.sex);
  const std::string state = field("issuing_state", f.issuingState, 3);
  const std::string nationality = field("nationality", f.nationality, 3);
  const std::string dob = date("date_of_birth", f.dateOfBirth, true);
  const std::string doe = date("date_of_expiry", f.dateOfExpiry, false);
  const std::string birth = dob + cd(dob);
  const std::string expiry = doe + cd(doe);

  switch (f.format) {
    case MrzFormat::TD1: {
      // Part 5: number and optional data 1 on line 1, dates and optional data 2 on line 2.
      const std::string l1 = code(f) + state + numberAndOptional(f, 15, true);
      std::string l2 = birth + f.sex + expiry + nationality + field("optional_data_2", f.optionalData2, 11);
      l2 += cd(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
      return {l1, l2, names(f, 30)};
    }
    case MrzFormat::TD2: {
      const std::string line = numberAndOptional(f, 7, true);  // number, cd, optional data
      std::string l2 = line.substr(0, 10) + nationality + birth + f.sex + expiry + line.substr(10);
      l2 += cd(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14));
      return {code(f) + state + names(f, 31), l2};
    }
    case MrzFormat::TD3: {
      // Part 4: the personal number has its own check digit, '<' when it is empty.
      const std::string number = field("document_number", f.documentNumber, 9);
      const std::string personal = field("optional_data", f.optionalData, 14);
      std::string l2 = number + cd(number) + nationality + birth + f.sex + expiry + personal +
                       (f.optionalData.empty() ? '<' : cd(personal));
      l2 += cd(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22));
      return {code(f) + state + names(f, 39), l2};
    }
    case MrzFormat::MrvA:
    case MrzFormat::MrvB: {
      // Part 7: no composite check digit.
      const bool a = f.format == MrzFormat::MrvA;
      const std::string line = numberAndOptional(f, a ? 16 : 8, false);
      const std::string l2 = line.substr(0, 10) + nationality + birth + f.sex + expiry + line.substr(10);
      return {code(f) + state + names(f, a ? 39 : 31), l2};
    }
    case MrzFormat::Unknown:
      break;
  }
  throw Error(ErrorArea::Mrz, kStep, "no MRZ format given");
}

}  // namespace portti::mrtd
