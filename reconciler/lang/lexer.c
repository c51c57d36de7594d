/* lexer — see lexer.h. One pass over the text with a mode stack; every
 * branch consumes at least one byte, so scanning is linear in the input. */
#include "lexer.h"

#include <string.h>

#include "rc_alloc.h"

#define LEX_MAX_DIAGS 20 /* lexical errors reported per text; more are silent */

enum mode_kind { M_BRACE, M_INTERP, M_QUOTE, M_HEREDOC, M_BARE };

struct mode {
  enum mode_kind kind;
  uint32_t mstart, mlen; /* heredoc marker */
};

struct lexer {
  const struct rc_file *f;
  const unsigned char *s;
  size_t len, pos;
  const struct rc_range *fixed;
  struct rc_toks *out;
  struct rc_diags *ds;
  struct mode *stack;
  size_t depth, cap;
  int ndiags;
  bool done;
};

static void emit(struct lexer *lx, enum rc_tok_kind k, size_t start, size_t end, unsigned flags)
{
  struct rc_toks *t = lx->out;
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 256;
    t->v = rc_realloc(t->v, t->cap * sizeof *t->v);
  }
  t->v[t->n++] = (struct rc_tok){k, (uint32_t)start, (uint32_t)end, flags};
  if (k == RC_T_EOF) lx->done = true;
}

static void lex_error(struct lexer *lx, size_t start, size_t end, const char *summary,
                      const char *detail)
{
  emit(lx, RC_T_INVALID, start, end, 0);
  if (lx->ndiags++ >= LEX_MAX_DIAGS) return;
  struct rc_range r = {lx->f, (uint32_t)start, (uint32_t)end};
  rc_diags_add(lx->ds, RC_DIAG_ERROR, lx->fixed ? lx->fixed : &r, summary, "%s", detail);
}

static void push(struct lexer *lx, enum mode_kind k, size_t mstart, size_t mlen)
{
  if (lx->depth == lx->cap) {
    lx->cap = lx->cap ? lx->cap * 2 : 32;
    lx->stack = rc_realloc(lx->stack, lx->cap * sizeof *lx->stack);
  }
  lx->stack[lx->depth++] = (struct mode){k, (uint32_t)mstart, (uint32_t)mlen};
}

static struct mode *top(struct lexer *lx)
{
  return lx->depth ? &lx->stack[lx->depth - 1] : NULL;
}

int rc_lex_utf8_len(const unsigned char *s, size_t avail)
{
  unsigned c = s[0];
  if (c < 0x80) return 1;
  int n;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF) n = 2, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, min = 0x10000;
  else return 0;
  if ((size_t)n > avail) return 0;
  unsigned cp = c & (0x3F >> (n - 1));
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

/* Reports the run of invalid UTF-8 bytes at `at`; returns its end. */
static size_t bad_utf8(struct lexer *lx, size_t at)
{
  size_t end = at + 1;
  while (end < lx->len && lx->s[end] >= 0x80 && !rc_lex_utf8_len(lx->s + end, lx->len - end))
    end++;
  if (lx->ndiags++ < LEX_MAX_DIAGS) {
    struct rc_range r = {lx->f, (uint32_t)at, (uint32_t)end};
    rc_diags_add(lx->ds, RC_DIAG_ERROR, lx->fixed ? lx->fixed : &r, "Invalid UTF-8",
                 "The file contains a byte sequence that is not valid UTF-8 text.");
  }
  return end;
}

/* Length of the character at p (>= 0x80): valid length, or the length of
 * the invalid run after reporting it (callers keep the bytes). */
static size_t utf8_step(struct lexer *lx, size_t p)
{
  int n = rc_lex_utf8_len(lx->s + p, lx->len - p);
  return n ? (size_t)n : bad_utf8(lx, p) - p;
}

static bool is_id_start(unsigned c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? true : c == '_'; }
static bool is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static bool is_id_cont(unsigned c) { return is_id_start(c) || is_digit(c) || c == '-'; }

static void lex_ident(struct lexer *lx)
{
  size_t st = lx->pos;
  while (lx->pos < lx->len) {
    unsigned c = lx->s[lx->pos];
    if (is_id_cont(c)) {
      lx->pos++;
    } else if (c >= 0x80) {
      int n = rc_lex_utf8_len(lx->s + lx->pos, lx->len - lx->pos);
      if (!n) break;
      lx->pos += (size_t)n;
    } else {
      break;
    }
  }
  emit(lx, RC_T_IDENT, st, lx->pos, 0);
}

