/* func_datetime.c — timestamp plantimestamp formatdate timeadd timecmp. Timestamps are
 * RFC 3339 ("2024-01-02T15:04:05Z", offsets and fractional seconds
 * accepted); timestamp() is unknown while planning (ctx->plan_time). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "func_internal.h"

struct ts {
  int64_t secs;  /* seconds since the epoch, UTC */
  long nanos;
  int offset;    /* seconds east of UTC */
  bool utc;      /* written with Z */
};

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool num(const char *s, int n, int *out)
{
  *out = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    *out = *out * 10 + (s[i] - '0');
  }
  return true;
}

static bool parse_ts(const char *s, struct ts *t)
{
  int y, mo, d, h, mi, se;
  size_t n = strlen(s);
  if (n < 20 || !num(s, 4, &y) || s[4] != '-' || !num(s + 5, 2, &mo) || s[7] != '-' ||
      !num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !num(s + 11, 2, &h) || s[13] != ':' ||
      !num(s + 14, 2, &mi) || s[16] != ':' || !num(s + 17, 2, &se))
    return false;
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59) return false;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  const char *p = s + 19;
  t->nanos = 0;
  if (*p == '.') {
    long scale = 100000000;
    p++;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') {
      t->nanos += (*p - '0') * scale;
      scale /= 10;
      p++;
    }
  }
  t->offset = 0;
  t->utc = false;
  if (*p == 'Z' || *p == 'z') {
    t->utc = true;
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh, om;
    if (!num(p + 1, 2, &oh) || p[3] != ':' || !num(p + 4, 2, &om) || oh > 23 || om > 59) return false;
    t->offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    p += 6;
  } else {
    return false;
  }
  if (*p) return false;
  t->secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - t->offset;
  return true;
}

struct civil {
  int64_t year;
  unsigned month, day, hour, min, sec, wday;
};

static struct civil local_of(const struct ts *t)
{
  struct civil c;
  int64_t l = t->secs + t->offset;
  int64_t days = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
  int64_t rem = l - days * 86400;
  civil_from_days(days, &c.year, &c.month, &c.day);
  c.hour = (unsigned)(rem / 3600);
  c.min = (unsigned)(rem / 60 % 60);
  c.sec = (unsigned)(rem % 60);
  c.wday = (unsigned)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
  return c;
}

static void format_rfc3339(const struct ts *t, struct rc_buf *b)
{
  struct civil c = local_of(t);
  rc_buf_printf(b, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long)c.year, c.month, c.day, c.hour,
                c.min, c.sec);
  if (t->offset == 0)
    rc_buf_putc(b, 'Z');
  else
    rc_buf_printf(b, "%c%02d:%02d", t->offset < 0 ? '-' : '+', abs(t->offset) / 3600,
                  abs(t->offset) / 60 % 60);
}

RC_FUNC_DEFINE(timestamp, "", 0)
{
  if (ctx->plan_time) return rc_value_unknown();
  struct ts t = {.secs = (int64_t)time(NULL), .utc = true};
  struct rc_buf b;
  rc_buf_init(&b, 0);
  format_rfc3339(&t, &b);
  return rc_func__buf_string(&b);
}

/* The plan's timestamp: known while planning (unlike timestamp()), so it is
 * the current time in every phase here. */
RC_FUNC_DEFINE(plantimestamp, "", 0)
{
  struct ts t = {.secs = (int64_t)time(NULL), .utc = true};
  struct rc_buf b;
  rc_buf_init(&b, 0);
  format_rfc3339(&t, &b);
  return rc_func__buf_string(&b);
}

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

