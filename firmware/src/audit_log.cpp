// Appending to the audit log: one write() per record, then fsync, under an exclusive flock.
#include "portti/firmware/audit_log.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "audit_record.hpp"
#include "portti/firmware/audit_verify.hpp"
#include "portti/mrtd/sm/crypto.hpp"

namespace portti::firmware {

namespace {

// Field names that denote personal data. A document number goes in as a pseudonym under another
// name (e.g. "doc_pseudonym"); names, birth dates, MRZ text and images never go in.
const std::set<std::string> kPersonalFields = {"name",
                                               "names",
                                               "surname",
                                               "given_names",
                                               "primary_identifier",
                                               "secondary_identifier",
                                               "document_number",
                                               "doc_number",
                                               "date_of_birth",
                                               "birth_date",
                                               "mrz",
                                               "photo",
                                               "portrait",
                                               "image",
                                               "face_image",
                                               "dg1",
                                               "dg2",
                                               "can"};

void refusePersonalData(const Poco::Dynamic::Var& value, const std::string& where) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr) || value.type() == typeid(Poco::JSON::Object)) {
    const Poco::JSON::Object& o = value.type() == typeid(Poco::JSON::Object)
                                      ? value.extract<Poco::JSON::Object>()
                                      : *value.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, inner] : o) {
      std::string lower;
      for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (kPersonalFields.count(lower)) {
        throw AuditError("audit log: field '" + where + name + "' is personal data and is not recorded");
      }
      refusePersonalData(inner, where + name + ".");
    }
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr) || value.type() == typeid(Poco::JSON::Array)) {
    const Poco::JSON::Array& a = value.type() == typeid(Poco::JSON::Array)
                                     ? value.extract<Poco::JSON::Array>()
                                     : *value.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < a.size(); ++i) refusePersonalData(a.get(i), where);
  }
}

bool validEvent(const std::string& e) {
  if (e.empty() || e.size() > 64) return false;
  for (char c : e) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  }
  return true;
}

std::string sysError(const std::string& what, const std::filesystem::path& path) {
  return "audit log " + path.string() + ": " + what + ": " + std::strerror(errno);
}

std::string jsonString(const std::string& s) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(s, out);  // escapes quotes, backslashes, control characters
  return out.str();
}

}  // namespace

AuditLog::AuditLog(std::filesystem::path path, Options options)
    : path_(std::move(path)), options_(std::move(options)) {
  if (options_.macKey && options_.macKey->size() < 16)
    throw AuditError("audit log: the MAC key needs 16 bytes or more");
  const bool existed = std::filesystem::exists(path_);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw AuditError(sysError("cannot open", path_));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    throw AuditError("audit log " + path_.string() + ": in use by another writer");
  }
  try {
    if (!existed) {
      // The new directory entry must survive a crash too.
      const int dir =
          ::open(path_.parent_path().empty() ? "." : path_.parent_path().c_str(), O_RDONLY | O_CLOEXEC);
      if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
      }
    }
    const AuditVerdict v = verifyAuditLog(path_, options_.macKey);
    if (v.status == AuditVerdict::Status::Broken || v.status == AuditVerdict::Status::Unreadable) {
      throw AuditError("audit log " + path_.string() + ": " + auditStatusName(v.status) + " at line " +
                       std::to_string(v.brokenLine) + ": " + v.reason + "; nothing is appended to it");
    }
    head_ = v.records ? v.head : audit::genesisHash();
    nextSeq_ = v.records + 1;
    if (v.status == AuditVerdict::Status::TornTail) {
      std::ifstream in(path_, std::ios::binary);
      in.seekg(static_cast<std::streamoff>(v.verifiedBytes));
      std::string torn((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (::ftruncate(fd_, static_cast<off_t>(v.verifiedBytes)) != 0)
        throw AuditError(sysError("cannot cut the torn tail", path_));
      Poco::JSON::Object fields;
      fields.set("line", v.brokenLine);
      fields.set("bytes", torn.size());
      fields.set("sha256", audit::chainHash(audit::genesisHash(), torn));  // SHA-256(32 zero bytes || torn)
      appendLocked("torn_tail", fields);
    }
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

AuditAnchor AuditLog::append(const std::string& event, const Poco::JSON::Object& fields) {
  std::lock_guard lock(mutex_);
  return appendLocked(event, fields);
}

AuditAnchor AuditLog::appendLocked(const std::string& event, const Poco::JSON::Object& fields) {
  if (!validEvent(event)) throw AuditError("audit log: event name '" + event + "' (use a-z, 0-9, '_', '.')");
  Poco::JSON::Object::Ptr copy = new Poco::JSON::Object(fields);
  refusePersonalData(Poco::Dynamic::Var(copy), "");
  std::ostringstream fieldsText;
  copy->stringify(fieldsText);  // no indentation: no newline can enter the line

  std::string line = "{\"seq\":" + std::to_string(nextSeq_);
  line += ",\"time\":" + jsonString(Poco::DateTimeFormatter::format(
                             Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT));
  line += ",\"kiosk\":" + jsonString(options_.kioskId);
  line += ",\"event\":" + jsonString(event);
  line += ",\"fields\":" + fieldsText.str();
  line += ",\"prev\":\"" + head_ + "\"";
  const std::string hash = audit::chainHash(head_, line);
  std::optional<std::string> mac;
  if (options_.macKey) mac = audit::chainMac(options_.macKey->view(), hash);
  line += audit::trailer(hash, mac);
  line += '\n';

  const off_t before = ::lseek(fd_, 0, SEEK_END);
  // On failure the file is cut back to the last whole record: no torn record, and the chain on
  // disk stays the one head_ continues.
  auto failWith = [&](const std::string& what) {
    const std::string message = sysError(what, path_);
    if (before >= 0 && ::ftruncate(fd_, before) == 0) ::fsync(fd_);
    throw AuditError(message);
  };
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failWith("write failed");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) failWith("fsync failed");
  head_ = hash;
  return AuditAnchor{nextSeq_++, hash};
}

std::string AuditLog::head() const {
  std::lock_guard lock(mutex_);
  return head_;
}

std::uint64_t AuditLog::nextSeq() const {
  std::lock_guard lock(mutex_);
  return nextSeq_;
}

}  // namespace portti::firmware
