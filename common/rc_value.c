#include "rc_value.h"

#include <assert.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"

#define RC_V_SENSITIVE 1u
#define RC_V_STATIC 2u /* never freed: the shared singletons */

struct rc_value {
  atomic_int refs;
  unsigned char kind;
  unsigned char flags;
  bool is_int; /* numbers */
  union {
    bool b;
    struct {
      int64_t i;
      double d;
    } num;
    struct {
      char *s;
      size_t len;
    } str;
    struct {
      struct rc_value **items;
      size_t n, cap;
    } seq;
    struct {
      char **keys;
      struct rc_value **vals;
      size_t n, cap;
    } obj;
  } u;
};

static struct rc_value v_null = {.refs = 1, .kind = RC_NULL, .flags = RC_V_STATIC};
static struct rc_value v_true = {.refs = 1, .kind = RC_BOOL, .flags = RC_V_STATIC, .u.b = true};
static struct rc_value v_false = {.refs = 1, .kind = RC_BOOL, .flags = RC_V_STATIC, .u.b = false};
static struct rc_value v_unknown = {.refs = 1, .kind = RC_UNKNOWN, .flags = RC_V_STATIC};

static struct rc_value *alloc_value(enum rc_kind k)
{
  struct rc_value *v = rc_calloc(1, sizeof *v);
  atomic_init(&v->refs, 1);
  v->kind = (unsigned char)k;
  return v;
}

struct rc_value *rc_value_null(void) { return &v_null; }
struct rc_value *rc_value_bool(bool b) { return b ? &v_true : &v_false; }
struct rc_value *rc_value_unknown(void) { return &v_unknown; }

struct rc_value *rc_value_int(int64_t i)
{
  struct rc_value *v = alloc_value(RC_NUMBER);
  v->is_int = true;
  v->u.num.i = i;
  v->u.num.d = (double)i;
  return v;
}

struct rc_value *rc_value_number(double d)
{
  if (isfinite(d) && d == floor(d) && d >= -9007199254740992.0 && d <= 9007199254740992.0)
    return rc_value_int((int64_t)d);
  struct rc_value *v = alloc_value(RC_NUMBER);
  v->u.num.d = d;
  return v;
}

struct rc_value *rc_value_string_n(const char *s, size_t n)
{
  struct rc_value *v = alloc_value(RC_STRING);
  v->u.str.s = rc_strndup(s, n);
  v->u.str.len = n;
  return v;
}

struct rc_value *rc_value_string(const char *s)
{
  return rc_value_string_n(s, strlen(s));
}

struct rc_value *rc_value_string_steal(char *s)
{
  struct rc_value *v = alloc_value(RC_STRING);
  v->u.str.s = s;
  v->u.str.len = strlen(s);
  return v;
}

struct rc_value *rc_value_seq_new(enum rc_kind kind)
{
  assert(kind == RC_LIST || kind == RC_SET || kind == RC_TUPLE);
  return alloc_value(kind);
}

void rc_value_seq_push(struct rc_value *seq, struct rc_value *steal)
{
  assert(rc_value_is_seq(seq) && !(seq->flags & RC_V_STATIC));
  if (seq->u.seq.n == seq->u.seq.cap) {
    seq->u.seq.cap = seq->u.seq.cap ? seq->u.seq.cap * 2 : 4;
    seq->u.seq.items = rc_realloc(seq->u.seq.items, seq->u.seq.cap * sizeof(void *));
  }
  seq->u.seq.items[seq->u.seq.n++] = steal;
}

static int cmp_ptr(const void *a, const void *b)
{
  return rc_value_compare(*(struct rc_value *const *)a, *(struct rc_value *const *)b);
}

