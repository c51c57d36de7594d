/* convert.c — type descriptors, unification and the value conversions of
 * convert.h, after cty's convert package (unify.go, conversion_*.go). */
#include "convert.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"

/* ---------- types ---------- */

struct rc_type *rc_type_new(enum rc_type_kind kind)
{
  struct rc_type *t = rc_calloc(1, sizeof *t);
  t->kind = kind;
  return t;
}

struct rc_type *rc_type_collection(enum rc_type_kind kind, struct rc_type *steal_elem)
{
  assert(kind == RC_TYPE_LIST || kind == RC_TYPE_SET || kind == RC_TYPE_MAP);
  struct rc_type *t = rc_type_new(kind);
  t->elem = steal_elem ? steal_elem : rc_type_new(RC_TYPE_ANY);
  return t;
}

void rc_type_add(struct rc_type *t, const char *name, struct rc_type *steal_type, bool optional,
                 struct rc_value *steal_dflt)
{
  assert(t->kind == RC_TYPE_OBJECT || t->kind == RC_TYPE_TUPLE);
  size_t pos = t->nattrs;
  if (t->kind == RC_TYPE_OBJECT) {
    assert(name);
    for (pos = 0; pos < t->nattrs; pos++) {
      int c = strcmp(t->attrs[pos].name, name);
      if (c == 0) {
        rc_type_free(t->attrs[pos].type);
        rc_value_decref(t->attrs[pos].dflt);
        t->attrs[pos].type = steal_type;
        t->attrs[pos].optional = optional;
        t->attrs[pos].dflt = steal_dflt;
        return;
      }
      if (c > 0) break;
    }
  }
  if (t->nattrs == t->capattrs) {
    t->capattrs = t->capattrs ? t->capattrs * 2 : 4;
    t->attrs = rc_realloc(t->attrs, t->capattrs * sizeof *t->attrs);
  }
  memmove(t->attrs + pos + 1, t->attrs + pos, (t->nattrs - pos) * sizeof *t->attrs);
  t->attrs[pos] = (struct rc_type_attr){name ? rc_strdup(name) : NULL, steal_type, optional,
                                        steal_dflt};
  t->nattrs++;
}

struct rc_type *rc_type_dup(const struct rc_type *t)
{
  if (!t) return NULL;
  struct rc_type *c = rc_type_new(t->kind);
  if (t->elem) c->elem = rc_type_dup(t->elem);
  for (size_t i = 0; i < t->nattrs; i++)
    rc_type_add(c, t->attrs[i].name, rc_type_dup(t->attrs[i].type), t->attrs[i].optional,
                t->attrs[i].dflt ? rc_value_incref(t->attrs[i].dflt) : NULL);
  return c;
}

void rc_type_free(struct rc_type *t)
{
  if (!t) return;
  rc_type_free(t->elem);
  for (size_t i = 0; i < t->nattrs; i++) {
    rc_free(t->attrs[i].name);
    rc_type_free(t->attrs[i].type);
    rc_value_decref(t->attrs[i].dflt);
  }
  rc_free(t->attrs);
  rc_free(t);
}

static void skip_ws(const char **p)
{
  while (isspace((unsigned char)**p)) (*p)++;
}

static bool eat(const char **p, const char *word)
{
  skip_ws(p);
  size_t n = strlen(word);
  if (strncmp(*p, word, n) != 0) return false;
  *p += n;
  return true;
}

static struct rc_type *parse_type(const char **p, int depth);

static struct rc_type *parse_object(const char **p, int depth)
{
  struct rc_type *t = rc_type_new(RC_TYPE_OBJECT);
  if (!eat(p, "({")) goto bad;
  skip_ws(p);
  while (**p && **p != '}') {
    const char *s = *p;
    while (isalnum((unsigned char)**p) || **p == '_' || **p == '-') (*p)++;
    if (*p == s) goto bad;
    char *name = rc_strndup(s, (size_t)(*p - s));
    bool opt = false;
    struct rc_type *at = NULL;
    if (!eat(p, "=") && !eat(p, ":")) goto badname;
    if (eat(p, "optional(")) {
      opt = true;
      at = parse_type(p, depth + 1);
      if (!at || !eat(p, ")")) goto badname;
    } else {
      at = parse_type(p, depth + 1);
      if (!at) goto badname;
    }
    rc_type_add(t, name, at, opt, NULL);
    rc_free(name);
    if (!eat(p, ",")) break;
    skip_ws(p);
    continue;
  badname:
    rc_type_free(at);
    rc_free(name);
    goto bad;
  }
  if (!eat(p, "})")) goto bad;
  return t;
bad:
  rc_type_free(t);
  return NULL;
}

