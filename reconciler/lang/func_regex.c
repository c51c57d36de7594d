/* func_regex.c — regex, regexall and replace's /pattern/ form. Terraform
 * uses Go's RE2 syntax; recon compiles with POSIX regcomp(REG_EXTENDED)
 * after translating the RE2 forms common in configurations: \d \D \s \S \w
 * \W (also inside brackets), (?:...) non-capturing and (?P<name>...) /
 * (?<name>...) named groups, a leading (?i), \A \z, escapes inside brackets.
 * Lazy quantifiers (*? +? ??) are accepted but match greedily. */
#include <regex.h>
#include <string.h>

#include "func_internal.h"

#define MAX_GROUPS 32

struct rx {
  regex_t re;
  size_t ngroups;                 /* POSIX groups */
  bool capturing[MAX_GROUPS + 1]; /* per POSIX group (1-based) */
  char *names[MAX_GROUPS + 1];    /* NULL for unnamed */
  size_t ncapt, nnamed;           /* user-visible groups */
};

static void rx_free(struct rx *x)
{
  regfree(&x->re);
  for (size_t i = 0; i <= MAX_GROUPS; i++) rc_free(x->names[i]);
}

static void class_escape(struct rc_buf *o, char c, bool in_bracket)
{
  const char *pos = NULL, *neg = NULL;
  switch (c) {
  case 'd': pos = "0-9"; break;
  case 'D': neg = "0-9"; break;
  case 's': pos = "[:space:]"; break;
  case 'S': neg = "[:space:]"; break;
  case 'w': pos = "[:alnum:]_"; break;
  case 'W': neg = "[:alnum:]_"; break;
  }
  if (in_bracket) {
    rc_buf_puts(o, pos ? pos : neg); /* negated classes inside brackets are approximated */
    return;
  }
  rc_buf_printf(o, "[%s%s]", pos ? "" : "^", pos ? pos : neg);
}

/* Translates one bracket expression starting at p[i] == '['; returns the
 * index after it, or 0 when unterminated. */
static size_t bracket(const char *p, size_t n, size_t i, struct rc_buf *o)
{
  struct rc_buf items;
  rc_buf_init(&items, 0);
  bool neg = false, rb = false, dash = false, caret = false;
  i++;
  if (i < n && p[i] == '^') neg = true, i++;
  bool first = true;
  for (; i < n; i++) {
    char c = p[i];
    if (c == ']' && !first) break;
    first = false;
    if (c == '[' && i + 1 < n && p[i + 1] == ':') {
      const char *end = strstr(p + i, ":]");
      if (!end) break;
      rc_buf_append(&items, p + i, (size_t)(end - (p + i)) + 2);
      i = (size_t)(end - p) + 1;
      continue;
    }
    if (c == '\\' && i + 1 < n) {
      char e = p[++i];
      if (strchr("dDsSwW", e)) class_escape(&items, e, true);
      else if (e == ']') rb = true;
      else if (e == '-') dash = true;
      else if (e == '^') caret = true;
      else if (e == 'n') rc_buf_putc(&items, '\n');
      else if (e == 't') rc_buf_putc(&items, '\t');
      else rc_buf_putc(&items, e);
      continue;
    }
    if (c == ']') rb = true;
    else if (c == '-' && (i + 1 >= n || p[i + 1] == ']' || items.len == 0)) dash = true;
    else if (c == '^') caret = true;
    else rc_buf_putc(&items, c);
  }
  if (i >= n) {
    rc_buf_free(&items);
    return 0;
  }
  rc_buf_printf(o, "[%s%s%s%s%s]", neg ? "^" : "", rb ? "]" : "", items.ptr, caret ? "^" : "",
                dash ? "-" : "");
  rc_buf_free(&items);
  return i + 1;
}