struct rc_value *rc_value_seq_seal(struct rc_value *seq)
{
  if (seq->kind != RC_SET || seq->u.seq.n < 2) return seq;
  qsort(seq->u.seq.items, seq->u.seq.n, sizeof(void *), cmp_ptr);
  size_t w = 1;
  for (size_t r = 1; r < seq->u.seq.n; r++) {
    struct rc_value *it = seq->u.seq.items[r];
    if (rc_value_is_wholly_known(it) && rc_value_compare(seq->u.seq.items[w - 1], it) == 0)
      rc_value_decref(it);
    else
      seq->u.seq.items[w++] = it;
  }
  seq->u.seq.n = w;
  return seq;
}

struct rc_value *rc_value_obj_new(enum rc_kind kind)
{
  assert(kind == RC_MAP || kind == RC_OBJECT);
  return alloc_value(kind);
}

/* index of key, or -(insertion point)-1 */
static long obj_find(const struct rc_value *o, const char *key)
{
  size_t lo = 0, hi = o->u.obj.n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(o->u.obj.keys[mid], key);
    if (c == 0) return (long)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -(long)lo - 1;
}

void rc_value_obj_put(struct rc_value *o, const char *key, struct rc_value *steal)
{
  assert(rc_value_is_obj(o) && !(o->flags & RC_V_STATIC));
  long at = obj_find(o, key);
  if (at >= 0) {
    rc_value_decref(o->u.obj.vals[at]);
    o->u.obj.vals[at] = steal;
    return;
  }
  size_t pos = (size_t)(-at - 1);
  if (o->u.obj.n == o->u.obj.cap) {
    o->u.obj.cap = o->u.obj.cap ? o->u.obj.cap * 2 : 4;
    o->u.obj.keys = rc_realloc(o->u.obj.keys, o->u.obj.cap * sizeof(char *));
    o->u.obj.vals = rc_realloc(o->u.obj.vals, o->u.obj.cap * sizeof(void *));
  }
  size_t tail = o->u.obj.n - pos;
  memmove(o->u.obj.keys + pos + 1, o->u.obj.keys + pos, tail * sizeof(char *));
  memmove(o->u.obj.vals + pos + 1, o->u.obj.vals + pos, tail * sizeof(void *));
  o->u.obj.keys[pos] = rc_strdup(key);
  o->u.obj.vals[pos] = steal;
  o->u.obj.n++;
}

void rc_value_obj_del(struct rc_value *o, const char *key)
{
  assert(rc_value_is_obj(o));
  long at = obj_find(o, key);
  if (at < 0) return;
  rc_free(o->u.obj.keys[at]);
  rc_value_decref(o->u.obj.vals[at]);
  size_t tail = o->u.obj.n - (size_t)at - 1;
  memmove(o->u.obj.keys + at, o->u.obj.keys + at + 1, tail * sizeof(char *));
  memmove(o->u.obj.vals + at, o->u.obj.vals + at + 1, tail * sizeof(void *));
  o->u.obj.n--;
}

struct rc_value *rc_value_incref(const struct rc_value *cv)
{
  struct rc_value *v = (struct rc_value *)cv;
  if (v && !(v->flags & RC_V_STATIC)) atomic_fetch_add_explicit(&v->refs, 1, memory_order_relaxed);
  return v;
}

void rc_value_decref(struct rc_value *v)
{
  if (!v || (v->flags & RC_V_STATIC)) return;
  if (atomic_fetch_sub_explicit(&v->refs, 1, memory_order_acq_rel) != 1) return;
  switch (v->kind) {
  case RC_STRING:
    rc_free(v->u.str.s);
    break;
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE:
    for (size_t i = 0; i < v->u.seq.n; i++) rc_value_decref(v->u.seq.items[i]);
    rc_free(v->u.seq.items);
    break;
  case RC_MAP:
  case RC_OBJECT:
    for (size_t i = 0; i < v->u.obj.n; i++) {
      rc_free(v->u.obj.keys[i]);
      rc_value_decref(v->u.obj.vals[i]);
    }
    rc_free(v->u.obj.keys);
    rc_free(v->u.obj.vals);
    break;
  default:
    break;
  }
  rc_free(v);
}

