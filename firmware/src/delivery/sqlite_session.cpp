#include "portti/firmware/sqlite_session.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include <filesystem>
#include <mutex>

using namespace Poco::Data::Keywords;

namespace portti::firmware {

std::unique_ptr<Poco::Data::Session> openDurableSqlite(const std::string& path) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  // SQLite would create the file but not its directory; say so instead of retrying for a minute.
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir))
    throw Poco::FileNotFoundException("no directory " + dir.string());
  auto session = std::make_unique<Poco::Data::Session>("SQLite", path, 5);
  std::string mode;
  *session << "PRAGMA journal_mode=WAL", into(mode), now;
  if (mode != "wal") throw Poco::IOException("SQLite refused WAL mode (got " + mode + ")");
  *session << "PRAGMA synchronous=FULL", now;
  *session << "PRAGMA busy_timeout=5000", now;
  return session;
}

}  // namespace portti::firmware