static struct rc_type *parse_type(const char **p, int depth)
{
  static const struct {
    const char *word;
    enum rc_type_kind kind;
  } prim[] = {{"string", RC_TYPE_STRING}, {"number", RC_TYPE_NUMBER},
              {"bool", RC_TYPE_BOOL},     {"any", RC_TYPE_ANY}};
  static const struct {
    const char *word;
    enum rc_type_kind kind;
  } coll[] = {{"list(", RC_TYPE_LIST}, {"set(", RC_TYPE_SET}, {"map(", RC_TYPE_MAP}};
  if (depth > 64) return NULL;
  for (size_t i = 0; i < sizeof coll / sizeof *coll; i++)
    if (eat(p, coll[i].word)) {
      struct rc_type *e = parse_type(p, depth + 1);
      if (!e || !eat(p, ")")) {
        rc_type_free(e);
        return NULL;
      }
      return rc_type_collection(coll[i].kind, e);
    }
  if (eat(p, "tuple([")) {
    struct rc_type *t = rc_type_new(RC_TYPE_TUPLE);
    skip_ws(p);
    while (**p && **p != ']') {
      struct rc_type *e = parse_type(p, depth + 1);
      if (!e) break;
      rc_type_add(t, NULL, e, false, NULL);
      if (!eat(p, ",")) break;
      skip_ws(p);
    }
    if (!eat(p, "])")) {
      rc_type_free(t);
      return NULL;
    }
    return t;
  }
  skip_ws(p);
  if (strncmp(*p, "object", 6) == 0) {
    *p += 6;
    return parse_object(p, depth);
  }
  for (size_t i = 0; i < sizeof prim / sizeof *prim; i++)
    if (eat(p, prim[i].word)) return rc_type_new(prim[i].kind);
  return NULL;
}

struct rc_type *rc_type_parse(const char *text)
{
  const char *p = text;
  struct rc_type *t = parse_type(&p, 0);
  skip_ws(&p);
  if (t && *p) {
    rc_type_free(t);
    return NULL;
  }
  return t;
}

bool rc_type_equal(const struct rc_type *a, const struct rc_type *b)
{
  if (a->kind != b->kind || a->nattrs != b->nattrs) return false;
  if (a->elem && !rc_type_equal(a->elem, b->elem)) return false;
  for (size_t i = 0; i < a->nattrs; i++) {
    if (a->attrs[i].name && strcmp(a->attrs[i].name, b->attrs[i].name)) return false;
    if (!rc_type_equal(a->attrs[i].type, b->attrs[i].type)) return false;
  }
  return true;
}

/* Equality where ANY is a wildcard. */
static bool type_match(const struct rc_type *a, const struct rc_type *b)
{
  if (a->kind == RC_TYPE_ANY || b->kind == RC_TYPE_ANY) return true;
  if (a->kind != b->kind || a->nattrs != b->nattrs) return false;
  if (a->elem && !type_match(a->elem, b->elem)) return false;
  for (size_t i = 0; i < a->nattrs; i++) {
    if (a->attrs[i].name && strcmp(a->attrs[i].name, b->attrs[i].name)) return false;
    if (!type_match(a->attrs[i].type, b->attrs[i].type)) return false;
  }
  return true;
}

static const char *prim_name(enum rc_type_kind k)
{
  switch (k) {
  case RC_TYPE_BOOL: return "bool";
  case RC_TYPE_NUMBER: return "number";
  case RC_TYPE_STRING: return "string";
  default: return "any";
  }
}

void rc_type_friendly(const struct rc_type *t, struct rc_buf *out)
{
  switch (t->kind) {
  case RC_TYPE_LIST:
  case RC_TYPE_SET:
  case RC_TYPE_MAP:
    rc_buf_puts(out, t->kind == RC_TYPE_LIST ? "list of " : t->kind == RC_TYPE_SET ? "set of " : "map of ");
    if (t->elem->kind == RC_TYPE_ANY)
      rc_buf_puts(out, "any single type");
    else
      rc_type_friendly(t->elem, out);
    break;
  case RC_TYPE_TUPLE: rc_buf_puts(out, "tuple"); break;
  case RC_TYPE_OBJECT: rc_buf_puts(out, "object"); break;
  case RC_TYPE_ANY: rc_buf_puts(out, "any type"); break;
  default: rc_buf_puts(out, prim_name(t->kind));
  }
}

