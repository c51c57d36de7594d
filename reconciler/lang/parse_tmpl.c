/* parse_tmpl — templates: quoted strings, heredocs and bare templates (JSON
 * strings). The token run is first flattened into items (literals,
 * interpolations, directives), then flush-heredoc indentation and `~` strip
 * markers are applied to the literals, then the items are nested into
 * TEMPLATE / TMPL_IF / TMPL_FOR nodes (hclsyntax spec.md, "Templates"). */
#include <string.h>

#include "parser_int.h"
#include "rc_alloc.h"
#include "rc_buf.h"

enum item_kind { I_LIT, I_INTERP, I_IF, I_ELSE, I_ENDIF, I_FOR, I_ENDFOR };

struct item {
  enum item_kind k;
  uint32_t start, end;
  char *s; /* I_LIT: decoded text (rc_malloc'd) */
  size_t len;
  bool linestart;
  bool strip_before, strip_after;
  struct rc_expr *e; /* interp, if condition, for collection */
  const char *k1, *k2;
};

struct items {
  struct item *v;
  size_t n, cap;
};

static struct item *add_item(struct items *it, enum item_kind k, uint32_t s, uint32_t e)
{
  if (it->n == it->cap) {
    it->cap = it->cap ? it->cap * 2 : 16;
    it->v = rc_realloc(it->v, it->cap * sizeof *it->v);
  }
  struct item *x = &it->v[it->n++];
  memset(x, 0, sizeof *x);
  x->k = k, x->start = s, x->end = e;
  return x;
}

static void items_free(struct items *it)
{
  for (size_t i = 0; i < it->n; i++) rc_free(it->v[i].s);
  rc_free(it->v);
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

static void put_utf8(struct rc_buf *b, unsigned cp)
{
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800) u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
    u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  else
    u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
  rc_buf_append(b, u, n);
}

/* Decodes text[start..end): backslash escapes when `quoted`, and the $${ %%{
 * literal escapes always. Returns an rc_malloc'd string, NULL after an error. */
static char *decode(struct rc_parser *p, uint32_t start, uint32_t end, bool quoted, size_t *outlen)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  const char *s = p->text;
  bool ok = true;
  for (uint32_t i = start; i < end;) {
    char c = s[i];
    if ((c == '$' || c == '%') && i + 2 < end && s[i + 1] == c && s[i + 2] == '{') {
      rc_buf_putc(&b, c);
      rc_buf_putc(&b, '{');
      i += 3;
      continue;
    }
    if (c != '\\' || !quoted) {
      rc_buf_putc(&b, c);
      i++;
      continue;
    }
    char e = i + 1 < end ? s[i + 1] : '\0';
    uint32_t esc_end = i + 2;
    switch (e) {
    case 'n': rc_buf_putc(&b, '\n'); break;
    case 'r': rc_buf_putc(&b, '\r'); break;
    case 't': rc_buf_putc(&b, '\t'); break;
    case '"': rc_buf_putc(&b, '"'); break;
    case '\\': rc_buf_putc(&b, '\\'); break;
    case 'u':
    case 'U': {
      int nd = e == 'u' ? 4 : 8;
      unsigned cp = 0;
      bool good = i + 2 + (uint32_t)nd <= end;
      for (int k = 0; good && k < nd; k++) {
        int h = hexval(s[i + 2 + k]);
        if (h < 0) good = false;
        else cp = cp * 16 + (unsigned)h;
      }
      if (good && (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) good = false;
      if (!good) {
        uint32_t e2 = i + 2;
        while (e2 < end && e2 < i + 2 + (uint32_t)nd && hexval(s[e2]) >= 0) e2++;
        rc_parse__error_range(p, i, e2, "Invalid escape sequence",
                              "The \\%c escape must be followed by %d hexadecimal digits "
                              "naming a Unicode character.", e, nd);
        ok = false;
        esc_end = e2;
        break;
      }
      put_utf8(&b, cp);
      esc_end = i + 2 + (uint32_t)nd;
      break;
    }
    default: {
      uint32_t e2 = i + 1 < end ? i + 2 : i + 1;
      rc_parse__error_range(p, i, e2, "Invalid escape sequence",
                            "The symbol \"%c\" is not a valid escape sequence selector.",
                            e ? e : '\\');
      ok = false;
      esc_end = e2;
    }
    }
    i = esc_end;
  }
  if (!ok) {
    rc_buf_free(&b);
    return NULL;
  }
  *outlen = b.len;
  return rc_buf_detach(&b);
}

char *rc_parse__unescape(struct rc_parser *p, uint32_t start, uint32_t end, size_t *outlen)
{
  return decode(p, start, end, true, outlen);
}

