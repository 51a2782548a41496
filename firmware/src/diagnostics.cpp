#include "portti/firmware/diagnostics.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <opencv2/imgproc.hpp>

#include "json_support.hpp"
#include "portti/firmware/officer_calls.hpp"
#include "portti/firmware/outbox.hpp"
#include "portti/firmware/rules_file.hpp"
#include "portti/firmware/sender.hpp"
#include "portti/firmware/transaction.hpp"
#include "portti/hw/sim_reader.hpp"
#include "portti/mrtd/card/virtual_passport.hpp"
#include "portti/mrtd/pki/issuing.hpp"
#include "portti/mrtd/pki/passive_auth.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/vision/face_image.hpp"

namespace portti::firmware {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Object::Ptr deviceJson(const hw::DeviceStatus& d) {
  Object::Ptr o = newObject();
  o->set("kind", d.kind);
  o->set("spec", d.spec);
  o->set("present", d.present);
  o->set("model", d.model);
  o->set("last_error", d.lastError);
  o->set("self_test", hw::selfTestName(d.selfTest));
  if (!d.selfTestDetail.empty()) o->set("self_test_detail", d.selfTestDetail);
  return o;
}

std::string commonName(X509_NAME* name) {
  char cn[256] = {0};
  if (X509_NAME_get_text_by_NID(name, NID_commonName, cn, sizeof cn) < 0) return "(no CN)";
  return cn;
}

std::optional<std::time_t> asTime(const ASN1_TIME* t) {
  if (!t) return std::nullopt;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return timegm(&tm);
}

std::string day(std::time_t t) {
  char buf[16];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void scanFile(const fs::path& file, std::time_t now, TrustFileSummary& out) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return;
  auto bio = [&] { return BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())); };
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(bytes.size()));
  if (!cert) {
    BIO* b = bio();
    cert = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
    BIO_free(b);
  }
  if (cert) {
    ++out.certificates;
    if (auto until = asTime(X509_get0_notAfter(cert))) {
      const std::string what = commonName(X509_get_subject_name(cert)) + " (until " + day(*until) + ")";
      if (*until < now) out.expired.push_back(what);
      else if (*until < now + 90 * 86400) out.expiringSoon.push_back(what);
    }
    X509_free(cert);
    return;
  }
  p = reinterpret_cast<const unsigned char*>(bytes.data());
  X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size()));
  if (!crl) {
    BIO* b = bio();
    crl = PEM_read_bio_X509_CRL(b, nullptr, nullptr, nullptr);
    BIO_free(b);
  }
  if (crl) {
    auto next = asTime(X509_CRL_get0_nextUpdate(crl));
    out.crlNextUpdates.push_back(commonName(X509_CRL_get_issuer(crl)) + ": " + (next ? day(*next) : "none"));
    X509_CRL_free(crl);
  }
}

/// A face for the built-in test chip: drawn, so no person's photo is on the kiosk.
cv::Mat syntheticFace() {
  cv::Mat img(400, 300, CV_8UC3, cv::Scalar(200, 200, 200));
  cv::ellipse(img, {150, 190}, {90, 120}, 0, 0, 360, cv::Scalar(140, 170, 210), -1);
  cv::circle(img, {115, 160}, 12, cv::Scalar(40, 40, 40), -1);
  cv::circle(img, {185, 160}, 12, cv::Scalar(40, 40, 40), -1);
  cv::ellipse(img, {150, 250}, {40, 15}, 0, 0, 180, cv::Scalar(60, 60, 150), 4);
  return img;
}

const char* kSelfTestMrz =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

}  // namespace

void RecentErrors::add(const std::string& area, const std::string& message) {
  std::lock_guard lock(mutex_);
  entries_.push_back({std::chrono::system_clock::now(), area, message});
  while (entries_.size() > keep_) entries_.pop_front();
}

Array::Ptr RecentErrors::json() const {
  std::lock_guard lock(mutex_);
  Array::Ptr a = new Array;
  for (const auto& e : entries_) {
    Object::Ptr o = newObject();
    o->set("at", isoTime(e.at));
    o->set("area", e.area);
    o->set("message", e.message);
    a->add(o);
  }
  return a;
}

