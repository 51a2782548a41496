#include "verification_store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Tuple.h>
#include <openssl/rand.h>

#include <chrono>
#include <stdexcept>

#include "portti/firmware/sqlite_session.hpp"

using namespace Poco::Data::Keywords;

namespace portti::casesim {
namespace {

using Row = Poco::Tuple<std::string, std::string, std::string, std::string, std::string, std::int64_t>;
const std::string kSelect =
    "SELECT id, idempotency_key, kiosk_id, case_ref, body, received_at_ms FROM verifications ";

StoredVerification fromRow(const Row& r) {
  return {r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>()};
}

std::string randomId() {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("no randomness for an id");
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (unsigned char b : raw) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return id;
}

}  // namespace

VerificationStore::VerificationStore(const std::string& path)
    : session_(portti::firmware::openDurableSqlite(path)) {
  *session_ << "CREATE TABLE IF NOT EXISTS verifications ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
               " id TEXT NOT NULL UNIQUE,"
               " idempotency_key TEXT NOT NULL UNIQUE,"
               " kiosk_id TEXT NOT NULL,"
               " case_ref TEXT NOT NULL DEFAULT '',"
               " body TEXT NOT NULL,"
               " received_at_ms INTEGER NOT NULL)",
      now;
  *session_ << "CREATE INDEX IF NOT EXISTS verifications_case ON verifications(case_ref)", now;
}

VerificationStore::~VerificationStore() = default;

PutResult VerificationStore::put(const std::string& idempotencyKey, const std::string& kioskId,
                                 const std::string& caseRef, const std::string& body) {
  std::lock_guard lock(mutex_);
  std::string key = idempotencyKey;
  std::vector<Row> rows;
  *session_ << kSelect + "WHERE idempotency_key = ?", use(key), into(rows), now;
  if (!rows.empty()) {
    auto old = fromRow(rows.front());
    bool same = old.kioskId == kioskId && old.caseRef == caseRef && old.body == body;
    return {same ? PutOutcome::Duplicate : PutOutcome::Conflict, old.id};
  }
  std::string id = randomId(), kiosk = kioskId, ref = caseRef, text = body;
  std::int64_t t = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  *session_ << "INSERT INTO verifications (id, idempotency_key, kiosk_id, case_ref, body,"
               " received_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
      use(id), use(key), use(kiosk), use(ref), use(text), use(t), now;
  return {PutOutcome::Created, id};
}

std::optional<StoredVerification> VerificationStore::get(const std::string& id) {
  std::lock_guard lock(mutex_);
  std::string key = id;
  std::vector<Row> rows;
  *session_ << kSelect + "WHERE id = ?", use(key), into(rows), now;
  if (rows.empty()) return std::nullopt;
  return fromRow(rows.front());
}

std::vector<StoredVerification> VerificationStore::byCase(const std::string& caseRef) {
  if (caseRef.empty()) return {};  // e-gate results belong to no case; never list them
  std::lock_guard lock(mutex_);
  std::string ref = caseRef;
  std::vector<Row> rows;
  *session_ << kSelect + "WHERE case_ref = ? ORDER BY seq", use(ref), into(rows), now;
  std::vector<StoredVerification> out;
  for (const auto& r : rows) out.push_back(fromRow(r));
  return out;
}

}  // namespace portti::casesim
