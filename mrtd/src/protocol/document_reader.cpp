#include "portti/mrtd/protocol/document_reader.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "portti/mrtd/card/lds_files.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/lds/data_group.hpp"
#include "portti/mrtd/lds/dg15.hpp"
#include "portti/mrtd/protocol/active_auth.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/lds/security_infos.hpp"
#include "portti/mrtd/protocol/bac.hpp"
#include "portti/mrtd/protocol/chip_auth.hpp"
#include "portti/mrtd/sm/secure_messaging.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd {

namespace {
bool needsEac(int dg) { return dg == 3 || dg == 4; }

void selectApplication(ApduChannel& channel) {
  const CommandApdu select{0x00, 0xA4, 0x04, 0x0C, Bytes(std::begin(kEmrtdAid), std::end(kEmrtdAid)), 0};
  const ResponseApdu r = channel.transmit(select);
  if (!r.ok())
    throw Error(ErrorArea::File, "SELECT eMRTD application",
                "chip answered " + describeStatus(r.sw) + ": not an eMRTD or the application is missing");
}
}  // namespace

const DocumentFile* DocumentRead::find(std::string_view name) const {
  for (const DocumentFile& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<int> dataGroupsListedInCom(ByteView efCom) {
  try {
    const Tlv com = decodeFirst(efCom);
    if (com.tag != 0x60) throw Error(ErrorArea::Lds, "EF.COM", "does not start with tag 60");
    const Tlv list = requireChild(com.value, 0x5C, "EF.COM tag list");
    std::vector<int> groups;
    for (std::uint8_t tag : list.value) {
      const std::optional<int> dg = dataGroupForTag(tag);
      if (!dg) throw Error(ErrorArea::Lds, "EF.COM", "tag list holds unknown tag " + toHex(ByteView(&tag, 1)));
      groups.push_back(*dg);
    }
    return groups;
  } catch (const Error& e) {
    if (e.area() == ErrorArea::Lds) throw;
    throw Error(ErrorArea::Lds, "EF.COM", e.what());
  }
}

namespace {
/// How the session gets access: none, BAC with the key seed, or PACE with a protocol and password.
struct AccessPlan {
  std::optional<SecretBytes> bacSeed;
  std::optional<PaceInfo> pace;
  std::optional<PacePassword> password;
  bool any() const { return bacSeed.has_value() || pace.has_value(); }
};

/// The chip proves it holds the DG14 key by answering under the new keys (a SELECT of DG14).
void proveChipAuthenticationKeys(ApduChannel& channel) {
  const LdsFile& file = *findLdsFile("DG14");
  const CommandApdu select{0x00, 0xA4, 0x02, 0x0C, {static_cast<std::uint8_t>(file.fid >> 8),
                                                    static_cast<std::uint8_t>(file.fid & 0xFF)}, 0};
  const ResponseApdu answer = channel.transmit(select);
  if (!answer.ok())
    throw Error(ErrorArea::Access, "CHIP AUTHENTICATION", "chip answered " + describeStatus(answer.sw) + " under the new keys");
}

/// The reading session: the plain channel, and after BAC or PACE the secure channel and its reader.
/// A chip that drops secure messaging on an error (a bare status word) gets access again, up to a limit.
class ReadSession {
 public:
  explicit ReadSession(CountingChannel& wire) : wire_(wire), plainReader_(wire, ReadBudget{wire.limits(), {}}, &wire) {}

  void setPlan(AccessPlan plan) { plan_ = std::move(plan); }
  bool usesAccess() const { return plan_.any(); }
  bool usesPace() const { return plan_.pace.has_value(); }
  std::string accessName() const { return plan_.pace ? paceProtocolName(*plan_.pace) : plan_.bacSeed ? "BAC" : "none"; }
  FileReader& plainReader() { return plainReader_; }
  FileReader& reader() { return secureReader_ ? *secureReader_ : plainReader_; }
  std::optional<PaceCamEvidence>& paceCam() { return paceCam_; }

  /// BAC (9303-11 4.3) or PACE (4.4) and a fresh secure channel; the read size learnt so far carries
  /// over. After PACE the application is selected through the secure channel.
  void authenticate() {
    const std::size_t learnt = reader().chunkLimit();
    secureReader_.reset();
    secure_.reset();
    if (plan_.pace) {
      PaceResult r = performPace(wire_, *plan_.pace, *plan_.password);
      paceCam_ = std::move(r.cam);
      secure_.emplace(wire_, std::move(r.sm));
    } else {
      secure_.emplace(wire_, performBac(wire_, plan_.bacSeed->view()));
    }
    SecureChannel& channel = *secure_;
    ReadBudget budget{wire_.limits(), [&channel](std::size_t n) { return channel.sm().responseOverhead(n); }};
    secureReader_.emplace(channel, std::move(budget), &wire_);
    if (authentications_++ > 0) secureReader_->setChunkLimit(learnt);
    if (plan_.pace) selectApplication(channel);
    reestablishChipAuthentication();
  }

  /// Chip Authentication passed with `parameters`: every later session runs it again, so the rest
  /// of the read stays under CA keys (9303-11 6.2).
  void keepChipAuthentication(ChipAuthParameters parameters) { chipAuth_ = std::move(parameters); }
  /// PACE-CAM passed with this DG14: every later PACE run's CAM data are checked against it too.
  void keepPaceCam(Bytes dg14) { camDg14_ = std::move(dg14); }
  /// Why a Chip Authentication that had passed could not be re-established in a later session.
  const std::optional<std::string>& chipAuthenticationLost() const { return chipAuthLost_; }

  /// The channel commands go through now (secure once access control is done).
  ApduChannel& channel() { return secure_ ? static_cast<ApduChannel&>(*secure_) : wire_; }
  bool secured() const { return secure_.has_value(); }

  /// Chip Authentication: secure messaging goes on with `sm` (9303-11 6.2.4); read sizes carry over.
  void restartWith(SecureMessaging sm) {
    const std::size_t learnt = reader().chunkLimit();
    secureReader_.reset();
    secure_.reset();
    secure_.emplace(wire_, std::move(sm));
    SecureChannel& channel = *secure_;
    ReadBudget budget{wire_.limits(), [&channel](std::size_t n) { return channel.sm().responseOverhead(n); }};
    secureReader_.emplace(channel, std::move(budget), &wire_);
    secureReader_->setChunkLimit(learnt);
  }

  /// After a broken session whose state on the chip is unknown: the first plain command may only
  /// end the chip's session (6987), so SELECT up to twice (the MF for PACE, which runs there; the
  /// application for BAC), then authenticate.
  void restartAccess() {
    const CommandApdu select = plan_.pace ? CommandApdu{0x00, 0xA4, 0x00, 0x0C, {}, 0}
                                          : CommandApdu{0x00, 0xA4, 0x04, 0x0C, Bytes(std::begin(kEmrtdAid), std::end(kEmrtdAid)), 0};
    if (!wire_.transmit(select).ok() && !wire_.transmit(select).ok())
      throw Error(ErrorArea::Access, "access control again", "the chip refuses SELECT after a broken session");
    authenticate();
  }

  /// After access control was redone: run Chip Authentication again (or check the new PACE-CAM
  /// data) when it had passed. Fails closed: when it cannot be re-established, the verdict is
  /// lost (chipAuthenticationLost) and the read goes on in a plain BAC / PACE session.
  void reestablishChipAuthentication() {
    if (camDg14_ && plan_.pace) {
      std::string why;
      try {
        if (!paceCam_) why = "the new PACE run gave no PACE-CAM data";
        else if (!verifyPaceCamWithDg14(*paceCam_, *camDg14_)) why = "the new PACE-CAM data do not match the DG14 key";
      } catch (const Error& e) {
        why = e.what();
      }
      if (!why.empty()) {
        chipAuthLost_ = "PACE-CAM could not be re-established after access control was redone: " + why;
        camDg14_.reset();
      }
    }
    if (!chipAuth_) return;
    try {
      restartWith(performChipAuthentication(channel(), *chipAuth_));
      proveChipAuthenticationKeys(channel());
    } catch (const Error& e) {
      chipAuthLost_ = std::string("Chip Authentication could not be re-established after access control was redone: ") + e.what();
      chipAuth_.reset();
      restartAccess();  // the session may be broken; carry on without CA keys
    }
  }

  /// After the chip ended secure messaging: select the application and authenticate again.
  void reauthenticate(const std::string& name, const UnprotectedStatusError& cause) {
    if (authentications_ >= kMaxAuthentications)
      throw Error(ErrorArea::SecureMessaging, "reading " + name,
                  cause.detail() + "; gave up after " + std::to_string(kMaxAuthentications) + " sessions");
    if (!plan_.pace) selectApplication(wire_);
    authenticate();
  }

 private:
  static constexpr int kMaxAuthentications = 8;
  CountingChannel& wire_;
  AccessPlan plan_;
  FileReader plainReader_;
  std::optional<SecureChannel> secure_;
  std::optional<FileReader> secureReader_;
  std::optional<PaceCamEvidence> paceCam_;
  int authentications_ = 0;
  std::optional<ChipAuthParameters> chipAuth_;  // CA passed with these: redo it in every new session
  std::optional<Bytes> camDg14_;                 // PACE-CAM passed with this DG14
  std::optional<std::string> chipAuthLost_;
};

bool isNotFound(const Error& e) { return e.area() == ErrorArea::File && e.detail() == "file not found"; }

/// Chip Authentication v1 with DG14 as read: only once DG14 passed Passive Authentication; the chip
/// proves its key by answering under the new keys (a SELECT of DG14). A failure restarts access
/// control, so the rest of the read (and PA) goes on.
ChipAuthResult chipAuthenticate(ReadSession& session, const DocumentRead& read, const DocumentReadOptions& options) {
  ChipAuthResult r;
  const DocumentFile* dg14 = read.find("DG14");
  const DocumentFile* sod = read.find("EF.SOD");
  if (!dg14 || !sod) {
    r.reason = "DG14 not read";
    return r;
  }
  const pki::PassiveAuthResult pa = pki::verifyPassive(sod->bytes, {{14, dg14->bytes}}, *options.trust, options.paOptions);
  if (pa.status != pki::PaStatus::Valid ||
      std::find(pa.checkedDgs.begin(), pa.checkedDgs.end(), 14) == pa.checkedDgs.end()) {
    r.reason = std::string("DG14 not proved by Passive Authentication (") + pki::toString(pa.status) +
               (pa.reasons.empty() ? "" : ": " + pa.reasons.front()) + ")";
    return r;
  }
  if (const auto& cam = session.paceCam()) {
    // PACE-CAM authenticated the chip in the PACE run (9303-11 4.4.3.5.2): PK_map,IC = CA_IC x PK_IC
    // with PK_IC from DG14, now proved; Chip Authentication v1 would add nothing.
    r.protocol = "PACE-CAM";
    try {
      const bool ok = verifyPaceCamWithDg14(*cam, dg14->bytes);
      r.status = ok ? AuthStatus::Passed : AuthStatus::Failed;
      if (!ok) r.reason = "the chip's PACE-CAM data do not match the DG14 key: the chip does not hold it";
      if (ok) session.keepPaceCam(dg14->bytes);
    } catch (const Error& e) {
      r.status = AuthStatus::Failed;
      r.reason = e.what();
    }
    return r;
  }
  ChipAuthParameters parameters;
  try {
    parameters = selectChipAuthParameters(parseDg14(dg14->bytes));
  } catch (const Error& e) {
    r.status = AuthStatus::NotSupported;
    r.reason = e.what();
    return r;
  }
  r.protocol = parameters.name();
  r.tolerances = parameters.tolerances;
  if (!session.secured()) {
    r.reason = "no secure messaging session to restart (a chip without access control)";
    return r;
  }
  try {
    session.restartWith(performChipAuthentication(session.channel(), parameters));
    proveChipAuthenticationKeys(session.channel());
    r.status = AuthStatus::Passed;
    session.keepChipAuthentication(parameters);
  } catch (const Error& e) {
    r.status = AuthStatus::Failed;
    r.reason = e.area() == ErrorArea::SecureMessaging
                   ? std::string("secure messaging with the new keys failed: the chip does not hold the DG14 key (") +
                         e.what() + ")"
                   : e.what();
    session.restartAccess();
  }
  return r;
}

/// Active Authentication with DG15 as read and the algorithm of DG14's ActiveAuthenticationInfo.
ActiveAuthResult activeAuthenticate(ReadSession& session, const DocumentRead& read) {
  ActiveAuthResult r;
  const DocumentFile* dg15 = read.find("DG15");
  if (!dg15) {
    r.reason = "DG15 not read";
    return r;
  }
  Dg15 key;
  try {
    key = parseDg15(dg15->bytes);
  } catch (const Error& e) {
    r.status = AuthStatus::Failed;
    r.reason = std::string("DG15 malformed: ") + e.what();
    return r;
  }
  std::optional<ActiveAuthenticationInfo> info;
  if (const DocumentFile* dg14 = read.find("DG14")) {
    try {
      const SecurityInfos infos = parseDg14(dg14->bytes);
      if (!infos.activeAuthentication.empty()) info = infos.activeAuthentication.front();
    } catch (const Error&) {
      // A malformed DG14 gives no algorithm; RSA does not need one, ECDSA reports it.
    }
  }
  return performActiveAuthentication(session.channel(), key, info);
}
}  // namespace

namespace {
/// What the caller holds: an AccessKey, or (the BAC-only entry point) a BAC key seed.
struct CallerKey {
  const AccessKey* key = nullptr;
  const std::optional<SecretBytes>* bacSeed = nullptr;
  bool any() const { return key ? (key->mrzInformation || key->can) : bacSeed->has_value(); }
};

/// PACE when EF.CardAccess offers a supported protocol and the caller can run it; otherwise BAC.
AccessPlan planAccess(const CallerKey& caller, const DocumentFile* cardAccess, DocumentRead& result) {
  AccessPlan plan;
  if (!caller.any()) return plan;
  std::optional<PaceInfo> best;
  bool offered = false;
  std::string note;
  std::optional<std::string> unreadable;  // why EF.CardAccess could not be parsed
  if (cardAccess) {
    try {
      const SecurityInfos infos = parseCardAccess(cardAccess->bytes);
      offered = !infos.pace.empty();
      best = choosePaceInfo(infos);
      if (offered && !best) note = "EF.CardAccess offers only PACE protocols portti does not support";
    } catch (const Error& e) {
      unreadable = e.detail();
      note = "EF.CardAccess unreadable (" + *unreadable + ")";
    }
  }
  if (caller.key) {
    // A chip with an EF.CardAccess nobody can parse may well offer PACE: choosing BAC in its place
    // would be a downgrade an attacker can cause by garbling the (unsigned) file. Fail closed.
    if (unreadable)
      throw Error(ErrorArea::Access, "EF.CardAccess",
                  "malformed (" + *unreadable + "): PACE cannot be chosen and BAC is not tried in its place");
    if (best) {
      plan.pace = best;
      plan.password = caller.key->mrzInformation ? PacePassword::mrz(*caller.key->mrzInformation)
                                                  : PacePassword::can(*caller.key->can);
      return plan;
    }
    if (!caller.key->mrzInformation)
      throw Error(ErrorArea::Access, "PACE",
                  note.empty() ? "the CAN works only with PACE, and the chip offers no PACE" : "the CAN needs PACE: " + note);
    plan.bacSeed = bacKeySeed(*caller.key->mrzInformation);
  } else {
    plan.bacSeed = **caller.bacSeed;
    if (best) note = "EF.CardAccess offers " + paceProtocolName(*best) + " but only a BAC key was given";
  }
  if (!note.empty()) result.downgrade = "BAC used: " + note;
  return plan;
}

DocumentRead readWith(ApduChannel& channel, const CallerKey& caller, const DocumentReadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CountingChannel wire(channel);
  DocumentRead result;
  ReadSession session(wire);

  // EF.CardAccess sits in the MF and is readable without access control (Doc 9303-10 3.11.1).
  if (options.readCardAccess) {
    const LdsFile& cardAccess = *findLdsFile("EF.CardAccess");
    const auto before = wire.counters();
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint16_t s = session.plainReader().selectStatus(cardAccess);
    if (s == sw::kOk) {
      DocumentFile f{cardAccess.name, session.plainReader().readSelected(cardAccess.name), {}};
      f.stats.apdus = wire.counters().apdus - before.apdus;
      f.stats.bytesSent = wire.counters().bytesSent - before.bytesSent;
      f.stats.bytesReceived = wire.counters().bytesReceived - before.bytesReceived;
      f.stats.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      result.files.push_back(std::move(f));
    } else {
      result.notRead.push_back({cardAccess.name, "not present (" + describeStatus(s) + ")"});
    }
  }

  session.setPlan(planAccess(caller, result.find("EF.CardAccess"), result));
  if (session.usesPace()) {
    // PACE runs at MF level; the application is selected under secure messaging afterwards.
    session.authenticate();
    result.accessMethod = session.accessName();
  } else {
    selectApplication(wire);
    if (session.usesAccess()) {
      session.authenticate();
      result.accessMethod = "BAC";
    } else {
      result.accessMethod = "none";
    }
  }
  // Reads one file; false when it was not read because it needs EAC (CLARIFICATIONS 12).
  auto readOne = [&](const LdsFile& file) -> bool {
    for (;;) {
      try {
        FileReader::Result r = session.reader().read(file);
        result.files.push_back(DocumentFile{file.name, std::move(r.bytes), r.stats});
        return true;
      } catch (const UnprotectedStatusError& e) {
        // The chip answered with a bare status word and left secure messaging (some chips do on
        // any error, QUIRKS.md "Read sizes"): authenticate again, then act on the status word.
        if (!session.usesAccess()) throw;
        session.reauthenticate(file.name, e);
        const std::uint16_t s = e.sw();
        if (needsEac(file.dataGroup) && (s == sw::kSecurityNotSatisfied || s == sw::kFileNotFound)) return false;
        if (s == sw::kFileNotFound) throw Error(ErrorArea::File, std::string("SELECT ") + file.name, "file not found");
        if (s == sw::kSecurityNotSatisfied)
          throw Error(ErrorArea::Access, std::string("SELECT ") + file.name, "access denied (EAC required?)");
        if ((s == sw::kWrongLength || s == sw::kWrongP1P2) && session.reader().stepDownAfterRefusal()) continue;
        throw Error(ErrorArea::File, std::string("READ BINARY ") + file.name,
                    "chip answered " + describeStatus(s) + " and ended secure messaging");
      } catch (const Error& e) {
        if (needsEac(file.dataGroup) && (e.area() == ErrorArea::Access || isNotFound(e))) return false;
        throw;
      }
    }
  };

  try {
    readOne(*findLdsFile("EF.COM"));
  } catch (const Error& e) {
    if (e.area() == ErrorArea::Access && !caller.any())
      throw Error(ErrorArea::Access, e.step(), "the chip requires access control (BAC or PACE): give the MRZ or CAN");
    throw;
  }
  result.listedDataGroups = dataGroupsListedInCom(result.files.back().bytes);
  readOne(*findLdsFile("EF.SOD"));

  std::vector<int> wanted = options.dataGroups;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  const auto& listed = result.listedDataGroups;
  const auto isListed = [&](int dg) { return std::find(listed.begin(), listed.end(), dg) != listed.end(); };
  const auto isWanted = [&](int dg) { return std::find(wanted.begin(), wanted.end(), dg) != wanted.end(); };
  // Chip Authentication first, so that the rest of the read uses its keys.
  if (!isListed(14)) {
    result.chipAuth.status = AuthStatus::NotSupported;
    result.chipAuth.reason = "the document has no DG14";
  } else if (!options.chipAuthentication || !isWanted(14)) {
    result.chipAuth.reason = "not asked for";
  } else if (!options.trust) {
    result.chipAuth.reason = "no trust store to prove DG14 with first";
  } else {
    readOne(*dataGroupFile(14));
    wanted.erase(std::find(wanted.begin(), wanted.end(), 14));
    result.chipAuth = chipAuthenticate(session, result, options);
  }
  for (int dg : wanted) {
    const LdsFile* file = dataGroupFile(dg);
    if (!file) throw Error(ErrorArea::File, "read document", "no data group " + std::to_string(dg));
    if (!isListed(dg)) {
      result.notRead.push_back({file->name, "not listed in EF.COM"});
      continue;
    }
    if (!readOne(*file)) result.notRead.push_back({file->name, "not read: EAC required"});
  }

  if (!isListed(15)) {
    result.activeAuth.status = AuthStatus::NotSupported;
    result.activeAuth.reason = "the document has no DG15";
  } else if (!options.activeAuthentication) {
    result.activeAuth.reason = "not asked for";
  } else {
    result.activeAuth = activeAuthenticate(session, result);
  }

  // A Chip Authentication that could not be redone after a later re-authentication proves nothing
  // about the files read since: the verdict does not stay `passed`.
  if (const auto& lost = session.chipAuthenticationLost()) {
    result.chipAuth.status = AuthStatus::Failed;
    result.chipAuth.reason = *lost;
  }
  result.totals.apdus = wire.counters().apdus;
  result.totals.bytesSent = wire.counters().bytesSent;
  result.totals.bytesReceived = wire.counters().bytesReceived;
  result.totals.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  result.paceCam = std::move(session.paceCam());
  return result;
}
}  // namespace

DocumentRead readDocument(ApduChannel& channel, const std::optional<SecretBytes>& bacKeySeed,
                          const DocumentReadOptions& options) {
  return readWith(channel, CallerKey{nullptr, &bacKeySeed}, options);
}

DocumentRead readDocument(ApduChannel& channel, const AccessKey& key, const DocumentReadOptions& options) {
  return readWith(channel, CallerKey{&key, nullptr}, options);
}

}  // namespace portti::mrtd
