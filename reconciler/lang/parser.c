/* parser — HCL native syntax bodies: attributes, blocks with labels,
 * one-line blocks; error recovery to the end of the line so one run reports
 * several errors (jq parser.y); the shared cursor helpers of parser_int.h. */
#include <stdarg.h>
#include <string.h>

#include "parser_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"
#include "rc_limits.h"

/* --- cursor helpers --- */

struct rc_range rc_parse__range(const struct rc_parser *p, uint32_t start, uint32_t end)
{
  if (p->fixed) return *p->fixed;
  return (struct rc_range){p->f, start, end};
}

struct rc_tok *rc_parse__peek(struct rc_parser *p)
{
  while (p->pos < p->n - 1) {
    enum rc_tok_kind k = p->t[p->pos].kind;
    if (k == RC_T_COMMENT || (k == RC_T_NEWLINE && !p->nl)) p->pos++;
    else break;
  }
  return &p->t[p->pos];
}

struct rc_tok *rc_parse__next(struct rc_parser *p)
{
  struct rc_tok *t = rc_parse__peek(p);
  if (p->pos < p->n - 1) p->pos++;
  return t;
}

static void verror(struct rc_parser *p, uint32_t start, uint32_t end, const char *summary,
                   const char *fmt, va_list ap)
{
  struct rc_buf b;
  rc_buf_init(&b, 4096);
  rc_buf_vprintf(&b, fmt, ap);
  struct rc_range r = rc_parse__range(p, start, end);
  rc_diags_add(p->ds, RC_DIAG_ERROR, &r, summary, "%s", b.ptr);
  rc_buf_free(&b);
}

void rc_parse__error(struct rc_parser *p, const struct rc_tok *at, const char *summary,
                     const char *fmt, ...)
{
  if (at->kind == RC_T_INVALID || p->too_deep) return; /* already reported */
  va_list ap;
  va_start(ap, fmt);
  verror(p, at->start, at->end, summary, fmt, ap);
  va_end(ap);
}

void rc_parse__error_range(struct rc_parser *p, uint32_t start, uint32_t end,
                           const char *summary, const char *fmt, ...)
{
  if (p->too_deep) return;
  va_list ap;
  va_start(ap, fmt);
  verror(p, start, end, summary, fmt, ap);
  va_end(ap);
}

const char *rc_parse__describe(struct rc_parser *p, const struct rc_tok *t, char *buf, size_t sz)
{
  if (t->kind == RC_T_IDENT || t->kind == RC_T_NUMBER) {
    size_t n = t->end - t->start;
    snprintf(buf, sz, "%s \"%.*s\"%s", t->kind == RC_T_IDENT ? "identifier" : "number",
             (int)(n > 40 ? 40 : n), p->text + t->start, n > 40 ? "..." : "");
    return buf;
  }
  snprintf(buf, sz, "%s", rc_lex_kind_name(t->kind));
  return buf;
}

int rc_parse__line(const struct rc_parser *p, uint32_t off)
{
  int line = 1, col = 1;
  if (p->f && !p->fixed) rc_file_linecol(p->f, off, &line, &col);
  return line;
}

bool rc_parse__is_kw(const struct rc_parser *p, const struct rc_tok *t, const char *kw)
{
  size_t n = strlen(kw);
  return t->kind == RC_T_IDENT && t->end - t->start == n && memcmp(p->text + t->start, kw, n) == 0;
}

bool rc_parse__enter(struct rc_parser *p, const struct rc_tok *at)
{
  if (p->too_deep) return false;
  if (p->depth >= RC_LIMIT_NESTING) {
    rc_parse__error_range(p, at->start, at->end, "Too deeply nested",
                          "Blocks and expressions may be nested at most %d levels deep.",
                          RC_LIMIT_NESTING);
    p->too_deep = true;
    return false;
  }
  p->depth++;
  return true;
}

void rc_parse__leave(struct rc_parser *p) { p->depth--; }

static const char *open_text(enum rc_tok_kind k)
{
  switch (k) {
  case RC_T_LBRACE: return "{";
  case RC_T_LBRACK: return "[";
  case RC_T_LPAREN: return "(";
  case RC_T_TINTERP: return "${";
  case RC_T_TCONTROL: return "%{";
  default: return "bracket";
  }
}

