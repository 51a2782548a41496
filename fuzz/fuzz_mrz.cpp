// Fuzz target: MRZ parsing (any text), and for parsed MRZs the BAC MRZ_information.
#include <cstddef>
#include <cstdint>
#include <string>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portti::mrtd;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Mrz mrz = parseMrz(text);
  // Fail closed: a valid MRZ has every field valid.
  if (mrz.valid() &&
      !(mrz.validity.documentNumber && mrz.validity.dateOfBirth && mrz.validity.dateOfExpiry)) {
    __builtin_trap();
  }
  try {
    const std::string info = mrzInformation(mrz);
    if (mrz.valid() && info.size() < 24) __builtin_trap();
  } catch (const Error&) {
    if (mrz.valid()) __builtin_trap();  // a valid MRZ always yields BAC key material
  }
  if (mrz.valid()) {
    // What parses composes again into a valid MRZ with the same key fields.
    MrzFields f;
    f.format = mrz.format;
    f.documentCode = mrz.documentCode;
    f.issuingState = mrz.issuingState;
    f.documentNumber = mrz.documentNumber;
    f.dateOfBirth = mrz.dateOfBirth;
    f.sex = mrz.sex;
    f.dateOfExpiry = mrz.dateOfExpiry;
    f.nationality = mrz.nationality;
    f.primaryIdentifier = mrz.primaryIdentifier;
    f.secondaryIdentifier = mrz.secondaryIdentifier;
    f.optionalData = mrz.optionalData;
    f.optionalData2 = mrz.optionalData2;
    const Mrz again = parseMrzLines(composeMrz(f));
    if (!again.valid() || again.documentNumber != mrz.documentNumber ||
        again.dateOfBirth != mrz.dateOfBirth || again.dateOfExpiry != mrz.dateOfExpiry ||
        mrzInformation(again) != mrzInformation(mrz)) {
      __builtin_trap();
    }
  }
  (void)splitMrzName(text);
  return 0;
}
