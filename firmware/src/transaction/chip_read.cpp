#include <exception>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome readChip(Transaction& tx, hw::CardReader& reader, const mrtd::pki::TrustStore* trust) {
  if (!tx.accessKey) return StepOutcome::failed("no access key");
  try {
    // PACE whenever EF.CardAccess offers it (MRZ or CAN), BAC otherwise; a failing PACE is an error.
    const mrtd::AccessKey key = tx.accessKey->kind == AccessKey::Kind::Can
                                    ? mrtd::AccessKey::cardAccessNumber(tx.accessKey->can)
                                    : mrtd::AccessKey::mrz(tx.accessKey->mrzInformation());
    mrtd::DocumentReadOptions options;
    options.trust = trust;  // Chip Authentication runs in the read once DG14 passed PA against it
    mrtd::DocumentRead read = mrtd::readDocument(reader, key, options);
    tx.chip.accessMethod = read.accessMethod;
    tx.chip.paceAdvertised = read.find("EF.CardAccess") != nullptr;
    tx.chip.chipAuthResult = read.chipAuth;
    tx.chip.activeAuthResult = read.activeAuth;
    for (auto& f : read.files) {
      if (f.name == "EF.SOD") tx.chip.sod = std::move(f.bytes);
      else if (f.name.rfind("DG", 0) == 0) tx.chip.dataGroups[std::stoi(f.name.substr(2))] = std::move(f.bytes);
      else wipeBytes(f.bytes);
    }
    if (tx.chip.sod.empty()) return StepOutcome::failed("the chip has no EF.SOD");
    tx.chip.read = Verdict::Passed;
    return StepOutcome::passed();
  } catch (const mrtd::Error& e) {
    tx.chip.read = Verdict::Failed;
    return StepOutcome::failed(std::string("chip read: ") + mrtd::areaName(e.area()) + ": " + e.what());
  } catch (const std::exception& e) {
    tx.chip.read = Verdict::Failed;
    return StepOutcome::failed(std::string("chip read: ") + e.what());
  }
}

}  // namespace portti::firmware::steps
