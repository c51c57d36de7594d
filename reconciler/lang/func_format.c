/* func_format.c — format and formatlist, after cty's stdlib/format.go: Go's
 * fmt verbs %v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q and %%, with
 * flags (+ - # 0 space), width, .precision and explicit [n] indexes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_internal.h"

struct spec {
  bool minus, plus, sharp, zero, space;
  int width, prec; /* -1 when absent */
  char verb;
  const char *raw;
  size_t rawlen, offset;
};

/* Pads text (counting characters) to s->width. num: zero padding goes after a sign. */
static void pad_out(struct rc_buf *out, const struct spec *s, const char *text, size_t n, bool num)
{
  size_t chars = rc_func__utf8_len(text, n);
  size_t padn = s->width > 0 && (size_t)s->width > chars ? (size_t)s->width - chars : 0;
  if (s->minus) {
    rc_buf_append(out, text, n);
    for (size_t i = 0; i < padn; i++) rc_buf_putc(out, ' ');
    return;
  }
  if (s->zero && num) {
    size_t signlen = n && (text[0] == '-' || text[0] == '+' || text[0] == ' ');
    rc_buf_append(out, text, signlen);
    for (size_t i = 0; i < padn; i++) rc_buf_putc(out, '0');
    rc_buf_append(out, text + signlen, n - signlen);
    return;
  }
  for (size_t i = 0; i < padn; i++) rc_buf_putc(out, ' ');
  rc_buf_append(out, text, n);
}

static void go_quote(struct rc_buf *b, const char *s, size_t n)
{
  rc_buf_putc(b, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t step = rc_func__utf8_step(s + i, n - i);
    if (c >= 0x80 && step > 1) {
      rc_buf_append(b, s + i, step);
    } else if (c >= 0x80) {
      rc_buf_printf(b, "\\x%02x", c);
    } else {
      switch (c) {
      case '"': rc_buf_puts(b, "\\\""); break;
      case '\\': rc_buf_puts(b, "\\\\"); break;
      case '\a': rc_buf_puts(b, "\\a"); break;
      case '\b': rc_buf_puts(b, "\\b"); break;
      case '\f': rc_buf_puts(b, "\\f"); break;
      case '\n': rc_buf_puts(b, "\\n"); break;
      case '\r': rc_buf_puts(b, "\\r"); break;
      case '\t': rc_buf_puts(b, "\\t"); break;
      case '\v': rc_buf_puts(b, "\\v"); break;
      default:
        if (c < 0x20 || c == 0x7f)
          rc_buf_printf(b, "\\x%02x", c);
        else
          rc_buf_putc(b, (char)c);
      }
    }
    i += step;
  }
  rc_buf_putc(b, '"');
}

/* Go's %g without precision: the shortest digits that round-trip, in
 * exponent form when the exponent is < -4 or >= 6 (strconv 'g', -1). */
static void go_shortest_g(struct rc_buf *b, double d, bool upper)
{
  char e[64];
  int p;
  for (p = 0; p < 17; p++) {
    snprintf(e, sizeof e, "%.*e", p, d);
    if (strtod(e, NULL) == d) break;
  }
  snprintf(e, sizeof e, "%.*e", p, d);
  int exp = (int)strtol(strchr(e, 'e') + 1, NULL, 10);
  if (exp < -4 || exp >= 6)
    rc_buf_printf(b, upper ? "%.*E" : "%.*e", p, d);
  else
    rc_buf_printf(b, "%.*f", p - exp > 0 ? p - exp : 0, d);
}

static bool spec_error(struct rc_func_ctx *ctx, const struct spec *s, size_t argi,
                       const char *why)
{
  rc_func_error(ctx, (int)argi, "unsupported value for \"%.*s\" at %zu: %s", (int)s->rawlen, s->raw,
                s->offset, why);
  return false;
}

