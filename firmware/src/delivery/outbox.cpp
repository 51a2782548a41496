#include "portti/firmware/outbox.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>

#include "portti/firmware/delivery_error.hpp"
#include "portti/firmware/sqlite_session.hpp"

using namespace Poco::Data::Keywords;

namespace portti::firmware {
namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

OutboxState stateFromName(const std::string& name) {
  if (name == "delivered") return OutboxState::Delivered;
  if (name == "dead") return OutboxState::Dead;
  return OutboxState::Pending;
}

using Row = Poco::Tuple<std::int64_t, std::string, std::string, std::string, std::string, int, std::string,
                        std::int64_t, int, std::string, std::int64_t>;
const char* kColumns =
    "seq, transaction_id, case_ref, body, state, attempts, reason, enqueued_at_ms, http_status, reason_code,"
    " updated_at_ms";

OutboxEntry fromRow(const Row& r) {
  return {r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), stateFromName(r.get<4>()), r.get<5>(),
          r.get<6>(), r.get<7>(),  r.get<8>(), r.get<9>(), r.get<10>()};
}

/// Outboxes made before dead letters had a status and code get the two columns.
void addDeadLetterColumns(Poco::Data::Session& session) {
  std::vector<std::string> names;
  session << "SELECT name FROM pragma_table_info('outbox')", into(names), now;
  auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  if (!has("http_status")) session << "ALTER TABLE outbox ADD COLUMN http_status INTEGER NOT NULL DEFAULT 0", now;
  if (!has("reason_code")) session << "ALTER TABLE outbox ADD COLUMN reason_code TEXT NOT NULL DEFAULT ''", now;
}

bool shortCode(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

std::string deadLetterReasonCode(int httpStatus, const std::string& responseBody) {
  try {
    auto doc = Poco::JSON::Parser().parse(responseBody).extract<Poco::JSON::Object::Ptr>();
    const std::string code = doc ? doc->optValue<std::string>("code", "") : "";
    if (shortCode(code)) return code;
  } catch (const std::exception&) {  // not JSON, or not an object: the status names it
  }
  switch (httpStatus) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 409: return "conflict";
    case 413: return "too_large";
    case 422: return "unprocessable";
    default: return "http_" + std::to_string(httpStatus);
  }
}

const char* outboxStateName(OutboxState state) {
  switch (state) {
    case OutboxState::Pending:
      return "pending";
    case OutboxState::Delivered:
      return "delivered";
    case OutboxState::Dead:
      return "dead";
  }
  return "pending";
}

Outbox::Outbox(const std::string& path, OutboxOptions options) : path_(path) {
  try {
    session_ = openDurableSqlite(path);
    if (options.maxPages > 0) {
      std::int64_t pages = 0;
      *session_ << "PRAGMA max_page_count=" + std::to_string(options.maxPages), into(pages), now;
    }
    *session_ << "CREATE TABLE IF NOT EXISTS outbox ("
                 " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                 " transaction_id TEXT NOT NULL UNIQUE,"
                 " case_ref TEXT NOT NULL DEFAULT '',"
                 " body TEXT NOT NULL,"
                 " state TEXT NOT NULL DEFAULT 'pending',"
                 " attempts INTEGER NOT NULL DEFAULT 0,"
                 " reason TEXT NOT NULL DEFAULT '',"
                 " enqueued_at_ms INTEGER NOT NULL,"
                 " updated_at_ms INTEGER NOT NULL,"
                 " http_status INTEGER NOT NULL DEFAULT 0,"
                 " reason_code TEXT NOT NULL DEFAULT '')",
        now;
    *session_ << "CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, seq)", now;
    addDeadLetterColumns(*session_);
  } catch (const Poco::Exception& e) {
    throw DeliveryError("outbox open", path + ": " + e.displayText());
  }
}

Outbox::~Outbox() = default;

std::int64_t Outbox::enqueue(const std::string& transactionId, const std::string& body,
                             const std::string& caseRef) {
  if (transactionId.empty()) throw DeliveryError("outbox enqueue", "empty transaction id");
  std::lock_guard lock(mutex_);
  try {
    // One statement is one transaction: either the whole row is committed (and, with
    // synchronous=FULL, on disk) or nothing is.
    std::string tx = transactionId, ref = caseRef, text = body;
    std::int64_t t = nowMs();
    *session_ << "INSERT INTO outbox (transaction_id, case_ref, body, enqueued_at_ms, updated_at_ms)"
                 " VALUES (?, ?, ?, ?, ?)",
        use(tx), use(ref), use(text), use(t), use(t), now;
    std::int64_t seq = 0;
    *session_ << "SELECT seq FROM outbox WHERE transaction_id = ?", use(tx), into(seq), now;
    return seq;
  } catch (const Poco::Exception& e) {
    throw DeliveryError("outbox enqueue", path_ + ": result not stored: " + e.displayText());
  }
}

