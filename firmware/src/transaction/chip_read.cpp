#include <exception>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"
#include "portti/mrtd/protocol/document_reader.hpp"
#include "steps.hpp"

namespace portti::firmware::steps {

StepOutcome readChip(Transaction& tx, hw::CardReader& reader) {
  if (!tx.accessKey) return StepOutcome::failed("no access key");
  if (tx.accessKey->kind == AccessKey::Kind::Can) {
    // PACE is not in mrtd yet: a CAN cannot open the chip. Fail closed with the reason.
    return StepOutcome::failed("PACE with the CAN is not available in this build");
  }
  try {
    mrtd::SecretBytes seed = tx.accessKey->bacKeySeed();
    mrtd::DocumentRead read = mrtd::readDocument(reader, seed);
    tx.chip.accessMethod = read.accessMethod;
    // EF.CardAccess present means the chip offers PACE: a BAC read is then a downgrade (QUIRKS).
    tx.chip.paceAdvertised = read.find("EF.CardAccess") != nullptr;
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