void rc_type_render(const struct rc_type *t, struct rc_buf *out)
{
  switch (t->kind) {
  case RC_TYPE_LIST:
  case RC_TYPE_SET:
  case RC_TYPE_MAP:
    rc_buf_puts(out, t->kind == RC_TYPE_LIST ? "list(" : t->kind == RC_TYPE_SET ? "set(" : "map(");
    rc_type_render(t->elem, out);
    rc_buf_putc(out, ')');
    break;
  case RC_TYPE_TUPLE:
  case RC_TYPE_OBJECT:
    rc_buf_puts(out, t->kind == RC_TYPE_TUPLE ? "tuple([" : "object({");
    for (size_t i = 0; i < t->nattrs; i++) {
      if (i) rc_buf_putc(out, ',');
      if (t->attrs[i].name) rc_buf_printf(out, "%s=", t->attrs[i].name);
      if (t->attrs[i].optional) rc_buf_puts(out, "optional(");
      rc_type_render(t->attrs[i].type, out);
      if (t->attrs[i].optional) rc_buf_putc(out, ')');
    }
    rc_buf_puts(out, t->kind == RC_TYPE_TUPLE ? "])" : "})");
    break;
  default: rc_buf_puts(out, prim_name(t->kind));
  }
}

/* Whether a conversion from type a to type b exists (ignoring values). */
static bool conv_exists(const struct rc_type *a, const struct rc_type *b)
{
  if (a->kind == RC_TYPE_ANY || b->kind == RC_TYPE_ANY) return true;
  switch (b->kind) {
  case RC_TYPE_STRING:
    return a->kind == RC_TYPE_STRING || a->kind == RC_TYPE_NUMBER || a->kind == RC_TYPE_BOOL;
  case RC_TYPE_NUMBER:
  case RC_TYPE_BOOL:
    return a->kind == b->kind || a->kind == RC_TYPE_STRING;
  case RC_TYPE_LIST:
  case RC_TYPE_SET:
    if (a->kind == RC_TYPE_LIST || a->kind == RC_TYPE_SET) return conv_exists(a->elem, b->elem);
    if (a->kind != RC_TYPE_TUPLE) return false;
    for (size_t i = 0; i < a->nattrs; i++)
      if (!conv_exists(a->attrs[i].type, b->elem)) return false;
    return true;
  case RC_TYPE_MAP:
    if (a->kind == RC_TYPE_MAP) return conv_exists(a->elem, b->elem);
    if (a->kind != RC_TYPE_OBJECT) return false;
    for (size_t i = 0; i < a->nattrs; i++)
      if (!conv_exists(a->attrs[i].type, b->elem)) return false;
    return true;
  case RC_TYPE_TUPLE:
    if (a->kind == RC_TYPE_LIST || a->kind == RC_TYPE_SET) return true;
    if (a->kind != RC_TYPE_TUPLE || a->nattrs != b->nattrs) return false;
    for (size_t i = 0; i < a->nattrs; i++)
      if (!conv_exists(a->attrs[i].type, b->attrs[i].type)) return false;
    return true;
  case RC_TYPE_OBJECT:
    if (a->kind == RC_TYPE_MAP) return true;
    if (a->kind != RC_TYPE_OBJECT) return false;
    for (size_t i = 0; i < b->nattrs; i++) {
      const struct rc_type_attr *ba = &b->attrs[i], *aa = NULL;
      for (size_t j = 0; j < a->nattrs; j++)
        if (!strcmp(a->attrs[j].name, ba->name)) aa = &a->attrs[j];
      if (!aa && !ba->optional) return false;
      if (aa && !conv_exists(aa->type, ba->type)) return false;
    }
    return true;
  default: return false;
  }
}

static int pref_rank(enum rc_type_kind k)
{
  switch (k) {
  case RC_TYPE_STRING: return 0;
  case RC_TYPE_NUMBER: return 1;
  case RC_TYPE_BOOL: return 2;
  case RC_TYPE_ANY: return 9;
  default: return 5;
  }
}

