/* render_diff — the nested value diff of the text renderer, in the shape of
 * Terraform's structured renderer: blocks, objects, maps, lists, sets,
 * primitives, heredoc strings and JSON strings shown as a jsonencode(...)
 * structural diff. Indents are Terraform's: 4 spaces per level, then a
 * 3-column action symbol and a space.
 *
 * Never prints a value marked sensitive (checked at every level). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "rc_alloc.h"

#define LCS_MAX_CELLS (4u * 1024u * 1024u)

enum { NOOP, CREATE, UPDATE, DELETE };

struct ropts {
  bool no_null;  /* no "-> null" suffix on deletes */
  bool show_all; /* show unchanged children */
  bool force;    /* "# forces replacement" set by a parent */
  bool json;     /* inside a decoded JSON string: null is a value */
};

static const char *color_of(int act)
{
  switch (act) {
  case CREATE: return "\x1b[32m";
  case UPDATE: return "\x1b[33m";
  case DELETE: return "\x1b[31m";
  default: return "";
  }
}

void rc_plan__color(struct rc_rd *r, const char *code, const char *text)
{
  if (r->color && *code) {
    rc_buf_puts(r->out, code);
    rc_buf_puts(r->out, text);
    rc_buf_puts(r->out, "\x1b[0m");
  } else {
    rc_buf_puts(r->out, text);
  }
}

/* The 3-column symbol and a space. */
static void sym(struct rc_rd *r, int act)
{
  static const char *const s[] = {"   ", "  +", "  ~", "  -"};
  if (act == NOOP || !r->color) {
    rc_buf_puts(r->out, s[act]);
  } else {
    rc_buf_puts(r->out, "  ");
    rc_plan__color(r, color_of(act), s[act] + 2);
  }
  rc_buf_putc(r->out, ' ');
}

static void ind(struct rc_rd *r, int n)
{
  for (int i = 0; i < n; i++) rc_buf_puts(r->out, "    ");
}

static void forces(struct rc_rd *r, bool replace, const struct ropts *o)
{
  if (replace || o->force) {
    rc_buf_putc(r->out, ' ');
    rc_plan__color(r, "\x1b[31m", "# forces replacement");
  }
}

static void null_suffix(struct rc_rd *r, int act, const struct ropts *o)
{
  if (!o->no_null && act == DELETE) {
    rc_buf_putc(r->out, ' ');
    rc_plan__color(r, "\x1b[90m", "-> null");
  }
}

static void arrow(struct rc_rd *r)
{
  rc_buf_putc(r->out, ' ');
  rc_plan__color(r, "\x1b[33m", "->");
  rc_buf_putc(r->out, ' ');
}

static void unchanged(struct rc_rd *r, int indent, const char *what, size_t n)
{
  ind(r, indent);
  sym(r, NOOP);
  char tmp[96];
  snprintf(tmp, sizeof tmp, "# (%zu unchanged %s%s hidden)", n, what, n == 1 ? "" : "s");
  rc_plan__color(r, "\x1b[90m", tmp);
  rc_buf_putc(r->out, '\n');
}

void rc_plan__quote(struct rc_buf *out, const char *s, size_t n)
{
  rc_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': rc_buf_puts(out, "\\\""); break;
    case '\\': rc_buf_puts(out, "\\\\"); break;
    case '\n': rc_buf_puts(out, "\\n"); break;
    case '\r': rc_buf_puts(out, "\\r"); break;
    case '\t': rc_buf_puts(out, "\\t"); break;
    default:
      if (c < 0x20 || c == 0x7f)
        rc_buf_printf(out, "\\x%02x", c);
      else
        rc_buf_putc(out, (char)c);
    }
  }
  rc_buf_putc(out, '"');
}

static bool is_ident(const char *k)
{
  if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_')) return false;
  for (k++; *k; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
          *k == '_' || *k == '-'))
      return false;
  return true;
}

