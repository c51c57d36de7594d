/* parser_int — state shared by the parser's files (parser.c: bodies,
 * parse_expr.c: expressions, parse_tmpl.c: templates). Internal to lang.
 *
 * The parser walks the token array of lexer.h with one cursor. `nl` says
 * whether newlines are significant (bodies, object constructors) or skipped
 * (inside () [] for-expressions and template sequences); constructs save and
 * restore it. Every node and string is allocated in the arena. Expression
 * functions return NULL after reporting an error; the body parser then
 * skips to the end of the line (recovery). */
#ifndef RC_PARSER_INT_H
#define RC_PARSER_INT_H
#include "ast.h"
#include "lexer.h"

struct rc_parser {
  const struct rc_file *f;
  const char *text;   /* the bytes tokens point into */
  struct rc_arena *a;
  struct rc_diags *ds;
  struct rc_tok *t;
  size_t n, pos;
  bool nl;
  int depth;
  bool too_deep;      /* "Too deeply nested" reported: unwind quietly */
  const struct rc_range *fixed; /* JSON strings: every range is this one */
};

struct rc_range rc_parse__range(const struct rc_parser *p, uint32_t start, uint32_t end);
/* Current token, skipping comments and (when !nl) newlines. */
struct rc_tok *rc_parse__peek(struct rc_parser *p);
struct rc_tok *rc_parse__next(struct rc_parser *p);
/* Adds an error at [start,end) unless the token is a lexical error already reported. */
void rc_parse__error(struct rc_parser *p, const struct rc_tok *at, const char *summary,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void rc_parse__error_range(struct rc_parser *p, uint32_t start, uint32_t end,
                           const char *summary, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "identifier \"foo\"", "newline", "'{'" for diagnostics; static buffer per parser call. */
const char *rc_parse__describe(struct rc_parser *p, const struct rc_tok *t, char *buf, size_t sz);
int rc_parse__line(const struct rc_parser *p, uint32_t off);
bool rc_parse__is_kw(const struct rc_parser *p, const struct rc_tok *t, const char *kw);
/* Depth guard: false (after one "Too deeply nested" diagnostic) past RC_LIMIT_NESTING. */
bool rc_parse__enter(struct rc_parser *p, const struct rc_tok *at);
void rc_parse__leave(struct rc_parser *p);
/* Expects a closing token opened by `open`; reports Missing close bracket or
 * Unexpected token. Consumes it when found. */
bool rc_parse__expect_close(struct rc_parser *p, enum rc_tok_kind want, const struct rc_tok *open,
                            const char *expected);

struct rc_expr *rc_parse__node(struct rc_parser *p, enum rc_expr_kind k, uint32_t start,
                               uint32_t end);
struct rc_expr *rc_parse__expr(struct rc_parser *p);
/* Templates: at OQUOTE, OHEREDOC, or (bare) at the first token of a JSON string. */
struct rc_expr *rc_parse__quoted(struct rc_parser *p);
struct rc_expr *rc_parse__heredoc(struct rc_parser *p);
struct rc_expr *rc_parse__bare_template(struct rc_parser *p);
/* Decodes a quoted literal's escapes; NULL after an "Invalid escape sequence". */
char *rc_parse__unescape(struct rc_parser *p, uint32_t start, uint32_t end, size_t *outlen);

/* A growable array of pointers, copied into the arena when done. */
struct rc_pvec {
  void **v;
  size_t n, cap;
};
void rc_pvec_push(struct rc_pvec *v, void *x);
void **rc_pvec_finish(struct rc_parser *p, struct rc_pvec *v, size_t *n); /* frees v */

#endif
