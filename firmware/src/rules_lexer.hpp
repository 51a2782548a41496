// Tokens of the rule language (docs/rules.md). Private to the parser.
#pragma once

#include <string>
#include <string_view>

#include "portti/firmware/facts.hpp"
#include "portti/firmware/rules.hpp"

namespace portti::firmware::detail {

enum class Tok {
  End,
  Error,   ///< text holds the message
  Word,    ///< letters, digits, '_', '.', '-', starting with a letter or '_'
  String,  ///< "...", text holds the unescaped contents
  Number,
  Date,
  LParen, RParen, LBracket, RBracket, Comma, Colon,
  Eq, Ne, Lt, Le, Gt, Ge,
};

struct Token {
  Tok kind = Tok::End;
  SourcePos pos;
  std::string text;
  double number = 0;
  Date date;
};

/// Turns the text into tokens one at a time; skips blanks, newlines and `#` comments.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  Token next();

 private:
  char peek(std::size_t ahead = 0) const { return at_ + ahead < text_.size() ? text_[at_ + ahead] : '\0'; }
  void advance();
  void skipBlanks();
  Token numeric(SourcePos pos);
  Token string(SourcePos pos);

  std::string_view text_;
  std::size_t at_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace portti::firmware::detail