struct rc_value *rc_value_copy(const struct rc_value *v)
{
  struct rc_value *c;
  switch (v->kind) {
  case RC_NULL:
  case RC_BOOL:
  case RC_UNKNOWN:
    if (!(v->flags & RC_V_SENSITIVE)) return (struct rc_value *)v;
    c = alloc_value((enum rc_kind)v->kind);
    c->u.b = v->u.b;
    break;
  case RC_NUMBER:
    c = alloc_value(RC_NUMBER);
    c->is_int = v->is_int;
    c->u.num = v->u.num;
    break;
  case RC_STRING:
    c = rc_value_string_n(v->u.str.s, v->u.str.len);
    break;
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE:
    c = alloc_value((enum rc_kind)v->kind);
    for (size_t i = 0; i < v->u.seq.n; i++) rc_value_seq_push(c, rc_value_incref(v->u.seq.items[i]));
    break;
  default:
    c = alloc_value((enum rc_kind)v->kind);
    c->u.obj.cap = v->u.obj.n;
    c->u.obj.n = v->u.obj.n;
    c->u.obj.keys = rc_malloc((v->u.obj.n ? v->u.obj.n : 1) * sizeof(char *));
    c->u.obj.vals = rc_malloc((v->u.obj.n ? v->u.obj.n : 1) * sizeof(void *));
    for (size_t i = 0; i < v->u.obj.n; i++) {
      c->u.obj.keys[i] = rc_strdup(v->u.obj.keys[i]);
      c->u.obj.vals[i] = rc_value_incref(v->u.obj.vals[i]);
    }
    break;
  }
  c->flags = v->flags & RC_V_SENSITIVE;
  return c;
}

enum rc_kind rc_value_kind(const struct rc_value *v) { return (enum rc_kind)v->kind; }