static void lex_number(struct lexer *lx)
{
  const unsigned char *s = lx->s;
  size_t st = lx->pos, p = lx->pos, n = lx->len;
  while (p < n && is_digit(s[p])) p++;
  if (p + 1 < n && s[p] == '.' && is_digit(s[p + 1])) {
    p++;
    while (p < n && is_digit(s[p])) p++;
  }
  if (p < n && (s[p] == 'e' || s[p] == 'E')) {
    size_t q = p + 1;
    if (q < n && (s[q] == '+' || s[q] == '-')) q++;
    if (q < n && is_digit(s[q])) {
      while (q < n && is_digit(s[q])) q++;
      p = q;
    }
  }
  lx->pos = p;
  emit(lx, RC_T_NUMBER, st, p, 0);
}

/* `${`, `${~`, `%{`, `%{~` at pos: emits the token and enters the sequence. */
static void lex_template_open(struct lexer *lx)
{
  size_t st = lx->pos;
  enum rc_tok_kind k = lx->s[st] == '$' ? RC_T_TINTERP : RC_T_TCONTROL;
  size_t p = st + 2;
  unsigned flags = 0;
  if (p < lx->len && lx->s[p] == '~') p++, flags = RC_TOK_STRIP;
  lx->pos = p;
  emit(lx, k, st, p, flags);
  push(lx, M_INTERP, 0, 0);
}

static bool at_seq_open(const struct lexer *lx, size_t p)
{
  return p + 1 < lx->len && (lx->s[p] == '$' || lx->s[p] == '%') && lx->s[p + 1] == '{';
}
static bool at_seq_escape(const struct lexer *lx, size_t p)
{
  return p + 2 < lx->len && (lx->s[p] == '$' || lx->s[p] == '%') && lx->s[p + 1] == lx->s[p] &&
         lx->s[p + 2] == '{';
}

static void lex_quoted(struct lexer *lx)
{
  size_t st = lx->pos;
  for (;;) {
    size_t p = lx->pos;
    if (p >= lx->len || lx->s[p] == '\n' || (lx->s[p] == '\r' && p + 1 < lx->len && lx->s[p + 1] == '\n')) {
      if (p > st) emit(lx, RC_T_QLIT, st, p, 0);
      lx->depth--; /* unterminated: the parser reports it at the newline */
      return;
    }
    unsigned c = lx->s[p];
    if (c == '"') {
      if (p > st) emit(lx, RC_T_QLIT, st, p, 0);
      emit(lx, RC_T_CQUOTE, p, p + 1, 0);
      lx->pos = p + 1;
      lx->depth--;
      return;
    }
    if (c == '\\') {
      lx->pos = p + 1;
      if (lx->pos < lx->len && lx->s[lx->pos] != '\n') lx->pos++;
      if (lx->s[lx->pos - 1] >= 0x80) lx->pos--; /* UTF-8 checked below */
      continue;
    }
    if (at_seq_escape(lx, p)) {
      lx->pos = p + 3;
      continue;
    }
    if (at_seq_open(lx, p)) {
      if (p > st) emit(lx, RC_T_QLIT, st, p, 0);
      lex_template_open(lx);
      return;
    }
    if (c >= 0x80) {
      lx->pos = p + utf8_step(lx, p);
      continue;
    }
    lx->pos = p + 1;
  }
}

/* Heredoc body or bare template: literal runs split at line ends. */
static void lex_heredoc(struct lexer *lx, struct mode *m)
{
  size_t p = lx->pos;
  bool linestart = p == 0 || lx->s[p - 1] == '\n';
  if (p >= lx->len) {
    emit(lx, RC_T_EOF, p, p, 0);
    return;
  }
  if (m->kind == M_HEREDOC && linestart) {
    size_t q = p;
    while (q < lx->len && (lx->s[q] == ' ' || lx->s[q] == '\t')) q++;
    if (q + m->mlen <= lx->len && memcmp(lx->s + q, lx->s + m->mstart, m->mlen) == 0) {
      size_t e = q + m->mlen;
      if (e == lx->len || lx->s[e] == '\n' || (lx->s[e] == '\r' && e + 1 < lx->len && lx->s[e + 1] == '\n')) {
        emit(lx, RC_T_CHEREDOC, p, e, 0);
        lx->pos = e;
        lx->depth--;
        return;
      }
    }
  }
  size_t st = p;
  while (p < lx->len) {
    unsigned c = lx->s[p];
    if (c == '\n') {
      p++;
      break;
    }
    if (at_seq_escape(lx, p)) {
      p += 3;
      continue;
    }
    if (at_seq_open(lx, p)) {
      if (p > st) emit(lx, RC_T_HLIT, st, p, linestart ? RC_TOK_LINESTART : 0);
      lx->pos = p;
      lex_template_open(lx);
      return;
    }
    if (c >= 0x80) {
      p += utf8_step(lx, p);
      continue;
    }
    p++;
  }
  emit(lx, RC_T_HLIT, st, p, linestart ? RC_TOK_LINESTART : 0);
  lx->pos = p;
}

