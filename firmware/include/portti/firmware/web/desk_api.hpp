// The local API's routes for the dead letters and the officer call-outs (api_server.cpp routes to
// them after its rate limit and, for the technician ones, its technician check):
//   GET  /api/outbox/dead-letters            technician: {"dead_letters": [...]}
//   POST /api/outbox/dead-letters/{id}/retry technician: back to the outbox, same idempotency key
//   POST /api/officer                        kiosk UI: call an officer (its own rate limit)
//   GET  /api/officer/calls                  technician: {"calls": [...]} the open call-outs
//   POST /api/officer/calls/{id}/clear       technician: the officer has come
// Answers hold random ids, times, HTTP statuses and codes only: never a result's payload.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace portti::firmware {
class AuditLog;
class Outbox;
class OfficerDesk;
}  // namespace portti::firmware

namespace portti::firmware::web {

/// What the routes work on; any pointer may be null (the route then answers 404 "not configured").
struct DeskParts {
  Outbox* outbox = nullptr;
  std::function<void()> wakeSender;  ///< after a retry, so it is sent now
  AuditLog* audit = nullptr;         ///< every retry is audited (call-outs by the OfficerDesk)
  OfficerDesk* officer = nullptr;
};

struct DeskAnswer {
  int status = 404;
  std::string json;
};

/// Technician routes: GET .../dead-letters, POST .../retry, GET /api/officer/calls, POST .../clear.
/// Returns nullopt when `method path` is none of them.
std::optional<DeskAnswer> technicianDeskRoute(const DeskParts& parts, const std::string& method,
                                              const std::string& path);

/// POST /api/officer: opens a call-out (or answers with the open one) from the kiosk's screen (its
/// state's UI name) and the transaction in progress (random id, may be empty).
DeskAnswer callOfficer(const DeskParts& parts, const std::string& screen, const std::string& transactionId);

}  // namespace portti::firmware::web
