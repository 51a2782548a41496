// portti read: reads a document over a reader (sim:DIR, PC/SC or libnfc, see hw/open_reader.hpp), with the
// MRZ or the CAN as access key (PACE whenever EF.CardAccess offers it, else BAC), verifies it by Passive
// Authentication, Chip Authentication (v1, or PACE-CAM with DG14's key) and Active Authentication, and
// prints what it found. Exit 0 when the read succeeded, Passive Authentication is valid and neither Chip
// nor Active Authentication failed; 1 otherwise; 3 when the read failed (the message says why).
// The JSON adds the inspection verdict: `checks` (each consistency check) and `failures` (reason codes).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>

#include "args.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "inspection_json.hpp"
#include "pa_json.hpp"
#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/dg1.hpp"
#include "portti/mrtd/lds/dg2.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/authenticity.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "portti/mrtd/protocol/inspection.hpp"
#include "portti/hw/open_reader.hpp"
#include "portti/vision/face_image.hpp"

namespace portti::cli {

namespace {

using Poco::JSON::Object;

/// The portrait of DG2, decoded by vision: what the chip declares and what the pixels say.
struct FaceImageReport {
  std::string format = "none";
  mrtd::ImageFormat encoding = mrtd::ImageFormat::Unknown;
  int width = 0;
  int height = 0;
  std::size_t bytes = 0;
  std::string error;
  mrtd::Bytes encoded;
};

FaceImageReport inspectFace(const mrtd::DocumentRead& read) {
  FaceImageReport report;
  const mrtd::DocumentFile* dg2 = read.find("DG2");
  if (!dg2) {
    report.error = "DG2 not read";
    return report;
  }
  try {
    mrtd::Dg2 parsed = mrtd::parseDg2(dg2->bytes);
    const mrtd::FaceImage& face = parsed.faces.front();
    report.format = mrtd::imageFormatName(face.format);
    report.encoding = face.format;
    report.bytes = face.image.size();
    report.encoded = face.image;
    cv::Mat pixels = vision::decodeImage(face.image);
    report.width = pixels.cols;
    report.height = pixels.rows;
  } catch (const std::exception& e) {
    report.error = e.what();
  }
  return report;
}

Object::Ptr dg1Json(const mrtd::Mrz& mrz) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("format", mrtd::mrzFormatName(mrz.format));
  o->set("document_code", mrz.documentCode);
  o->set("issuing_state", mrz.issuingState);
  o->set("document_number", mrz.documentNumber);
  o->set("date_of_birth", mrz.dateOfBirth);
  o->set("date_of_expiry", mrz.dateOfExpiry);
  o->set("sex", std::string(1, mrz.sex));
  o->set("nationality", mrz.nationality);
  o->set("primary_identifier", mrz.primaryIdentifier);
  o->set("secondary_identifier", mrz.secondaryIdentifier);
  o->set("valid", mrz.valid());
  Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
  for (const auto& e : mrz.errors) errors->add(e);
  o->set("errors", errors);
  return o;
}

void dump(const mrtd::DocumentRead& read, const FaceImageReport& face, const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& f : read.files) writeFile(dir + "/" + mrtd::chipFolderFileName(f.name), f.bytes);
  if (!face.encoded.empty()) {
    const char* ext = face.encoding == mrtd::ImageFormat::Jpeg ? "jpg"
                      : face.encoding == mrtd::ImageFormat::Png ? "png"
                      : face.encoding == mrtd::ImageFormat::Unknown ? "bin"
                      : face.encoding == mrtd::ImageFormat::Jpeg2000Codestream ? "j2k" : "jp2";
    writeFile(dir + "/face." + std::string(ext), face.encoded);
  }
}

/// {status, protocol, reason, tolerances}
Object::Ptr chipAuthJson(const mrtd::ChipAuthResult& r) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("status", mrtd::toString(r.status));
  o->set("protocol", r.protocol);
  if (!r.reason.empty()) o->set("reason", r.reason);
  Poco::JSON::Array::Ptr tolerances = new Poco::JSON::Array;
  for (const auto& t : r.tolerances) tolerances->add(t);
  o->set("tolerances", tolerances);
  return o;
}

