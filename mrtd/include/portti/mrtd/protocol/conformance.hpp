// The inspection-system conformance suite, modelled on BSI TR-03105 Part 5 (test cases for
// inspection systems): a table of virtual documents, each issued in memory with a test PKI
// (pki/issuing.hpp) and a fault, read over the virtual chip (card/virtual_chip.hpp,
// protocol/document_reader.hpp) with BAC, or with PACE as `portti read` chooses it when the case's
// chip has an EF.CardAccess, and inspected (protocol/inspection.hpp). A case passes when the
// verdict is the expected one and, for a rejected document, the expected reason code is among
// its failures. docs/conformance.md lists every case.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "portti/mrtd/protocol/inspection.hpp"

namespace portti::mrtd {

/// One row of the suite.
struct ConformanceCase {
  std::string id;      ///< "SOD-05"
  std::string group;   ///< "OK", "LDS", "SOD", "CERT", "HASH", "CONS", "CA", "AA", "PACE"
  std::string title;   ///< what the document does wrong (or right)
  VerdictStatus expected = VerdictStatus::Invalid;
  /// The reason code the verdict must carry: in `failures` for an invalid document, the PA code
  /// for an indeterminate one, a warning code (or empty) for a valid one.
  std::string reason;
  /// The access the read must have used ("PACE-ECDH-GM-AES128", "BAC"); empty: not checked.
  std::string access;
};

/// What running one case gave.
struct ConformanceOutcome {
  ConformanceCase testCase;
  VerdictStatus verdict = VerdictStatus::Invalid;
  std::vector<std::string> failures;  ///< reason codes of the verdict (or of the failed read)
  std::vector<std::string> warnings;
  bool chipProved = false;            ///< Chip and Active Authentication both passed
  std::string access;                 ///< the access the read used (empty when the read failed)
  bool passed = false;                ///< verdict and reason as expected
  std::string detail;                 ///< why not, or the first reason
};

/// Every case, in table order.
std::vector<ConformanceCase> conformanceCases();

/// Runs every case (or those whose id or group starts with `filter`), calling `onCase` after each.
std::vector<ConformanceOutcome> runConformance(const std::string& filter = "",
                                               const std::function<void(const ConformanceOutcome&)>& onCase = {});

}  // namespace portti::mrtd
