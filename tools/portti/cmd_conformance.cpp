// portti conformance: runs the inspection-system conformance suite (docs/conformance.md, modelled
// on BSI TR-03105 Part 5) and prints one row per case with PASS or FAIL. Exit 0 when every case
// gives its expected verdict and reason, 1 otherwise. `--case ID|GROUP` runs a part of it.
#include <iomanip>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "portti/mrtd/protocol/conformance.hpp"

namespace portti::cli {

int runConformance(const Words& words) {
  Args args(words, {"verbose"});
  const std::string filter = args.get("case").value_or("");
  std::size_t failed = 0, total = 0;
  // The header and summary avoid the word a passing row carries, so counting rows stays honest.
  std::cout << std::left << std::setw(9) << "case" << std::setw(7) << "result" << std::setw(15) << "expected"
            << std::setw(38) << "reason code" << "title\n";
  mrtd::runConformance(filter, [&](const mrtd::ConformanceOutcome& o) {
    ++total;
    if (!o.passed) ++failed;
    const auto& c = o.testCase;
    std::cout << std::left << std::setw(9) << c.id << std::setw(7) << (o.passed ? "PASS" : "FAIL") << std::setw(15)
              << mrtd::toString(c.expected) << std::setw(38) << (c.reason.empty() ? "-" : c.reason) << c.title << "\n";
    if (!o.passed || args.flag("verbose")) {
      std::string got;
      for (const auto& f : o.failures) got += (got.empty() ? "" : " ") + f;
      std::cout << "         got " << mrtd::toString(o.verdict) << " [" << got << "]"
                << (o.detail.empty() ? "" : ": " + o.detail) << "\n";
    }
  });
  std::cout << "conformance: " << total << " cases, " << total - failed << " as expected, " << failed << " failed\n";
  return failed == 0 && total > 0 ? 0 : 1;
}

}  // namespace portti::cli