RC_FUNC_DEFINE(formatdate, "format:string,time:string", 0)
{
  struct ts t;
  if (!parse_ts(rc_value_str(args[1]), &t))
    return rc_func_error(ctx, 1, "not a valid RFC3339 timestamp: \"%s\"", rc_value_str(args[1]));
  struct civil c = local_of(&t);
  const char *f = rc_value_str(args[0]);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (size_t i = 0; f[i];) {
    char ch = f[i];
    if (ch == '\'') {
      size_t j = i + 1;
      if (f[j] == '\'') {
        rc_buf_putc(&b, '\'');
        i += 2;
        continue;
      }
      for (; f[j]; j++) {
        if (f[j] == '\'' && f[j + 1] == '\'') {
          rc_buf_putc(&b, '\'');
          j++;
        } else if (f[j] == '\'') {
          break;
        } else {
          rc_buf_putc(&b, f[j]);
        }
      }
      if (!f[j]) {
        rc_buf_free(&b);
        return rc_func_error(ctx, 0, "unterminated literal '");
      }
      i = j + 1;
      continue;
    }
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
      rc_buf_putc(&b, ch);
      i++;
      continue;
    }
    size_t run = 1;
    while (f[i + run] == ch) run++;
    const char *tok = f + i;
    bool ok = true;
    int oh = abs(t.offset) / 3600, om = abs(t.offset) / 60 % 60;
    char sign = t.offset < 0 ? '-' : '+';
    switch (ch) {
    case 'Y':
      if (run == 4) rc_buf_printf(&b, "%04lld", (long long)c.year);
      else if (run == 2) rc_buf_printf(&b, "%02lld", (long long)(c.year % 100));
      else ok = false;
      break;
    case 'M':
      if (run == 1) rc_buf_printf(&b, "%u", c.month);
      else if (run == 2) rc_buf_printf(&b, "%02u", c.month);
      else if (run == 3) rc_buf_printf(&b, "%.3s", month_names[c.month - 1]);
      else if (run == 4) rc_buf_puts(&b, month_names[c.month - 1]);
      else ok = false;
      break;
    case 'D':
      if (run == 1) rc_buf_printf(&b, "%u", c.day);
      else if (run == 2) rc_buf_printf(&b, "%02u", c.day);
      else ok = false;
      break;
    case 'E':
      if (run == 3) rc_buf_printf(&b, "%.3s", day_names[c.wday]);
      else if (run == 4) rc_buf_puts(&b, day_names[c.wday]);
      else ok = false;
      break;
    case 'h':
    case 'H': {
      unsigned h = ch == 'H' ? c.hour : (c.hour % 12 == 0 ? 12 : c.hour % 12);
      if (run == 1) rc_buf_printf(&b, "%u", h);
      else if (run == 2) rc_buf_printf(&b, "%02u", h);
      else ok = false;
      break;
    }
    case 'A':
    case 'a':
      if (run == 2) rc_buf_puts(&b, c.hour < 12 ? (ch == 'A' ? "AM" : "am") : (ch == 'A' ? "PM" : "pm"));
      else ok = false;
      break;
    case 'm':
      if (run == 1) rc_buf_printf(&b, "%u", c.min);
      else if (run == 2) rc_buf_printf(&b, "%02u", c.min);
      else ok = false;
      break;
    case 's':
      if (run == 1) rc_buf_printf(&b, "%u", c.sec);
      else if (run == 2) rc_buf_printf(&b, "%02u", c.sec);
      else ok = false;
      break;
    case 'Z':
      if (run == 1) {
        if (t.offset == 0) rc_buf_putc(&b, 'Z');
        else rc_buf_printf(&b, "%c%02d:%02d", sign, oh, om);
      } else if (run == 3) rc_buf_puts(&b, t.offset == 0 ? "UTC" : "");
      else if (run == 4) rc_buf_printf(&b, "%c%02d%02d", sign, oh, om);
      else if (run == 5) rc_buf_printf(&b, "%c%02d:%02d", sign, oh, om);
      else ok = false;
      break;
    default: ok = false;
    }
    if (!ok) {
      rc_buf_free(&b);
      return rc_func_error(ctx, 0, "invalid date format verb \"%.*s\": unsupported sequence", (int)run, tok);
    }
    i += run;
  }
  return rc_func__buf_string(&b);
}

/* Go's time.ParseDuration, in nanoseconds. */
static bool parse_duration(const char *s, double *out)
{
  double total = 0;
  int sign = 1;
  if (*s == '-' || *s == '+') sign = *s++ == '-' ? -1 : 1;
  if (!strcmp(s, "0")) {
    *out = 0;
    return true;
  }
  if (!*s) return false;
  while (*s) {
    char *end;
    if (!((*s >= '0' && *s <= '9') || *s == '.')) return false;
    double v = strtod(s, &end);
    if (end == s) return false;
    s = end;
    static const struct {
      const char *u;
      double ns;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3}, {"ms", 1e6},
                 {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
    size_t best = 0, bestlen = 0;
    for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
      size_t l = strlen(units[k].u);
      if (!strncmp(s, units[k].u, l) && l > bestlen) best = k, bestlen = l;
    }
    if (!bestlen) return false;
    total += v * units[best].ns;
    s += bestlen;
  }
  *out = sign * total;
  return true;
}

RC_FUNC_DEFINE(timeadd, "timestamp:string,duration:string", 0)
{
  struct ts t;
  if (!parse_ts(rc_value_str(args[0]), &t))
    return rc_func_error(ctx, 0, "not a valid RFC3339 timestamp: \"%s\"", rc_value_str(args[0]));
  double ns;
  if (!parse_duration(rc_value_str(args[1]), &ns))
    return rc_func_error(ctx, 1, "time: invalid duration \"%s\"", rc_value_str(args[1]));
  double total = (double)t.nanos + fmod(ns, 1e9);
  t.secs += (int64_t)(ns / 1e9) + (int64_t)floor(total / 1e9);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  format_rfc3339(&t, &b);
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(timecmp, "timestamp_a:string,timestamp_b:string", 0)
{
  struct ts a, b;
  if (!parse_ts(rc_value_str(args[0]), &a))
    return rc_func_error(ctx, 0, "not a valid RFC3339 timestamp: \"%s\"", rc_value_str(args[0]));
  if (!parse_ts(rc_value_str(args[1]), &b))
    return rc_func_error(ctx, 1, "not a valid RFC3339 timestamp: \"%s\"", rc_value_str(args[1]));
  if (a.secs != b.secs) return rc_value_int(a.secs < b.secs ? -1 : 1);
  return rc_value_int(a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0);
}