/* The key as shown: identifiers bare, anything else quoted; map keys always quoted. */
static char *key_text(const char *k, bool map)
{
  if (!map && is_ident(k)) return rc_strdup(k);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_plan__quote(&b, k, strlen(k));
  return rc_buf_detach(&b);
}

static bool sens(const struct rc_value *v) { return v && rc_value_is_sensitive(v); }

static bool is_prim(const struct rc_value *v)
{
  enum rc_kind k = rc_value_kind(v);
  return k == RC_NULL || k == RC_BOOL || k == RC_NUMBER || k == RC_STRING;
}

static int kind_class(const struct rc_value *v)
{
  if (rc_value_kind(v) == RC_UNKNOWN) return 3;
  if (is_prim(v)) return 0;
  return rc_value_is_seq(v) ? 1 : 2;
}

/* Absent (NULL) or null outside JSON: both mean "not set". */
static const struct rc_value *norm(const struct rc_value *v, bool json)
{
  if (v && !json && rc_value_kind(v) == RC_NULL) return NULL;
  return v;
}

static int pair_act(const struct rc_value *b, const struct rc_value *a)
{
  if (!b && !a) return NOOP;
  if (!b) return CREATE;
  if (!a) return DELETE;
  if (sens(b) != sens(a)) return UPDATE;
  return rc_value_equal(b, a) ? NOOP : UPDATE;
}

static void value(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a, int indent,
                  bool replace, struct ropts o);

static void prim(struct rc_rd *r, const struct rc_value *v)
{
  char tmp[64];
  switch (rc_value_kind(v)) {
  case RC_NULL: rc_plan__color(r, "\x1b[90m", "null"); break;
  case RC_BOOL: rc_buf_puts(r->out, rc_value_bool_get(v) ? "true" : "false"); break;
  case RC_NUMBER:
    rc_value_format_number(v, tmp, sizeof tmp);
    rc_buf_puts(r->out, tmp);
    break;
  case RC_STRING: rc_plan__quote(r->out, rc_value_str(v), rc_value_strlen(v)); break;
  default: rc_buf_puts(r->out, "(known after apply)"); break;
  }
}

/* --- JSON strings ------------------------------------------------------ */

static struct rc_value *as_json(const struct rc_value *v)
{
  if (!v || rc_value_kind(v) != RC_STRING || sens(v)) return NULL;
  const char *s = rc_value_str(v);
  size_t n = rc_value_strlen(v);
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  if (i == n || (s[i] != '[' && s[i] != '{')) return NULL;
  if (memchr(s, '\0', n)) return NULL;
  return rc_value_parse_json(s, n, NULL);
}

static void json_str(struct rc_rd *r, const struct rc_value *bj, const struct rc_value *aj,
                        int act, int indent, bool replace, struct ropts o)
{
  int jact = pair_act(bj, aj);
  struct ropts jo = {.no_null = true, .show_all = o.show_all, .json = true};
  const char *ws = "";
  bool rep = replace || o.force;
  int shown = act;
  if (jact == NOOP && act == UPDATE) {
    ws = rep ? " # whitespace changes force replacement" : " # whitespace changes";
    jo.show_all = true;
    shown = NOOP;
    rep = false;
  }
  if (act == CREATE || act == DELETE) shown = NOOP;
  struct rc_buf sub, *saved = r->out;
  rc_buf_init(&sub, 0);
  r->out = &sub;
  value(r, bj, aj, indent + 1, false, jo);
  r->out = saved;
  struct ropts no = {0};
  if (strchr(sub.ptr, '\n')) {
    rc_buf_printf(r->out, "jsonencode(%s\n", ws);
    ind(r, indent + 1);
    sym(r, shown);
    rc_buf_append(r->out, sub.ptr, sub.len);
    forces(r, rep, &no);
    rc_buf_putc(r->out, '\n');
    ind(r, indent);
    sym(r, NOOP);
    rc_buf_putc(r->out, ')');
    null_suffix(r, act, &o);
  } else {
    rc_buf_puts(r->out, "jsonencode(");
    rc_buf_append(r->out, sub.ptr, sub.len);
    rc_buf_printf(r->out, ")%s", ws);
    forces(r, rep, &no);
  }
  rc_buf_free(&sub);
}

