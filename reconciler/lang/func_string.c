/* func_string.c — the string functions: case, trimming, splitting, joining,
 * substrings, with cty's stdlib/string.go behaviour (Unicode aware; code
 * points stand in for grapheme clusters, combining marks stay attached). */
#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wctype.h>

#include "func_internal.h"

static locale_t utf8_loc;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;
static void utf8_init(void)
{
  utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static uint32_t decode(const char *s, size_t n, size_t *step)
{
  *step = rc_func__utf8_step(s, n);
  const unsigned char *u = (const unsigned char *)s;
  switch (*step) {
  case 2: return ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
  case 3: return ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
  case 4:
    return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
           ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
  default: return u[0];
  }
}

static void encode(struct rc_buf *b, uint32_t cp)
{
  char o[4];
  size_t n;
  if (cp < 0x80) o[0] = (char)cp, n = 1;
  else if (cp < 0x800) o[0] = (char)(0xc0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
  else if (cp < 0x10000)
    o[0] = (char)(0xe0 | (cp >> 12)), o[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
    o[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
  else
    o[0] = (char)(0xf0 | (cp >> 18)), o[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), o[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
  rc_buf_append(b, o, n);
}

/* mode: 'u' upper, 'l' lower, 't' title (first letter of each word) */
static struct rc_value *map_case(const struct rc_value *v, char mode)
{
  pthread_once(&utf8_once, utf8_init);
  const char *s = rc_value_str(v);
  size_t n = rc_value_strlen(v), step;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  bool prev_sep = true;
  for (size_t i = 0; i < n; i += step) {
    uint32_t cp = decode(s + i, n - i, &step);
    if (step == 1 && (unsigned char)s[i] >= 0x80) {
      rc_buf_putc(&b, s[i]);
      prev_sep = false;
      continue;
    }
    uint32_t out = cp;
    bool word = cp == '_' || (utf8_loc ? iswalnum_l((wint_t)cp, utf8_loc) : (cp < 0x80 && iswalnum((wint_t)cp))) ||
                (cp >= 0x300 && cp <= 0x36f);
    if (mode == 'u' || (mode == 't' && prev_sep))
      out = utf8_loc ? (uint32_t)towupper_l((wint_t)cp, utf8_loc) : (uint32_t)towupper((wint_t)cp);
    else if (mode == 'l')
      out = utf8_loc ? (uint32_t)towlower_l((wint_t)cp, utf8_loc) : (uint32_t)towlower((wint_t)cp);
    prev_sep = !word;
    encode(&b, out);
  }
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(upper, "str:string", 0) { return map_case(args[0], 'u'); }
RC_FUNC_DEFINE(lower, "str:string", 0) { return map_case(args[0], 'l'); }
RC_FUNC_DEFINE(title, "str:string", 0) { return map_case(args[0], 't'); }

RC_FUNC_DEFINE(chomp, "str:string", 0)
{
  const char *s = rc_value_str(args[0]);
  size_t n = rc_value_strlen(args[0]);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  return rc_value_string_n(s, n);
}

static bool has_prefix(const struct rc_value *s, const struct rc_value *p)
{
  return rc_value_strlen(p) <= rc_value_strlen(s) &&
         memcmp(rc_value_str(s), rc_value_str(p), rc_value_strlen(p)) == 0;
}

static bool has_suffix(const struct rc_value *s, const struct rc_value *p)
{
  size_t n = rc_value_strlen(s), m = rc_value_strlen(p);
  return m <= n && memcmp(rc_value_str(s) + n - m, rc_value_str(p), m) == 0;
}

RC_FUNC_DEFINE(startswith, "str:string,prefix:string", 0)
{
  return rc_value_bool(has_prefix(args[0], args[1]));
}

RC_FUNC_DEFINE(endswith, "str:string,suffix:string", 0)
{
  return rc_value_bool(has_suffix(args[0], args[1]));
}

static const char *find(const char *h, size_t hn, const char *nd, size_t nn)
{
  if (nn == 0) return h;
  if (nn > hn) return NULL;
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0) return h + i;
  return NULL;
}

RC_FUNC_DEFINE(strcontains, "str:string,substr:string", 0)
{
  return rc_value_bool(find(rc_value_str(args[0]), rc_value_strlen(args[0]), rc_value_str(args[1]),
                            rc_value_strlen(args[1])) != NULL);
}

RC_FUNC_DEFINE(trimprefix, "str:string,prefix:string", 0)
{
  if (!has_prefix(args[0], args[1])) return rc_value_incref(args[0]);
  return rc_value_string_n(rc_value_str(args[0]) + rc_value_strlen(args[1]),
                           rc_value_strlen(args[0]) - rc_value_strlen(args[1]));
}

RC_FUNC_DEFINE(trimsuffix, "str:string,suffix:string", 0)
{
  if (!has_suffix(args[0], args[1])) return rc_value_incref(args[0]);
  return rc_value_string_n(rc_value_str(args[0]), rc_value_strlen(args[0]) - rc_value_strlen(args[1]));
}

static bool is_space(uint32_t c)
{
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
         c == 0x205f || c == 0x3000;
}

/* in_set: code point in cutset (NULL cutset means Unicode space) */
static bool in_set(uint32_t cp, const struct rc_value *cutset)
{
  if (!cutset) return is_space(cp);
  const char *s = rc_value_str(cutset);
  size_t n = rc_value_strlen(cutset), step;
  for (size_t i = 0; i < n; i += step)
    if (decode(s + i, n - i, &step) == cp) return true;
  return false;
}

static struct rc_value *trim_set(const struct rc_value *v, const struct rc_value *cutset)
{
  const char *s = rc_value_str(v);
  size_t n = rc_value_strlen(v), start = 0, end = n, step;
  while (start < n && in_set(decode(s + start, n - start, &step), cutset)) start += step;
  while (end > start) {
    size_t b = end - 1;
    while (b > start && ((unsigned char)s[b] >> 6) == 2) b--;
    if (!in_set(decode(s + b, end - b, &step), cutset) || b + step != end) break;
    end = b;
  }
  return rc_value_string_n(s + start, end - start);
}

RC_FUNC_DEFINE(trimspace, "str:string", 0) { return trim_set(args[0], NULL); }
RC_FUNC_DEFINE(trim, "str:string,cutset:string", 0) { return trim_set(args[0], args[1]); }

RC_FUNC_DEFINE(indent, "spaces:number,str:string", 0)
{
  int64_t spaces;
  if (!rc_func__get_int(args[0], &spaces) || spaces < 0)
    return rc_func_error(ctx, 0, "must be a non-negative whole number");
  const char *s = rc_value_str(args[1]);
  size_t n = rc_value_strlen(args[1]);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (size_t i = 0; i < n; i++) {
    rc_buf_putc(&b, s[i]);
    if (s[i] == '\n')
      for (int64_t k = 0; k < spaces; k++) rc_buf_putc(&b, ' ');
  }
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(join, "separator:string,...lists:list(string)", 0)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  size_t count = 0;
  for (size_t a = 1; a < nargs; a++)
    for (size_t i = 0; i < rc_value_len(args[a]); i++) {
      const struct rc_value *e = rc_value_index(args[a], i);
      if (rc_value_is_null(e)) {
        rc_buf_free(&b);
        return rc_func_error(ctx, (int)a, "element %zu is null; cannot concatenate null values", i);
      }
      if (count++) rc_buf_append(&b, rc_value_str(args[0]), rc_value_strlen(args[0]));
      rc_buf_append(&b, rc_value_str(e), rc_value_strlen(e));
    }
  return rc_func__buf_string(&b);
}

RC_FUNC_DEFINE(split, "separator:string,str:string", 0)
{
  const char *sep = rc_value_str(args[0]), *s = rc_value_str(args[1]);
  size_t sn = rc_value_strlen(args[0]), n = rc_value_strlen(args[1]);
  struct rc_value *r = rc_value_seq_new(RC_LIST);
  if (sn == 0) { /* Go strings.Split with "": one element per character */
    for (size_t i = 0; i < n;) {
      size_t step = rc_func__utf8_step(s + i, n - i);
      rc_value_seq_push(r, rc_value_string_n(s + i, step));
      i += step;
    }
    return r;
  }
  size_t start = 0;
  for (;;) {
    const char *hit = find(s + start, n - start, sep, sn);
    if (!hit) break;
    rc_value_seq_push(r, rc_value_string_n(s + start, (size_t)(hit - s) - start));
    start = (size_t)(hit - s) + sn;
  }
  rc_value_seq_push(r, rc_value_string_n(s + start, n - start));
  return r;
}

static bool is_combining(uint32_t cp)
{
  return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
         (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f) || cp == 0x200d ||
         (cp >= 0xfe00 && cp <= 0xfe0f);
}

/* Byte length of the character cluster at s: a code point and the combining
 * marks after it. */
static size_t cluster(const char *s, size_t n)
{
  size_t step, len;
  decode(s, n, &len);
  while (len < n && is_combining(decode(s + len, n - len, &step))) len += step;
  return len;
}

RC_FUNC_DEFINE(strrev, "str:string", 0)
{
  const char *s = rc_value_str(args[0]);
  size_t n = rc_value_strlen(args[0]);
  char *out = rc_malloc(n + 1);
  size_t w = n;
  for (size_t i = 0; i < n;) {
    size_t c = cluster(s + i, n - i);
    w -= c;
    memcpy(out + w, s + i, c);
    i += c;
  }
  out[n] = '\0';
  struct rc_value *r = rc_value_string_n(out, n);
  rc_free(out);
  return r;
}

RC_FUNC_DEFINE(substr, "str:string,offset:number,length:number", 0)
{
  int64_t off, len;
  if (!rc_func__get_int(args[1], &off)) return rc_func_error(ctx, 1, "invalid offset");
  if (!rc_func__get_int(args[2], &len)) return rc_func_error(ctx, 2, "invalid length");
  const char *s = rc_value_str(args[0]);
  size_t n = rc_value_strlen(args[0]), i = 0;
  if (off < 0) {
    size_t total = 0;
    for (size_t k = 0; k < n; k += cluster(s + k, n - k)) total++;
    off += (int64_t)total;
  } else if (len == 0) {
    return rc_value_string("");
  }
  for (int64_t pos = 0; pos < off && i < n; pos++) i += cluster(s + i, n - i);
  if (off > 0 && i >= n) return rc_value_string("");
  if (len < 0) return rc_value_string_n(s + i, n - i);
  size_t j = i;
  for (int64_t pos = 0; pos < len && j < n; pos++) j += cluster(s + j, n - j);
  return rc_value_string_n(s + i, j - i);
}
