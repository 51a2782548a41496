#include "commands.hpp"

namespace portti::cli {

// One line per command group; each is defined in its own cmd_<name>.cpp.
int runAudit(const Words& words);  // cmd_audit.cpp
int runMrz(const Words& words);   // cmd_mrz.cpp
int runPa(const Words& words);    // cmd_pa.cpp
int runPki(const Words& words);   // cmd_pki.cpp
int runChip(const Words& words);  // cmd_chip.cpp
int runRead(const Words& words);  // cmd_read.cpp
int runReaders(const Words& words);  // cmd_readers.cpp
int runFace(const Words& words);     // cmd_face.cpp
int runDevices(const Words& words);  // cmd_devices.cpp
int runRules(const Words& words);    // cmd_rules.cpp
int runDiag(const Words& words);     // cmd_diag.cpp
int runConformance(const Words& words);  // cmd_conformance.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"audit", "audit verify FILE [--key KEYFILE] [--result RESULT.json]... [--json]", runAudit},
      {"mrz", "mrz check MRZ", runMrz},
      {"pa", "pa --sod EF.SOD [--dg N=FILE ...] [--trust PATH ...] [--crl FILE ...] [--at YYYY-MM-DD] [--json]", runPa},
      {"pki", "pki make-test DIR", runPki},
      {"chip", "chip make --mrz MRZ --photo FACE --pki DIR --out CHIP_DIR [--fault F] [--aa rsa|ec] [--can NNNNNN] [--pace-mapping gm|im|cam|none] [--pace-curve C] [--pace-cipher 3des|aes128|aes192|aes256]", runChip},
      {"read", "read --reader sim:DIR|pcsc[:NAME]|nfc[:CONNSTRING] --mrz MRZ|--can NNNNNN --trust PATH... [--crl FILE] [--at YYYY-MM-DD] [--wait SECONDS] [--out DUMP_DIR] [--json]", runRead},
      {"readers", "readers [--json]", runReaders},
      {"face", "face compare A B [--aligned] [--config FILE] [--json] | face eval --dataset DIR [--aligned] [--chip-like jpeg|jp2] [--limit N] [--plot DIR] [--misses N] [--target-fmr R] [--write-threshold] [--config FILE] [--json] | face morph A B --out M.png [--alpha 0.5] [--splice] [--match-colour] [--print-scan] [--chip [--chip-format jpeg|jp2]] | face mad-train --dataset DIR --out MODEL --seed N [--chip-format jpeg|jp2] [--chip-width N] | face mad-eval --dataset DIR [--morphs MORPH_DIR] [--model MODEL] [--smad-model FILE] [--limit N] [--pairs-per-identity K] [--threshold T ...] [--chip-format jpeg|jp2] [--chip-width N] [--plot DIR] [--json] | face morph-check --document DOC [--live LIVE] [--model MODEL] [--json]", runFace},
      {"devices", "devices [--reader SPEC]... [--camera SPEC]... [--gate SPEC] [--lights SPEC] [--mrz-source SPEC]... [--json]", runDevices},
      {"rules", "rules check FILE | rules eval FILE --facts FACTS.json [--today YYYY-MM-DD]", runRules},
      {"diag", "diag --url http://127.0.0.1:8480 (--token T | --pin P) [--self-test] [--json]", runDiag},
      {"conformance", "conformance [--case ID|GROUP] [--verbose]", runConformance},
  };
  return all;
}

}  // namespace portti::cli