static bool fmt_integer(struct rc_func_ctx *ctx, const struct spec *s, size_t argi,
                        const struct rc_value *num, struct rc_buf *out)
{
  int64_t v;
  if (!rc_func__get_int(num, &v)) return spec_error(ctx, s, argi, "a whole number is required");
  char digits[80], text[100];
  unsigned base = s->verb == 'b' ? 2 : s->verb == 'o' ? 8 : s->verb == 'd' ? 10 : 16;
  const char *set = s->verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  size_t n = 0;
  do {
    digits[n++] = set[u % base];
    u /= base;
  } while (u);
  size_t w = 0;
  text[w++] = v < 0 ? '-' : s->plus ? '+' : s->space ? ' ' : '\0';
  if (!text[0]) w = 0;
  if (s->sharp && base == 16) text[w++] = '0', text[w++] = s->verb == 'X' ? 'X' : 'x';
  if (s->sharp && base == 8) text[w++] = '0';
  if (s->sharp && base == 2) text[w++] = '0', text[w++] = 'b';
  for (int k = (int)n; k < s->prec; k++) text[w++] = '0';
  while (n) text[w++] = digits[--n];
  pad_out(out, s, text, w, s->prec < 0);
  return true;
}

static bool fmt_float(const struct spec *s, const struct rc_value *num, struct rc_buf *out)
{
  double d = rc_value_number_get(num);
  struct rc_buf t;
  rc_buf_init(&t, 0);
  if ((s->verb == 'g' || s->verb == 'G') && s->prec < 0) {
    if (d < 0 || signbit(d)) rc_buf_putc(&t, '-');
    else if (s->plus) rc_buf_putc(&t, '+');
    else if (s->space) rc_buf_putc(&t, ' ');
    go_shortest_g(&t, fabs(d), s->verb == 'G');
  } else {
    char f[32];
    snprintf(f, sizeof f, "%%%s%s%s.%d%c", s->plus ? "+" : "", s->space ? " " : "",
             s->sharp ? "#" : "", s->prec < 0 ? 6 : s->prec, s->verb);
    rc_buf_printf(&t, f, d);
  }
  pad_out(out, s, t.ptr, t.len, true);
  rc_buf_free(&t);
  return true;
}

static bool fmt_one(struct rc_func_ctx *ctx, const struct spec *s, size_t argi,
                    const struct rc_value *arg, struct rc_buf *out)
{
  char *err = NULL;
  struct rc_value *c = NULL;
  bool ok = true;
  struct rc_buf t;
  rc_buf_init(&t, 0);
  switch (s->verb) {
  case 'v':
    if (s->sharp || rc_value_is_seq(arg) || rc_value_is_obj(arg) || rc_value_is_null(arg)) {
      rc_func__json_encode(arg, &t);
    } else {
      c = rc_convert_to_string(arg, &err);
      rc_buf_append(&t, rc_value_str(c), rc_value_strlen(c));
    }
    pad_out(out, s, t.ptr, t.len, false);
    break;
  case 's':
  case 'q':
    if (rc_value_is_null(arg)) {
      ok = spec_error(ctx, s, argi, "null value cannot be formatted");
      break;
    }
    if (!(c = rc_convert_to_string(arg, &err))) {
      ok = spec_error(ctx, s, argi, err);
      break;
    }
    if (s->verb == 'q') {
      go_quote(&t, rc_value_str(c), rc_value_strlen(c));
    } else {
      size_t n = rc_value_strlen(c);
      if (s->prec >= 0) { /* precision truncates characters */
        size_t i = 0;
        for (int k = 0; k < s->prec && i < n; k++) i += rc_func__utf8_step(rc_value_str(c) + i, n - i);
        n = i;
      }
      rc_buf_append(&t, rc_value_str(c), n);
    }
    pad_out(out, s, t.ptr, t.len, false);
    break;
  case 't':
    if (rc_value_is_null(arg) || !(c = rc_convert_to_bool(arg, &err))) {
      ok = spec_error(ctx, s, argi, err ? err : "bool required");
      break;
    }
    rc_buf_puts(&t, rc_value_bool_get(c) ? "true" : "false");
    pad_out(out, s, t.ptr, t.len, false);
    break;
  case 'b': case 'd': case 'o': case 'x': case 'X':
  case 'e': case 'E': case 'f': case 'g': case 'G':
    if (rc_value_is_null(arg) || !(c = rc_convert_to_number(arg, &err))) {
      ok = spec_error(ctx, s, argi, err ? err : "number required");
      break;
    }
    if (strchr("bdoxX", s->verb))
      ok = fmt_integer(ctx, s, argi, c, out);
    else
      ok = fmt_float(s, c, out);
    break;
  default:
    rc_func_error(ctx, 0, "unsupported format verb %%%c at offset %zu", s->verb, s->offset);
    ok = false;
  }
  rc_free(err);
  rc_value_decref(c);
  rc_buf_free(&t);
  return ok;
}