/* `<<EOF\n` or `<<-EOF\n` at pos? */
static bool lex_heredoc_open(struct lexer *lx)
{
  size_t p = lx->pos + 2;
  unsigned flags = 0;
  if (p < lx->len && lx->s[p] == '-') p++, flags = RC_TOK_FLUSH;
  size_t ms = p;
  if (p >= lx->len || !is_id_start(lx->s[p])) return false;
  while (p < lx->len && is_id_cont(lx->s[p])) p++;
  size_t me = p;
  if (p < lx->len && lx->s[p] == '\r') p++;
  if (p >= lx->len || lx->s[p] != '\n') return false;
  p++;
  emit(lx, RC_T_OHEREDOC, lx->pos, p, flags);
  lx->pos = p;
  push(lx, M_HEREDOC, ms, me - ms);
  return true;
}

struct punct {
  const char *text;
  enum rc_tok_kind kind;
};
static const struct punct puncts[] = {
  {"...", RC_T_ELLIPSIS}, {"==", RC_T_EQEQ}, {"!=", RC_T_NE},    {"<=", RC_T_LE},
  {">=", RC_T_GE},        {"&&", RC_T_AND},  {"||", RC_T_OR},    {"=>", RC_T_FATARROW},
  {"[", RC_T_LBRACK},     {"]", RC_T_RBRACK}, {"(", RC_T_LPAREN}, {")", RC_T_RPAREN},
  {",", RC_T_COMMA},      {".", RC_T_DOT},   {"=", RC_T_EQUAL},  {":", RC_T_COLON},
  {"?", RC_T_QUESTION},   {"+", RC_T_PLUS},  {"-", RC_T_MINUS},  {"*", RC_T_STAR},
  {"/", RC_T_SLASH},      {"%", RC_T_PERCENT}, {"!", RC_T_BANG}, {"<", RC_T_LT},
  {">", RC_T_GT},
};

