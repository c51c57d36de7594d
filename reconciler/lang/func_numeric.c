/* func_numeric.c — abs ceil floor log max min parseint pow signum, after
 * opentofu's website/docs/language/functions and cty's stdlib/number.go. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "func_internal.h"

static struct rc_value *num_result(double d)
{
  if (d == 0) d = 0; /* no negative zero */
  return rc_value_number(d);
}

RC_FUNC_DEFINE(abs, "num:number", 0)
{
  const struct rc_value *n = args[0];
  if (rc_value_is_int(n) && rc_value_int_get(n) != INT64_MIN) {
    int64_t i = rc_value_int_get(n);
    return rc_value_int(i < 0 ? -i : i);
  }
  return num_result(fabs(rc_value_number_get(n)));
}

RC_FUNC_DEFINE(ceil, "num:number", 0)
{
  if (rc_value_is_int(args[0])) return rc_value_incref(args[0]);
  double d = rc_value_number_get(args[0]);
  if (isinf(d)) return rc_value_incref(args[0]);
  return num_result(ceil(d));
}

RC_FUNC_DEFINE(floor, "num:number", 0)
{
  if (rc_value_is_int(args[0])) return rc_value_incref(args[0]);
  double d = rc_value_number_get(args[0]);
  if (isinf(d)) return rc_value_incref(args[0]);
  return num_result(floor(d));
}

RC_FUNC_DEFINE(log, "num:number,base:number", 0)
{
  double n = rc_value_number_get(args[0]), b = rc_value_number_get(args[1]);
  return rc_value_number(log(n) / log(b));
}

RC_FUNC_DEFINE(pow, "num:number,power:number", 0)
{
  const struct rc_value *a = args[0], *b = args[1];
  if (rc_value_is_int(a) && rc_value_is_int(b) && rc_value_int_get(b) >= 0 &&
      rc_value_int_get(b) < 64) {
    /* exact integer power when it fits */
    int64_t base = rc_value_int_get(a), e = rc_value_int_get(b), r = 1;
    bool ok = true;
    for (int64_t i = 0; i < e && ok; i++)
      if (__builtin_mul_overflow(r, base, &r)) ok = false;
    if (ok) return rc_value_int(r);
  }
  return rc_value_number(pow(rc_value_number_get(a), rc_value_number_get(b)));
}

RC_FUNC_DEFINE(signum, "num:number", 0)
{
  double d = rc_value_number_get(args[0]);
  return rc_value_int(d > 0 ? 1 : d < 0 ? -1 : 0);
}

static struct rc_value *extreme(struct rc_func_ctx *ctx, struct rc_value *const *args,
                                size_t nargs, int sign)
{
  if (nargs == 0) return rc_func_error(ctx, -1, "Must pass at least one number.");
  const struct rc_value *best = args[0];
  for (size_t i = 1; i < nargs; i++) {
    int c = rc_value_compare(args[i], best);
    if (c * sign > 0) best = args[i];
  }
  return rc_value_incref(best);
}

RC_FUNC_DEFINE(max, "...numbers:number", 0) { return extreme(ctx, args, nargs, 1); }
RC_FUNC_DEFINE(min, "...numbers:number", 0) { return extreme(ctx, args, nargs, -1); }

static int digit_value(char c, int64_t base)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (base <= 36) {
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  } else {
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 36;
  }
  return 99;
}

RC_FUNC_DEFINE(parseint, "number:string,base:number", 0)
{
  int64_t base;
  if (!rc_func__get_int(args[1], &base) || base < 2 || base > 62)
    return rc_func_error(ctx, 1, "base must be a whole number between 2 and 62 inclusive");
  const char *s = rc_value_str(args[0]);
  size_t n = rc_value_strlen(args[0]), i = 0;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == n) goto bad;
  int64_t acc = 0;
  double dacc = 0;
  bool big = false;
  for (; i < n; i++) {
    int d = digit_value(s[i], base);
    if (d >= base) goto bad;
    if (!big && (__builtin_mul_overflow(acc, base, &acc) || __builtin_add_overflow(acc, d, &acc))) {
      big = true;
      dacc = 0;
      for (size_t j = (s[0] == '+' || s[0] == '-'); j < i; j++)
        dacc = dacc * (double)base + digit_value(s[j], base);
    }
    if (big) dacc = dacc * (double)base + d;
  }
  if (big) return rc_value_number(neg ? -dacc : dacc);
  return rc_value_int(neg ? -acc : acc);
bad:
  return rc_func_error(ctx, 0, "cannot parse \"%.*s\" as a base %lld integer", (int)n, s,
                       (long long)base);
}