/* `%{ ... }` after the %{ token: one directive item. */
static bool parse_directive(struct rc_parser *p, struct items *it, const struct rc_tok *open)
{
  char d[96];
  struct rc_tok *kw = rc_parse__peek(p);
  struct item *x = NULL;
  if (rc_parse__is_kw(p, kw, "if")) {
    rc_parse__next(p);
    struct rc_expr *c = rc_parse__expr(p);
    if (!c) return false;
    x = add_item(it, I_IF, open->start, open->end);
    x->e = c;
  } else if (rc_parse__is_kw(p, kw, "else")) {
    rc_parse__next(p);
    x = add_item(it, I_ELSE, open->start, kw->end);
  } else if (rc_parse__is_kw(p, kw, "endif")) {
    rc_parse__next(p);
    x = add_item(it, I_ENDIF, open->start, kw->end);
  } else if (rc_parse__is_kw(p, kw, "endfor")) {
    rc_parse__next(p);
    x = add_item(it, I_ENDFOR, open->start, kw->end);
  } else if (rc_parse__is_kw(p, kw, "for")) {
    rc_parse__next(p);
    struct rc_tok *v1 = rc_parse__peek(p), *v2 = NULL;
    if (v1->kind != RC_T_IDENT) goto bad_for;
    rc_parse__next(p);
    if (rc_parse__peek(p)->kind == RC_T_COMMA) {
      rc_parse__next(p);
      v2 = rc_parse__peek(p);
      if (v2->kind != RC_T_IDENT) goto bad_for;
      rc_parse__next(p);
    }
    if (!rc_parse__is_kw(p, rc_parse__peek(p), "in")) goto bad_for;
    rc_parse__next(p);
    struct rc_expr *coll = rc_parse__expr(p);
    if (!coll) return false;
    x = add_item(it, I_FOR, open->start, open->end);
    x->e = coll;
    const struct rc_tok *kv = v2 ? v1 : NULL, *vv = v2 ? v2 : v1;
    x->k1 = kv ? rc_arena_strndup(p->a, p->text + kv->start, kv->end - kv->start) : NULL;
    x->k2 = rc_arena_strndup(p->a, p->text + vv->start, vv->end - vv->start);
  } else {
    rc_parse__error(p, kw, "Invalid template directive",
                    "A template directive keyword (\"if\", \"for\", etc) is expected at the "
                    "beginning of a %%{ sequence; found %s.",
                    rc_parse__describe(p, kw, d, sizeof d));
    return false;
  }
  x->strip_before = open->flags & RC_TOK_STRIP;
  struct rc_tok *close = rc_parse__peek(p);
  if (!rc_parse__expect_close(p, RC_T_TEND, open, "'}'")) return false;
  x->strip_after = close->flags & RC_TOK_STRIP;
  x->end = close->end;
  return true;
bad_for:
  rc_parse__error(p, rc_parse__peek(p), "Invalid template directive",
                  "A for directive is written %%{ for k, v in collection }.");
  return false;
}

enum tmpl_kind { T_QUOTED, T_HEREDOC, T_BARE };

