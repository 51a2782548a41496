#include "portti/firmware/transaction.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace portti::firmware {

const char* modeName(Mode mode) { return mode == Mode::Egate ? "egate" : "service-point"; }

std::optional<Mode> modeFromName(const std::string& name) {
  if (name == "egate") return Mode::Egate;
  if (name == "service-point") return Mode::ServicePoint;
  return std::nullopt;
}

const char* stateName(TransactionState state) {
  switch (state) {
    case TransactionState::Idle: return "idle";
    case TransactionState::DocumentPresented: return "document presented";
    case TransactionState::AccessKey: return "access key";
    case TransactionState::ChipRead: return "chip read";
    case TransactionState::ChipVerification: return "chip verification";
    case TransactionState::LiveCapture: return "live capture";
    case TransactionState::FaceComparison: return "face comparison";
    case TransactionState::MorphCheck: return "morph check";
    case TransactionState::Decision: return "decision";
    case TransactionState::ResultDelivery: return "result delivery";
    case TransactionState::Actuation: return "actuation";
    case TransactionState::Reset: return "reset";
  }
  return "unknown";
}

const StepRecord* Transaction::step(TransactionState state) const {
  for (const auto& s : steps)
    if (s.step == state) return &s;
  return nullptr;
}

void wipeBytes(mrtd::Bytes& bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  bytes.clear();
  bytes.shrink_to_fit();
}

void wipeString(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
  text.shrink_to_fit();
}

void wipeImage(cv::Mat& image) {
  // Only a continuous matrix that owns its pixels can be wiped in one go; others are cleared.
  if (!image.empty() && image.isContinuous()) OPENSSL_cleanse(image.data, image.total() * image.elemSize());
  else if (!image.empty()) image.setTo(cv::Scalar::all(0));
  image.release();
}

namespace {
void wipeMrz(mrtd::Mrz& mrz) {
  for (auto& line : mrz.lines) wipeString(line);
  for (std::string* s : {&mrz.documentCode, &mrz.issuingState, &mrz.documentNumber, &mrz.dateOfBirth,
                         &mrz.dateOfExpiry, &mrz.nationality, &mrz.primaryIdentifier, &mrz.secondaryIdentifier,
                         &mrz.optionalData, &mrz.optionalData2})
    wipeString(*s);
  for (auto& e : mrz.errors) wipeString(e);
}
}  // namespace

void Transaction::wipe() {
  if (accessKey) {
    if (accessKey->mrz) wipeMrz(*accessKey->mrz);
    wipeString(accessKey->can);
  }
  accessKey.reset();
  for (auto& [n, bytes] : chip.dataGroups) wipeBytes(bytes);
  chip.dataGroups.clear();
  wipeBytes(chip.sod);
  wipeBytes(chip.portrait);
  if (chip.dg1) wipeMrz(*chip.dg1);
  chip.dg1.reset();
  if (chip.passiveAuth) {
    for (auto& [n, hash] : chip.passiveAuth->dgHashes) wipeBytes(hash);
    chip.passiveAuth->dgHashes.clear();
  }
  wipeImage(liveFrame);
  wipeString(caseNumber);
}

std::string newTransactionId() {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("transaction id: no randomness (RAND_bytes failed)");
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (unsigned char b : raw) {
    id.push_back(hex[b >> 4]);
    id.push_back(hex[b & 15]);
  }
  return id;
}

}  // namespace portti::firmware
