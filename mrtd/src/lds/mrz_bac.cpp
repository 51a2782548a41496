// BAC key material from the MRZ: ICAO Doc 9303 Part 11, 9.7.2 and Appendix D.2.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/mrz.hpp"

namespace portti::mrtd {

namespace {

constexpr const char* kStep = "BAC key from MRZ";

bool allOf(std::string_view s, bool (*ok)(char)) {
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}
bool mrzChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool dateChar(char c) {
  return digit(c) || c == '<';
}

/// The document number as it enters MRZ_information: padded with fillers to 9 characters.
std::string paddedNumber(std::string_view number) {
  std::string out(number);
  if (out.size() < 9) out.append(9 - out.size(), '<');
  return out;
}

void requireDate(const char* what, std::string_view date, bool (*ok)(char)) {
  if (date.size() != 6 || !allOf(date, ok)) {
    throw Error(ErrorArea::Mrz, kStep,
                std::string(what) + " must be 6 digits (YYMMDD), got '" + std::string(date) + "'");
  }
}

}  // namespace

std::string mrzInformation(const Mrz& mrz) {
  if (mrz.format == MrzFormat::Unknown)
    throw Error(ErrorArea::Mrz, kStep, "the MRZ layout was not recognised");
  if (mrz.documentNumber.empty() || !allOf(mrz.documentNumber, mrzChar)) {
    throw Error(ErrorArea::Mrz, kStep, "the document number is missing or malformed");
  }
  requireDate("date_of_birth", mrz.dateOfBirth, dateChar);
  requireDate("date_of_expiry", mrz.dateOfExpiry, digit);
  for (char cd : {mrz.documentNumberCheckDigit, mrz.dateOfBirthCheckDigit, mrz.dateOfExpiryCheckDigit}) {
    if (!digit(cd)) throw Error(ErrorArea::Mrz, kStep, "a check digit of the MRZ is not a digit");
  }
  return paddedNumber(mrz.documentNumber) + mrz.documentNumberCheckDigit + mrz.dateOfBirth +
         mrz.dateOfBirthCheckDigit + mrz.dateOfExpiry + mrz.dateOfExpiryCheckDigit;
}

std::string mrzInformation(std::string_view documentNumber, std::string_view dateOfBirth,
                           std::string_view dateOfExpiry) {
  if (documentNumber.empty() || documentNumber.size() > 22 || !allOf(documentNumber, mrzChar)) {
    throw Error(ErrorArea::Mrz, kStep,
                "document number must be 1-22 characters of A-Z, 0-9 and '<', got '" +
                    std::string(documentNumber) + "'");
  }
  requireDate("date of birth", dateOfBirth, dateChar);
  requireDate("date of expiry", dateOfExpiry, digit);
  const std::string number = paddedNumber(documentNumber);
  auto cd = [](std::string_view field) { return static_cast<char>('0' + mrzCheckDigit(field)); };
  return number + cd(number) + std::string(dateOfBirth) + cd(dateOfBirth) + std::string(dateOfExpiry) +
         cd(dateOfExpiry);
}

SecretBytes bacKeySeed(std::string_view mrzInformation) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(mrzInformation.data(), mrzInformation.size(), digest.data(), &length, EVP_sha1(), nullptr) !=
          1 ||
      length != 20) {
    char buf[256] = "unknown error";
    if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    throw Error(ErrorArea::Crypto, kStep, std::string("SHA-1 failed: ") + buf);
  }
  SecretBytes seed(ByteView(digest.data(), 16));
  OPENSSL_cleanse(digest.data(), digest.size());
  return seed;
}

}  // namespace portti::mrtd