/* --- slices (Terraform's ProcessSlice over a longest common subsequence) --- */

typedef bool (*eq_fn)(const void *x, const void *y);
typedef void (*emit_fn)(void *ud, long bi, long ai);

static void process_slice(const void *const *b, size_t nb, const void *const *a, size_t na,
                          eq_fn eq, bool (*is_obj)(const void *), emit_fn emit, void *ud)
{
  /* lcs[i][j]: LCS length of b[i..] and a[j..] */
  size_t cells = (nb + 1) * (na + 1);
  if (cells > LCS_MAX_CELLS) { /* too big to align: pair by position */
    size_t n = nb > na ? nb : na;
    for (size_t i = 0; i < n; i++)
      emit(ud, i < nb ? (long)i : -1, i < na ? (long)i : -1);
    return;
  }
  unsigned *t = rc_calloc(cells, sizeof *t);
#define T(i, j) t[(i) * (na + 1) + (j)]
  for (size_t i = nb; i-- > 0;)
    for (size_t j = na; j-- > 0;)
      T(i, j) = eq(b[i], a[j]) ? T(i + 1, j + 1) + 1
                               : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
  size_t i = 0, j = 0;
  while (i < nb || j < na) {
    /* the next common pair (i2, j2) along the LCS, or the ends */
    size_t i2 = i, j2 = j;
    while (i2 < nb && j2 < na && !(eq(b[i2], a[j2]) && T(i2, j2) == T(i2 + 1, j2 + 1) + 1)) {
      if (T(i2 + 1, j2) >= T(i2, j2 + 1))
        i2++;
      else
        j2++;
    }
    if (i2 >= nb || j2 >= na) i2 = nb, j2 = na;
    while (i < i2) {
      if (is_obj && is_obj(b[i]) && j < j2 && is_obj(a[j])) {
        emit(ud, (long)i++, (long)j++);
        continue;
      }
      emit(ud, (long)i++, -1);
    }
    while (j < j2) emit(ud, -1, (long)j++);
    if (i < nb && j < na) emit(ud, (long)i++, (long)j++);
  }
#undef T
  rc_free(t);
}

/* --- strings ----------------------------------------------------------- */

struct line {
  const char *s;
  size_t n;
};

static size_t split_lines(const char *s, size_t n, struct line **out)
{
  size_t cnt = 1;
  for (size_t i = 0; i < n; i++) cnt += s[i] == '\n';
  struct line *l = rc_calloc(cnt, sizeof *l);
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '\n') {
      l[k].s = s + start, l[k].n = i - start, k++;
      start = i + 1;
    }
  }
  if (k > 1 && l[k - 1].n == 0) k--; /* a trailing newline ends the last line */
  *out = l;
  return k;
}

static bool line_eq(const void *x, const void *y)
{
  const struct line *p = x, *q = y;
  return p->n == q->n && memcmp(p->s, q->s, p->n) == 0;
}

struct line_emit {
  struct rc_rd *r;
  int indent;
  const struct line *bl, *al;
};

static void put_line(struct rc_rd *r, const struct line *l)
{
  rc_buf_append(r->out, l->s, l->n);
}

static void emit_line(void *ud, long bi, long ai)
{
  struct line_emit *e = ud;
  if (bi >= 0 && ai >= 0) {
    ind(e->r, e->indent + 1), sym(e->r, NOOP), put_line(e->r, &e->bl[bi]);
  } else if (bi >= 0) {
    ind(e->r, e->indent + 1), sym(e->r, DELETE), put_line(e->r, &e->bl[bi]);
  } else {
    ind(e->r, e->indent + 1), sym(e->r, CREATE), put_line(e->r, &e->al[ai]);
  }
  rc_buf_putc(e->r->out, '\n');
}

