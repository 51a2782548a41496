// The rule language's lexer: positions count lines and characters (UTF-8 code points) from 1.
#include "rules_lexer.hpp"

#include <charconv>

namespace portti::firmware::detail {

namespace {

bool wordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool wordChar(char c) { return wordStart(c) || digit(c) || c == '.' || c == '-'; }

Token error(SourcePos pos, std::string message) {
  Token t;
  t.kind = Tok::Error;
  t.pos = pos;
  t.text = std::move(message);
  return t;
}

}  // namespace

void Lexer::advance() {
  if (at_ >= text_.size()) return;
  const char c = text_[at_++];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
    ++column_;  // a UTF-8 continuation byte belongs to the character before it
  }
}

void Lexer::skipBlanks() {
  for (;;) {
    const char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else if (c == '#') {
      while (at_ < text_.size() && peek() != '\n') advance();
    } else {
      return;
    }
  }
}

Token Lexer::numeric(SourcePos pos) {
  const std::size_t start = at_;
  advance();  // a digit or the leading '-'
  while (wordChar(peek())) advance();
  const std::string_view raw = text_.substr(start, at_ - start);
  Token t;
  t.pos = pos;
  t.text = std::string(raw);
  if (raw.size() == 10 && raw[4] == '-' && raw[7] == '-') {
    auto d = parseDate(raw);
    if (!d) return error(pos, "'" + t.text + "' is not a calendar date (YYYY-MM-DD)");
    t.kind = Tok::Date;
    t.date = *d;
    return t;
  }
  // A number: optional '-', digits, optional '.' and digits. Nothing else (no exponents).
  std::size_t i = raw[0] == '-' ? 1 : 0;
  const std::size_t intStart = i;
  while (i < raw.size() && digit(raw[i])) ++i;
  bool ok = i > intStart;
  if (ok && i < raw.size() && raw[i] == '.') {
    const std::size_t fracStart = ++i;
    while (i < raw.size() && digit(raw[i])) ++i;
    ok = i > fracStart;
  }
  if (!ok || i != raw.size()) return error(pos, "'" + t.text + "' is not a number or a date");
  t.kind = Tok::Number;
  std::from_chars(raw.data(), raw.data() + raw.size(), t.number);
  return t;
}

Token Lexer::string(SourcePos pos) {
  advance();  // opening quote
  Token t;
  t.kind = Tok::String;
  t.pos = pos;
  for (;;) {
    const char c = peek();
    if (at_ >= text_.size() || c == '\n') return error(pos, "unterminated string (a string ends on its line)");
    if (c == '"') {
      advance();
      return t;
    }
    if (c == '\\') {
      const char e = peek(1);
      if (e != '"' && e != '\\') {
        advance();
        return error(SourcePos{line_, column_ - 1}, "unknown escape in string (only \\\" and \\\\)");
      }
      advance();
    }
    t.text += peek();
    advance();
  }
}

Token Lexer::next() {
  skipBlanks();
  const SourcePos pos{line_, column_};
  const char c = peek();
  if (at_ >= text_.size()) return Token{Tok::End, pos, "", 0, {}};
  if (wordStart(c)) {
    Token t;
    t.kind = Tok::Word;
    t.pos = pos;
    while (wordChar(peek())) {
      t.text += peek();
      advance();
    }
    return t;
  }
  if (digit(c) || (c == '-' && digit(peek(1)))) return numeric(pos);
  if (c == '"') return string(pos);
  auto single = [&](Tok kind, int length) {
    for (int i = 0; i < length; ++i) advance();
    return Token{kind, pos, "", 0, {}};
  };
  switch (c) {
    case '(': return single(Tok::LParen, 1);
    case ')': return single(Tok::RParen, 1);
    case '[': return single(Tok::LBracket, 1);
    case ']': return single(Tok::RBracket, 1);
    case ',': return single(Tok::Comma, 1);
    case ':': return single(Tok::Colon, 1);
    case '<': return peek(1) == '=' ? single(Tok::Le, 2) : single(Tok::Lt, 1);
    case '>': return peek(1) == '=' ? single(Tok::Ge, 2) : single(Tok::Gt, 1);
    case '=':
      if (peek(1) == '=') return single(Tok::Eq, 2);
      advance();
      return error(pos, "'=' alone: compare with '=='");
    case '!':
      if (peek(1) == '=') return single(Tok::Ne, 2);
      advance();
      return error(pos, "'!' alone: negate with 'not', or compare with '!='");
    default: break;
  }
  std::string shown = static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F
                          ? std::string(1, c)
                          : "\\x" + std::string(1, "0123456789abcdef"[(c >> 4) & 0xF]) +
                                std::string(1, "0123456789abcdef"[c & 0xF]);
  advance();
  while (at_ < text_.size() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) advance();
  return error(pos, "unexpected character '" + shown + "'");
}

}  // namespace portti::firmware::detail
