// Facts, dates and their rendering.
#include "portti/firmware/facts.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <sstream>

namespace portti::firmware {

namespace {

bool leapYear(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leapYear(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<Date> parseDate(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  if (!digits(t.substr(0, 4)) || !digits(t.substr(5, 2)) || !digits(t.substr(8, 2))) return std::nullopt;
  Date d{number(t.substr(0, 4)), number(t.substr(5, 2)), number(t.substr(8, 2))};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month)) return std::nullopt;
  return d;
}

std::string formatDate(const Date& d) {
  char buf[40];  // room for any int, so GCC's -Wformat-truncation (RelWithDebInfo) has nothing to say
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Date utcDate(std::chrono::system_clock::time_point t) {
  const std::time_t at = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&at, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

Date todayUtc() {
  return utcDate(std::chrono::system_clock::now());
}

std::optional<Date> mrzDate(std::string_view t, MrzDateKind kind, const Date& today) {
  if (t.size() != 6 || !digits(t)) return std::nullopt;
  const int yy = number(t.substr(0, 2));
  const int month = number(t.substr(2, 2));
  const int day = number(t.substr(4, 2));
  const int century = today.year / 100 * 100;
  std::optional<Date> best;
  for (int c : {century - 100, century, century + 100}) {
    const Date d{c + yy, month, day};
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(d.year, month)) continue;
    if (kind == MrzDateKind::Birth) {
      if (d <= today) best = d;  // ascending centuries: the last one not after today
    } else if (!best || std::abs(d.year - today.year) < std::abs(best->year - today.year)) {
      best = d;
    }
  }
  return best;
}

int ageOn(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

const char* factKindName(FactKind kind) {
  switch (kind) {
    case FactKind::Bool:
      return "bool";
    case FactKind::Number:
      return "number";
    case FactKind::String:
      return "string";
    case FactKind::Date:
      return "date";
  }
  return "?";
}

std::optional<FactKind> kindOf(const FactValue& v) {
  switch (v.index()) {
    case 1:
      return FactKind::Bool;
    case 2:
      return FactKind::Number;
    case 3:
      return FactKind::String;
    case 4:
      return FactKind::Date;
    default:
      return std::nullopt;
  }
}

std::string describe(const FactValue& v) {
  if (isMissing(v)) return "missing";
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto n = std::get_if<double>(&v)) {
    std::ostringstream s;
    s.precision(15);
    s << *n;
    return s.str();
  }
  if (auto s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  return formatDate(std::get<Date>(v));
}

FactValue Facts::get(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? FactValue{} : it->second;
}

void FactCatalog::add(const std::string& name, FactKind kind, std::string meaning) {
  entries_[name] = Entry{kind, std::move(meaning)};
}

std::optional<FactKind> FactCatalog::kind(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  return it->second.kind;
}

}  // namespace portti::firmware