/* Unifies the element types of collections of one kind into kind(elem). */
static struct rc_type *unify_elems(enum rc_type_kind kind, struct rc_type *const *ts, size_t n)
{
  size_t total = 0, m = 0;
  for (size_t i = 0; i < n; i++)
    total += ts[i]->kind == RC_TYPE_OBJECT || ts[i]->kind == RC_TYPE_TUPLE ? ts[i]->nattrs : 1;
  struct rc_type **elems = rc_malloc((total ? total : 1) * sizeof *elems);
  for (size_t i = 0; i < n; i++) {
    if (ts[i]->kind == RC_TYPE_ANY) continue;
    if (ts[i]->kind == RC_TYPE_OBJECT || ts[i]->kind == RC_TYPE_TUPLE)
      for (size_t j = 0; j < ts[i]->nattrs; j++) elems[m++] = ts[i]->attrs[j].type;
    else
      elems[m++] = ts[i]->elem;
  }
  struct rc_type *e = rc_type_unify(elems, m);
  rc_free(elems);
  return e ? rc_type_collection(kind, e) : NULL;
}

struct rc_type *rc_type_unify(struct rc_type *const *ts, size_t n)
{
  if (n == 0) return rc_type_new(RC_TYPE_ANY);
  size_t cnt[RC_TYPE_OBJECT + 1] = {0};
  for (size_t i = 0; i < n; i++) cnt[ts[i]->kind]++;
  size_t dyn = cnt[RC_TYPE_ANY];
  if (dyn == n) return rc_type_new(RC_TYPE_ANY);
  if (cnt[RC_TYPE_MAP] && cnt[RC_TYPE_MAP] + dyn == n) return unify_elems(RC_TYPE_MAP, ts, n);
  if (cnt[RC_TYPE_MAP] && cnt[RC_TYPE_MAP] + cnt[RC_TYPE_OBJECT] + dyn == n)
    return unify_elems(RC_TYPE_MAP, ts, n);
  if (cnt[RC_TYPE_LIST] && cnt[RC_TYPE_LIST] + dyn == n) return unify_elems(RC_TYPE_LIST, ts, n);
  if (cnt[RC_TYPE_SET] && cnt[RC_TYPE_SET] + dyn == n) return unify_elems(RC_TYPE_SET, ts, n);
  if (cnt[RC_TYPE_OBJECT] && cnt[RC_TYPE_OBJECT] + dyn == n) {
    const struct rc_type *first = NULL;
    bool same = true;
    for (size_t i = 0; i < n && same; i++) {
      if (ts[i]->kind == RC_TYPE_ANY) continue;
      if (!first) {
        first = ts[i];
        continue;
      }
      if (ts[i]->nattrs != first->nattrs) same = false;
      for (size_t j = 0; same && j < first->nattrs; j++)
        if (strcmp(ts[i]->attrs[j].name, first->attrs[j].name)) same = false;
    }
    if (!same) return unify_elems(RC_TYPE_MAP, ts, n);
    struct rc_type *o = rc_type_new(RC_TYPE_OBJECT);
    struct rc_type **col = rc_malloc(n * sizeof *col);
    for (size_t j = 0; j < first->nattrs; j++) {
      size_t m = 0;
      for (size_t i = 0; i < n; i++)
        if (ts[i]->kind != RC_TYPE_ANY) col[m++] = ts[i]->attrs[j].type;
      struct rc_type *u = rc_type_unify(col, m);
      if (!u) {
        rc_free(col);
        rc_type_free(o);
        return NULL;
      }
      rc_type_add(o, first->attrs[j].name, u, false, NULL);
    }
    rc_free(col);
    return o;
  }
  if (cnt[RC_TYPE_TUPLE] && cnt[RC_TYPE_TUPLE] + dyn == n) {
    const struct rc_type *first = NULL;
    for (size_t i = 0; i < n; i++) {
      if (ts[i]->kind == RC_TYPE_ANY) continue;
      if (!first) first = ts[i];
      else if (ts[i]->nattrs != first->nattrs) return NULL;
    }
    struct rc_type *o = rc_type_new(RC_TYPE_TUPLE);
    struct rc_type **col = rc_malloc(n * sizeof *col);
    for (size_t j = 0; j < first->nattrs; j++) {
      size_t m = 0;
      for (size_t i = 0; i < n; i++)
        if (ts[i]->kind != RC_TYPE_ANY) col[m++] = ts[i]->attrs[j].type;
      struct rc_type *u = rc_type_unify(col, m);
      if (!u) {
        rc_free(col);
        rc_type_free(o);
        return NULL;
      }
      rc_type_add(o, NULL, u, false, NULL);
    }
    rc_free(col);
    return o;
  }
  if (cnt[RC_TYPE_OBJECT] && cnt[RC_TYPE_TUPLE]) return NULL;
  /* Preference order: the most general candidate that all others convert to. */
  for (int rank = 0; rank <= 9; rank++)
    for (size_t w = 0; w < n; w++) {
      if (pref_rank(ts[w]->kind) != rank) continue;
      bool ok = true;
      for (size_t i = 0; i < n && ok; i++)
        if (i != w && !rc_type_equal(ts[i], ts[w]) && !conv_exists(ts[i], ts[w])) ok = false;
      if (ok) return rc_type_dup(ts[w]);
    }
  return NULL;
}