static bool multiline(const struct rc_value *v)
{
  return v && rc_value_kind(v) == RC_STRING && memchr(rc_value_str(v), '\n', rc_value_strlen(v));
}

static void heredoc(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a, int act,
                    int indent, bool replace, struct ropts o)
{
  rc_buf_puts(r->out, "<<-EOT");
  forces(r, replace, &o);
  rc_buf_putc(r->out, '\n');
  struct line *bl = NULL, *al = NULL;
  if (act == UPDATE) {
    size_t nb = split_lines(rc_value_str(b), rc_value_strlen(b), &bl);
    size_t na = split_lines(rc_value_str(a), rc_value_strlen(a), &al);
    const void **bp = rc_calloc(nb + 1, sizeof *bp), **ap = rc_calloc(na + 1, sizeof *ap);
    for (size_t i = 0; i < nb; i++) bp[i] = &bl[i];
    for (size_t i = 0; i < na; i++) ap[i] = &al[i];
    struct line_emit e = {r, indent, bl, al};
    process_slice(bp, nb, ap, na, line_eq, NULL, emit_line, &e);
    rc_free(bp), rc_free(ap);
  } else {
    const struct rc_value *v = b ? b : a;
    size_t n = split_lines(rc_value_str(v), rc_value_strlen(v), &bl);
    for (size_t i = 0; i < n; i++) {
      ind(r, indent + 1), sym(r, NOOP), put_line(r, &bl[i]);
      rc_buf_putc(r->out, '\n');
    }
  }
  rc_free(bl), rc_free(al);
  ind(r, indent);
  sym(r, NOOP);
  rc_buf_puts(r->out, "EOT");
  null_suffix(r, act, &o);
}

static void string(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a, int act,
                   int indent, bool replace, struct ropts o)
{
  struct rc_value *bj = act == CREATE ? NULL : as_json(b);
  struct rc_value *aj = act == DELETE ? NULL : as_json(a);
  if (act == NOOP) {
    if (aj || bj) {
      struct rc_value *j = aj ? aj : bj;
      json_str(r, j, j, act, indent, replace, o);
    } else if (multiline(a ? a : b)) {
      heredoc(r, a ? a : b, NULL, NOOP, indent, replace, o);
    } else {
      prim(r, a ? a : b);
      forces(r, replace, &o);
    }
  } else if (act == CREATE || act == DELETE) {
    const struct rc_value *v = act == CREATE ? a : b;
    struct rc_value *j = act == CREATE ? aj : bj;
    if (j)
      json_str(r, act == DELETE ? j : NULL, act == CREATE ? j : NULL, act, indent, replace, o);
    else if (multiline(v))
      heredoc(r, act == DELETE ? v : NULL, act == CREATE ? v : NULL, act, indent, replace, o);
    else {
      prim(r, v);
      null_suffix(r, act, &o);
      forces(r, replace, &o);
    }
  } else if (bj && aj) {
    json_str(r, bj, aj, act, indent, replace, o);
  } else if (bj || aj || rc_value_kind(a) != RC_STRING || rc_value_kind(b) != RC_STRING) {
    struct ropts so = o;
    so.no_null = true;
    value(r, b, NULL, indent, false, so);
    arrow(r);
    value(r, NULL, a, indent, false, so);
    forces(r, replace, &o);
  } else if (multiline(b) || multiline(a)) {
    heredoc(r, b, a, UPDATE, indent, replace, o);
  } else {
    prim(r, b);
    arrow(r);
    prim(r, a);
    forces(r, replace, &o);
  }
  rc_value_decref(bj);
  rc_value_decref(aj);
}

/* --- objects and maps ---------------------------------------------------- */

