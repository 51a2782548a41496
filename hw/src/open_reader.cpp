#include "portti/hw/open_reader.hpp"

#include "portti/hw/nfc_reader.hpp"
#include "portti/hw/pcsc_reader.hpp"
#include "portti/hw/sim_reader.hpp"
#include "portti/mrtd/error.hpp"

namespace portti::hw {

namespace {
bool startsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
}  // namespace

std::unique_ptr<CardReader> openReader(const std::string& spec) {
  if (spec == "pcsc") return std::make_unique<PcscReader>("");
  if (startsWith(spec, "pcsc:")) return std::make_unique<PcscReader>(spec.substr(5));
  if (spec == "nfc") return std::make_unique<NfcReader>("");
  if (startsWith(spec, "nfc:")) return std::make_unique<NfcReader>(spec.substr(4));
  if (startsWith(spec, "sim:")) return std::make_unique<SimReader>(spec);
  throw mrtd::Error(mrtd::ErrorArea::Transport, "open reader",
                    "unknown reader '" + spec + "': use sim:DIR, pcsc[:NAME] or nfc[:CONNSTRING]");
}

std::vector<BackendListing> listReaders() {
  std::vector<BackendListing> out;
  {
    BackendListing pcsc{"pcsc", {}, {}};
    try {
      for (const auto& name : listPcscReaders()) {
        std::string detail;
        try {
          PcscReader r(name);
          detail = r.cardPresent() ? "card present" : "no card";
        } catch (const std::exception& e) {
          detail = e.what();
        }
        pcsc.readers.push_back({"pcsc", "pcsc:" + name, detail});
      }
    } catch (const std::exception& e) {
      pcsc.problem = e.what();
    }
    out.push_back(std::move(pcsc));
  }
  {
    BackendListing nfc{"nfc", {}, {}};
    try {
      for (const auto& conn : listNfcDevices()) nfc.readers.push_back({"nfc", "nfc:" + conn, "libnfc device"});
    } catch (const std::exception& e) {
      nfc.problem = e.what();
    }
    out.push_back(std::move(nfc));
  }
  out.push_back({"sim", {{"sim", "sim:DIR", "the virtual chip in DIR (made by `portti chip make DIR`)"}}, {}});
  return out;
}

}  // namespace portti::hw