/* Compiles an RE2-style pattern; on failure returns false with *err set. */
static bool rx_compile(struct rx *x, const char *p, size_t n, char **err)
{
  memset(x, 0, sizeof *x);
  struct rc_buf o;
  rc_buf_init(&o, 0);
  int flags = REG_EXTENDED;
  size_t i = 0;
  if (n >= 4 && !strncmp(p, "(?i)", 4)) flags |= REG_ICASE, i = 4;
  while (i < n) {
    char c = p[i];
    if (c == '\\' && i + 1 < n) {
      char e = p[i + 1];
      if (strchr("dDsSwW", e)) class_escape(&o, e, false);
      else if (e == 'A') rc_buf_putc(&o, '^');
      else if (e == 'z') rc_buf_putc(&o, '$');
      else if (e == 'n') rc_buf_putc(&o, '\n');
      else if (e == 't') rc_buf_putc(&o, '\t');
      else rc_buf_append(&o, p + i, 2);
      i += 2;
    } else if (c == '[') {
      size_t next = bracket(p, n, i, &o);
      if (!next) {
        *err = rc_strdup("missing closing ]");
        goto bad;
      }
      i = next;
    } else if (c == '(') {
      if (x->ngroups >= MAX_GROUPS) {
        *err = rc_strdup("too many capture groups");
        goto bad;
      }
      size_t g = ++x->ngroups;
      x->capturing[g] = true;
      if (i + 2 < n && p[i + 1] == '?' && p[i + 2] == ':') {
        x->capturing[g] = false;
        i += 3;
      } else if (i + 2 < n && p[i + 1] == '?' && (p[i + 2] == 'P' || p[i + 2] == '<')) {
        size_t s = i + (p[i + 2] == 'P' ? 4 : 3);
        const char *close = s <= n ? memchr(p + s, '>', n - s) : NULL;
        if (!close || (p[i + 2] == 'P' && p[i + 3] != '<')) {
          *err = rc_strdup("invalid named capture");
          goto bad;
        }
        x->names[g] = rc_strndup(p + s, (size_t)(close - (p + s)));
        x->nnamed++;
        i = (size_t)(close - p) + 1;
      } else if (i + 1 < n && p[i + 1] == '?') {
        *err = rc_strdup("invalid or unsupported Perl syntax");
        goto bad;
      } else {
        i++;
      }
      if (x->capturing[g]) x->ncapt++;
      rc_buf_putc(&o, '(');
    } else if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n && p[i + 1] == '?') {
      rc_buf_putc(&o, c); /* lazy → greedy */
      i += 2;
    } else {
      rc_buf_putc(&o, c);
      i++;
    }
  }
  int rc = regcomp(&x->re, o.ptr, flags);
  if (rc != 0) {
    char msg[256];
    regerror(rc, &x->re, msg, sizeof msg);
    *err = rc_strdup(msg);
    goto bad;
  }
  rc_buf_free(&o);
  return true;
bad:
  rc_buf_free(&o);
  for (size_t k = 0; k <= MAX_GROUPS; k++) rc_free(x->names[k]), x->names[k] = NULL;
  return false;
}

/* Next match at or after start; m has MAX_GROUPS+1 entries in absolute offsets. */
static bool rx_exec(struct rx *x, const char *s, size_t n, size_t start, regmatch_t *m)
{
  m[0].rm_so = (regoff_t)start;
  m[0].rm_eo = (regoff_t)n;
  return regexec(&x->re, s, MAX_GROUPS + 1, m, REG_STARTEND | (start ? REG_NOTBOL : 0)) == 0;
}

