// Facts: the named values a transaction has established (`pa.status`, `doc.expiry`, `face.score`)
// that decision rules test. A fact that was never established is *missing*, which is different from
// any value: a rule that needs a missing fact never passes (fail closed).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace portti::firmware {

/// A calendar date (no time zone: the kiosk's local date of the transaction).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const Date&) const = default;
};

/// "YYYY-MM-DD" with a real calendar day (leap years included); nullopt otherwise.
std::optional<Date> parseDate(std::string_view text);
/// "YYYY-MM-DD".
std::string formatDate(const Date& date);
/// The UTC calendar date of a moment.
Date utcDate(std::chrono::system_clock::time_point t);
/// Today's date in UTC.
Date todayUtc();

/// An MRZ date (YYMMDD) with its century: a birth date is the latest one not after `today`; an
/// expiry date the one nearest to `today` (so 120415 is 2012-04-15). nullopt for '<' or a
/// non-date (ICAO 9303-3 4.7: an unknown day or month is filled with '<').
enum class MrzDateKind { Birth, Expiry };
std::optional<Date> mrzDate(std::string_view yymmdd, MrzDateKind kind, const Date& today);
/// Whole years from `birth` to `on` (the fact holder.age); someone born on 29 February comes of
/// age on 1 March in other years.
int ageOn(const Date& birth, const Date& on);

/// The kinds a fact can have; rules are type-checked against them.
enum class FactKind { Bool, Number, String, Date };
/// "bool", "number", "string", "date".
const char* factKindName(FactKind kind);

/// One value. The monostate alternative is the missing state.
using FactValue = std::variant<std::monostate, bool, double, std::string, Date>;

/// True when the value is the missing state.
inline bool isMissing(const FactValue& v) {
  return std::holds_alternative<std::monostate>(v);
}
/// The kind of a present value; nullopt when missing.
std::optional<FactKind> kindOf(const FactValue& v);
/// A readable rendering for traces and messages: `true`, `0.62`, `"valid"`, `2030-01-31`, `missing`.
std::string describe(const FactValue& v);

/// The facts of one transaction. A name never set reads as missing.
class Facts {
 public:
  void set(const std::string& name, bool value) { values_[name] = value; }
  void set(const std::string& name, double value) { values_[name] = value; }
  void set(const std::string& name, int value) { values_[name] = static_cast<double>(value); }
  void set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  void set(const std::string& name, const char* value) { values_[name] = std::string(value); }
  void set(const std::string& name, Date value) { values_[name] = value; }
  /// Marks a fact as missing explicitly (e.g. a check that could not be run).
  void setMissing(const std::string& name) { values_.erase(name); }

  /// The value, or the missing state.
  FactValue get(const std::string& name) const;
  const std::map<std::string, FactValue>& all() const { return values_; }

 private:
  std::map<std::string, FactValue> values_;
};

/// The facts rules may name, each with its kind: a rule on an unknown name or comparing with the
/// wrong kind is refused when the file is parsed, not discovered at the gate.
class FactCatalog {
 public:
  /// Every fact the appliance establishes (see docs/rules.md for their meaning and values).
  static const FactCatalog& standard();

  void add(const std::string& name, FactKind kind, std::string meaning);
  std::optional<FactKind> kind(const std::string& name) const;

  struct Entry {
    FactKind kind;
    std::string meaning;
  };
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  std::map<std::string, Entry> entries_;
};

}  // namespace portti::firmware