struct rc_type *rc_type_of(const struct rc_value *v)
{
  switch (rc_value_kind(v)) {
  case RC_BOOL: return rc_type_new(RC_TYPE_BOOL);
  case RC_NUMBER: return rc_type_new(RC_TYPE_NUMBER);
  case RC_STRING: return rc_type_new(RC_TYPE_STRING);
  case RC_LIST:
  case RC_SET:
  case RC_MAP: {
    size_t n = rc_value_len(v);
    struct rc_type **ts = rc_malloc((n ? n : 1) * sizeof *ts);
    for (size_t i = 0; i < n; i++) ts[i] = rc_type_of(rc_value_index(v, i));
    struct rc_type *e = rc_type_unify(ts, n);
    for (size_t i = 0; i < n; i++) rc_type_free(ts[i]);
    rc_free(ts);
    enum rc_kind k = rc_value_kind(v);
    return rc_type_collection(k == RC_LIST ? RC_TYPE_LIST : k == RC_SET ? RC_TYPE_SET : RC_TYPE_MAP,
                              e);
  }
  case RC_TUPLE:
  case RC_OBJECT: {
    bool obj = rc_value_kind(v) == RC_OBJECT;
    struct rc_type *t = rc_type_new(obj ? RC_TYPE_OBJECT : RC_TYPE_TUPLE);
    for (size_t i = 0; i < rc_value_len(v); i++)
      rc_type_add(t, obj ? rc_value_key(v, i) : NULL, rc_type_of(rc_value_index(v, i)), false,
                  NULL);
    return t;
  }
  default: return rc_type_new(RC_TYPE_ANY);
  }
}

bool rc_convert_same_type(const struct rc_value *a, const struct rc_value *b)
{
  struct rc_type *ta = rc_type_of(a), *tb = rc_type_of(b);
  bool r = type_match(ta, tb);
  rc_type_free(ta);
  rc_type_free(tb);
  return r;
}

/* ---------- numbers as text ---------- */

void rc_convert_number_text(const struct rc_value *num, struct rc_buf *out)
{
  if (rc_value_is_int(num)) {
    rc_buf_printf(out, "%lld", (long long)rc_value_int_get(num));
    return;
  }
  double d = rc_value_number_get(num);
  if (isnan(d)) {
    rc_buf_puts(out, "NaN");
    return;
  }
  if (isinf(d)) {
    rc_buf_puts(out, d > 0 ? "+Inf" : "-Inf");
    return;
  }
  char e[64];
  for (int prec = 0; prec <= 17; prec++) {
    snprintf(e, sizeof e, "%.*e", prec, d);
    if (strtod(e, NULL) == d) break;
  }
  char digits[32];
  size_t nd = 0;
  const char *p = e;
  if (*p == '-') {
    rc_buf_putc(out, '-');
    p++;
  }
  for (; *p && *p != 'e'; p++)
    if (isdigit((unsigned char)*p) && nd < sizeof digits - 1) digits[nd++] = *p;
  long exp = *p == 'e' ? strtol(p + 1, NULL, 10) : 0;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  if (exp >= 0) {
    for (long i = 0; i <= exp; i++) rc_buf_putc(out, (size_t)i < nd ? digits[i] : '0');
    if ((size_t)exp + 1 < nd) {
      rc_buf_putc(out, '.');
      rc_buf_append(out, digits + exp + 1, nd - (size_t)exp - 1);
    }
  } else {
    rc_buf_puts(out, "0.");
    for (long i = 0; i < -exp - 1; i++) rc_buf_putc(out, '0');
    rc_buf_append(out, digits, nd);
  }
}