static struct rc_value *group_value(const char *s, const regmatch_t *g)
{
  if (g->rm_so < 0) return rc_value_null();
  return rc_value_string_n(s + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
}

static struct rc_value *match_result(struct rx *x, const char *s, const regmatch_t *m)
{
  if (x->ncapt == 0) return group_value(s, &m[0]);
  if (x->nnamed) {
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (size_t g = 1; g <= x->ngroups; g++)
      if (x->names[g]) rc_value_obj_put(o, x->names[g], group_value(s, &m[g]));
    return o;
  }
  struct rc_value *l = rc_value_seq_new(RC_LIST);
  for (size_t g = 1; g <= x->ngroups; g++)
    if (x->capturing[g]) rc_value_seq_push(l, group_value(s, &m[g]));
  return l;
}

static bool compile_arg(struct rc_func_ctx *ctx, struct rx *x, const struct rc_value *pat, int arg)
{
  char *err = NULL;
  if (!rx_compile(x, rc_value_str(pat), rc_value_strlen(pat), &err)) {
    rc_func_error(ctx, arg, "error parsing pattern: %s", err);
    rc_free(err);
    return false;
  }
  if (x->nnamed && x->nnamed != x->ncapt) {
    rx_free(x);
    rc_func_error(ctx, arg, "invalid regular expression: can't mix both named and unnamed "
                            "capture groups");
    return false;
  }
  return true;
}

RC_FUNC_DEFINE(regex, "pattern:string,string:string", 0)
{
  struct rx x;
  if (!compile_arg(ctx, &x, args[0], 0)) return NULL;
  regmatch_t m[MAX_GROUPS + 1];
  struct rc_value *r = NULL;
  if (rx_exec(&x, rc_value_str(args[1]), rc_value_strlen(args[1]), 0, m))
    r = match_result(&x, rc_value_str(args[1]), m);
  else
    rc_func_error(ctx, -1, "pattern did not match any part of the given string");
  rx_free(&x);
  return r;
}

RC_FUNC_DEFINE(regexall, "pattern:string,string:string", 0)
{
  struct rx x;
  if (!compile_arg(ctx, &x, args[0], 0)) return NULL;
  regmatch_t m[MAX_GROUPS + 1];
  const char *s = rc_value_str(args[1]);
  size_t n = rc_value_strlen(args[1]), pos = 0;
  struct rc_value *l = rc_value_seq_new(RC_LIST);
  while (pos <= n && rx_exec(&x, s, n, pos, m)) {
    rc_value_seq_push(l, match_result(&x, s, m));
    if (m[0].rm_eo == m[0].rm_so)
      pos = (size_t)m[0].rm_eo + (m[0].rm_eo < (regoff_t)n ? rc_func__utf8_step(s + m[0].rm_eo, n - (size_t)m[0].rm_eo) : 1);
    else
      pos = (size_t)m[0].rm_eo;
  }
  rx_free(&x);
  return l;
}

/* Go's Regexp.Expand: $1 ${1} $name ${name} $$. */
static void expand(struct rx *x, const char *repl, size_t rn, const char *s, const regmatch_t *m,
                   struct rc_buf *o)
{
  for (size_t i = 0; i < rn; i++) {
    if (repl[i] != '$' || i + 1 >= rn) {
      rc_buf_putc(o, repl[i]);
      continue;
    }
    if (repl[i + 1] == '$') {
      rc_buf_putc(o, '$');
      i++;
      continue;
    }
    bool brace = repl[i + 1] == '{';
    size_t st = i + 1 + brace, e = st;
    while (e < rn && (repl[e] == '_' || (repl[e] >= '0' && repl[e] <= '9') ||
                      (repl[e] >= 'a' && repl[e] <= 'z') || (repl[e] >= 'A' && repl[e] <= 'Z')))
      e++;
    if (e == st || (brace && (e >= rn || repl[e] != '}'))) {
      rc_buf_putc(o, '$');
      continue;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(e - st), repl + st);
    char *end;
    long num = strtol(name, &end, 10);
    const regmatch_t *g = NULL;
    if (!*end) {
      /* numbered: count only capturing groups */
      long k = 0;
      if (num == 0) g = &m[0];
      for (size_t gi = 1; gi <= x->ngroups && !g; gi++)
        if (x->capturing[gi] && ++k == num) g = &m[gi];
    } else {
      for (size_t gi = 1; gi <= x->ngroups && !g; gi++)
        if (x->names[gi] && !strcmp(x->names[gi], name)) g = &m[gi];
    }
    if (g && g->rm_so >= 0) rc_buf_append(o, s + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
    i = e - 1 + brace;
  }
}

/* replace(str, "/re/", repl) — called from replace in func_string.c's
 * sibling below. */
static struct rc_value *regex_replace(struct rc_func_ctx *ctx, const struct rc_value *str,
                                      const char *pat, size_t pn, const struct rc_value *repl)
{
  struct rx x;
  char *err = NULL;
  if (!rx_compile(&x, pat, pn, &err)) {
    rc_func_error(ctx, 1, "error parsing pattern: %s", err);
    rc_free(err);
    return NULL;
  }
  const char *s = rc_value_str(str);
  size_t n = rc_value_strlen(str), pos = 0, last = 0;
  regmatch_t m[MAX_GROUPS + 1];
  struct rc_buf o;
  rc_buf_init(&o, 0);
  while (pos <= n && rx_exec(&x, s, n, pos, m)) {
    rc_buf_append(&o, s + last, (size_t)m[0].rm_so - last);
    expand(&x, rc_value_str(repl), rc_value_strlen(repl), s, m, &o);
    last = (size_t)m[0].rm_eo;
    if (m[0].rm_eo == m[0].rm_so) {
      size_t step = last < n ? rc_func__utf8_step(s + last, n - last) : 1;
      if (last < n) rc_buf_append(&o, s + last, step);
      last += step;
      pos = last;
    } else {
      pos = last;
    }
  }
  if (last < n) rc_buf_append(&o, s + last, n - last);
  rx_free(&x);
  return rc_func__buf_string(&o);
}

RC_FUNC_DEFINE(replace, "str:string,substr:string,replace:string", 0)
{
  const char *sub = rc_value_str(args[1]);
  size_t sn = rc_value_strlen(args[1]);
  if (sn >= 2 && sub[0] == '/' && sub[sn - 1] == '/')
    return regex_replace(ctx, args[0], sub + 1, sn - 2, args[2]);
  const char *s = rc_value_str(args[0]), *rep = rc_value_str(args[2]);
  size_t n = rc_value_strlen(args[0]), rn = rc_value_strlen(args[2]);
  struct rc_buf o;
  rc_buf_init(&o, 0);
  if (sn == 0) { /* Go: the replacement before every character and at the end */
    for (size_t i = 0; i < n;) {
      size_t step = rc_func__utf8_step(s + i, n - i);
      rc_buf_append(&o, rep, rn);
      rc_buf_append(&o, s + i, step);
      i += step;
    }
    rc_buf_append(&o, rep, rn);
    return rc_func__buf_string(&o);
  }
  for (size_t i = 0; i < n;) {
    if (i + sn <= n && memcmp(s + i, sub, sn) == 0) {
      rc_buf_append(&o, rep, rn);
      i += sn;
    } else {
      rc_buf_putc(&o, s[i++]);
    }
  }
  return rc_func__buf_string(&o);
}
