/* fmt — see fmt.h. Passes, as hclwrite: split tokens into lines, each line
 * into cells (lead, assign from `=` when the rest of the line is balanced,
 * trailing line comment); indent by the net bracket count of each line;
 * space tokens within cells by rules; align the assign and comment cells of
 * consecutive lines. */
#include "fmt.h"

#include <string.h>

#include "ast.h"
#include "lexer.h"
#include "rc_alloc.h"

enum { F_STRING = 1000 }; /* a whole quoted string or heredoc, copied as is */

struct ftok {
  int kind; /* enum rc_tok_kind or F_STRING */
  uint32_t start, end;
  int spaces; /* spaces before this token */
};

struct fline {
  size_t lead, nlead;     /* token index ranges into the ftok array */
  size_t assign, nassign; /* nassign 0: no assign cell */
  size_t comment, ncomment;
  bool empty;
};

struct fmt {
  const char *text;
  struct ftok *t;
  size_t n;
};

static int bracket_change(int k)
{
  switch (k) {
  case RC_T_LBRACE: case RC_T_LBRACK: case RC_T_LPAREN: return 1;
  case RC_T_RBRACE: case RC_T_RBRACK: case RC_T_RPAREN: return -1;
  default: return 0;
  }
}

static bool is_text(const struct fmt *F, const struct ftok *t, const char *s)
{
  size_t n = strlen(s);
  return t->kind == RC_T_IDENT && t->end - t->start == n && memcmp(F->text + t->start, s, n) == 0;
}

static bool space_after(const struct fmt *F, const struct ftok *subj, const struct ftok *before,
                        const struct ftok *after)
{
  int s = subj->kind, a = after->kind, b = before ? before->kind : -1;
  if (s == RC_T_IDENT && a == RC_T_LPAREN) return false;
  if (s == RC_T_DOT || a == RC_T_DOT) return false;
  if (a == RC_T_COMMA || a == RC_T_ELLIPSIS) return false;
  if (s == RC_T_COMMA) return true;
  if (is_text(F, subj, "in") && b == RC_T_IDENT) return true;
  if (a == RC_T_LBRACK && (s == RC_T_IDENT || s == RC_T_NUMBER || bracket_change(s) < 0))
    return false;
  if (s == RC_T_BANG) return false;
  if (s == RC_T_MINUS) {
    switch (b) {
    case -1: case RC_T_LPAREN: case RC_T_LBRACE: case RC_T_LBRACK: case RC_T_EQUAL:
    case RC_T_COLON: case RC_T_COMMA: case RC_T_QUESTION: case RC_T_PLUS: case RC_T_STAR:
    case RC_T_SLASH: case RC_T_PERCENT: case RC_T_MINUS: case RC_T_EQEQ: case RC_T_NE:
    case RC_T_GT: case RC_T_GE: case RC_T_LT: case RC_T_LE: case RC_T_AND: case RC_T_OR:
    case RC_T_BANG: case RC_T_FATARROW:
      return false;
    default:
      return true;
    }
  }
  if (s == RC_T_LBRACE || a == RC_T_RBRACE) return !(s == RC_T_LBRACE && a == RC_T_RBRACE);
  if (bracket_change(s) > 0) return false;
  if (bracket_change(a) < 0) return false;
  return true;
}

/* Columns of a cell: spaces plus characters (not bytes) of its tokens. */
static size_t columns(const struct fmt *F, size_t from, size_t n)
{
  size_t c = 0;
  for (size_t i = from; i < from + n; i++) {
    c += (size_t)F->t[i].spaces;
    for (uint32_t k = F->t[i].start; k < F->t[i].end; k++)
      if (((unsigned char)F->text[k] & 0xC0) != 0x80) c++;
  }
  return c;
}

static void space_cell(struct fmt *F, size_t from, size_t n)
{
  for (size_t i = from; i + 1 < from + n; i++)
    F->t[i + 1].spaces = space_after(F, &F->t[i], i > from ? &F->t[i - 1] : NULL, &F->t[i + 1]) ? 1 : 0;
}

/* Turns the lexer's tokens into format tokens (strings and heredocs merged)
 * and lines. */
static void build(struct fmt *F, const struct rc_toks *toks, struct fline **lines, size_t *nlines)
{
  F->t = rc_malloc((toks->n + 1) * sizeof *F->t);
  size_t cap = 64, nl = 0;
  struct fline *L = rc_calloc(cap, sizeof *L);
  size_t line_start = 0;
  for (size_t i = 0; i < toks->n; i++) {
    const struct rc_tok *t = &toks->v[i];
    if (t->kind == RC_T_EOF || t->kind == RC_T_NEWLINE) {
      if (nl == cap) {
        L = rc_realloc(L, (cap *= 2) * sizeof *L);
      }
      memset(&L[nl], 0, sizeof L[nl]);
      L[nl].lead = line_start;
      L[nl].nlead = F->n - line_start;
      L[nl].empty = t->kind == RC_T_EOF;
      nl++;
      line_start = F->n;
      if (t->kind == RC_T_EOF) break;
      continue;
    }
    struct ftok ft = {(int)t->kind, t->start, t->end, 0};
    if (t->kind == RC_T_OQUOTE || t->kind == RC_T_OHEREDOC) {
      int depth = 0;
      size_t j = i;
      for (; j < toks->n && toks->v[j].kind != RC_T_EOF; j++) {
        enum rc_tok_kind k = toks->v[j].kind;
        if (k == RC_T_OQUOTE || k == RC_T_OHEREDOC) depth++;
        else if (k == RC_T_CQUOTE || k == RC_T_CHEREDOC) depth--;
        if (depth == 0) break;
      }
      if (j >= toks->n || toks->v[j].kind == RC_T_EOF) j--; /* cannot happen once parsed */
      ft.kind = F_STRING;
      ft.end = toks->v[j].end;
      i = j;
    }
    F->t[F->n++] = ft;
  }
  *lines = L;
  *nlines = nl;
}

