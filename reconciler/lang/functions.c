/* functions.c — the built-in function table, lookup, suggestions, errors and
 * the argument dispatcher every function runs through (func_internal.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"
#include "rc_limits.h"
#include "rc_suggest.h"

#define RC_FUNC__ROW(n, a, b) {#n, rc_func__##n, a, b},
static const struct rc_func table[] = {RC_FUNC_LIST(RC_FUNC__ROW)};
#undef RC_FUNC__ROW
#define NFUNCS (sizeof table / sizeof *table)

const struct rc_func *rc_func_lookup(const char *name)
{
  if (strncmp(name, "provider::", 10) == 0) return rc_func__provider_lookup(name);
  size_t lo = 0, hi = NFUNCS;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(table[mid].name, name);
    if (c == 0) return &table[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const char *rc_func_suggest(const char *name)
{
  const char *names[NFUNCS];
  for (size_t i = 0; i < NFUNCS; i++) names[i] = table[i].name;
  return rc_suggest(name, names, NFUNCS);
}

struct rc_value *rc_func_error(struct rc_func_ctx *ctx, int arg, const char *fmt, ...)
{
  if (ctx->error) return NULL; /* first message wins */
  struct rc_buf b;
  rc_buf_init(&b, 0);
  va_list ap;
  va_start(ap, fmt);
  rc_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  ctx->error = rc_buf_detach(&b);
  ctx->error_arg = arg;
  return NULL;
}

/* ---------- parameters ---------- */

struct param {
  char name[40];
  char type[80];
  bool variadic, null_ok, unknown_ok, marks_ok;
};

/* The i-th parameter of spec (the variadic one repeats); false if none. */
static bool param_at(const char *spec, size_t i, struct param *p)
{
  const char *s = spec;
  size_t k = 0;
  for (;;) {
    size_t n = strcspn(s, ",");
    bool variadic = strncmp(s, "...", 3) == 0;
    if (k == i || variadic || s[n] == '\0') {
      if (k != i && !variadic) return false;
      memset(p, 0, sizeof *p);
      const char *q = s, *end = s + n;
      if (variadic) q += 3, p->variadic = true;
      const char *colon = memchr(q, ':', (size_t)(end - q));
      if (!colon) return false;
      snprintf(p->name, sizeof p->name, "%.*s", (int)(colon - q), q);
      const char *t = colon + 1, *te = end;
      while (te > t && strchr("?!~", te[-1])) {
        if (te[-1] == '?') p->null_ok = true;
        if (te[-1] == '!') p->unknown_ok = true;
        if (te[-1] == '~') p->marks_ok = true;
        te--;
      }
      snprintf(p->type, sizeof p->type, "%.*s", (int)(te - t), t);
      return true;
    }
    s += n + 1;
    k++;
  }
}

static void prefix_error(struct rc_func_ctx *ctx, const struct rc_func__info *info)
{
  if (!ctx->error || ctx->error_arg < 0 || !strncmp(ctx->error, "Invalid value for", 17)) return;
  struct param p;
  if (!param_at(info->params, (size_t)ctx->error_arg, &p)) return;
  char *old = ctx->error;
  ctx->error = rc_asprintf("Invalid value for \"%s\" parameter: %s", p.name, old);
  rc_free(old);
}