/* Collects items until the closing token; returns false after an error. */
static bool collect(struct rc_parser *p, struct items *it, enum tmpl_kind tk,
                    const struct rc_tok *open, uint32_t *end)
{
  for (;;) {
    p->nl = true;
    struct rc_tok *t = rc_parse__peek(p);
    switch (t->kind) {
    case RC_T_QLIT:
    case RC_T_HLIT: {
      rc_parse__next(p);
      size_t len = 0;
      char *s = decode(p, t->start, t->end, t->kind == RC_T_QLIT, &len);
      if (!s) return false;
      struct item *x = add_item(it, I_LIT, t->start, t->end);
      x->s = s, x->len = len;
      x->linestart = t->flags & RC_TOK_LINESTART;
      break;
    }
    case RC_T_TINTERP: {
      rc_parse__next(p);
      p->nl = false;
      struct rc_expr *e = rc_parse__expr(p);
      if (!e) return false;
      struct rc_tok *close = rc_parse__peek(p);
      if (!rc_parse__expect_close(p, RC_T_TEND, t, "'}'")) return false;
      struct item *x = add_item(it, I_INTERP, t->start, close->end);
      x->e = e;
      x->strip_before = t->flags & RC_TOK_STRIP;
      x->strip_after = close->flags & RC_TOK_STRIP;
      break;
    }
    case RC_T_TCONTROL:
      rc_parse__next(p);
      p->nl = false;
      if (!parse_directive(p, it, t)) return false;
      break;
    case RC_T_CQUOTE:
      if (tk != T_QUOTED) goto unexpected;
      *end = rc_parse__next(p)->end;
      return true;
    case RC_T_CHEREDOC:
      if (tk != T_HEREDOC) goto unexpected;
      *end = rc_parse__next(p)->end;
      return true;
    case RC_T_EOF:
      if (tk == T_BARE) {
        *end = t->end;
        return true;
      }
      if (tk == T_HEREDOC) {
        rc_parse__error(p, open, "Unterminated heredoc",
                        "The multi-line template introduced by this heredoc has no closing "
                        "marker before the end of the file.");
        return false;
      }
      /* fall through */
    case RC_T_NEWLINE:
      if (tk == T_QUOTED) {
        rc_parse__error_range(p, open->start, t->start, "Unterminated template string",
                              "No closing marker was found for the string.");
        return false;
      }
      goto unexpected;
    default:
    unexpected: {
      char d[96];
      rc_parse__error(p, t, "Unexpected token", "Found %s inside a template.",
                      rc_parse__describe(p, t, d, sizeof d));
      return false;
    }
    }
  }
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* <<- : removes the smallest indentation of the non-blank lines from all. */
static void flush_heredoc(struct items *it)
{
  size_t min = (size_t)-1;
  for (size_t i = 0; i < it->n; i++) {
    struct item *x = &it->v[i];
    if (x->k == I_LIT && x->linestart) {
      size_t ws = 0;
      while (ws < x->len && is_blank(x->s[ws])) ws++;
      if (ws < x->len && (x->s[ws] == '\n' || x->s[ws] == '\r')) continue; /* blank line */
      if (ws < min) min = ws;
    } else if (x->k != I_LIT && (i == 0 || (it->v[i - 1].k == I_LIT && it->v[i - 1].len &&
                                             it->v[i - 1].s[it->v[i - 1].len - 1] == '\n'))) {
      min = 0; /* a line starting with a sequence */
    }
  }
  if (min == (size_t)-1 || min == 0) return;
  for (size_t i = 0; i < it->n; i++) {
    struct item *x = &it->v[i];
    if (x->k != I_LIT || !x->linestart) continue;
    size_t ws = 0;
    while (ws < x->len && ws < min && is_blank(x->s[ws])) ws++;
    memmove(x->s, x->s + ws, x->len - ws + 1);
    x->len -= ws;
  }
}

/* Merges adjacent literals, then applies ~ strip markers. */
static void merge_and_strip(struct items *it)
{
  size_t w = 0;
  for (size_t i = 0; i < it->n; i++) {
    struct item *x = &it->v[i];
    if (w > 0 && x->k == I_LIT && it->v[w - 1].k == I_LIT) {
      struct item *prev = &it->v[w - 1];
      prev->s = rc_realloc(prev->s, prev->len + x->len + 1);
      memcpy(prev->s + prev->len, x->s, x->len + 1);
      prev->len += x->len;
      prev->end = x->end;
      rc_free(x->s);
      continue;
    }
    it->v[w++] = *x;
  }
  it->n = w;
  for (size_t i = 0; i < it->n; i++) {
    struct item *x = &it->v[i];
    if (x->k == I_LIT) continue;
    if (x->strip_before && i > 0 && it->v[i - 1].k == I_LIT) {
      struct item *l = &it->v[i - 1];
      while (l->len && is_space(l->s[l->len - 1])) l->s[--l->len] = '\0';
    }
    if (x->strip_after && i + 1 < it->n && it->v[i + 1].k == I_LIT) {
      struct item *l = &it->v[i + 1];
      size_t k = 0;
      while (k < l->len && is_space(l->s[k])) k++;
      memmove(l->s, l->s + k, l->len - k + 1);
      l->len -= k;
    }
  }
}

static struct rc_expr *str_literal(struct rc_parser *p, const char *s, size_t n, uint32_t a,
                                   uint32_t b)
{
  struct rc_expr *x = rc_parse__node(p, RC_E_LITERAL, a, b);
  x->u.literal = rc_value_string_n(s, n);
  rc_arena_own_value(p->a, x->u.literal);
  return x;
}

static const char *item_name(enum item_kind k)
{
  switch (k) {
  case I_ELSE: return "%{else}";
  case I_ENDIF: return "%{endif}";
  case I_ENDFOR: return "%{endfor}";
  default: return "directive";
  }
}

/* Builds a TEMPLATE from items[*i..] until one of the kinds in `stop`. */
static struct rc_expr *build(struct rc_parser *p, struct items *it, size_t *i, unsigned stop,
                             uint32_t start)
{
  struct rc_pvec parts = {0};
  uint32_t end = start;
  while (*i < it->n) {
    struct item *x = &it->v[*i];
    if (stop & (1u << x->k)) break;
    end = x->end;
    if (x->k == I_LIT) {
      if (x->len) rc_pvec_push(&parts, str_literal(p, x->s, x->len, x->start, x->end));
      (*i)++;
    } else if (x->k == I_INTERP) {
      rc_pvec_push(&parts, x->e);
      (*i)++;
    } else if (x->k == I_IF || x->k == I_FOR) {
      struct rc_tok at = {RC_T_TCONTROL, x->start, x->end, 0};
      if (!rc_parse__enter(p, &at)) goto fail;
      struct item *open = x;
      (*i)++;
      struct rc_expr *n;
      if (open->k == I_IF) {
        n = rc_parse__node(p, RC_E_TMPL_IF, open->start, open->end);
        n->u.tmpl_if.cond = open->e;
        n->u.tmpl_if.then_part = build(p, it, i, 1u << I_ELSE | 1u << I_ENDIF, open->end);
        if (n->u.tmpl_if.then_part && *i < it->n && it->v[*i].k == I_ELSE) {
          uint32_t e2 = it->v[*i].end;
          (*i)++;
          n->u.tmpl_if.else_part = build(p, it, i, 1u << I_ENDIF, e2);
          if (!n->u.tmpl_if.else_part) n->u.tmpl_if.then_part = NULL;
        }
      } else {
        n = rc_parse__node(p, RC_E_TMPL_FOR, open->start, open->end);
        n->u.tmpl_for.key_var = open->k1;
        n->u.tmpl_for.val_var = open->k2;
        n->u.tmpl_for.coll = open->e;
        n->u.tmpl_for.body = build(p, it, i, 1u << I_ENDFOR, open->end);
      }
      rc_parse__leave(p);
      bool ok = open->k == I_IF ? n->u.tmpl_if.then_part != NULL : n->u.tmpl_for.body != NULL;
      if (!ok) goto fail;
      enum item_kind want = open->k == I_IF ? I_ENDIF : I_ENDFOR;
      if (*i >= it->n || it->v[*i].k != want) {
        rc_parse__error_range(p, open->start, open->end, "Unterminated template directive",
                              "No %s was found for this %s.", item_name(want),
                              open->k == I_IF ? "%{if}" : "%{for}");
        goto fail;
      }
      n->range = rc_parse__range(p, open->start, it->v[*i].end);
      end = it->v[*i].end;
      (*i)++;
      rc_pvec_push(&parts, n);
    } else {
      rc_parse__error_range(p, x->start, x->end, "Unexpected template directive",
                            "This %s has no matching opening directive.", item_name(x->k));
      goto fail;
    }
  }
  struct rc_expr *t = rc_parse__node(p, RC_E_TEMPLATE, start, end);
  t->u.tmpl.parts = (struct rc_expr **)rc_pvec_finish(p, &parts, &t->u.tmpl.n);
  return t;
fail:
  rc_free(parts.v);
  return NULL;
}

static struct rc_expr *finish(struct rc_parser *p, struct items *it, bool flush, bool heredoc,
                              uint32_t start, uint32_t end)
{
  if (flush) flush_heredoc(it);
  merge_and_strip(it);
  size_t i = 0;
  struct rc_expr *t = build(p, it, &i, 0, start);
  if (!t) return NULL;
  t->range = rc_parse__range(p, start, end);
  t->u.tmpl.heredoc = heredoc;
  if (t->u.tmpl.n == 0) return str_literal(p, "", 0, start, end);
  if (t->u.tmpl.n == 1 && t->u.tmpl.parts[0]->kind == RC_E_LITERAL && it->n == 1 &&
      it->v[0].k == I_LIT) {
    t->u.tmpl.parts[0]->range = t->range;
    return t->u.tmpl.parts[0];
  }
  return t;
}

static struct rc_expr *parse_template(struct rc_parser *p, enum tmpl_kind tk)
{
  bool nl = p->nl;
  struct rc_tok *open = tk == T_BARE ? rc_parse__peek(p) : rc_parse__next(p);
  struct items it = {0};
  uint32_t end = open->end;
  struct rc_expr *x = NULL;
  if (!rc_parse__enter(p, open)) goto out;
  if (collect(p, &it, tk, open, &end))
    x = finish(p, &it, open->flags & RC_TOK_FLUSH, tk == T_HEREDOC,
               tk == T_BARE ? 0 : open->start, end);
  rc_parse__leave(p);
out:
  items_free(&it);
  p->nl = nl;
  return x;
}

struct rc_expr *rc_parse__quoted(struct rc_parser *p) { return parse_template(p, T_QUOTED); }
struct rc_expr *rc_parse__heredoc(struct rc_parser *p) { return parse_template(p, T_HEREDOC); }
struct rc_expr *rc_parse__bare_template(struct rc_parser *p) { return parse_template(p, T_BARE); }