static void split_cells(struct fmt *F, struct fline *l)
{
  if (l->nlead > 1) {
    struct ftok *last = &F->t[l->lead + l->nlead - 1];
    char c = F->text[last->start];
    if (last->kind == RC_T_COMMENT && (c == '#' || F->text[last->start + 1] == '/')) {
      l->comment = l->lead + l->nlead - 1;
      l->ncomment = 1;
      l->nlead--;
    }
  }
  for (size_t i = 1; i < l->nlead; i++) {
    if (F->t[l->lead + i].kind != RC_T_EQUAL) continue;
    int net = 0;
    for (size_t k = i; k < l->nlead; k++) net += bracket_change(F->t[l->lead + k].kind);
    if (net == 0) {
      l->assign = l->lead + i;
      l->nassign = l->nlead - i;
      l->nlead = i;
    }
    break;
  }
}

static void indent(struct fmt *F, struct fline *L, size_t nl)
{
  size_t cap = 16, n = 0;
  int *stack = rc_malloc(cap * sizeof *stack);
  for (size_t i = 0; i < nl; i++) {
    struct fline *l = &L[i];
    if (l->nlead == 0) continue;
    int net = 0;
    for (size_t k = 0; k < l->nlead; k++) net += bracket_change(F->t[l->lead + k].kind);
    for (size_t k = 0; k < l->nassign; k++) net += bracket_change(F->t[l->assign + k].kind);
    if (net > 0) {
      F->t[l->lead].spaces = 2 * (int)n;
      if (n == cap) stack = rc_realloc(stack, (cap *= 2) * sizeof *stack);
      stack[n++] = net;
    } else {
      int closed = -net;
      while (closed > 0 && n > 0) {
        if (closed > stack[n - 1]) {
          closed -= stack[--n];
        } else if (closed < stack[n - 1]) {
          stack[n - 1] -= closed;
          closed = 0;
        } else {
          n--;
          closed = 0;
        }
      }
      F->t[l->lead].spaces = 2 * (int)n;
    }
  }
  rc_free(stack);
}

static void align(struct fmt *F, struct fline *L, size_t nl, bool comments)
{
  size_t chain = (size_t)-1, maxc = 0;
  for (size_t i = 0; i <= nl; i++) {
    bool has = i < nl && (comments ? L[i].ncomment : L[i].nassign) > 0;
    if (has) {
      if (chain == (size_t)-1) chain = i;
      size_t c = columns(F, L[i].lead, L[i].nlead);
      if (comments) c += columns(F, L[i].assign, L[i].nassign);
      if (c > maxc) maxc = c;
      continue;
    }
    if (chain == (size_t)-1) continue;
    for (size_t k = chain; k < i; k++) {
      size_t c = columns(F, L[k].lead, L[k].nlead);
      if (comments) c += columns(F, L[k].assign, L[k].nassign);
      F->t[comments ? L[k].comment : L[k].assign].spaces = (int)(maxc - c) + 1;
    }
    chain = (size_t)-1;
    maxc = 0;
  }
}

static rc_status emit_cell(const struct fmt *F, size_t from, size_t n, struct rc_buf *out)
{
  rc_status st = RC_OK;
  for (size_t i = from; i < from + n && !st; i++) {
    for (int s = 0; s < F->t[i].spaces && !st; s++) st = rc_buf_putc(out, ' ');
    if (!st) st = rc_buf_append(out, F->text + F->t[i].start, F->t[i].end - F->t[i].start);
  }
  return st;
}

rc_status rc_fmt_source(const struct rc_file *f, struct rc_buf *out, struct rc_diags *ds)
{
  struct rc_arena *a = rc_arena_new();
  size_t before = ds->errors;
  rc_parse_file(f, a, ds);
  rc_arena_free(a);
  if (ds->errors > before) return RC_SYNTAX;

  struct rc_diags quiet = {0};
  struct rc_toks toks = {0};
  rc_lex_all(f, f->text, f->len, RC_LEX_NORMAL, NULL, &toks, &quiet);
  rc_diags_free(&quiet);
  struct fmt F = {.text = f->text};
  struct fline *L = NULL;
  size_t nl = 0;
  build(&F, &toks, &L, &nl);
  rc_lex_free(&toks);
  for (size_t i = 0; i < nl; i++) split_cells(&F, &L[i]);
  indent(&F, L, nl);
  for (size_t i = 0; i < nl; i++) {
    space_cell(&F, L[i].lead, L[i].nlead);
    if (L[i].nassign) {
      F.t[L[i].assign].spaces = 1;
      space_cell(&F, L[i].assign, L[i].nassign);
    }
    if (L[i].ncomment) F.t[L[i].comment].spaces = 1;
  }
  align(&F, L, nl, false);
  align(&F, L, nl, true);
  rc_status st = RC_OK;
  for (size_t i = 0; i < nl && !st; i++) {
    st = emit_cell(&F, L[i].lead, L[i].nlead, out);
    if (!st) st = emit_cell(&F, L[i].assign, L[i].nassign, out);
    if (!st) st = emit_cell(&F, L[i].comment, L[i].ncomment, out);
    if (!st && !L[i].empty) st = rc_buf_putc(out, '\n');
  }
  rc_free(F.t);
  rc_free(L);
  return st;
}
