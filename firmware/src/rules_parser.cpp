// Recursive-descent parser of the rule language (grammar in docs/rules.md):
//   file      := rule*
//   rule      := 'rule' NAME ':' condition 'else' ('accept'|'refer'|'reject') REASON
//   condition := ('all'|'any') '(' condition (',' condition)* ')' | 'not' condition
//              | '(' condition ')' | FACT [op literal | 'in' '[' literal (',' literal)* ']']
// Each rule is parsed on its own: an error is recorded and parsing resumes at the next `rule`.
#include "portti/firmware/rules_parser.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "portti/mrtd/bytes.hpp"
#include "portti/mrtd/sm/crypto.hpp"
#include "rules_lexer.hpp"

namespace portti::firmware {

using detail::Lexer;
using detail::Tok;
using detail::Token;

namespace {

constexpr int kMaxDepth = 32;  // nesting of all/any/not/parentheses

const std::set<std::string> kKeywords = {"rule", "else", "all",  "any",   "not",   "in",
                                         "accept", "refer", "reject", "today", "true", "false"};

struct Failure {
  RuleError error;
};

[[noreturn]] void fail(SourcePos pos, std::string message) { throw Failure{RuleError{pos, std::move(message)}}; }

std::string describeToken(const Token& t) {
  switch (t.kind) {
    case Tok::End: return "the end of the file";
    case Tok::Error: return "an error";
    case Tok::Word: return "'" + t.text + "'";
    case Tok::String: return "a string";
    case Tok::Number: return "the number " + t.text;
    case Tok::Date: return "the date " + t.text;
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::Comma: return "','";
    case Tok::Colon: return "':'";
    case Tok::Eq: return "'=='";
    case Tok::Ne: return "'!='";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
  }
  return "?";
}

bool isRuleName(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool isReasonCode(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class Parser {
 public:
  Parser(std::string_view text, const FactCatalog& catalog) : lexer_(text), catalog_(catalog) {}

  void run(RuleParse& out) {
    std::map<std::string, int> names;  // rule name -> line it was defined on
    try {
      shift();
    } catch (const Failure& f) {
      out.errors.push_back(f.error);
      resync();
    }
    while (tok_.kind != Tok::End) {
      try {
        Rule r = rule();
        auto [it, fresh] = names.emplace(r.name, r.pos.line);
        if (!fresh) {
          fail(r.pos, "rule '" + r.name + "' is already defined on line " + std::to_string(it->second));
        }
        out.rules.rules.push_back(std::move(r));
      } catch (const Failure& f) {
        out.errors.push_back(f.error);
        resync();
      }
    }
    if (out.rules.rules.empty() && out.errors.empty()) {
      out.errors.push_back(RuleError{SourcePos{1, 1}, "no rules in the file (at least one is needed)"});
    }
  }

 private:
  void shift() {
    tok_ = lexer_.next();
    if (tok_.kind == Tok::Error) fail(tok_.pos, tok_.text);
  }
  bool isWord(const char* w) const { return tok_.kind == Tok::Word && tok_.text == w; }

  // Skips to the next `rule` keyword (every failure leaves the parser past the `rule` it started
  // at, so this always moves on). Lexer errors on the way belong to the broken rule: not reported.
  void resync() {
    for (;;) {
      try {
        if (tok_.kind == Tok::End || isWord("rule")) return;
        shift();
      } catch (const Failure&) {
        // keep skipping
      }
    }
  }

  void expect(Tok kind, const std::string& what) {
    if (tok_.kind != kind) fail(tok_.pos, "expected " + what + ", found " + describeToken(tok_));
    shift();
  }

  Rule rule() {
    if (!isWord("rule")) fail(tok_.pos, "expected 'rule', found " + describeToken(tok_));
    shift();
    Rule r;
    r.pos = tok_.pos;
    if (tok_.kind != Tok::Word || kKeywords.count(tok_.text)) {
      fail(tok_.pos, "expected a rule name after 'rule', found " + describeToken(tok_));
    }
    if (!isRuleName(tok_.text)) fail(tok_.pos, "a rule name has only letters, digits and '_': '" + tok_.text + "'");
    r.name = tok_.text;
    shift();
    expect(Tok::Colon, "':' after the rule name");
    r.condition = condition(0);
    if (!isWord("else")) fail(tok_.pos, "expected 'else' and an outcome after the condition, found " + describeToken(tok_));
    shift();
    if (isWord("accept")) {
      r.outcome = Outcome::Accept;
    } else if (isWord("refer")) {
      r.outcome = Outcome::Refer;
    } else if (isWord("reject")) {
      r.outcome = Outcome::Reject;
    } else {
      fail(tok_.pos, "expected an outcome (accept, refer or reject), found " + describeToken(tok_));
    }
    shift();
    if (tok_.kind != Tok::Word && tok_.kind != Tok::String) {
      fail(tok_.pos, "expected a reason code after the outcome, found " + describeToken(tok_));
    }
    if (!isReasonCode(tok_.text)) {
      fail(tok_.pos, "a reason code has only A-Z, 0-9 and '_': '" + tok_.text + "'");
    }
    r.reason = tok_.text;
    shift();
    return r;
  }

  Condition condition(int depth) {
    if (depth > kMaxDepth) fail(tok_.pos, "conditions nested more than " + std::to_string(kMaxDepth) + " deep");
    Condition c;
    c.pos = tok_.pos;
    if (isWord("all") || isWord("any")) {
      c.kind = isWord("all") ? Condition::Kind::All : Condition::Kind::Any;
      const std::string name = tok_.text;
      shift();
      expect(Tok::LParen, "'(' after '" + name + "'");
      if (tok_.kind == Tok::RParen) fail(tok_.pos, "'" + name + "(...)' needs at least one condition");
      c.children.push_back(condition(depth + 1));
      while (tok_.kind == Tok::Comma) {
        shift();
        c.children.push_back(condition(depth + 1));
      }
      expect(Tok::RParen, "',' or ')' in '" + name + "(...)'");
      return c;
    }
    if (isWord("not")) {
      c.kind = Condition::Kind::Not;
      shift();
      c.children.push_back(condition(depth + 1));
      return c;
    }
    if (tok_.kind == Tok::LParen) {
      shift();
      Condition inner = condition(depth + 1);
      expect(Tok::RParen, "')'");
      return inner;
    }
    return comparison();
  }

  Condition comparison() {
    Condition c;
    c.pos = tok_.pos;
    if (tok_.kind != Tok::Word || kKeywords.count(tok_.text)) {
      fail(tok_.pos, "expected a condition (a fact, all, any, not or '('), found " + describeToken(tok_));
    }
    c.fact = tok_.text;
    const auto kind = catalog_.kind(c.fact);
    if (!kind) fail(tok_.pos, "unknown fact '" + c.fact + "'");
    shift();
    std::optional<CompareOp> op;
    switch (tok_.kind) {
      case Tok::Eq: op = CompareOp::Eq; break;
      case Tok::Ne: op = CompareOp::Ne; break;
      case Tok::Lt: op = CompareOp::Lt; break;
      case Tok::Le: op = CompareOp::Le; break;
      case Tok::Gt: op = CompareOp::Gt; break;
      case Tok::Ge: op = CompareOp::Ge; break;
      default:
        if (isWord("in")) op = CompareOp::In;
        break;
    }
    if (!op) {
      // A bare fact: true when the bool fact is true.
      if (*kind != FactKind::Bool) {
        fail(c.pos, "'" + c.fact + "' is a " + factKindName(*kind) +
                        ": compare it with ==, !=, <, <=, >, >= or in");
      }
      c.kind = Condition::Kind::IsTrue;
      return c;
    }
    c.kind = Condition::Kind::Compare;
    c.op = *op;
    const SourcePos opPos = tok_.pos;
    shift();
    const bool ordering = *op == CompareOp::Lt || *op == CompareOp::Le || *op == CompareOp::Gt || *op == CompareOp::Ge;
    if (ordering && *kind != FactKind::Number && *kind != FactKind::Date) {
      fail(opPos, std::string("'") + compareOpText(*op) + "' needs a number or a date; '" + c.fact + "' is a " +
                      factKindName(*kind));
    }
    if (*op == CompareOp::In) {
      expect(Tok::LBracket, "'[' after 'in'");
      if (tok_.kind == Tok::RBracket) fail(tok_.pos, "the list after 'in' is empty");
      c.values.push_back(literal(c.fact, *kind));
      while (tok_.kind == Tok::Comma) {
        shift();
        c.values.push_back(literal(c.fact, *kind));
      }
      expect(Tok::RBracket, "',' or ']' in the list");
    } else {
      c.values.push_back(literal(c.fact, *kind));
    }
    return c;
  }

  // A constant compared with `fact`, which must be of `kind`.
  Literal literal(const std::string& fact, FactKind kind) {
    Literal l;
    const SourcePos pos = tok_.pos;
    FactKind got;
    switch (tok_.kind) {
      case Tok::Number: l.value = tok_.number; got = FactKind::Number; break;
      case Tok::Date: l.value = tok_.date; got = FactKind::Date; break;
      case Tok::String: l.value = tok_.text; got = FactKind::String; break;
      case Tok::Word:
        if (tok_.text == "true" || tok_.text == "false") {
          l.value = tok_.text == "true";
          got = FactKind::Bool;
        } else if (tok_.text == "today") {
          l.today = true;
          got = FactKind::Date;
        } else if (kKeywords.count(tok_.text)) {
          fail(pos, "expected a value, found the keyword '" + tok_.text + "'");
        } else {
          l.value = tok_.text;  // a bare word is a string constant: pa.status == valid
          got = FactKind::String;
        }
        break;
      default: fail(pos, "expected a value, found " + describeToken(tok_));
    }
    if (got != kind) {
      fail(pos, "'" + fact + "' is a " + factKindName(kind) + ", compared with a " + factKindName(got));
    }
    shift();
    return l;
  }

  Lexer lexer_;
  const FactCatalog& catalog_;
  Token tok_;
};

}  // namespace

std::string formatRuleError(const std::string& source, const RuleError& e) {
  return source + ":" + std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column) + ": " + e.message;
}

RuleParse parseRules(std::string_view text, const std::string& source, const FactCatalog& catalog) {
  RuleParse out;
  out.rules.source = source;
  std::string hex = mrtd::toHex(mrtd::crypto::sha256(
      mrtd::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
  out.rules.digest = hex;
  Parser(text, catalog).run(out);
  if (!out.ok()) out.rules.rules.clear();
  return out;
}

}  // namespace portti::firmware