static bool important(const char *k)
{
  return !strcmp(k, "id") || !strcmp(k, "name") || !strcmp(k, "tags");
}

/* Merged sorted keys of two objects (either may be NULL or a non-object). */
static size_t union_keys(const struct rc_value *b, const struct rc_value *a, const char ***out)
{
  size_t nb = b && rc_value_is_obj(b) ? rc_value_len(b) : 0;
  size_t na = a && rc_value_is_obj(a) ? rc_value_len(a) : 0;
  const char **k = rc_calloc(nb + na + 1, sizeof *k);
  size_t i = 0, j = 0, n = 0;
  while (i < nb || j < na) {
    const char *x = i < nb ? rc_value_key(b, i) : NULL, *y = j < na ? rc_value_key(a, j) : NULL;
    int c = !x ? 1 : !y ? -1 : strcmp(x, y);
    if (c <= 0) k[n++] = x, i++;
    if (c >= 0 && y) {
      if (c > 0) k[n++] = y;
      j++;
    }
  }
  *out = k;
  return n;
}

static void object(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a, int act,
                   int indent, bool replace, struct ropts o)
{
  const struct rc_value *shape = a ? a : b;
  bool map = rc_value_kind(shape) == RC_MAP;
  const char **keys;
  size_t n = union_keys(b, a, &keys);
  size_t width = 0, live = 0;
  char **texts = rc_calloc(n + 1, sizeof *texts);
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *cb = norm(rc_value_get(b, keys[i]), o.json);
    const struct rc_value *ca = norm(rc_value_get(a, keys[i]), o.json);
    if (!cb && !ca) continue;
    texts[i] = key_text(keys[i], map);
    size_t w = strlen(texts[i]);
    if (w > width) width = w;
    live++;
  }
  if (!live) {
    rc_buf_puts(r->out, "{}");
    null_suffix(r, act, &o);
    forces(r, replace, &o);
    goto out;
  }
  rc_buf_putc(r->out, '{');
  forces(r, replace, &o);
  rc_buf_putc(r->out, '\n');
  size_t hidden = 0;
  struct ropts co = {.no_null = true, .show_all = o.show_all, .json = o.json};
  for (size_t i = 0; i < n; i++) {
    if (!texts[i]) continue;
    const struct rc_value *cb = norm(rc_value_get(b, keys[i]), o.json);
    const struct rc_value *ca = norm(rc_value_get(a, keys[i]), o.json);
    int cact = pair_act(cb, ca);
    struct ropts ko = co;
    if (!map && important(keys[i]))
      ko.show_all = true;
    else if (cact == NOOP && !o.show_all) {
      hidden++;
      continue;
    }
    ind(r, indent + 1);
    sym(r, cact);
    rc_buf_printf(r->out, "%-*s = ", (int)width, texts[i]);
    value(r, cb, ca, indent + 1, false, ko);
    rc_buf_putc(r->out, '\n');
  }
  if (hidden) unchanged(r, indent + 1, map ? "element" : "attribute", hidden);
  ind(r, indent);
  sym(r, NOOP);
  rc_buf_putc(r->out, '}');
  null_suffix(r, act, &o);
out:
  for (size_t i = 0; i < n; i++) rc_free(texts[i]);
  rc_free(texts);
  rc_free(keys);
}

/* --- lists, tuples and sets --------------------------------------------- */

static bool val_eq(const void *x, const void *y)
{
  return sens(x) == sens(y) && rc_value_equal(x, y);
}

static bool val_is_obj(const void *x) { return rc_value_is_obj(x) && !sens(x); }

struct elem {
  long bi, ai;
};

struct elems {
  struct elem *e;
  size_t n, cap;
};

static void emit_elem(void *ud, long bi, long ai)
{
  struct elems *es = ud;
  if (es->n == es->cap) {
    es->cap = es->cap ? es->cap * 2 : 16;
    es->e = rc_realloc(es->e, es->cap * sizeof *es->e);
  }
  es->e[es->n++] = (struct elem){bi, ai};
}