const char *rc_value_kind_name(enum rc_kind k)
{
  static const char *names[] = {"null", "bool", "number", "string", "list",
                                "set",  "tuple", "map",   "object", "unknown"};
  return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

bool rc_value_is_null(const struct rc_value *v) { return v->kind == RC_NULL; }
bool rc_value_is_known(const struct rc_value *v) { return v->kind != RC_UNKNOWN; }

bool rc_value_is_wholly_known(const struct rc_value *v)
{
  switch (v->kind) {
  case RC_UNKNOWN:
    return false;
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE:
    for (size_t i = 0; i < v->u.seq.n; i++)
      if (!rc_value_is_wholly_known(v->u.seq.items[i])) return false;
    return true;
  case RC_MAP:
  case RC_OBJECT:
    for (size_t i = 0; i < v->u.obj.n; i++)
      if (!rc_value_is_wholly_known(v->u.obj.vals[i])) return false;
    return true;
  default:
    return true;
  }
}

bool rc_value_is_seq(const struct rc_value *v)
{
  return v->kind == RC_LIST || v->kind == RC_SET || v->kind == RC_TUPLE;
}

bool rc_value_is_obj(const struct rc_value *v)
{
  return v->kind == RC_MAP || v->kind == RC_OBJECT;
}

bool rc_value_bool_get(const struct rc_value *v) { return v->kind == RC_BOOL && v->u.b; }
bool rc_value_is_int(const struct rc_value *v) { return v->kind == RC_NUMBER && v->is_int; }

int64_t rc_value_int_get(const struct rc_value *v)
{
  if (v->kind != RC_NUMBER) return 0;
  return v->is_int ? v->u.num.i : (int64_t)v->u.num.d;
}

double rc_value_number_get(const struct rc_value *v)
{
  return v->kind == RC_NUMBER ? v->u.num.d : 0.0;
}

const char *rc_value_str(const struct rc_value *v)
{
  return v && v->kind == RC_STRING ? v->u.str.s : NULL;
}

size_t rc_value_strlen(const struct rc_value *v)
{
  return v->kind == RC_STRING ? v->u.str.len : 0;
}

size_t rc_value_len(const struct rc_value *v)
{
  if (rc_value_is_seq(v)) return v->u.seq.n;
  if (rc_value_is_obj(v)) return v->u.obj.n;
  return 0;
}

const struct rc_value *rc_value_index(const struct rc_value *v, size_t i)
{
  if (rc_value_is_seq(v)) return i < v->u.seq.n ? v->u.seq.items[i] : NULL;
  if (rc_value_is_obj(v)) return i < v->u.obj.n ? v->u.obj.vals[i] : NULL;
  return NULL;
}

const char *rc_value_key(const struct rc_value *v, size_t i)
{
  return rc_value_is_obj(v) && i < v->u.obj.n ? v->u.obj.keys[i] : NULL;
}

const struct rc_value *rc_value_get(const struct rc_value *v, const char *key)
{
  if (!v || !rc_value_is_obj(v)) return NULL;
  long at = obj_find(v, key);
  return at >= 0 ? v->u.obj.vals[at] : NULL;
}

const struct rc_value *rc_value_path(const struct rc_value *v, const char *path)
{
  char part[256];
  while (v && *path) {
    size_t n = strcspn(path, ".");
    if (n >= sizeof part) return NULL;
    memcpy(part, path, n);
    part[n] = '\0';
    path += n + (path[n] == '.');
    if (rc_value_is_seq(v)) {
      char *end;
      long i = strtol(part, &end, 10);
      if (*end || i < 0) return NULL;
      v = rc_value_index(v, (size_t)i);
    } else {
      v = rc_value_get(v, part);
    }
  }
  return v;
}

bool rc_value_is_sensitive(const struct rc_value *v) { return v->flags & RC_V_SENSITIVE; }

bool rc_value_has_sensitive(const struct rc_value *v)
{
  if (v->flags & RC_V_SENSITIVE) return true;
  size_t n = rc_value_len(v);
  for (size_t i = 0; i < n; i++)
    if (rc_value_has_sensitive(rc_value_index(v, i))) return true;
  return false;
}

struct rc_value *rc_value_mark_sensitive(const struct rc_value *v)
{
  if (v->flags & RC_V_SENSITIVE) return rc_value_incref(v);
  struct rc_value *c = rc_value_copy(v);
  if (c == v) c = alloc_value((enum rc_kind)v->kind), c->u.b = v->u.b;
  c->flags |= RC_V_SENSITIVE;
  return c;
}

struct rc_value *rc_value_unmark(const struct rc_value *v)
{
  if (!(v->flags & RC_V_SENSITIVE)) return rc_value_incref(v);
  if (v->kind == RC_NULL) return rc_value_null();
  if (v->kind == RC_BOOL) return rc_value_bool(v->u.b);
  if (v->kind == RC_UNKNOWN) return rc_value_unknown();
  struct rc_value *c = rc_value_copy(v);
  c->flags &= (unsigned char)~RC_V_SENSITIVE;
  return c;
}

struct rc_value *rc_value_unmark_deep(const struct rc_value *v)
{
  if (!rc_value_has_sensitive(v)) return rc_value_incref(v);
  struct rc_value *c = rc_value_unmark(v);
  if (rc_value_is_seq(c)) {
    for (size_t i = 0; i < c->u.seq.n; i++) {
      struct rc_value *old = c->u.seq.items[i];
      c->u.seq.items[i] = rc_value_unmark_deep(old);
      rc_value_decref(old);
    }
  } else if (rc_value_is_obj(c)) {
    for (size_t i = 0; i < c->u.obj.n; i++) {
      struct rc_value *old = c->u.obj.vals[i];
      c->u.obj.vals[i] = rc_value_unmark_deep(old);
      rc_value_decref(old);
    }
  }
  return c;
}

static int num_cmp(const struct rc_value *a, const struct rc_value *b)
{
  if (a->is_int && b->is_int) return (a->u.num.i > b->u.num.i) - (a->u.num.i < b->u.num.i);
  return (a->u.num.d > b->u.num.d) - (a->u.num.d < b->u.num.d);
}

static int kind_class(enum rc_kind k)
{
  switch (k) {
  case RC_LIST:
  case RC_TUPLE:
    return RC_LIST;
  case RC_MAP:
  case RC_OBJECT:
    return RC_OBJECT;
  default:
    return k;
  }
}

bool rc_value_equal(const struct rc_value *a, const struct rc_value *b)
{
  if (a->kind == RC_UNKNOWN || b->kind == RC_UNKNOWN) return false;
  if (kind_class(a->kind) != kind_class(b->kind)) return false;
  switch (a->kind) {
  case RC_NULL:
    return true;
  case RC_BOOL:
    return a->u.b == b->u.b;
  case RC_NUMBER:
    return num_cmp(a, b) == 0;
  case RC_STRING:
    return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE:
    if (a->u.seq.n != b->u.seq.n) return false;
    for (size_t i = 0; i < a->u.seq.n; i++)
      if (!rc_value_equal(a->u.seq.items[i], b->u.seq.items[i])) return false;
    return true;
  default:
    if (a->u.obj.n != b->u.obj.n) return false;
    for (size_t i = 0; i < a->u.obj.n; i++)
      if (strcmp(a->u.obj.keys[i], b->u.obj.keys[i]) ||
          !rc_value_equal(a->u.obj.vals[i], b->u.obj.vals[i]))
        return false;
    return true;
  }
}

int rc_value_compare(const struct rc_value *a, const struct rc_value *b)
{
  int ka = kind_class(a->kind), kb = kind_class(b->kind);
  if (ka != kb) return ka < kb ? -1 : 1;
  switch (a->kind) {
  case RC_NULL:
  case RC_UNKNOWN:
    return 0;
  case RC_BOOL:
    return (int)a->u.b - (int)b->u.b;
  case RC_NUMBER:
    return num_cmp(a, b);
  case RC_STRING: {
    size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
    int c = memcmp(a->u.str.s, b->u.str.s, n);
    if (c) return c < 0 ? -1 : 1;
    return (a->u.str.len > b->u.str.len) - (a->u.str.len < b->u.str.len);
  }
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE:
    for (size_t i = 0; i < a->u.seq.n && i < b->u.seq.n; i++) {
      int c = rc_value_compare(a->u.seq.items[i], b->u.seq.items[i]);
      if (c) return c;
    }
    return (a->u.seq.n > b->u.seq.n) - (a->u.seq.n < b->u.seq.n);
  default:
    for (size_t i = 0; i < a->u.obj.n && i < b->u.obj.n; i++) {
      int c = strcmp(a->u.obj.keys[i], b->u.obj.keys[i]);
      if (c) return c < 0 ? -1 : 1;
      c = rc_value_compare(a->u.obj.vals[i], b->u.obj.vals[i]);
      if (c) return c;
    }
    return (a->u.obj.n > b->u.obj.n) - (a->u.obj.n < b->u.obj.n);
  }
}

void rc_value_format_number(const struct rc_value *v, char *out, size_t outsz)
{
  if (v->is_int) {
    snprintf(out, outsz, "%lld", (long long)v->u.num.i);
    return;
  }
  double d = v->u.num.d;
  if (d == floor(d) && fabs(d) < 1e21) {
    snprintf(out, outsz, "%.0f", d);
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(out, outsz, "%.*g", prec, d);
    if (strtod(out, NULL) == d) return;
  }
}

static rc_status render_string(const char *s, size_t n, struct rc_buf *out)
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
      if (c < 0x20)
        rc_buf_printf(out, "\\u%04x", c);
      else
        rc_buf_putc(out, (char)c);
    }
  }
  return rc_buf_putc(out, '"');
}