std::optional<OutboxEntry> Outbox::nextPending() {
  std::lock_guard lock(mutex_);
  std::vector<Row> rows;
  *session_ << std::string("SELECT ") + kColumns +
                   " FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
      into(rows), now;
  if (rows.empty()) return std::nullopt;
  return fromRow(rows.front());
}

void Outbox::setState(std::int64_t seq, OutboxState state, const std::string& reason) {
  std::lock_guard lock(mutex_);
  std::string name = outboxStateName(state), why = reason;
  std::int64_t t = nowMs();
  try {
    *session_ << "UPDATE outbox SET state = ?, reason = ?, updated_at_ms = ? WHERE seq = ?", use(name),
        use(why), use(t), use(seq), now;
  } catch (const Poco::Exception& e) {
    throw DeliveryError("outbox update", path_ + ": " + e.displayText());
  }
}

void Outbox::markDelivered(std::int64_t seq) {
  setState(seq, OutboxState::Delivered, "");
}

void Outbox::markDead(std::int64_t seq, const std::string& reason, int httpStatus, const std::string& reasonCode) {
  std::lock_guard lock(mutex_);
  std::string why = reason, code = reasonCode;
  std::int64_t t = nowMs();
  try {
    *session_ << "UPDATE outbox SET state = 'dead', reason = ?, http_status = ?, reason_code = ?, updated_at_ms = ?"
                 " WHERE seq = ?",
        use(why), use(httpStatus), use(code), use(t), use(seq), now;
  } catch (const Poco::Exception& e) {
    throw DeliveryError("outbox update", path_ + ": " + e.displayText());
  }
}

std::optional<OutboxEntry> Outbox::retryDead(const std::string& transactionId) {
  std::lock_guard lock(mutex_);
  std::string tx = transactionId;
  std::vector<Row> rows;
  std::int64_t t = nowMs();
  try {
    *session_ << std::string("SELECT ") + kColumns + " FROM outbox WHERE transaction_id = ? AND state = 'dead'",
        use(tx), into(rows), now;
    if (rows.empty()) return std::nullopt;
    // seq and transaction_id stay: the same place in the kiosk's order, the same idempotency key.
    *session_ << "UPDATE outbox SET state = 'pending', reason = '', http_status = 0, reason_code = '',"
                 " updated_at_ms = ? WHERE transaction_id = ? AND state = 'dead'",
        use(t), use(tx), now;
  } catch (const Poco::Exception& e) {
    throw DeliveryError("outbox retry", path_ + ": " + e.displayText());
  }
  return fromRow(rows.front());
}

void Outbox::recordAttempt(std::int64_t seq) {
  std::lock_guard lock(mutex_);
  std::int64_t t = nowMs();
  try {
    *session_ << "UPDATE outbox SET attempts = attempts + 1, updated_at_ms = ? WHERE seq = ?", use(t),
        use(seq), now;
  } catch (const Poco::Exception& e) {
    throw DeliveryError("outbox update", path_ + ": " + e.displayText());
  }
}

std::int64_t Outbox::depth() {
  std::lock_guard lock(mutex_);
  std::int64_t n = 0;
  *session_ << "SELECT COUNT(*) FROM outbox WHERE state = 'pending'", into(n), now;
  return n;
}

std::vector<OutboxEntry> Outbox::deadLetters() {
  std::lock_guard lock(mutex_);
  std::vector<Row> rows;
  *session_ << std::string("SELECT ") + kColumns + " FROM outbox WHERE state = 'dead' ORDER BY seq",
      into(rows), now;
  std::vector<OutboxEntry> out;
  for (const auto& r : rows) out.push_back(fromRow(r));
  return out;
}

std::optional<OutboxEntry> Outbox::find(const std::string& transactionId) {
  std::lock_guard lock(mutex_);
  std::vector<Row> rows;
  std::string tx = transactionId;
  *session_ << std::string("SELECT ") + kColumns + " FROM outbox WHERE transaction_id = ?", use(tx),
      into(rows), now;
  if (rows.empty()) return std::nullopt;
  return fromRow(rows.front());
}

}  // namespace portti::firmware