bool rc_parse__expect_close(struct rc_parser *p, enum rc_tok_kind want, const struct rc_tok *open,
                            const char *expected)
{
  struct rc_tok *t = rc_parse__peek(p);
  if (t->kind == want) {
    rc_parse__next(p);
    return true;
  }
  char d[96];
  int line = rc_parse__line(p, open->start);
  bool closer = t->kind == RC_T_RBRACE || t->kind == RC_T_RBRACK || t->kind == RC_T_RPAREN ||
                t->kind == RC_T_TEND;
  if (t->kind == RC_T_EOF || closer)
    rc_parse__error(p, t, "Missing close bracket",
                    "Expected %s to close '%s' opened at line %d, but found %s.", expected,
                    open_text(open->kind), line, rc_parse__describe(p, t, d, sizeof d));
  else
    rc_parse__error(p, t, "Unexpected token",
                    "Found %s, but expected %s (to close '%s' opened at line %d).",
                    rc_parse__describe(p, t, d, sizeof d), expected, open_text(open->kind), line);
  return false;
}

void rc_pvec_push(struct rc_pvec *v, void *x)
{
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->v = rc_realloc(v->v, v->cap * sizeof *v->v);
  }
  v->v[v->n++] = x;
}

void **rc_pvec_finish(struct rc_parser *p, struct rc_pvec *v, size_t *n)
{
  void **out = NULL;
  *n = v->n;
  if (v->n) {
    out = rc_arena_alloc(p->a, v->n * sizeof *out);
    memcpy(out, v->v, v->n * sizeof *out);
  }
  rc_free(v->v);
  memset(v, 0, sizeof *v);
  return out;
}

/* --- bodies --- */

/* Skips from token index `from` to just after the end of its line, counting
 * brackets so a multi-line expression is skipped whole; stops before a `}`
 * that would close the enclosing block. An unclosed ( or [ would swallow the
 * rest of the file, so a line that starts like an attribute (`name =`),
 * which cannot appear directly inside ( or [, ends the skip too. */
static void recover(struct rc_parser *p, size_t from)
{
  size_t cap = 16, depth = 0;
  enum rc_tok_kind *open = rc_malloc(cap * sizeof *open);
  size_t i = from;
  for (; i < p->n - 1; i++) {
    enum rc_tok_kind k = p->t[i].kind;
    if (k == RC_T_LBRACE || k == RC_T_LBRACK || k == RC_T_LPAREN || k == RC_T_TINTERP ||
        k == RC_T_TCONTROL) {
      if (depth == cap) open = rc_realloc(open, (cap *= 2) * sizeof *open);
      open[depth++] = k;
    } else if (k == RC_T_RBRACE && depth == 0) {
      break;
    } else if (k == RC_T_RBRACE || k == RC_T_RBRACK || k == RC_T_RPAREN || k == RC_T_TEND) {
      if (depth > 0) depth--;
    } else if (k == RC_T_NEWLINE) {
      if (depth == 0) {
        i++;
        break;
      }
      bool list = open[depth - 1] == RC_T_LBRACK || open[depth - 1] == RC_T_LPAREN;
      if (list && i + 2 < p->n && p->t[i + 1].kind == RC_T_IDENT && p->t[i + 2].kind == RC_T_EQUAL) {
        i++;
        break;
      }
    }
  }
  rc_free(open);
  p->pos = i;
}

struct body_vecs {
  struct rc_attribute *attrs;
  size_t nattrs, capattrs;
  struct rc_block *blocks;
  size_t nblocks, capblocks;
};

static void parse_body(struct rc_parser *p, struct rc_body *body, const struct rc_tok *open);

/* After an attribute or a block: a newline, the end of the file, or the `}`
 * of the enclosing block (one-line blocks). */
static void expect_line_end(struct rc_parser *p, bool in_block, const char *summary,
                            const char *detail)
{
  struct rc_tok *t = rc_parse__peek(p);
  if (t->kind == RC_T_NEWLINE) {
    rc_parse__next(p);
  } else if (t->kind == RC_T_EOF || (t->kind == RC_T_RBRACE && in_block)) {
    /* fine */
  } else {
    rc_parse__error(p, t, summary, "%s", detail);
    recover(p, p->pos);
  }
}