std::size_t RecentErrors::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

TrustFileSummary summarizeTrustFiles(const std::vector<std::string>& paths, std::time_t now) {
  TrustFileSummary out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(path, ec))
        if (entry.is_regular_file() && entry.path().string().find(".key") == std::string::npos)
          scanFile(entry.path(), now, out);
    } else if (fs::is_regular_file(path, ec)) {
      scanFile(path, now, out);
    }
  }
  return out;
}

Diagnostics::Diagnostics(DiagnosticsSources sources, fs::path selfTestDir)
    : s_(std::move(sources)), selfTestDir_(std::move(selfTestDir)) {}

Object::Ptr Diagnostics::report() const {
  Object::Ptr r = newObject();
  r->set("kiosk_id", s_.kioskId);
  r->set("mode", s_.mode);
  r->set("version", s_.version);
  r->set("at", isoTime(std::chrono::system_clock::now()));
  if (s_.transactionsDone) r->set("transactions", s_.transactionsDone());

  Array::Ptr devices = new Array;
  if (s_.reader) {
    hw::DeviceStatus d{"reader", s_.reader->name(), true, s_.reader->readerVersion(), "", hw::SelfTest::NotDone, ""};
    try {
      d.selfTestDetail = s_.reader->cardPresent() ? "card present" : "no card";
    } catch (const std::exception& e) {
      d.present = false;
      d.lastError = e.what();
    }
    devices->add(deviceJson(d));
  }
  if (s_.mrzReader) devices->add(deviceJson(s_.mrzReader->status()));
  if (s_.camera) devices->add(deviceJson(s_.camera->status()));
  if (s_.gate) devices->add(deviceJson(s_.gate->status()));
  if (s_.lights) {
    Object::Ptr lights = deviceJson(s_.lights->status());
    lights->set("showing", hw::signalName(s_.lights->showing()));
    devices->add(lights);
  }
  r->set("devices", devices);

  Object::Ptr trust = newObject();
  const std::time_t now = std::time(nullptr);
  if (s_.trust) {
    trust->set("csca_count", s_.trust->anchorCount(now));
    Array::Ptr lists = new Array;
    for (const auto& ml : s_.trust->masterLists(now)) {
      Object::Ptr o = newObject();
      o->set("source", fs::path(ml.source).filename().string());
      o->set("trusted", ml.trusted);
      o->set("certificates", ml.certificates);
      if (!ml.trusted) o->set("reason", ml.reason);
      lists->add(o);
    }
    trust->set("master_lists", lists);
  }
  const TrustFileSummary files = summarizeTrustFiles(s_.trustPaths, now);
  trust->set("certificate_files", files.certificates);
  trust->set("expiring_within_90_days", stringArray(files.expiringSoon));
  trust->set("expired", stringArray(files.expired));
  trust->set("crl_next_update", stringArray(files.crlNextUpdates));
  r->set("trust", trust);

  Object::Ptr outbox = newObject();
  if (s_.outbox) {
    outbox->set("depth", s_.outbox->depth());
    Array::Ptr dead = new Array;
    for (const auto& e : s_.outbox->deadLetters()) {
      Object::Ptr o = newObject();
      o->set("transaction_id", e.transactionId);
      o->set("attempts", e.attempts);
      o->set("reason", e.reason);
      o->set("http_status", e.httpStatus);
      o->set("reason_code", e.reasonCode);
      dead->add(o);
    }
    outbox->set("dead_letters", dead);
  } else {
    outbox->set("depth", "not configured");
  }
  if (s_.sender) {
    outbox->set("delivered", s_.sender->deliveredCount());
    outbox->set("last_error", s_.sender->lastError());
  }
  r->set("outbox", outbox);

  Object::Ptr rules = newObject();
  if (s_.rules) {
    auto current = s_.rules->current();
    rules->set("file", current->source);
    rules->set("sha256", current->digest);
    rules->set("count", current->rules.size());
    rules->set("refused_reload", stringArray(s_.rules->lastErrors()));
  } else {
    rules->set("file", "none: every transaction is referred to an officer");
  }
  r->set("rules", rules);
  r->set("officer_calls", s_.officer ? s_.officer->json() : Poco::JSON::Array::Ptr(new Array));
  r->set("recent_errors", s_.errors ? s_.errors->json() : Array::Ptr(new Array));
  return r;
}