rc_status rc_value_render(const struct rc_value *v, struct rc_buf *out)
{
  if (v->flags & RC_V_SENSITIVE) return rc_buf_puts(out, "(sensitive value)");
  switch (v->kind) {
  case RC_NULL: return rc_buf_puts(out, "null");
  case RC_UNKNOWN: return rc_buf_puts(out, "(known after apply)");
  case RC_BOOL: return rc_buf_puts(out, v->u.b ? "true" : "false");
  case RC_NUMBER: {
    char tmp[64];
    rc_value_format_number(v, tmp, sizeof tmp);
    return rc_buf_puts(out, tmp);
  }
  case RC_STRING: return render_string(v->u.str.s, v->u.str.len, out);
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE:
    rc_buf_putc(out, '[');
    for (size_t i = 0; i < v->u.seq.n; i++) {
      if (i) rc_buf_puts(out, ", ");
      rc_value_render(v->u.seq.items[i], out);
    }
    return rc_buf_putc(out, ']');
  default:
    if (v->u.obj.n == 0) return rc_buf_puts(out, "{}");
    rc_buf_puts(out, "{ ");
    for (size_t i = 0; i < v->u.obj.n; i++) {
      if (i) rc_buf_puts(out, ", ");
      rc_buf_printf(out, "%s = ", v->u.obj.keys[i]);
      rc_value_render(v->u.obj.vals[i], out);
    }
    return rc_buf_puts(out, " }");
  }
}