/// {status, algorithm, reason, tolerances}
Object::Ptr activeAuthJson(const mrtd::ActiveAuthResult& r) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("status", mrtd::toString(r.status));
  o->set("algorithm", r.algorithm);
  if (!r.reason.empty()) o->set("reason", r.reason);
  Poco::JSON::Array::Ptr tolerances = new Poco::JSON::Array;
  for (const auto& t : r.tolerances) tolerances->add(t);
  o->set("tolerances", tolerances);
  return o;
}

}  // namespace

int runRead(const Words& words) {
  Args args(words, {"json"});
  const std::string readerName = args.require("reader");
  const auto mrzArg = args.get("mrz");
  const auto canArg = args.get("can");
  if (!mrzArg && !canArg) throw UsageError("give the access key: --mrz MRZ or --can NNNNNN");
  if (mrzArg && canArg) throw UsageError("give either --mrz or --can, not both");
  if (canArg && (canArg->size() != 6 || canArg->find_first_not_of("0123456789") != std::string::npos))
    throw UsageError("--can takes the 6 digits printed on the document");
  std::optional<mrtd::Mrz> accessMrz;
  if (mrzArg) accessMrz = mrtd::parseValidMrz(mrzArgument(*mrzArg));
  const mrtd::AccessKey accessKey = accessMrz ? mrtd::AccessKey::mrz(mrtd::mrzInformation(*accessMrz))
                                              : mrtd::AccessKey::cardAccessNumber(*canArg);
  // Trust is loaded before the chip is touched: a bad --trust fails fast, not after a read.
  const mrtd::pki::TrustStore trust = trustFromArgs(args);
  const mrtd::pki::PaOptions paOptions = paOptionsFromArgs(args);

  std::unique_ptr<hw::CardReader> channel = hw::openReader(readerName);
  const int waitSeconds = std::stoi(args.get("wait").value_or("10"));
  if (!channel->waitForCard(std::chrono::seconds(waitSeconds))) {
    throw mrtd::Error(mrtd::ErrorArea::Transport, "wait for card",
                      "no document on " + channel->readerName() + " within " + std::to_string(waitSeconds) + " s");
  }
  mrtd::DocumentReadOptions readOptions;
  readOptions.trust = &trust;  // Chip Authentication runs once DG14 passed PA against it
  readOptions.paOptions = paOptions;
  mrtd::DocumentRead read = mrtd::readDocument(*channel, accessKey, readOptions);

  std::map<int, mrtd::Bytes> dataGroups;
  for (const auto& f : read.files)
    if (f.name.rfind("DG", 0) == 0) dataGroups[std::stoi(f.name.substr(2))] = f.bytes;
  if (!read.find("EF.SOD")) throw mrtd::Error(mrtd::ErrorArea::File, "read", "the chip has no EF.SOD");
  // Passive Authentication and the consistency checks (protocol/inspection.hpp).
  const mrtd::DocumentVerdict verdict = mrtd::inspectDocument(read, trust, {accessMrz, paOptions});
  const mrtd::pki::PassiveAuthResult& pa = verdict.passiveAuth;
  mrtd::requirePassiveAuthentication(read.chipAuth, read.activeAuth, pa);

  std::optional<mrtd::Mrz> dg1;
  if (dataGroups.count(1)) dg1 = mrtd::parseDg1(dataGroups[1]);
  const FaceImageReport face = inspectFace(read);
  if (auto out = args.get("out")) dump(read, face, *out);

  if (args.flag("json")) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("reader", channel->name());
    o->set("access", read.accessMethod);
    if (read.downgrade) o->set("downgrade", *read.downgrade);
    Object::Ptr files = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& f : read.files) {
      Object::Ptr fo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      fo->set("bytes", f.bytes.size());
      fo->set("apdus", f.stats.apdus);
      fo->set("ms", f.stats.milliseconds);
      files->set(f.name, fo);
    }
    o->set("files", files);
    Poco::JSON::Array::Ptr notRead = new Poco::JSON::Array;
    for (const auto& s : read.notRead) {
      Object::Ptr so = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      so->set("file", s.name);
      so->set("reason", s.reason);
      notRead->add(so);
    }
    o->set("not_read", notRead);
    if (dg1) o->set("dg1", dg1Json(*dg1));
    Object::Ptr fo = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    fo->set("format", face.format);
    fo->set("width", face.width);
    fo->set("height", face.height);
    fo->set("bytes", face.bytes);
    if (!face.error.empty()) fo->set("error", face.error);
    o->set("face_image", fo);
    o->set("passive_auth", paJson(pa));
    o->set("chip_auth", chipAuthJson(read.chipAuth));
    o->set("active_auth", activeAuthJson(read.activeAuth));
    inspectionJson(verdict, *o);
    o->set("apdus", read.totals.apdus);
    o->set("bytes", read.totals.bytesSent + read.totals.bytesReceived);
    o->set("ms", read.totals.milliseconds);
    Poco::JSON::Stringifier::stringify(o, std::cout, 2);
    std::cout << "\n";
  } else {
    using mrtd::pki::toString;
    std::cout << "reader:   " << channel->name() << "\naccess:   " << read.accessMethod << "\n";
    if (read.downgrade) std::cout << "downgrade: " << *read.downgrade << "\n";

    if (dg1) {
      std::cout << "document: " << dg1->documentCode << " " << dg1->issuingState << ", "
                << dg1->primaryIdentifier << ", " << dg1->secondaryIdentifier << ", expires "
                << dg1->dateOfExpiry << "\n";
    }
    std::cout << "face:     " << face.format << " " << face.width << "x" << face.height << " (" << face.bytes
              << " bytes)" << (face.error.empty() ? "" : "  error: " + face.error) << "\n";
    std::cout << "files:   ";
    for (const auto& f : read.files) std::cout << " " << f.name << " " << f.bytes.size() << "B/" << f.stats.apdus;
    std::cout << "\n          " << read.totals.apdus << " APDUs, " << read.totals.bytesSent + read.totals.bytesReceived
              << " bytes, " << std::fixed << std::setprecision(1) << read.totals.milliseconds << " ms\n";
    std::cout << "passive authentication: " << toString(pa.status) << " (signature " << toString(pa.signature)
              << ", hashes " << toString(pa.hashes) << ", chain " << toString(pa.chain) << ", revocation "
              << toString(pa.revocation) << ")\n";
    for (const auto& r : pa.reasons) std::cout << "  reason: " << r << "\n";
    for (const auto& t : pa.tolerances) std::cout << "  tolerance: " << t << "\n";
    std::cout << "chip authentication:    " << mrtd::toString(read.chipAuth.status)
              << (read.chipAuth.protocol.empty() ? "" : " (" + read.chipAuth.protocol + ")")
              << (read.chipAuth.reason.empty() ? "" : "  " + read.chipAuth.reason) << "\n";
    for (const auto& t : read.chipAuth.tolerances) std::cout << "  tolerance: " << t << "\n";
    std::cout << "active authentication:  " << mrtd::toString(read.activeAuth.status)
              << (read.activeAuth.algorithm.empty() ? "" : " (" + read.activeAuth.algorithm + ")")
              << (read.activeAuth.reason.empty() ? "" : "  " + read.activeAuth.reason) << "\n";
    for (const auto& t : read.activeAuth.tolerances) std::cout << "  tolerance: " << t << "\n";
    printInspection(verdict, std::cout);
  }
  // A chip that fails Chip Authentication (v1 or PACE-CAM) or Active Authentication is not the chip
  // that was issued (a clone).
  const bool chipRejected =
      read.chipAuth.status == mrtd::AuthStatus::Failed || read.activeAuth.status == mrtd::AuthStatus::Failed;
  return pa.status == mrtd::pki::PaStatus::Valid && !chipRejected ? 0 : 1;
}

}  // namespace portti::cli