static size_t seq_items(const struct rc_value *v, const void ***out)
{
  size_t n = v && rc_value_is_seq(v) ? rc_value_len(v) : 0;
  const void **p = rc_calloc(n + 1, sizeof *p);
  for (size_t i = 0; i < n; i++) p[i] = rc_value_index(v, i);
  *out = p;
  return n;
}

/* Pairs the elements of two sets: equal elements match, the rest are
 * removed (before) then added (after). */
static void pair_set(const void **bp, size_t nb, const void **ap, size_t na, struct elems *es)
{
  bool *used = rc_calloc(na + 1, sizeof *used);
  for (size_t i = 0; i < nb; i++) {
    long m = -1;
    for (size_t j = 0; j < na && m < 0; j++)
      if (!used[j] && val_eq(bp[i], ap[j])) m = (long)j;
    if (m >= 0) used[m] = true;
    emit_elem(es, (long)i, m);
  }
  for (size_t j = 0; j < na; j++)
    if (!used[j]) emit_elem(es, -1, (long)j);
  rc_free(used);
}

static void pair_elems(const struct rc_value *b, const struct rc_value *a, bool set, bool by_index,
                       struct elems *es)
{
  const void **bp, **ap;
  size_t nb = seq_items(b, &bp), na = seq_items(a, &ap);
  if (set)
    pair_set(bp, nb, ap, na, es);
  else if (by_index)
    for (size_t i = 0; i < (nb > na ? nb : na); i++)
      emit_elem(es, i < nb ? (long)i : -1, i < na ? (long)i : -1);
  else
    process_slice(bp, nb, ap, na, val_eq, val_is_obj, emit_elem, es);
  rc_free(bp), rc_free(ap);
}

static void list(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a, int act,
                 int indent, bool replace, struct ropts o)
{
  const struct rc_value *shape = a ? a : b;
  bool set = rc_value_kind(shape) == RC_SET;
  struct elems es = {0};
  pair_elems(b, a, set, false, &es);
  if (!es.n) {
    rc_buf_puts(r->out, "[]");
    null_suffix(r, act, &o);
    forces(r, replace, &o);
    rc_free(es.e);
    return;
  }
  rc_buf_putc(r->out, '[');
  forces(r, replace, &o);
  rc_buf_putc(r->out, '\n');
  struct ropts eo = {.no_null = true, .show_all = o.show_all, .json = o.json};
  struct ropts uo = eo;
  uo.show_all = true;
  bool context = !set; /* lists show the element around a change */
  bool render_next = false;
  size_t pending = 0;     /* unchanged elements not yet shown */
  long last_unchanged = -1;
  for (size_t k = 0; k < es.n; k++) {
    const struct rc_value *eb = es.e[k].bi >= 0 ? rc_value_index(b, (size_t)es.e[k].bi) : NULL;
    const struct rc_value *ea = es.e[k].ai >= 0 ? rc_value_index(a, (size_t)es.e[k].ai) : NULL;
    int eact = pair_act(eb, ea);
    if (eact == NOOP && !render_next && !o.show_all) {
      pending++;
      last_unchanged = (long)k;
      continue;
    }
    render_next = false;
    struct ropts use = eo;
    if (context) {
      if (pending > 1) unchanged(r, indent + 1, "element", pending - 1);
      if (pending > 0) {
        const struct elem *le = &es.e[last_unchanged];
        const struct rc_value *lb = le->bi >= 0 ? rc_value_index(b, (size_t)le->bi) : NULL;
        ind(r, indent + 1);
        sym(r, NOOP);
        value(r, lb, lb, indent + 1, false, uo);
        rc_buf_puts(r->out, ",\n");
      }
      pending = 0;
      if (eact == NOOP)
        use = uo;
      else
        render_next = true;
    }
    ind(r, indent + 1);
    sym(r, eact);
    value(r, eb, ea, indent + 1, false, use);
    rc_buf_puts(r->out, ",\n");
  }
  if (pending) unchanged(r, indent + 1, "element", pending);
  ind(r, indent);
  sym(r, NOOP);
  rc_buf_putc(r->out, ']');
  null_suffix(r, act, &o);
  rc_free(es.e);
}