/* ---------- conversions ---------- */

struct conv {
  struct rc_buf path; /* "element 1: attribute \"a\": " */
  char **err;
};

static struct rc_value *fail(struct conv *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static struct rc_value *fail(struct conv *c, const char *fmt, ...)
{
  if (c->err && !*c->err) {
    struct rc_buf b;
    rc_buf_init(&b, 0);
    rc_buf_append(&b, c->path.ptr, c->path.len);
    va_list ap;
    va_start(ap, fmt);
    rc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    *c->err = rc_buf_detach(&b);
  }
  return NULL;
}

static struct rc_value *mismatch(struct conv *c, const struct rc_type *t)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_type_friendly(t, &b);
  fail(c, "%s required", b.ptr);
  rc_buf_free(&b);
  return NULL;
}

static bool parse_number(const char *s, struct rc_value **out)
{
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  bool digit = false, integral = true;
  for (const char *q = p; *q; q++) {
    if (isdigit((unsigned char)*q))
      digit = true;
    else if (*q == '.' || *q == 'e' || *q == 'E')
      integral = false;
    else if ((*q == '+' || *q == '-') && (q[-1] == 'e' || q[-1] == 'E'))
      ;
    else
      return false;
  }
  if (!digit || !isdigit((unsigned char)*p) ) {
    if (!(*p == '.' && isdigit((unsigned char)p[1]))) return false;
  }
  char *end;
  errno = 0;
  if (integral) {
    long long i = strtoll(s, &end, 10);
    if (!*end && errno == 0) {
      *out = rc_value_int(i);
      return true;
    }
  }
  errno = 0;
  double d = strtod(s, &end);
  if (*end || !isfinite(d)) return false;
  *out = rc_value_number(d);
  return true;
}

static struct rc_value *conv_value(struct conv *c, const struct rc_value *v,
                                   const struct rc_type *t);

static struct rc_value *conv_prim(struct conv *c, const struct rc_value *v,
                                  const struct rc_type *t)
{
  enum rc_kind k = rc_value_kind(v);
  switch (t->kind) {
  case RC_TYPE_STRING:
    if (k == RC_STRING) return rc_value_incref(v);
    if (k == RC_BOOL) return rc_value_string(rc_value_bool_get(v) ? "true" : "false");
    if (k == RC_NUMBER) {
      struct rc_buf b;
      rc_buf_init(&b, 0);
      rc_convert_number_text(v, &b);
      return rc_value_string_steal(rc_buf_detach(&b));
    }
    break;
  case RC_TYPE_NUMBER:
    if (k == RC_NUMBER) return rc_value_incref(v);
    if (k == RC_STRING) {
      struct rc_value *r = NULL;
      if (strlen(rc_value_str(v)) == rc_value_strlen(v) && parse_number(rc_value_str(v), &r))
        return r;
      return fail(c, "a number is required");
    }
    break;
  case RC_TYPE_BOOL:
    if (k == RC_BOOL) return rc_value_incref(v);
    if (k == RC_STRING) {
      const char *s = rc_value_str(v);
      if (!strcmp(s, "true") || !strcmp(s, "1")) return rc_value_bool(true);
      if (!strcmp(s, "false") || !strcmp(s, "0")) return rc_value_bool(false);
      if (!strcasecmp(s, "true") || !strcasecmp(s, "false"))
        return fail(c, "a bool is required; to convert from string, use lowercase \"%s\"",
                    !strcasecmp(s, "true") ? "true" : "false");
      return fail(c, "a bool is required");
    }
    break;
  default: break;
  }
  return mismatch(c, t);
}

/* The element type to use for a collection target: t->elem, or the
 * unification of the source's element types when that is ANY. */