static void parse_block(struct rc_parser *p, struct body_vecs *bv, const struct rc_tok *type,
                        size_t from, bool in_block)
{
  struct rc_pvec labels = {0};
  struct rc_pvec lranges = {0};
  struct rc_tok *t;
  char d[96];
  for (;;) {
    t = rc_parse__peek(p);
    if (t->kind == RC_T_LBRACE) break;
    struct rc_range *lr = rc_arena_alloc(p->a, sizeof *lr);
    if (t->kind == RC_T_IDENT) {
      rc_parse__next(p);
      rc_pvec_push(&labels, rc_arena_strndup(p->a, p->text + t->start, t->end - t->start));
      *lr = rc_parse__range(p, t->start, t->end);
      rc_pvec_push(&lranges, lr);
      continue;
    }
    if (t->kind == RC_T_OQUOTE) {
      struct rc_expr *s = rc_parse__quoted(p);
      if (!s) goto fail;
      if (s->kind != RC_E_LITERAL || rc_value_kind(s->u.literal) != RC_STRING) {
        rc_parse__error_range(p, s->range.start, s->range.end, "Invalid block label",
                              "Block labels are literal strings: template sequences are not "
                              "allowed here. To include a literal \"${\", use \"$${\".");
        goto fail;
      }
      rc_pvec_push(&labels, (void *)rc_value_str(s->u.literal));
      *lr = s->range;
      rc_pvec_push(&lranges, lr);
      continue;
    }
    if (t->kind == RC_T_EQUAL || labels.n == 0)
      rc_parse__error(p, t, "Argument or block definition required",
                      "An argument or block definition is required here; found %s after "
                      "\"%.*s\".", rc_parse__describe(p, t, d, sizeof d),
                      (int)(type->end - type->start), p->text + type->start);
    else
      rc_parse__error(p, t, "Invalid block definition",
                      "Either a quoted string block label or an opening brace (\"{\") is "
                      "expected here; found %s.", rc_parse__describe(p, t, d, sizeof d));
    goto fail;
  }
  struct rc_tok *open = rc_parse__next(p);
  if (!rc_parse__enter(p, open)) goto fail;
  struct rc_block blk = {0};
  blk.type = rc_arena_strndup(p->a, p->text + type->start, type->end - type->start);
  blk.type_range = rc_parse__range(p, type->start, type->end);
  parse_body(p, &blk.body, open);
  rc_parse__leave(p);
  blk.nlabels = labels.n;
  blk.labels = (const char **)rc_pvec_finish(p, &labels, &blk.nlabels);
  size_t nl;
  struct rc_range **lrs = (struct rc_range **)rc_pvec_finish(p, &lranges, &nl);
  if (nl) {
    blk.label_ranges = rc_arena_alloc(p->a, nl * sizeof *blk.label_ranges);
    for (size_t i = 0; i < nl; i++) blk.label_ranges[i] = *lrs[i];
  }
  blk.range = rc_parse__range(p, type->start, blk.body.range.end);
  if (bv->nblocks == bv->capblocks) {
    bv->capblocks = bv->capblocks ? bv->capblocks * 2 : 8;
    bv->blocks = rc_realloc(bv->blocks, bv->capblocks * sizeof *bv->blocks);
  }
  bv->blocks[bv->nblocks++] = blk;
  if (!p->too_deep)
    expect_line_end(p, in_block, "Missing newline after block definition",
                    "A block definition must end with a newline.");
  return;
fail:
  rc_free(labels.v);
  rc_free(lranges.v);
  recover(p, from);
}

static void parse_item(struct rc_parser *p, struct body_vecs *bv, bool in_block)
{
  size_t from = p->pos;
  struct rc_tok *name = rc_parse__next(p);
  struct rc_tok *t = rc_parse__peek(p);
  if (t->kind != RC_T_EQUAL) {
    if (t->kind == RC_T_NEWLINE || t->kind == RC_T_EOF) {
      rc_parse__error(p, name, "Argument or block definition required",
                      "An argument or block definition is required here. To set an argument, "
                      "use the equals sign \"=\" to introduce the argument value.");
      recover(p, from);
      return;
    }
    parse_block(p, bv, name, from, in_block);
    return;
  }
  rc_parse__next(p);
  struct rc_expr *e = rc_parse__expr(p);
  if (!e) {
    recover(p, from);
    return;
  }
  size_t nlen = name->end - name->start;
  for (size_t i = 0; i < bv->nattrs; i++) {
    const struct rc_attribute *prev = &bv->attrs[i];
    if (strlen(prev->name) != nlen || memcmp(prev->name, p->text + name->start, nlen) != 0)
      continue;
    int l1, c1, l2, c2; /* hcl's "file:line,col-col" */
    rc_file_linecol(prev->name_range.file, prev->name_range.start, &l1, &c1);
    rc_file_linecol(prev->name_range.file, prev->name_range.end, &l2, &c2);
    rc_parse__error_range(p, name->start, name->end, "Attribute redefined",
                          "The argument \"%s\" was already set at %s:%d,%d-%d. Each argument "
                          "may only be set once.",
                          prev->name, p->f ? p->f->name : "", l1, c1, c2);
    expect_line_end(p, in_block, "Missing newline after argument",
                    "An argument definition must end with a newline.");
    return;
  }
  if (bv->nattrs == bv->capattrs) {
    bv->capattrs = bv->capattrs ? bv->capattrs * 2 : 8;
    bv->attrs = rc_realloc(bv->attrs, bv->capattrs * sizeof *bv->attrs);
  }
  struct rc_attribute *a = &bv->attrs[bv->nattrs++];
  a->name = rc_arena_strndup(p->a, p->text + name->start, name->end - name->start);
  a->expr = e;
  a->name_range = rc_parse__range(p, name->start, name->end);
  a->range = rc_parse__range(p, name->start, e->range.end);
  expect_line_end(p, in_block, "Missing newline after argument",
                  "An argument definition must end with a newline.");
}

