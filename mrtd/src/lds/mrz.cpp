// MRZ parsing: ICAO Doc 9303 Part 3 (common rules, check digits), Part 4 (TD3), Part 5 (TD1),
// Part 6 (TD2), Part 7 (MRV-A, MRV-B).
#include "portti/mrtd/mrz.hpp"

#include <cstdio>

#include "portti/mrtd/error.hpp"

namespace portti::mrtd {

namespace {

bool isAlpha(char c) {
  return (c >= 'A' && c <= 'Z') || c == '<';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isDateChar(char c) {
  return isDigit(c) || c == '<';
}
bool isMrzChar(char c) {
  return isAlpha(c) || isDigit(c);
}

/// A character for a message: 'a' when printable ASCII, byte 0xC3 otherwise.
std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  char buf[16];
  if (u >= 0x20 && u < 0x7F) {
    std::snprintf(buf, sizeof buf, "'%c'", c);
  } else {
    std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  }
  return buf;
}

std::string trimFillers(std::string_view s) {
  std::size_t end = s.size();
  while (end > 0 && s[end - 1] == '<') --end;
  return std::string(s.substr(0, end));
}

/// Fillers to single spaces, leading and trailing ones dropped.
std::string fillersToSpaces(std::string_view s) {
  std::string out;
  bool pendingSpace = false;
  for (char c : s) {
    if (c == '<') {
      pendingSpace = !out.empty();
    } else {
      if (pendingSpace) out.push_back(' ');
      pendingSpace = false;
      out.push_back(c);
    }
  }
  return out;
}

bool isWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

/// Where a field sits: line index and start column (0-based) and its length.
struct Span {
  int line;
  std::size_t start;
  std::size_t length;
};

/// The positions of each field in one format (Parts 4-7, the "data structure" tables).
struct Layout {
  MrzFormat format;
  Span documentNumber;  // 9 characters, check digit right after
  Span nationality;
  Span dateOfBirth;  // 6 characters, check digit right after
  Span sex;
  Span dateOfExpiry;  // 6 characters, check digit right after
  Span names;
  Span optionalData;
  int optionalDataCheckDigit;  // column on the line of optionalData, -1 if none (TD3 only)
  Span optionalData2;          // length 0 unless TD1
  Span compositeDigit;         // length 0 for visas
  std::vector<Span> composite;
  bool longNumberOverflow;  // TD1/TD2: a number over 9 characters continues in optionalData
};

const Layout& layoutOf(MrzFormat f) {
  static const Layout td1{MrzFormat::TD1,
                          {0, 5, 9},
                          {1, 15, 3},
                          {1, 0, 6},
                          {1, 7, 1},
                          {1, 8, 6},
                          {2, 0, 30},
                          {0, 15, 15},
                          -1,
                          {1, 18, 11},
                          {1, 29, 1},
                          {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}},
                          true};
  static const Layout td2{MrzFormat::TD2,
                          {1, 0, 9},
                          {1, 10, 3},
                          {1, 13, 6},
                          {1, 20, 1},
                          {1, 21, 6},
                          {0, 5, 31},
                          {1, 28, 7},
                          -1,
                          {1, 0, 0},
                          {1, 35, 1},
                          {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}},
                          true};
  static const Layout td3{
      MrzFormat::TD3, {1, 0, 9},   {1, 10, 3}, {1, 13, 6}, {1, 20, 1}, {1, 21, 6},
      {0, 5, 39},     {1, 28, 14}, 42,         {1, 0, 0},  {1, 43, 1}, {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}},
      false};
  static const Layout mrvA{MrzFormat::MrvA, {1, 0, 9},  {1, 10, 3},  {1, 13, 6}, {1, 20, 1},
                           {1, 21, 6},      {0, 5, 39}, {1, 28, 16}, -1,         {1, 0, 0},
                           {1, 0, 0},       {},         false};
  static const Layout mrvB{MrzFormat::MrvB, {1, 0, 9},  {1, 10, 3}, {1, 13, 6}, {1, 20, 1},
                           {1, 21, 6},      {0, 5, 31}, {1, 28, 8}, -1,         {1, 0, 0},
                           {1, 0, 0},       {},         false};
  switch (f) {
    case MrzFormat::TD1:
      return td1;
    case MrzFormat::TD2:
      return td2;
    case MrzFormat::TD3:
      return td3;
    case MrzFormat::MrvA:
      return mrvA;
    default:
      return mrvB;
  }
}

