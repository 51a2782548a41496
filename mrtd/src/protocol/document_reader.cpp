#include "portti/mrtd/protocol/document_reader.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "portti/mrtd/card/lds_files.hpp"
#include "portti/mrtd/error.hpp"
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
      const int dg = dataGroupForTag(tag);
      if (dg == 0) throw Error(ErrorArea::Lds, "EF.COM", "tag list holds unknown tag " + toHex(ByteView(&tag, 1)));
      groups.push_back(dg);
    }
    return groups;
  } catch (const Error& e) {
    if (e.area() == ErrorArea::Lds) throw;
    throw Error(ErrorArea::Lds, "EF.COM", e.what());
  }
}

DocumentRead readDocument(ApduChannel& channel, const std::optional<SecretBytes>& bacKeySeed,
                          const DocumentReadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CountingChannel wire(channel);
  DocumentRead result;

  // EF.CardAccess sits in the MF and is readable without access control (Doc 9303-10 3.11.1).
  FileReader plainReader(wire, ReadBudget{wire.limits(), {}}, &wire);
  if (options.readCardAccess) {
    const LdsFile& cardAccess = *findLdsFile("EF.CardAccess");
    const std::uint16_t s = plainReader.selectStatus(cardAccess);
    if (s == sw::kOk) {
      const auto before = wire.counters();
      const auto t0 = std::chrono::steady_clock::now();
      DocumentFile f{cardAccess.name, plainReader.readSelected(cardAccess.name), {}};
      f.stats.apdus = wire.counters().apdus - before.apdus + 1;  // + its SELECT
      f.stats.bytesSent = wire.counters().bytesSent - before.bytesSent;
      f.stats.bytesReceived = wire.counters().bytesReceived - before.bytesReceived;
      f.stats.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      result.files.push_back(std::move(f));
    } else {
      result.notRead.push_back({cardAccess.name, "not present (" + describeStatus(s) + ")"});
    }
  }

  selectApplication(wire);

  FileReader* reader = &plainReader;
  if (bacKeySeed) {
    throw Error(ErrorArea::Access, "BAC", "BAC is not available in this build");
  } else {
    result.accessMethod = "none";
  }

  auto readOne = [&](const LdsFile& file) {
    FileReader::Result r = reader->read(file);
    result.files.push_back(DocumentFile{file.name, std::move(r.bytes), r.stats});
  };

  try {
    readOne(*findLdsFile("EF.COM"));
  } catch (const Error& e) {
    if (e.area() == ErrorArea::Access && !bacKeySeed)
      throw Error(ErrorArea::Access, e.step(), "the chip requires access control (BAC or PACE): give the MRZ");
    throw;
  }
  result.listedDataGroups = dataGroupsListedInCom(result.files.back().bytes);
  readOne(*findLdsFile("EF.SOD"));

  std::vector<int> wanted = options.dataGroups;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  for (int dg : wanted) {
    const LdsFile* file = dataGroupFile(dg);
    if (!file) throw Error(ErrorArea::File, "read document", "no data group " + std::to_string(dg));
    const auto& listed = result.listedDataGroups;
    if (std::find(listed.begin(), listed.end(), dg) == listed.end()) {
      result.notRead.push_back({file->name, "not listed in EF.COM"});
      continue;
    }
    if (needsEac(dg)) {
      try {
        readOne(*file);
      } catch (const Error& e) {
        // CLARIFICATIONS 12: refused (6982) or absent (6A82) without EAC is not a failure.
        if (e.area() != ErrorArea::Access && !(e.area() == ErrorArea::File && e.detail() == "file not found"))
          throw;
        result.notRead.push_back({file->name, "not read: EAC required"});
      }
      continue;
    }
    readOne(*file);
  }

  result.totals.apdus = wire.counters().apdus;
  result.totals.bytesSent = wire.counters().bytesSent;
  result.totals.bytesReceived = wire.counters().bytesReceived;
  result.totals.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace portti::mrtd