struct rc_value *rc_value_from_json(const json_t *j)
{
  switch (json_typeof(j)) {
  case JSON_NULL: return rc_value_null();
  case JSON_TRUE: return rc_value_bool(true);
  case JSON_FALSE: return rc_value_bool(false);
  case JSON_INTEGER: return rc_value_int(json_integer_value(j));
  case JSON_REAL: return rc_value_number(json_real_value(j));
  case JSON_STRING: return rc_value_string_n(json_string_value(j), json_string_length(j));
  case JSON_ARRAY: {
    struct rc_value *t = rc_value_seq_new(RC_TUPLE);
    size_t i;
    json_t *it;
    json_array_foreach(j, i, it) rc_value_seq_push(t, rc_value_from_json(it));
    return t;
  }
  case JSON_OBJECT: {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    const char *k;
    json_t *it;
    json_object_foreach((json_t *)j, k, it) rc_value_obj_put(o, k, rc_value_from_json(it));
    return o;
  }
  }
  return rc_value_null();
}

json_t *rc_value_to_json(const struct rc_value *v)
{
  switch (v->kind) {
  case RC_NULL:
  case RC_UNKNOWN: return json_null();
  case RC_BOOL: return json_boolean(v->u.b);
  case RC_NUMBER: return v->is_int ? json_integer(v->u.num.i) : json_real(v->u.num.d);
  case RC_STRING: return json_stringn(v->u.str.s, v->u.str.len);
  case RC_LIST:
  case RC_SET:
  case RC_TUPLE: {
    json_t *a = json_array();
    for (size_t i = 0; i < v->u.seq.n; i++) json_array_append_new(a, rc_value_to_json(v->u.seq.items[i]));
    return a;
  }
  default: {
    json_t *o = json_object();
    for (size_t i = 0; i < v->u.obj.n; i++)
      json_object_set_new(o, v->u.obj.keys[i], rc_value_to_json(v->u.obj.vals[i]));
    return o;
  }
  }
}

struct rc_value *rc_value_parse_json(const char *text, size_t len, struct rc_error *err)
{
  json_error_t je;
  json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
  if (!j) {
    rc_error_set(err, RC_SYNTAX, "invalid JSON at line %d, column %d: %s", je.line,
                 je.column, je.text);
    return NULL;
  }
  struct rc_value *v = rc_value_from_json(j);
  json_decref(j);
  return v;
}

char *rc_value_dump_json(const struct rc_value *v)
{
  json_t *j = rc_value_to_json(v);
  char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
  json_decref(j);
  char *r = rc_strdup(s ? s : "null");
  free(s);
  return r;
}
