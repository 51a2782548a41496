// Opening SQLite the one durable way portti uses it (outbox, case system): WAL, synchronous=FULL.
#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <string>

namespace portti::firmware {

/// Registers the SQLite connector once, opens `path`, switches to WAL with synchronous=FULL and
/// checks that WAL took effect. Throws Poco::Exception.
std::unique_ptr<Poco::Data::Session> openDurableSqlite(const std::string& path);

}  // namespace portti::firmware