/* --- any value ----------------------------------------------------------- */

static void value(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a, int indent,
                  bool replace, struct ropts o)
{
  int act = pair_act(b, a);
  if (sens(b) || sens(a)) {
    rc_buf_puts(r->out, "(sensitive value)");
    null_suffix(r, act, &o);
    forces(r, replace, &o);
    return;
  }
  if (a && !rc_value_is_known(a)) {
    if (b && rc_value_is_known(b)) {
      struct ropts bo = o;
      bo.no_null = true;
      value(r, b, NULL, indent, false, bo);
      arrow(r);
    }
    rc_buf_puts(r->out, "(known after apply)");
    forces(r, replace, &o);
    return;
  }
  if (b && a && kind_class(b) != kind_class(a)) {
    struct ropts so = o;
    so.no_null = true;
    value(r, b, NULL, indent, false, so);
    arrow(r);
    value(r, NULL, a, indent, false, so);
    forces(r, replace, &o);
    return;
  }
  const struct rc_value *shape = a ? a : b;
  if (!shape) { /* both absent: only reached inside JSON or by a caller's choice */
    prim(r, rc_value_null());
    return;
  }
  if (rc_value_kind(shape) == RC_STRING || (b && rc_value_kind(b) == RC_STRING)) {
    string(r, b, a, act, indent, replace, o);
  } else if (is_prim(shape) || kind_class(shape) == 3) {
    switch (act) {
    case CREATE: prim(r, a); break;
    case DELETE:
      prim(r, b);
      null_suffix(r, act, &o);
      break;
    case NOOP: prim(r, b); break;
    default:
      prim(r, b);
      arrow(r);
      prim(r, a);
    }
    forces(r, replace, &o);
  } else if (rc_value_is_obj(shape)) {
    object(r, b, a, act, indent, replace, o);
  } else {
    list(r, b, a, act, indent, replace, o);
  }
}

/* --- blocks (a resource's attributes, nested blocks) ---------------------- */

static bool has_path(const struct rc_rd *r, const char *path)
{
  for (size_t i = 0; i < r->nreplace; i++)
    if (!strcmp(r->replace[i], path)) return true;
  return false;
}

/* A list or set whose every element (before and after) is an object. */
static bool is_block_list(const struct rc_value *b, const struct rc_value *a)
{
  size_t total = 0;
  const struct rc_value *vs[2] = {b, a};
  for (int s = 0; s < 2; s++) {
    const struct rc_value *v = vs[s];
    if (!v) continue;
    if (!rc_value_is_seq(v) || sens(v)) return false;
    for (size_t i = 0; i < rc_value_len(v); i++) {
      const struct rc_value *e = rc_value_index(v, i);
      if (!rc_value_is_obj(e) || sens(e)) return false;
    }
    total += rc_value_len(v);
  }
  return total > 0;
}