static void lex_normal(struct lexer *lx)
{
  const unsigned char *s = lx->s;
  size_t n = lx->len;
  while (lx->pos < n && (s[lx->pos] == ' ' || s[lx->pos] == '\t' || s[lx->pos] == '\r'))
    lx->pos++;
  size_t p = lx->pos;
  if (p >= n) {
    emit(lx, RC_T_EOF, p, p, 0);
    return;
  }
  unsigned c = s[p];
  if (c == '\n') {
    emit(lx, RC_T_NEWLINE, p, p + 1, 0);
    lx->pos = p + 1;
    return;
  }
  if (c == '#' || (c == '/' && p + 1 < n && s[p + 1] == '/')) {
    size_t q = p;
    while (q < n && s[q] != '\n') {
      if (s[q] >= 0x80) {
        q += utf8_step(lx, q);
      } else {
        q++;
      }
    }
    size_t e = q;
    while (e > p && (s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
    emit(lx, RC_T_COMMENT, p, e, 0);
    lx->pos = q;
    return;
  }
  if (c == '/' && p + 1 < n && s[p + 1] == '*') {
    size_t q = p + 2;
    while (q + 1 < n && !(s[q] == '*' && s[q + 1] == '/')) {
      if (s[q] >= 0x80) {
        q += utf8_step(lx, q);
      } else {
        q++;
      }
    }
    if (q + 1 >= n) {
      lex_error(lx, p, n, "Unterminated comment",
                "There is no closing \"*/\" for this comment before the end of the file.");
      lx->pos = n;
      return;
    }
    emit(lx, RC_T_COMMENT, p, q + 2, 0);
    lx->pos = q + 2;
    return;
  }
  if (is_id_start(c)) {
    lex_ident(lx);
    return;
  }
  if (c >= 0x80) {
    if (rc_lex_utf8_len(s + p, n - p)) {
      lex_ident(lx);
    } else {
      size_t e = bad_utf8(lx, p);
      emit(lx, RC_T_INVALID, p, e, 0);
      lx->pos = e;
    }
    return;
  }
  if (is_digit(c)) {
    lex_number(lx);
    return;
  }
  if (c == '"') {
    emit(lx, RC_T_OQUOTE, p, p + 1, 0);
    lx->pos = p + 1;
    push(lx, M_QUOTE, 0, 0);
    return;
  }
  if (c == '<' && p + 1 < n && s[p + 1] == '<' && lex_heredoc_open(lx)) return;
  if (c == '{') {
    emit(lx, RC_T_LBRACE, p, p + 1, 0);
    lx->pos = p + 1;
    push(lx, M_BRACE, 0, 0);
    return;
  }
  struct mode *m = top(lx);
  if (c == '}' || (c == '~' && p + 1 < n && s[p + 1] == '}' && m && m->kind == M_INTERP)) {
    size_t e = c == '~' ? p + 2 : p + 1;
    if (m && m->kind == M_INTERP) {
      emit(lx, RC_T_TEND, p, e, c == '~' ? RC_TOK_STRIP : 0);
      lx->depth--;
    } else {
      emit(lx, RC_T_RBRACE, p, e, 0);
      if (m && m->kind == M_BRACE) lx->depth--;
    }
    lx->pos = e;
    return;
  }
  for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
    size_t l = strlen(puncts[i].text);
    if (p + l <= n && memcmp(s + p, puncts[i].text, l) == 0) {
      emit(lx, puncts[i].kind, p, p + l, 0);
      lx->pos = p + l;
      return;
    }
  }
  lex_error(lx, p, p + 1, "Invalid character",
            "This character is not used within the language.");
  lx->pos = p + 1;
}

void rc_lex_all(const struct rc_file *f, const char *text, size_t len, enum rc_lex_mode mode,
                const struct rc_range *fixed, struct rc_toks *out, struct rc_diags *ds)
{
  struct lexer lx = {.f = f, .s = (const unsigned char *)text, .len = len, .fixed = fixed,
                     .out = out, .ds = ds};
  if (mode == RC_LEX_TEMPLATE) push(&lx, M_BARE, 0, 0);
  while (!lx.done) {
    struct mode *m = top(&lx);
    if (!m || m->kind == M_BRACE || m->kind == M_INTERP) lex_normal(&lx);
    else if (m->kind == M_QUOTE) lex_quoted(&lx);
    else lex_heredoc(&lx, m);
  }
  rc_free(lx.stack);
}

void rc_lex_free(struct rc_toks *t)
{
  if (!t) return;
  rc_free(t->v);
  memset(t, 0, sizeof *t);
}

const char *rc_lex_kind_name(enum rc_tok_kind k)
{
  static const char *const names[] = {
    [RC_T_EOF] = "end of file", [RC_T_NEWLINE] = "newline", [RC_T_COMMENT] = "comment",
    [RC_T_IDENT] = "identifier", [RC_T_NUMBER] = "number", [RC_T_LBRACE] = "'{'",
    [RC_T_RBRACE] = "'}'", [RC_T_LBRACK] = "'['", [RC_T_RBRACK] = "']'",
    [RC_T_LPAREN] = "'('", [RC_T_RPAREN] = "')'", [RC_T_COMMA] = "','",
    [RC_T_DOT] = "'.'", [RC_T_ELLIPSIS] = "'...'", [RC_T_EQUAL] = "'='",
    [RC_T_COLON] = "':'", [RC_T_QUESTION] = "'?'", [RC_T_FATARROW] = "'=>'",
    [RC_T_PLUS] = "'+'", [RC_T_MINUS] = "'-'", [RC_T_STAR] = "'*'", [RC_T_SLASH] = "'/'",
    [RC_T_PERCENT] = "'%'", [RC_T_BANG] = "'!'", [RC_T_EQEQ] = "'=='", [RC_T_NE] = "'!='",
    [RC_T_LT] = "'<'", [RC_T_LE] = "'<='", [RC_T_GT] = "'>'", [RC_T_GE] = "'>='",
    [RC_T_AND] = "'&&'", [RC_T_OR] = "'||'", [RC_T_OQUOTE] = "opening quote",
    [RC_T_CQUOTE] = "closing quote", [RC_T_QLIT] = "string literal",
    [RC_T_TINTERP] = "'${'", [RC_T_TCONTROL] = "'%{'", [RC_T_TEND] = "'}'",
    [RC_T_OHEREDOC] = "heredoc", [RC_T_CHEREDOC] = "heredoc end marker",
    [RC_T_HLIT] = "template literal", [RC_T_INVALID] = "invalid character",
  };
  return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "token";
}