/// Days in a month of any year (February may have 29: the century is unknown).
int daysIn(int month) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return days[month - 1];
}

class Parser {
 public:
  explicit Parser(Mrz& mrz) : m_(mrz) {}

  void run() {
    if (!detectFormat()) return;
    const Layout& L = layoutOf(m_.format);
    auto& v = m_.validity;

    // Document code and issuing state sit at the start of the first line in every format.
    std::string_view code = at({0, 0, 2});
    v.documentCode = checkChars("document_code", {0, 0, 2}, isAlpha);
    if (code[0] == '<') {
      error("document_code: the first character must be a letter, found '<'");
      v.documentCode = false;
    }
    m_.documentCode = trimFillers(code);
    v.issuingState = requireCode("issuing_state", {0, 2, 3}, m_.issuingState);

    parseDocumentNumber(L);
    v.dateOfBirth = parseDate("date_of_birth", L.dateOfBirth, true, m_.dateOfBirth, m_.dateOfBirthCheckDigit);
    v.dateOfExpiry =
        parseDate("date_of_expiry", L.dateOfExpiry, false, m_.dateOfExpiry, m_.dateOfExpiryCheckDigit);

    const char sex = at(L.sex)[0];
    m_.sex = sex;
    v.sex = sex == 'M' || sex == 'F' || sex == 'X' || sex == '<';
    if (!v.sex) error("sex: invalid value " + describe(sex) + " (expected M, F, X or <)");

    v.nationality = requireCode("nationality", L.nationality, m_.nationality);

    parseNames(L);
    parseOptionalData(L);
    parseComposite(L);
  }

 private:
  std::string_view at(Span s) const {
    return std::string_view(m_.lines[static_cast<std::size_t>(s.line)]).substr(s.start, s.length);
  }
  void error(std::string message) { m_.errors.push_back(std::move(message)); }

  bool detectFormat() {
    const auto& lines = m_.lines;
    if (lines.empty()) {
      error("layout: no MRZ lines found");
      return false;
    }
    const std::size_t n = lines.size();
    const std::size_t len = lines[0].size();
    bool sameLength = true;
    for (const auto& l : lines) sameLength = sameLength && l.size() == len;
    if (sameLength && n == 3 && len == 30) {
      m_.format = MrzFormat::TD1;
    } else if (sameLength && n == 2 && len == 36) {
      m_.format = lines[0][0] == 'V' ? MrzFormat::MrvB : MrzFormat::TD2;
    } else if (sameLength && n == 2 && len == 44) {
      m_.format = lines[0][0] == 'V' ? MrzFormat::MrvA : MrzFormat::TD3;
    } else {
      std::string found = std::to_string(n) + (n == 1 ? " line of " : " lines of ");
      for (std::size_t i = 0; i < n && i < 4; ++i) {
        if (i > 0) found += i + 1 == n ? " and " : ", ";
        found += std::to_string(lines[i].size());
      }
      if (n > 4) found += ", ...";
      error(
          "layout: expected 3 lines of 30 characters (TD1), 2 lines of 36 (TD2, MRV-B) or 2 lines of 44 "
          "(TD3, MRV-A); found " +
          found + " characters");
      return false;
    }
    return true;
  }