static void parse_body(struct rc_parser *p, struct rc_body *body, const struct rc_tok *open)
{
  struct body_vecs bv = {0};
  bool nl = p->nl;
  p->nl = true;
  uint32_t start = open ? open->start : 0, end = (uint32_t)(p->f ? p->f->len : 0);
  for (;;) {
    if (p->too_deep) {
      p->pos = p->n - 1;
      break;
    }
    struct rc_tok *t = rc_parse__peek(p);
    if (t->kind == RC_T_NEWLINE) {
      rc_parse__next(p);
      continue;
    }
    if (t->kind == RC_T_EOF) {
      if (open)
        rc_parse__error(p, open, "Unclosed configuration block",
                        "There is no closing brace for this block before the end of the file. "
                        "This may be caused by incorrect brace nesting elsewhere in this file.");
      end = t->end;
      break;
    }
    if (t->kind == RC_T_RBRACE) {
      rc_parse__next(p);
      if (open) {
        end = t->end;
        break;
      }
      rc_parse__error(p, t, "Argument or block definition required",
                      "An argument or block definition is required here; this closing brace "
                      "has no matching opening brace.");
      continue;
    }
    if (t->kind == RC_T_IDENT) {
      parse_item(p, &bv, open != NULL);
      continue;
    }
    char d[96];
    rc_parse__error(p, t, "Argument or block definition required",
                    "An argument or block definition is required here, but found %s.",
                    rc_parse__describe(p, t, d, sizeof d));
    size_t from = p->pos;
    recover(p, from);
    if (p->pos == from) rc_parse__next(p); /* always make progress */
  }
  p->nl = nl;
  body->range = rc_parse__range(p, start, end);
  if (bv.nattrs) {
    body->attrs = rc_arena_alloc(p->a, bv.nattrs * sizeof *body->attrs);
    memcpy(body->attrs, bv.attrs, bv.nattrs * sizeof *body->attrs);
  }
  if (bv.nblocks) {
    body->blocks = rc_arena_alloc(p->a, bv.nblocks * sizeof *body->blocks);
    memcpy(body->blocks, bv.blocks, bv.nblocks * sizeof *body->blocks);
  }
  body->nattrs = bv.nattrs;
  body->nblocks = bv.nblocks;
  rc_free(bv.attrs);
  rc_free(bv.blocks);
}

struct rc_body *rc_parse_file(const struct rc_file *f, struct rc_arena *a, struct rc_diags *ds)
{
  struct rc_toks toks = {0};
  rc_lex_all(f, f->text, f->len, RC_LEX_NORMAL, NULL, &toks, ds);
  struct rc_parser p = {.f = f, .text = f->text, .a = a, .ds = ds, .t = toks.v, .n = toks.n,
                        .nl = true};
  struct rc_body *body = rc_arena_alloc(a, sizeof *body);
  parse_body(&p, body, NULL);
  body->range = (struct rc_range){f, 0, (uint32_t)f->len};
  rc_lex_free(&toks);
  return body;
}

struct rc_expr *rc_parse_expr(const struct rc_file *f, struct rc_arena *a, struct rc_diags *ds)
{
  struct rc_toks toks = {0};
  size_t before = ds->errors;
  rc_lex_all(f, f->text, f->len, RC_LEX_NORMAL, NULL, &toks, ds);
  struct rc_parser p = {.f = f, .text = f->text, .a = a, .ds = ds, .t = toks.v, .n = toks.n};
  struct rc_expr *e = rc_parse__expr(&p);
  if (e) {
    struct rc_tok *t = rc_parse__peek(&p);
    if (t->kind != RC_T_EOF) {
      rc_parse__error(&p, t, "Extra characters after expression",
                      "An expression was successfully parsed, but extra characters were found "
                      "after it.");
      e = NULL;
    }
  }
  if (ds->errors > before) e = NULL;
  rc_lex_free(&toks);
  return e;
}