struct rc_value *rc_func__dispatch(const struct rc_func__info *info, struct rc_func_ctx *ctx,
                                   struct rc_value *const *args, size_t nargs)
{
  if (nargs > RC_LIMIT_FUNC_ARGS)
    return rc_func_error(ctx, -1, "Too many arguments to %s (at most %d).", info->name,
                         RC_LIMIT_FUNC_ARGS);
  struct param p;
  if (nargs == 0 && info->params[0] && !(param_at(info->params, 0, &p) && p.variadic))
    return rc_func_error(ctx, -1, "Not enough function arguments for %s.", info->name);
  if (nargs && !param_at(info->params, nargs - 1, &p))
    return rc_func_error(ctx, -1, "Too many function arguments for %s.", info->name);
  struct rc_value *stackbuf[8];
  struct rc_value **conv = nargs <= 8 ? stackbuf : rc_malloc(nargs * sizeof *conv);
  size_t done = 0;
  bool sens = false, unknown = false, failed = false;
  struct rc_value *result = NULL;
  for (size_t i = 0; i < nargs; i++) {
    param_at(info->params, i, &p);
    const struct rc_value *a = args[i];
    struct rc_value *cur;
    if (!p.marks_ok && rc_value_has_sensitive(a)) {
      sens = true;
      cur = rc_value_unmark_deep(a);
    } else {
      cur = rc_value_incref(a);
    }
    if (!rc_value_is_known(cur)) {
      if (!p.unknown_ok) unknown = true;
    } else if (rc_value_is_null(cur)) {
      if (!p.null_ok && !failed) {
        rc_func_error(ctx, (int)i, "argument must not be null.");
        failed = true;
      }
    } else if (strcmp(p.type, "any") != 0) {
      struct rc_type *t = rc_type_parse(p.type);
      char *err = NULL;
      struct rc_value *c = t ? rc_convert(cur, t, &err) : rc_value_incref(cur);
      rc_type_free(t);
      rc_value_decref(cur);
      cur = c;
      if (!c) {
        if (!failed) rc_func_error(ctx, (int)i, "%s.", err ? err : "invalid value");
        rc_free(err);
        failed = true;
        cur = rc_value_null();
      }
    }
    if (rc_value_is_known(cur) && !(info->flags & RC_FN_PARTIAL) && !p.unknown_ok &&
        !rc_value_is_wholly_known(cur))
      unknown = true;
    conv[done++] = cur;
  }
  if (failed) goto out;
  if (unknown) {
    result = rc_value_unknown();
  } else {
    result = info->body(ctx, conv, nargs);
    if (!result && !ctx->error) rc_func_error(ctx, -1, "Call to function \"%s\" failed.", info->name);
  }
  if (result && sens) {
    struct rc_value *m = rc_value_mark_sensitive(result);
    rc_value_decref(result);
    result = m;
  }
out:
  prefix_error(ctx, info);
  for (size_t i = 0; i < done; i++) rc_value_decref(conv[i]);
  if (conv != stackbuf) rc_free(conv);
  return result;
}

/* ---------- helpers shared by the func_*.c files ---------- */

struct rc_value *rc_func__buf_string(struct rc_buf *b)
{
  struct rc_value *v = rc_value_string_n(b->ptr, b->len);
  rc_buf_free(b);
  return v;
}

size_t rc_func__utf8_step(const char *s, size_t n)
{
  unsigned char c = (unsigned char)s[0];
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (len > n) return 1;
  for (size_t i = 1; i < len; i++)
    if (((unsigned char)s[i] >> 6) != 2) return 1;
  return len;
}

size_t rc_func__utf8_len(const char *s, size_t n)
{
  size_t count = 0;
  for (size_t i = 0; i < n; i += rc_func__utf8_step(s + i, n - i)) count++;
  return count;
}

bool rc_func__get_int(const struct rc_value *v, int64_t *out)
{
  if (rc_value_kind(v) != RC_NUMBER) return false;
  if (rc_value_is_int(v)) {
    *out = rc_value_int_get(v);
    return true;
  }
  double d = rc_value_number_get(v);
  if (!isfinite(d) || d != floor(d) || fabs(d) > 9.2e18) return false;
  *out = (int64_t)d;
  return true;
}

struct rc_value *rc_func__seq_as(const struct rc_value *seq, enum rc_kind kind)
{
  struct rc_value *r = rc_value_seq_new(kind);
  for (size_t i = 0; i < rc_value_len(seq); i++)
    rc_value_seq_push(r, rc_value_incref(rc_value_index(seq, i)));
  return rc_value_seq_seal(r);
}