/* Formats fmt with args (args[0] is the format itself; values from args[1]). */
static bool format_into(struct rc_func_ctx *ctx, const char *f, size_t fn,
                        struct rc_value *const *vals, size_t nvals, struct rc_buf *out)
{
  size_t next = 0, used = 0;
  for (size_t i = 0; i < fn;) {
    if (f[i] != '%') {
      rc_buf_putc(out, f[i++]);
      continue;
    }
    struct spec s = {.width = -1, .prec = -1, .raw = f + i, .offset = i};
    size_t j = i + 1;
    if (j < fn && f[j] == '%') {
      rc_buf_putc(out, '%');
      i = j + 1;
      continue;
    }
    for (; j < fn && strchr("+-# 0", f[j]); j++) {
      if (f[j] == '+') s.plus = true;
      if (f[j] == '-') s.minus = true;
      if (f[j] == '#') s.sharp = true;
      if (f[j] == '0') s.zero = true;
      if (f[j] == ' ') s.space = true;
    }
    if (j < fn && f[j] == '[') {
      char *end;
      long idx = strtol(f + j + 1, &end, 10);
      if (end >= f + fn || *end != ']' || idx < 1) {
        rc_func_error(ctx, 0, "invalid argument index at offset %zu", i);
        return false;
      }
      next = (size_t)idx - 1;
      j = (size_t)(end - f) + 1;
    }
    if (j < fn && f[j] >= '0' && f[j] <= '9') {
      s.width = 0;
      while (j < fn && f[j] >= '0' && f[j] <= '9' && s.width < 10000) s.width = s.width * 10 + (f[j++] - '0');
    }
    if (j < fn && f[j] == '.') {
      s.prec = 0;
      j++;
      while (j < fn && f[j] >= '0' && f[j] <= '9' && s.prec < 10000) s.prec = s.prec * 10 + (f[j++] - '0');
    }
    if (j >= fn) {
      rc_func_error(ctx, 0, "invalid format string starting at offset %zu", i);
      return false;
    }
    s.verb = f[j];
    s.rawlen = j + 1 - i;
    if (next >= nvals) {
      rc_func_error(ctx, -1, "not enough arguments for \"%.*s\" at %zu: need index %zu but have %zu total",
                    (int)s.rawlen, s.raw, i, next + 1, nvals);
      return false;
    }
    if (!fmt_one(ctx, &s, next + 1, vals[next], out)) return false;
    next++;
    if (next > used) used = next;
    i = j + 1;
  }
  if (used < nvals) {
    rc_func_error(ctx, (int)nvals, "too many arguments; only %zu used by format string", used);
    return false;
  }
  return true;
}

RC_FUNC_DEFINE(format, "format:string,...args:any?", 0)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  if (!format_into(ctx, rc_value_str(args[0]), rc_value_strlen(args[0]), args + 1, nargs - 1, &b)) {
    rc_buf_free(&b);
    return NULL;
  }
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(formatlist, "format:string,...args:any?", 0)
{
  long len = -1;
  size_t lenarg = 0;
  for (size_t a = 1; a < nargs; a++) {
    if (!rc_value_is_seq(args[a])) continue;
    long n = (long)rc_value_len(args[a]);
    if (len >= 0 && n != len)
      return rc_func_error(ctx, (int)a,
                           "argument %zu has length %ld, which is inconsistent with argument %zu "
                           "of length %ld",
                           a, n, lenarg, len);
    if (len < 0) len = n, lenarg = a;
  }
  if (len < 0) len = 1;
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  struct rc_value **row = rc_malloc(nargs * sizeof *row);
  for (long i = 0; i < len; i++) {
    for (size_t a = 1; a < nargs; a++)
      row[a - 1] = rc_value_is_seq(args[a]) ? (struct rc_value *)rc_value_index(args[a], (size_t)i)
                                            : args[a];
    struct rc_buf b;
    rc_buf_init(&b, 0);
    if (!format_into(ctx, rc_value_str(args[0]), rc_value_strlen(args[0]), row, nargs - 1, &b)) {
      rc_buf_free(&b);
      rc_free(row);
      rc_value_decref(r);
      return NULL;
    }
    rc_value_seq_push(r, rc_func__buf_string(&b));
  }
  rc_free(row);
  return r;
}