  /// Reports each character of `s` that `allowed` refuses; true if there is none.
  bool checkChars(const char* field, Span s, bool (*allowed)(char)) {
    std::string_view text = at(s);
    bool ok = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (allowed(text[i])) continue;
      ok = false;
      error(std::string(field) + ": invalid character " + describe(text[i]) + " at line " +
            std::to_string(s.line + 1) + ", position " + std::to_string(s.start + i + 1));
    }
    return ok;
  }

  /// Compares a printed check digit with the one computed over `data`. No message when `data`
  /// holds invalid characters: those were reported already.
  bool checkDigit(const std::string& field, std::string_view data, char found) {
    const int expected = mrzCheckDigit(data);
    if (expected < 0) return false;
    if (found == static_cast<char>('0' + expected)) return true;
    error(field + " check digit: expected " + std::to_string(expected) + ", found " +
          (isMrzChar(found) ? std::string(1, found) : describe(found)));
    return false;
  }

  void parseDocumentNumber(const Layout& L) {
    const Span field = L.documentNumber;
    const Span cdSpan{field.line, field.start + 9, 1};
    const std::string_view number = at(field);
    const char cd = at(cdSpan)[0];
    bool ok = checkChars("document_number", field, isMrzChar);

    // Part 5, 4.2.4 note j (and Part 6): a number over 9 characters puts '<' in the check digit
    // position and continues in the optional data, followed by its check digit and a filler.
    if (L.longNumberOverflow && cd == '<') {
      const std::string_view optional = at(L.optionalData);
      std::size_t run = 0;
      while (run < optional.size() && optional[run] != '<') ++run;
      if (run >= 2) {
        // Invalid characters of the overflow are reported once, with the optional data.
        for (std::size_t i = 0; i < run; ++i) ok = ok && isMrzChar(optional[i]);
        if (number.find('<') != std::string_view::npos) {
          error("document_number: a number continued in the optional data must fill all 9 positions");
          ok = false;
        }
        m_.documentNumber = std::string(number) + std::string(optional.substr(0, run - 1));
        m_.documentNumberCheckDigit = optional[run - 1];
        longNumberOptionalStart_ = run + 1;
        if (ok) ok = checkDigit("document_number", m_.documentNumber, m_.documentNumberCheckDigit);
        m_.validity.documentNumber = ok;
        return;
      }
    }
    m_.documentNumber = trimFillers(number);
    m_.documentNumberCheckDigit = cd;
    if (m_.documentNumber.empty()) {
      error("document_number: empty");
      ok = false;
    }
    if (ok) {
      ok = checkDigit("document_number", number, cd);
    } else if (!isDigit(cd)) {
      checkChars("document_number check digit", cdSpan, isDigit);
    }
    m_.validity.documentNumber = ok;
  }

  /// A three-letter state or organisation code (Part 3, 5): letters, fillers for shorter codes.
  bool requireCode(const char* field, Span s, std::string& out) {
    bool ok = checkChars(field, s, isAlpha);
    out = trimFillers(at(s));
    if (out.empty()) {
      error(std::string(field) + ": empty");
      ok = false;
    }
    return ok;
  }

  bool parseDate(const char* field, Span s, bool mayBeUnknown, std::string& out, char& cdOut) {
    const std::string_view date = at(s);
    const char cd = at({s.line, s.start + 6, 1})[0];
    out = std::string(date);
    cdOut = cd;
    bool ok = checkChars(field, s, mayBeUnknown ? isDateChar : isDigit);
    if (!ok) {
      if (!isDigit(cd))
        checkChars((std::string(field) + " check digit").c_str(), {s.line, s.start + 6, 1}, isDigit);
      return false;
    }
    // Plausibility of the parts that are known (Part 3, 4.7: unknown parts are fillers).
    auto part = [&](std::size_t i) -> int {
      if (date[i] == '<' || date[i + 1] == '<') return -1;
      return (date[i] - '0') * 10 + (date[i + 1] - '0');
    };
    const int month = part(2);
    const int day = part(4);
    if (month == 0 || month > 12 || day == 0 || day > 31 || (month > 0 && day > daysIn(month))) {
      error(std::string(field) + ": " + out + " is not a valid YYMMDD date");
      ok = false;
    }
    return checkDigit(field, date, cd) && ok;
  }

  void parseNames(const Layout& L) {
    bool ok = checkChars("names", L.names, isAlpha);
    MrzName name = splitMrzName(at(L.names));
    m_.primaryIdentifier = std::move(name.primaryIdentifier);
    m_.secondaryIdentifier = std::move(name.secondaryIdentifier);
    if (m_.primaryIdentifier.empty()) {
      error("names: the primary identifier is empty");
      ok = false;
    }
    m_.validity.names = ok;
  }

  void parseOptionalData(const Layout& L) {
    bool ok = checkChars("optional_data", L.optionalData, isMrzChar);
    std::string_view optional = at(L.optionalData);
    if (longNumberOptionalStart_ > 0) {
      optional.remove_prefix(std::min(longNumberOptionalStart_, optional.size()));
    }
    m_.optionalData = trimFillers(optional);
    if (L.optionalDataCheckDigit >= 0) {
      // Part 4, 4.2.2 note: with an all-filler personal number the check digit may be '<' or 0.
      const Span cdSpan{L.optionalData.line, static_cast<std::size_t>(L.optionalDataCheckDigit), 1};
      const char cd = at(cdSpan)[0];
      const bool emptyWithFiller = m_.optionalData.empty() && (cd == '<' || cd == '0');
      if (!emptyWithFiller && ok) {
        ok = checkDigit("optional_data", at(L.optionalData), cd);
      } else if (!emptyWithFiller && !isDigit(cd)) {
        checkChars("optional_data check digit", cdSpan, isDigit);
      }
    }
    if (L.optionalData2.length > 0) {
      ok = checkChars("optional_data_2", L.optionalData2, isMrzChar) && ok;
      m_.optionalData2 = trimFillers(at(L.optionalData2));
    }
    m_.validity.optionalData = ok;
  }

  void parseComposite(const Layout& L) {
    if (L.compositeDigit.length == 0) return;  // visas have no composite check digit (Part 7)
    std::string data;
    for (const Span& s : L.composite) data += at(s);
    const char cd = at(L.compositeDigit)[0];
    bool ok;
    if (mrzCheckDigit(data) < 0) {
      ok = false;  // invalid characters inside, reported with their fields
      if (!isDigit(cd)) {
        checkChars("composite check digit", L.compositeDigit, isDigit);
      }
    } else {
      ok = checkDigit("composite", data, cd);
    }
    m_.validity.composite = ok;
  }

  Mrz& m_;
  std::size_t longNumberOptionalStart_ = 0;
};

}  // namespace

