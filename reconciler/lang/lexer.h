/* lexer — HCL native syntax tokens (hclsyntax spec.md, "Lexical Elements").
 *
 * rc_lex_all scans a whole text into an array of tokens, the way hclsyntax's
 * scanner does: a stack of modes (braces, template interpolations, quoted
 * templates, heredocs) decides how `}` and the bytes after it are read, so
 * the parser and the formatter both get one flat token list ending in
 * RC_T_EOF. Comments and newlines are tokens (the parser skips comments and,
 * inside brackets, newlines; the formatter keeps them).
 *
 * Tokens hold byte offsets into the text; they own nothing. The token array
 * is allocated with rc_malloc and freed with rc_lex_free. Lexical errors
 * (invalid characters, invalid UTF-8, unterminated comments) are added to ds
 * once; the offending bytes become RC_T_INVALID tokens, which the parser skips
 * without reporting again. */
#ifndef RC_LEXER_H
#define RC_LEXER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc_diag.h"

enum rc_tok_kind {
  RC_T_EOF,
  RC_T_NEWLINE,
  RC_T_COMMENT,   /* #, // (without the newline) or block comment */
  RC_T_IDENT,
  RC_T_NUMBER,
  RC_T_LBRACE, RC_T_RBRACE, RC_T_LBRACK, RC_T_RBRACK, RC_T_LPAREN, RC_T_RPAREN,
  RC_T_COMMA, RC_T_DOT, RC_T_ELLIPSIS, RC_T_EQUAL, RC_T_COLON, RC_T_QUESTION,
  RC_T_FATARROW,
  RC_T_PLUS, RC_T_MINUS, RC_T_STAR, RC_T_SLASH, RC_T_PERCENT, RC_T_BANG,
  RC_T_EQEQ, RC_T_NE, RC_T_LT, RC_T_LE, RC_T_GT, RC_T_GE, RC_T_AND, RC_T_OR,
  RC_T_OQUOTE,    /* " opening a quoted template */
  RC_T_CQUOTE,    /* " closing it */
  RC_T_QLIT,      /* literal bytes of a quoted template, escapes not decoded */
  RC_T_TINTERP,   /* ${ or ${~ */
  RC_T_TCONTROL,  /* %{ or %{~ */
  RC_T_TEND,      /* } or ~} closing an interpolation or directive */
  RC_T_OHEREDOC,  /* <<EOF or <<-EOF, with its newline */
  RC_T_CHEREDOC,  /* the closing marker line (leading blanks included) */
  RC_T_HLIT,      /* heredoc or bare-template literal bytes, at most one line */
  RC_T_INVALID    /* bytes already reported as a lexical error */
};

#define RC_TOK_STRIP 1u     /* ${~ %{~ (strip before) or ~} (strip after) */
#define RC_TOK_FLUSH 2u     /* <<- heredoc */
#define RC_TOK_LINESTART 4u /* an HLIT that starts a source line */

struct rc_tok {
  enum rc_tok_kind kind;
  uint32_t start, end; /* byte offsets, end exclusive */
  unsigned flags;
};

struct rc_toks {
  struct rc_tok *v;
  size_t n, cap;
};

enum rc_lex_mode {
  RC_LEX_NORMAL,   /* a configuration file or an expression */
  RC_LEX_TEMPLATE  /* a bare template (JSON strings): literal text with ${} and %{} */
};

/* Scans text[0..len) into out (which must be zeroed). Ranges of diagnostics
 * point into f (f->text must be text) unless fixed is given, in which case
 * every diagnostic gets that range (JSON strings). */
void rc_lex_all(const struct rc_file *f, const char *text, size_t len, enum rc_lex_mode mode,
                const struct rc_range *fixed, struct rc_toks *out, struct rc_diags *ds);
void rc_lex_free(struct rc_toks *t);

/* A short human name of a token kind: "newline", "'{'", "identifier". */
const char *rc_lex_kind_name(enum rc_tok_kind k);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
int rc_lex_utf8_len(const unsigned char *s, size_t avail);

#endif
