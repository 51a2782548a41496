#include "portti/firmware/web/desk_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <regex>
#include <sstream>

#include "json_support.hpp"
#include "portti/firmware/audit_log.hpp"
#include "portti/firmware/officer_calls.hpp"
#include "portti/firmware/outbox.hpp"

namespace portti::firmware::web {
namespace {

using Poco::JSON::Object;

std::string text(const Object::Ptr& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str();
}

DeskAnswer answer(int status, const std::string& key, const std::string& value) {
  Object::Ptr o = newObject();
  o->set(key, value);
  return {status, text(o)};
}

std::string msTime(std::int64_t ms) {
  return isoTime(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

/// A dead letter as the technician sees it: no body, no case reference, no free text.
Object::Ptr deadLetterJson(const OutboxEntry& e) {
  Object::Ptr o = newObject();
  o->set("id", e.transactionId);
  o->set("queued_at", msTime(e.enqueuedAtMs));
  o->set("refused_at", msTime(e.updatedAtMs));
  o->set("http_status", e.httpStatus);
  o->set("reason_code", e.reasonCode);
  o->set("attempts", e.attempts);
  return o;
}

/// "/api/outbox/dead-letters/ID/retry" -> ID when `path` is PREFIX + ID + SUFFIX with a well-formed id.
std::optional<std::string> idBetween(const std::string& path, const std::string& prefix, const std::string& suffix) {
  static const std::regex id("[A-Za-z0-9._:-]{1,128}");
  if (path.size() <= prefix.size() + suffix.size() || !path.starts_with(prefix) || !path.ends_with(suffix))
    return std::nullopt;
  std::string middle = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (!std::regex_match(middle, id)) return std::nullopt;
  return middle;
}

DeskAnswer deadLetters(const DeskParts& p) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& e : p.outbox->deadLetters()) list->add(deadLetterJson(e));
  Object::Ptr o = newObject();
  o->set("dead_letters", list);
  return {200, text(o)};
}

DeskAnswer retry(const DeskParts& p, const std::string& id) {
  const auto was = p.outbox->find(id);
  if (!was || was->state != OutboxState::Dead) return answer(404, "error", "no dead letter has that id");
  // Audited first: when the record cannot be written (it throws, the API answers the error), the
  // dead letter stays where it is.
  if (p.audit) {
    Object fields(Poco::JSON_PRESERVE_KEY_ORDER);
    fields.set("transaction", was->transactionId);
    fields.set("http_status", was->httpStatus);
    fields.set("reason_code", was->reasonCode);
    fields.set("attempts", was->attempts);
    p.audit->append("dead_letter_retried", fields);
  }
  if (!p.outbox->retryDead(id)) return answer(404, "error", "no dead letter has that id");
  if (p.wakeSender) p.wakeSender();
  Object::Ptr o = newObject();
  o->set("status", "queued");
  o->set("id", was->transactionId);
  return {200, text(o)};
}

DeskAnswer calls(const DeskParts& p) {
  Object::Ptr o = newObject();
  o->set("calls", p.officer->json());
  return {200, text(o)};
}

DeskAnswer clear(const DeskParts& p, const std::string& id) {
  auto call = p.officer->clear(id);
  if (!call) return answer(404, "error", "no open call has that id");
  Object::Ptr o = newObject();
  o->set("status", "cleared");
  o->set("id", call->id);
  return {200, text(o)};
}

}  // namespace

std::optional<DeskAnswer> technicianDeskRoute(const DeskParts& p, const std::string& method, const std::string& path) {
  const bool get = method == "GET", post = method == "POST";
  const DeskAnswer noOutbox = answer(404, "error", "no outbox is configured");
  const DeskAnswer noDesk = answer(404, "error", "officer call-outs are not configured");
  if (get && path == "/api/outbox/dead-letters") return p.outbox ? deadLetters(p) : noOutbox;
  if (post) {
    if (auto id = idBetween(path, "/api/outbox/dead-letters/", "/retry")) return p.outbox ? retry(p, *id) : noOutbox;
    if (auto id = idBetween(path, "/api/officer/calls/", "/clear")) return p.officer ? clear(p, *id) : noDesk;
  }
  if (get && path == "/api/officer/calls") return p.officer ? calls(p) : noDesk;
  return std::nullopt;
}

DeskAnswer callOfficer(const DeskParts& p, const std::string& screen, const std::string& transactionId) {
  if (!p.officer) return answer(404, "error", "officer call-outs are not configured");
  const OfficerDesk::Raised r = p.officer->call(screen, transactionId);
  Object::Ptr o = newObject();
  o->set("status", r.isNew ? "called" : "already called");
  o->set("id", r.call.id);
  o->set("at", isoTime(r.call.at));
  return {r.isNew ? 201 : 200, text(o)};
}

}  // namespace portti::firmware::web