void rc_plan__render_block(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a,
                           int indent, const char *path, bool show_all, bool force)
{
  const char **keys;
  size_t n = union_keys(b, a, &keys);
  size_t width = 0, nattrs = 0, nblocks = 0;
  bool *block = rc_calloc(n + 1, sizeof *block), *live = rc_calloc(n + 1, sizeof *live);
  char **texts = rc_calloc(n + 1, sizeof *texts);
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *cb = norm(rc_value_get(b, keys[i]), false);
    const struct rc_value *ca = norm(rc_value_get(a, keys[i]), false);
    if (!cb && !ca) continue;
    live[i] = true;
    block[i] = is_block_list(cb, ca);
    texts[i] = key_text(keys[i], false);
    if (block[i]) {
      nblocks++;
      continue;
    }
    nattrs++;
    size_t w = strlen(texts[i]);
    if (w > width) width = w;
  }
  struct ropts fo = {.force = force};
  if (nattrs == 0 && nblocks == 0) {
    rc_buf_puts(r->out, "{}");
    forces(r, false, &fo);
    goto out;
  }
  rc_buf_putc(r->out, '{');
  forces(r, false, &fo);
  rc_buf_putc(r->out, '\n');
  size_t hidden = 0, hidden_blocks = 0;
  char cpath[1024];
  for (size_t i = 0; i < n; i++) {
    if (!live[i] || block[i]) continue;
    const struct rc_value *cb = norm(rc_value_get(b, keys[i]), false);
    const struct rc_value *ca = norm(rc_value_get(a, keys[i]), false);
    int cact = pair_act(cb, ca);
    struct ropts co = {.show_all = show_all};
    if (important(keys[i]))
      co.show_all = true;
    else if (cact == NOOP && !show_all) {
      hidden++;
      continue;
    }
    snprintf(cpath, sizeof cpath, "%s%s%s", path, *path ? "." : "", keys[i]);
    ind(r, indent + 1);
    sym(r, cact);
    rc_buf_printf(r->out, "%-*s = ", (int)width, texts[i]);
    value(r, cb, ca, indent + 1, has_path(r, cpath), co);
    rc_buf_putc(r->out, '\n');
  }
  if (hidden) unchanged(r, indent + 1, "attribute", hidden);
  for (size_t i = 0; i < n; i++) {
    if (!live[i] || !block[i]) continue;
    const struct rc_value *cb = norm(rc_value_get(b, keys[i]), false);
    const struct rc_value *ca = norm(rc_value_get(a, keys[i]), false);
    const struct rc_value *shape = ca ? ca : cb;
    snprintf(cpath, sizeof cpath, "%s%s%s", path, *path ? "." : "", keys[i]);
    bool whole = has_path(r, cpath);
    struct elems es = {0};
    pair_elems(cb, ca, rc_value_kind(shape) == RC_SET, true, &es);
    bool first = true;
    for (size_t k = 0; k < es.n; k++) {
      const struct rc_value *eb = es.e[k].bi >= 0 ? rc_value_index(cb, (size_t)es.e[k].bi) : NULL;
      const struct rc_value *ea = es.e[k].ai >= 0 ? rc_value_index(ca, (size_t)es.e[k].ai) : NULL;
      int eact = pair_act(eb, ea);
      if (eact == NOOP && !show_all) {
        hidden_blocks++;
        continue;
      }
      if (first && nattrs) rc_buf_putc(r->out, '\n');
      first = false;
      char epath[1100];
      snprintf(epath, sizeof epath, "%s.%ld", cpath, es.e[k].ai >= 0 ? es.e[k].ai : es.e[k].bi);
      ind(r, indent + 1);
      sym(r, eact);
      rc_buf_printf(r->out, "%s ", texts[i]);
      rc_plan__render_block(r, eb, ea, indent + 1, epath, show_all,
                            whole || has_path(r, epath));
      rc_buf_putc(r->out, '\n');
    }
    rc_free(es.e);
  }
  if (hidden_blocks) {
    rc_buf_putc(r->out, '\n');
    unchanged(r, indent + 1, "block", hidden_blocks);
  }
  ind(r, indent);
  sym(r, NOOP);
  rc_buf_putc(r->out, '}');
out:
  for (size_t i = 0; i < n; i++) rc_free(texts[i]);
  rc_free(texts);
  rc_free(block);
  rc_free(live);
  rc_free(keys);
}

void rc_plan__render_value(struct rc_rd *r, const struct rc_value *b, const struct rc_value *a,
                           int indent)
{
  struct ropts o = {0};
  value(r, norm(b, false), norm(a, false), indent, false, o);
}