static struct rc_type *target_elem(struct conv *c, const struct rc_value *v,
                                   const struct rc_type *t)
{
  if (t->elem->kind != RC_TYPE_ANY) return rc_type_dup(t->elem);
  size_t n = rc_value_len(v);
  struct rc_type **ts = rc_malloc((n ? n : 1) * sizeof *ts);
  for (size_t i = 0; i < n; i++) ts[i] = rc_type_of(rc_value_index(v, i));
  struct rc_type *e = rc_type_unify(ts, n);
  for (size_t i = 0; i < n; i++) rc_type_free(ts[i]);
  rc_free(ts);
  if (!e)
    fail(c, "all %s elements must have the same type",
         t->kind == RC_TYPE_LIST ? "list" : t->kind == RC_TYPE_SET ? "set" : "map");
  return e;
}

static struct rc_value *conv_seq(struct conv *c, const struct rc_value *v,
                                 const struct rc_type *t)
{
  if (!rc_value_is_seq(v)) return mismatch(c, t);
  size_t n = rc_value_len(v);
  struct rc_type *elem = NULL;
  if (t->kind == RC_TYPE_TUPLE) {
    if (n != t->nattrs && rc_value_kind(v) == RC_TUPLE)
      return fail(c, "tuple required with %zu elements", t->nattrs);
    if (n != t->nattrs) return fail(c, "a %zu-element sequence is required", t->nattrs);
  } else if (!(elem = target_elem(c, v, t))) {
    return NULL;
  }
  struct rc_value *r = rc_value_seq_new(t->kind == RC_TYPE_LIST  ? RC_LIST
                                        : t->kind == RC_TYPE_SET ? RC_SET
                                                                 : RC_TUPLE);
  size_t mark = c->path.len;
  for (size_t i = 0; i < n; i++) {
    rc_buf_printf(&c->path, "element %zu: ", i);
    struct rc_value *e = conv_value(c, rc_value_index(v, i), elem ? elem : t->attrs[i].type);
    c->path.len = mark;
    c->path.ptr[mark] = '\0';
    if (!e) {
      rc_value_decref(r);
      rc_type_free(elem);
      return NULL;
    }
    rc_value_seq_push(r, e);
  }
  rc_type_free(elem);
  return rc_value_seq_seal(r);
}

static struct rc_value *conv_map(struct conv *c, const struct rc_value *v, const struct rc_type *t)
{
  if (!rc_value_is_obj(v)) return mismatch(c, t);
  struct rc_type *elem = target_elem(c, v, t);
  if (!elem) return NULL;
  struct rc_value *r = rc_value_obj_new(RC_MAP);
  size_t mark = c->path.len;
  for (size_t i = 0; i < rc_value_len(v); i++) {
    rc_buf_printf(&c->path, "element \"%s\": ", rc_value_key(v, i));
    struct rc_value *e = conv_value(c, rc_value_index(v, i), elem);
    c->path.len = mark;
    c->path.ptr[mark] = '\0';
    if (!e) {
      rc_value_decref(r);
      rc_type_free(elem);
      return NULL;
    }
    rc_value_obj_put(r, rc_value_key(v, i), e);
  }
  rc_type_free(elem);
  return r;
}

static struct rc_value *conv_object(struct conv *c, const struct rc_value *v,
                                    const struct rc_type *t)
{
  if (!rc_value_is_obj(v)) return mismatch(c, t);
  struct rc_buf missing;
  size_t nmissing = 0;
  rc_buf_init(&missing, 0);
  for (size_t i = 0; i < t->nattrs; i++)
    if (!t->attrs[i].optional && !rc_value_get(v, t->attrs[i].name)) {
      rc_buf_printf(&missing, "%s\"%s\"", nmissing ? ", " : "", t->attrs[i].name);
      nmissing++;
    }
  if (nmissing) {
    fail(c, "%s %s %s required", nmissing > 1 ? "attributes" : "attribute", missing.ptr,
         nmissing > 1 ? "are" : "is");
    rc_buf_free(&missing);
    return NULL;
  }
  rc_buf_free(&missing);
  struct rc_value *r = rc_value_obj_new(RC_OBJECT);
  size_t mark = c->path.len;
  for (size_t i = 0; i < t->nattrs; i++) {
    const struct rc_type_attr *a = &t->attrs[i];
    const struct rc_value *src = rc_value_get(v, a->name);
    if ((!src || rc_value_is_null(src)) && a->optional) src = a->dflt;
    struct rc_value *e;
    rc_buf_printf(&c->path, "attribute \"%s\": ", a->name);
    e = src ? conv_value(c, src, a->type) : rc_value_null();
    c->path.len = mark;
    c->path.ptr[mark] = '\0';
    if (!e) {
      rc_value_decref(r);
      return NULL;
    }
    rc_value_obj_put(r, a->name, e);
  }
  return r;
}