const char* mrzFormatName(MrzFormat format) {
  switch (format) {
    case MrzFormat::TD1:
      return "TD1";
    case MrzFormat::TD2:
      return "TD2";
    case MrzFormat::TD3:
      return "TD3";
    case MrzFormat::MrvA:
      return "MRV-A";
    case MrzFormat::MrvB:
      return "MRV-B";
    case MrzFormat::Unknown:
      break;
  }
  return "unknown";
}

int mrzCheckDigit(std::string_view field) {
  static const int weights[] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    int value;
    if (isDigit(c)) {
      value = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      value = c - 'A' + 10;
    } else if (c == '<') {
      value = 0;
    } else {
      return -1;
    }
    sum += value * weights[i % 3];
  }
  return sum % 10;
}

MrzName splitMrzName(std::string_view field) {
  MrzName name;
  const std::size_t split = field.find("<<");
  if (split == std::string_view::npos) {
    name.primaryIdentifier = fillersToSpaces(field);
  } else {
    name.primaryIdentifier = fillersToSpaces(field.substr(0, split));
    name.secondaryIdentifier = fillersToSpaces(field.substr(split + 2));
  }
  return name;
}

std::vector<std::string> splitMrzLines(std::string_view text) {
  std::vector<std::string> lines;
  text = trim(text);
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    if (!line.empty()) lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  // DG1 stores the lines without separators (Part 10, 4.7.1).
  if (lines.size() == 1) {
    const std::string one = lines[0];
    std::size_t width = one.size() == 90 ? 30 : one.size() == 72 ? 36 : one.size() == 88 ? 44 : 0;
    if (width > 0) {
      lines.clear();
      for (std::size_t i = 0; i < one.size(); i += width) lines.push_back(one.substr(i, width));
    }
  }
  return lines;
}

Mrz parseMrzLines(const std::vector<std::string>& lines) {
  Mrz mrz;
  mrz.lines = lines;
  Parser(mrz).run();
  return mrz;
}

Mrz parseMrz(std::string_view text) {
  return parseMrzLines(splitMrzLines(text));
}

Mrz parseValidMrz(std::string_view text) {
  Mrz mrz = parseMrz(text);
  if (!mrz.valid()) {
    std::string all;
    for (const auto& e : mrz.errors) all += (all.empty() ? "" : "; ") + e;
    throw Error(ErrorArea::Mrz, "parse MRZ", all);
  }
  return mrz;
}

}  // namespace portti::mrtd