Object::Ptr Diagnostics::selfTest() {
  Object::Ptr r = newObject();
  r->set("at", isoTime(std::chrono::system_clock::now()));

  // The built-in test chip: issued once under its own test PKI, read over the in-process reader.
  Object::Ptr chip = newObject();
  try {
    const fs::path pki = selfTestDir_ / "pki", chipDir = selfTestDir_ / "chip";
    if (!fs::exists(chipDir / "chip.conf")) {
      mrtd::pki::makeTestPki(pki.string());
      const vision::EncodedPortrait p = vision::encodeChipPortrait(syntheticFace(), 240);
      mrtd::VirtualPassportSpec spec;
      spec.mrz = kSelfTestMrz;
      spec.pkiDir = pki;
      spec.faceImage.assign(p.bytes.begin(), p.bytes.end());
      spec.faceWidth = static_cast<std::uint32_t>(p.width);
      spec.faceHeight = static_cast<std::uint32_t>(p.height);
      mrtd::makeVirtualPassport(spec, chipDir);
    }
    hw::SimReader reader("sim:" + chipDir.string());
    const auto start = std::chrono::steady_clock::now();
    mrtd::DocumentRead read = mrtd::readDocument(reader, hw::AccessKey::fromMrz(kSelfTestMrz).bacKeySeed());
    std::map<int, mrtd::Bytes> dgs;
    for (const auto& f : read.files)
      if (f.name.rfind("DG", 0) == 0) dgs[std::stoi(f.name.substr(2))] = f.bytes;
    mrtd::pki::TrustStore trust;
    trust.addPath((pki / "csca.der").string());
    const mrtd::DocumentFile* sod = read.find("EF.SOD");
    const auto pa = mrtd::pki::verifyPassive(sod ? sod->bytes : mrtd::Bytes{}, dgs, trust);
    chip->set("status", pa.status == mrtd::pki::PaStatus::Valid ? "passed" : "failed");
    chip->set("detail", std::string("read ") + std::to_string(read.files.size()) + " files by " + read.accessMethod +
                            ", passive authentication " + mrtd::pki::toString(pa.status));
    chip->set("ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  } catch (const std::exception& e) {
    chip->set("status", "failed");
    chip->set("detail", e.what());
  }
  r->set("test_chip", chip);

  r->set("camera", s_.camera ? deviceJson(s_.camera->selfTest()) : [] {
    Object::Ptr o = newObject();
    o->set("self_test", "not done");
    o->set("self_test_detail", "no camera configured");
    return o;
  }());
  if (s_.gate) r->set("gate", deviceJson(s_.gate->selfTest(false)));
  if (s_.mrzReader) r->set("mrz_reader", deviceJson(s_.mrzReader->selfTest()));

  Object::Ptr post = newObject();
  if (s_.outbox) {
    try {
      const std::string id = newTransactionId();
      const std::string body = "{\"transaction_id\":\"" + id + "\",\"kiosk_id\":\"" + s_.kioskId + "\",\"self_test\":true}";
      const auto seq = s_.outbox->enqueue(id, body);
      if (s_.sender) s_.sender->wake();
      post->set("status", "passed");
      post->set("detail", "test result " + id + " queued as outbox entry " + std::to_string(seq));
    } catch (const std::exception& e) {
      post->set("status", "failed");
      post->set("detail", e.what());
    }
  } else {
    post->set("status", "not done");
    post->set("detail", "no outbox configured");
  }
  r->set("test_result", post);
  return r;
}

}  // namespace portti::firmware