static struct rc_value *conv_value(struct conv *c, const struct rc_value *v,
                                   const struct rc_type *t)
{
  if (t->kind == RC_TYPE_ANY || !rc_value_is_known(v) || rc_value_is_null(v))
    return rc_value_incref(v);
  if (rc_value_is_sensitive(v)) {
    struct rc_value *plain = rc_value_unmark(v);
    struct rc_value *r = conv_value(c, plain, t);
    rc_value_decref(plain);
    if (!r) return NULL;
    struct rc_value *m = rc_value_mark_sensitive(r);
    rc_value_decref(r);
    return m;
  }
  switch (t->kind) {
  case RC_TYPE_LIST:
  case RC_TYPE_SET:
  case RC_TYPE_TUPLE: return conv_seq(c, v, t);
  case RC_TYPE_MAP: return conv_map(c, v, t);
  case RC_TYPE_OBJECT: return conv_object(c, v, t);
  default: return conv_prim(c, v, t);
  }
}

struct rc_value *rc_convert(const struct rc_value *v, const struct rc_type *t, char **err)
{
  struct conv c = {.err = err};
  if (err) *err = NULL;
  rc_buf_init(&c.path, 0);
  struct rc_value *r = conv_value(&c, v, t);
  rc_buf_free(&c.path);
  return r;
}

static struct rc_value *conv_kind(const struct rc_value *v, enum rc_type_kind k, char **err)
{
  struct rc_type *t = k == RC_TYPE_LIST || k == RC_TYPE_SET || k == RC_TYPE_MAP
                          ? rc_type_collection(k, NULL)
                          : rc_type_new(k);
  struct rc_value *r = rc_convert(v, t, err);
  rc_type_free(t);
  return r;
}

struct rc_value *rc_convert_to_string(const struct rc_value *v, char **err)
{
  return conv_kind(v, RC_TYPE_STRING, err);
}
struct rc_value *rc_convert_to_number(const struct rc_value *v, char **err)
{
  return conv_kind(v, RC_TYPE_NUMBER, err);
}
struct rc_value *rc_convert_to_bool(const struct rc_value *v, char **err)
{
  return conv_kind(v, RC_TYPE_BOOL, err);
}
struct rc_value *rc_convert_to_list(const struct rc_value *v, char **err)
{
  return conv_kind(v, RC_TYPE_LIST, err);
}
struct rc_value *rc_convert_to_set(const struct rc_value *v, char **err)
{
  return conv_kind(v, RC_TYPE_SET, err);
}
struct rc_value *rc_convert_to_map(const struct rc_value *v, char **err)
{
  return conv_kind(v, RC_TYPE_MAP, err);
}

struct rc_value *rc_convert_to_tuple(const struct rc_value *v, char **err)
{
  if (err) *err = NULL;
  if (!rc_value_is_known(v) || rc_value_is_null(v)) return rc_value_incref(v);
  if (!rc_value_is_seq(v)) {
    if (err) *err = rc_strdup("tuple required");
    return NULL;
  }
  struct rc_value *r = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < rc_value_len(v); i++)
    rc_value_seq_push(r, rc_value_incref(rc_value_index(v, i)));
  if (rc_value_is_sensitive(v)) {
    struct rc_value *m = rc_value_mark_sensitive(r);
    rc_value_decref(r);
    r = m;
  }
  return r;
}

struct rc_value *rc_convert_to_object(const struct rc_value *v, char **err)
{
  if (err) *err = NULL;
  if (!rc_value_is_known(v) || rc_value_is_null(v)) return rc_value_incref(v);
  if (!rc_value_is_obj(v)) {
    if (err) *err = rc_strdup("object required");
    return NULL;
  }
  struct rc_value *r = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(v); i++)
    rc_value_obj_put(r, rc_value_key(v, i), rc_value_incref(rc_value_index(v, i)));
  if (rc_value_is_sensitive(v)) {
    struct rc_value *m = rc_value_mark_sensitive(r);
    rc_value_decref(r);
    r = m;
  }
  return r;
}
