// The machine readable zone (ICAO Doc 9303 Parts 3-7) and the BAC key material derived from it
// (Part 11, 9.7.2 and Appendix D.2).
//
// parseMrz() never throws on bad input: it reports every problem it finds, each naming the field
// ("date_of_expiry check digit: expected 9, found 8"), and marks each field valid or not. A field
// is valid only when it was read and passed every check (fail closed).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portti/mrtd/bytes.hpp"

namespace portti::mrtd {

/// Machine readable travel document formats: TD1 (3x30, Part 5), TD2 (2x36, Part 6),
/// TD3 (2x44, Part 4), and the visas MRV-A (2x44) and MRV-B (2x36) of Part 7.
enum class MrzFormat { Unknown, TD1, TD2, TD3, MrvA, MrvB };

/// "TD1", "TD2", "TD3", "MRV-A", "MRV-B", or "unknown".
const char* mrzFormatName(MrzFormat format);

/// Check digit of Part 3, 4.9: weights 7-3-1 repeated, digits count as themselves, A-Z as 10-35
/// and the filler '<' as 0; the sum modulo 10. Returns -1 if `field` holds any other character.
int mrzCheckDigit(std::string_view field);

/// The name field split at the first "<<" (Part 3, 4.6): fillers become spaces, runs of them one.
struct MrzName {
  std::string primaryIdentifier;    ///< surname(s), e.g. "ERIKSSON"
  std::string secondaryIdentifier;  ///< given name(s), e.g. "ANNA MARIA"
};

/// Splits a name as written in an MRZ or in DG11 ("ERIKSSON<<ANNA<MARIA<<<") into its parts.
MrzName splitMrzName(std::string_view field);

/// Whether each field was read and passed every check (characters, plausibility, check digit).
struct MrzFieldValidity {
  bool documentCode = false;
  bool issuingState = false;
  bool documentNumber = false;  ///< characters and check digit (incl. a TD1/TD2 overflow)
  bool dateOfBirth = false;
  bool sex = false;
  bool dateOfExpiry = false;
  bool nationality = false;
  bool names = false;
  bool optionalData = false;  ///< characters, and for TD3 the personal number check digit
  /// The composite check digit; nullopt for the visas, which have none (Part 7).
  std::optional<bool> composite;
};

/// A parsed MRZ. Strings are as printed with trailing fillers removed, except the dates.
struct Mrz {
  MrzFormat format = MrzFormat::Unknown;
  std::vector<std::string> lines;  ///< the lines as read, after trimming
  std::string documentCode;        ///< "P", "I", "ID", "V", ...
  std::string issuingState;        ///< "UTO", "D"
  /// The full document number: for TD1/TD2 numbers longer than 9 characters the overflow from
  /// the optional data is appended (Part 5, 4.2.4 note j; Part 6 likewise).
  std::string documentNumber;
  char documentNumberCheckDigit = '<';  ///< the real one, also for long numbers
  std::string dateOfBirth;              ///< YYMMDD (may hold '<' where unknown, Part 3 4.7)
  char dateOfBirthCheckDigit = '<';
  std::string dateOfExpiry;  ///< YYMMDD
  char dateOfExpiryCheckDigit = '<';
  char sex = '<';  ///< 'M', 'F', 'X' or '<' (unspecified)
  std::string nationality;
  std::string primaryIdentifier;
  std::string secondaryIdentifier;
  /// Optional data (TD3: the personal number); for a long TD1/TD2 number, what follows the
  /// overflow.
  std::string optionalData;
  std::string optionalData2;  ///< TD1 only: optional data of line 2
  MrzFieldValidity validity;
  std::vector<std::string> errors;  ///< one message per problem, each starting with the field

  /// The format was recognised and no check failed.
  bool valid() const { return format != MrzFormat::Unknown && errors.empty(); }
};

/// Splits MRZ text into lines: lines joined by "\n" or "\r\n", surrounding whitespace and empty
/// lines ignored; a single line of 90, 72 or 88 characters (as stored in DG1) is cut into 3x30,
/// 2x36 or 2x44.
std::vector<std::string> splitMrzLines(std::string_view text);

/// Parses MRZ text in any form splitMrzLines() accepts. Never throws for bad input.
Mrz parseMrz(std::string_view text);
/// Parses MRZ lines that are already split. Never throws for bad input.
Mrz parseMrzLines(const std::vector<std::string>& lines);
/// Parses and requires a valid MRZ; throws Error{Mrz} listing every problem otherwise.
Mrz parseValidMrz(std::string_view text);

/// The fields of an MRZ to print, for test documents and the virtual passport maker.
struct MrzFields {
  MrzFormat format = MrzFormat::TD3;
  std::string documentCode;         ///< 1-2 characters: "P", "I", "ID", "V"
  std::string issuingState;         ///< 1-3 characters
  std::string documentNumber;       ///< up to 9 characters; TD1/TD2 allow more (overflow, Part 5 4.2.4)
  std::string dateOfBirth;          ///< YYMMDD ('<' where unknown)
  char sex = '<';                   ///< 'M', 'F', 'X' or '<'
  std::string dateOfExpiry;         ///< YYMMDD
  std::string nationality;          ///< 1-3 characters
  std::string primaryIdentifier;    ///< spaces become fillers
  std::string secondaryIdentifier;  ///< spaces become fillers
  std::string optionalData;         ///< TD3: the personal number
  std::string optionalData2;        ///< TD1 only: optional data of line 2
};

/// Composes the MRZ lines with every check digit. A name longer than its field is cut at the
/// field's end (the truncation rules of Part 3, 4.6 are not applied); any other field that does
/// not fit or holds characters outside A-Z, 0-9 and '<' throws Error{Mrz}.
std::vector<std::string> composeMrz(const MrzFields& fields);

/// MRZ_information of Part 11, 9.7.2: document number padded with '<' to at least 9 characters,
/// its check digit, date of birth and its check digit, date of expiry and its check digit. Uses
/// the check digits as printed (a long TD1 number: the full number and its real check digit).
/// Throws Error{Mrz} if the MRZ's format is unknown or a needed field is malformed.
std::string mrzInformation(const Mrz& mrz);
/// MRZ_information from the three fields, computing the check digits (for readers given the
/// document number and dates by hand). Throws Error{Mrz} on malformed fields.
std::string mrzInformation(std::string_view documentNumber, std::string_view dateOfBirth,
                           std::string_view dateOfExpiry);

/// K_seed of Part 11, 9.7.2 / Appendix D.2: the first 16 bytes of SHA-1(MRZ_information).
SecretBytes bacKeySeed(std::string_view mrzInformation);

}  // namespace portti::mrtd
