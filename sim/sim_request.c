/* sim_request.c — building a call from raw pieces and parsing it: query
 * string and form body into sorted params, JSON body, the credential scope of
 * the Authorization header; parameter, filter and header lookups. */
#include "sim_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "common/rc_alloc.h"

static int hexval(int ch)
{
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

char *rc_sim__url_decode(const char *s, size_t n, bool plus_space)
{
  char *out = rc_malloc(n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n &&
        hexval((unsigned char)s[i + 1]) >= 0 && hexval((unsigned char)s[i + 2]) >= 0) {
      out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_space) {
      out[o++] = ' ';
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
  return out;
}

static void param_push(struct rc_sim_request *r, char *key, char *val)
{
  r->params = rc_realloc(r->params, (r->n_params + 1) * sizeof *r->params);
  r->params[r->n_params].key = key;
  r->params[r->n_params].val = val;
  r->n_params++;
}

void rc_sim__params_add_form(struct rc_sim_request *r, const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != '&') j++;
    if (j > i) {
      const char *eq = memchr(s + i, '=', j - i);
      size_t klen = eq ? (size_t)(eq - (s + i)) : j - i;
      char *key = rc_sim__url_decode(s + i, klen, true);
      char *val = eq ? rc_sim__url_decode(eq + 1, (size_t)(s + j - eq - 1), true) : rc_strdup("");
      param_push(r, key, val);
    }
    i = j + 1;
  }
}

struct keyed {
  struct rc_sim_kv kv;
  size_t order;
};

static int keyed_cmp(const void *a, const void *b)
{
  const struct keyed *x = a, *y = b;
  int d = strcmp(x->kv.key, y->kv.key);
  if (d) return d;
  return x->order < y->order ? -1 : x->order > y->order;
}

void rc_sim__params_sort(struct rc_sim_request *r)
{
  if (r->n_params < 2) return;
  struct keyed *k = rc_malloc(r->n_params * sizeof *k);
  for (size_t i = 0; i < r->n_params; i++) {
    k[i].kv = r->params[i];
    k[i].order = i;
  }
  qsort(k, r->n_params, sizeof *k, keyed_cmp); /* stable by original order */
  for (size_t i = 0; i < r->n_params; i++) r->params[i] = k[i].kv;
  rc_free(k);
}

struct rc_sim_call *rc_sim_call_new(const char *method, const char *uri, const char *body,
                                    size_t body_len)
{
  struct rc_sim_call *c = rc_calloc(1, sizeof *c);
  c->req.method = rc_strdup(method ? method : "GET");
  const char *q = uri ? strchr(uri, '?') : NULL;
  if (!uri || !*uri) uri = "/";
  c->req.path = q ? rc_strndup(uri, (size_t)(q - uri)) : rc_strdup(uri);
  c->req.query = rc_strdup(q ? q + 1 : "");
  c->req.body = rc_malloc(body_len + 1);
  if (body_len) memcpy(c->req.body, body, body_len);
  c->req.body[body_len] = '\0';
  c->req.body_len = body_len;
  c->resp.status = 200;
  rc_buf_init(&c->resp.body, 0);
  return c;
}

void rc_sim_call_header(struct rc_sim_call *c, const char *name, const char *value)
{
  struct rc_sim_request *r = &c->req;
  r->headers = rc_realloc(r->headers, (r->n_headers + 1) * sizeof *r->headers);
  char *n = rc_strdup(name);
  for (char *p = n; *p; p++) *p = (char)tolower((unsigned char)*p);
  r->headers[r->n_headers].key = n;
  r->headers[r->n_headers].val = rc_strdup(value ? value : "");
  r->n_headers++;
}

void rc_sim_call_free(struct rc_sim_call *c)
{
  if (!c) return;
  struct rc_sim_request *r = &c->req;
  rc_free(r->method);
  rc_free(r->path);
  rc_free(r->query);
  rc_free(r->body);
  for (size_t i = 0; i < r->n_headers; i++) {
    rc_free(r->headers[i].key);
    rc_free(r->headers[i].val);
  }
  rc_free(r->headers);
  for (size_t i = 0; i < r->n_params; i++) {
    rc_free(r->params[i].key);
    rc_free(r->params[i].val);
  }
  rc_free(r->params);
  if (r->json) json_decref(r->json);
  rc_buf_free(&c->resp.body);
  for (size_t i = 0; i < c->resp.n_headers; i++) {
    rc_free(c->resp.headers[i].key);
    rc_free(c->resp.headers[i].val);
  }
  rc_free(c);
}

const char *rc_sim_header_get(const struct rc_sim_call *c, const char *name)
{
  for (size_t i = 0; i < c->req.n_headers; i++)
    if (strcasecmp(c->req.headers[i].key, name) == 0) return c->req.headers[i].val;
  return NULL;
}

/* Copies the value of "Name=" from a comma-separated Authorization header. */
static bool auth_field(const char *h, const char *name, char *out, size_t outsz)
{
  size_t nl = strlen(name);
  const char *p = h;
  while ((p = strstr(p, name)) != NULL) {
    bool start = p == h || p[-1] == ' ' || p[-1] == ',';
    if (start && p[nl] == '=') {
      const char *v = p + nl + 1, *e = v;
      while (*e && *e != ',' && *e != ' ') e++;
      size_t n = (size_t)(e - v);
      if (n == 0 || n >= outsz) return false;
      memcpy(out, v, n);
      out[n] = '\0';
      return true;
    }
    p += nl;
  }
  return false;
}

/* Copies src into dst when it fits; false when it does not. */
static bool copy_field(char *dst, size_t dstsz, const char *src)
{
  size_t n = strlen(src);
  if (n >= dstsz) return false;
  memcpy(dst, src, n + 1);
  return true;
}

bool rc_sim__auth_parse(const char *header, struct rc_sim__auth *out, char *why, size_t whysz)
{
  memset(out, 0, sizeof *out);
  static const char algo[] = "AWS4-HMAC-SHA256 ";
  if (strncmp(header, algo, sizeof algo - 1) != 0) {
    snprintf(why, whysz, "Authorization header requires existence of either a 'X-Amz-Date' or"
                         " a 'Date' header. Authorization=%.40s", header);
    return false;
  }
  const char *rest = header + sizeof algo - 1;
  char cred[400];
  bool has_cred = auth_field(rest, "Credential", cred, sizeof cred);
  bool has_sh = auth_field(rest, "SignedHeaders", out->signed_headers, sizeof out->signed_headers);
  bool has_sig = auth_field(rest, "Signature", out->signature, sizeof out->signature);
  if (!has_cred || !has_sh || !has_sig) {
    snprintf(why, whysz, "%s%s%sAuthorization=%.60s",
             has_cred ? "" : "Authorization header requires 'Credential' parameter. ",
             has_sig ? "" : "Authorization header requires 'Signature' parameter. ",
             has_sh ? "" : "Authorization header requires 'SignedHeaders' parameter. ", header);
    return false;
  }
  /* AK/DATE/REGION/SERVICE/aws4_request */
  char *parts[5] = {0};
  char *p = cred;
  int n = 0;
  while (n < 5) {
    parts[n++] = p;
    char *slash = strchr(p, '/');
    if (!slash) break;
    *slash = '\0';
    p = slash + 1;
  }
  if (n != 5 || strcmp(parts[4], "aws4_request") != 0 || !*parts[0] || strlen(parts[1]) != 8 ||
      !*parts[2] || !*parts[3]) {
    snprintf(why, whysz, "Credential should be scoped to a valid region. ");
    return false;
  }
  if (!copy_field(out->access_key, sizeof out->access_key, parts[0]) ||
      !copy_field(out->date, sizeof out->date, parts[1]) ||
      !copy_field(out->region, sizeof out->region, parts[2]) ||
      !copy_field(out->service, sizeof out->service, parts[3])) {
    snprintf(why, whysz, "Credential should be scoped to a valid region. ");
    return false;
  }
  return true;
}

rc_status rc_sim_call_parse(struct rc_sim_call *c)
{
  struct rc_sim_request *r = &c->req;
  for (size_t i = 0; i < r->n_params; i++) {
    rc_free(r->params[i].key);
    rc_free(r->params[i].val);
  }
  r->n_params = 0;
  rc_sim__params_add_form(r, r->query, strlen(r->query));
  const char *ct = rc_sim_header_get(c, "content-type");
  const char *target = rc_sim_header_get(c, "x-amz-target");
  if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
    rc_sim__params_add_form(r, r->body, r->body_len);
  rc_sim__params_sort(r);
  if (r->json) json_decref(r->json);
  r->json = NULL;
  if (target || (ct && strstr(ct, "json"))) {
    json_error_t je;
    r->json = r->body_len ? json_loadb(r->body, r->body_len, 0, &je) : json_object();
  }
  r->action[0] = '\0';
  if (target) {
    const char *dot = strrchr(target, '.');
    snprintf(r->action, sizeof r->action, "%s", dot ? dot + 1 : target);
  } else {
    const char *a = rc_sim_param(c, "Action");
    if (a) snprintf(r->action, sizeof r->action, "%s", a);
  }
  r->service[0] = r->region[0] = r->access_key[0] = '\0';
  const char *auth = rc_sim_header_get(c, "authorization");
  struct rc_sim__auth a;
  char why[256];
  if (auth && rc_sim__auth_parse(auth, &a, why, sizeof why)) {
    snprintf(r->service, sizeof r->service, "%s", a.service);
    snprintf(r->region, sizeof r->region, "%s", a.region);
    snprintf(r->access_key, sizeof r->access_key, "%s", a.access_key);
  }
  if (!r->region[0]) snprintf(r->region, sizeof r->region, "us-east-1");
  return RC_OK;
}

static int kv_find(const struct rc_sim_kv *v, size_t n, const char *key)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].key, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && strcmp(v[lo].key, key) == 0 ? (int)lo : -1;
}

const char *rc_sim_param(const struct rc_sim_call *c, const char *key)
{
  int i = kv_find(c->req.params, c->req.n_params, key);
  return i < 0 ? NULL : c->req.params[i].val;
}

const char *rc_sim_paramf(const struct rc_sim_call *c, const char *fmt, ...)
{
  char key[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(key, sizeof key, fmt, ap);
  va_end(ap);
  return rc_sim_param(c, key);
}

/* Index N of "prefix.N" / "prefix.N.x" in key, or 0. */
static long key_index(const char *key, const char *prefix, size_t pl)
{
  if (strncmp(key, prefix, pl) != 0 || key[pl] != '.') return 0;
  const char *d = key + pl + 1;
  if (!isdigit((unsigned char)*d)) return 0;
  char *end;
  errno = 0;
  long v = strtol(d, &end, 10);
  if (errno || v <= 0 || v > 100000 || (*end && *end != '.')) return 0;
  return v;
}

int rc_sim_param_max(const struct rc_sim_call *c, const char *prefix)
{
  size_t pl = strlen(prefix);
  long best = 0;
  /* params are sorted, so every key with this prefix is in one run */
  char lo[520];
  snprintf(lo, sizeof lo, "%s.", prefix);
  size_t a = 0, b = c->req.n_params;
  while (a < b) {
    size_t m = a + (b - a) / 2;
    if (strcmp(c->req.params[m].key, lo) < 0)
      a = m + 1;
    else
      b = m;
  }
  for (size_t i = a; i < c->req.n_params && strncmp(c->req.params[i].key, lo, pl + 1) == 0; i++) {
    long v = key_index(c->req.params[i].key, prefix, pl);
    if (v > best) best = v;
  }
  return (int)best;
}

size_t rc_sim_param_list(const struct rc_sim_call *c, const char *prefix, const char ***out)
{
  int max = rc_sim_param_max(c, prefix);
  const char **v = rc_calloc((size_t)max + 1, sizeof *v);
  size_t n = 0;
  for (int i = 1; i <= max; i++) {
    const char *s = rc_sim_paramf(c, "%s.%d", prefix, i);
    if (s) v[n++] = s;
  }
  *out = v;
  return n;
}

bool rc_sim_param_int(const struct rc_sim_call *c, const char *key, int64_t *out, bool *bad)
{
  const char *s = rc_sim_param(c, key);
  if (!s) return false;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end) {
    if (bad) *bad = true;
    return false;
  }
  *out = v;
  return true;
}

bool rc_sim_param_bool(const struct rc_sim_call *c, const char *key, bool *out, bool *bad)
{
  const char *s = rc_sim_param(c, key);
  if (!s) return false;
  if (strcasecmp(s, "true") == 0)
    *out = true;
  else if (strcasecmp(s, "false") == 0)
    *out = false;
  else {
    if (bad) *bad = true;
    return false;
  }
  return true;
}

void rc_sim_filters_parse(const struct rc_sim_call *c, const char *prefix,
                          struct rc_sim_filters *out)
{
  memset(out, 0, sizeof *out);
  int max = rc_sim_param_max(c, prefix);
  for (int i = 1; i <= max; i++) {
    const char *name = rc_sim_paramf(c, "%s.%d.Name", prefix, i);
    if (!name) continue;
    out->v = rc_realloc(out->v, (out->n + 1) * sizeof *out->v);
    struct rc_sim_filter *f = &out->v[out->n++];
    f->name = rc_strdup(name);
    char vp[256];
    snprintf(vp, sizeof vp, "%s.%d.Value", prefix, i);
    const char **vals;
    f->n_values = rc_sim_param_list(c, vp, &vals);
    f->values = rc_calloc(f->n_values + 1, sizeof *f->values);
    for (size_t k = 0; k < f->n_values; k++) f->values[k] = rc_strdup(vals[k]);
    rc_free(vals);
  }
}

void rc_sim_filters_free(struct rc_sim_filters *f)
{
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) {
    rc_free(f->v[i].name);
    for (size_t k = 0; k < f->v[i].n_values; k++) rc_free(f->v[i].values[k]);
    rc_free(f->v[i].values);
  }
  rc_free(f->v);
  memset(f, 0, sizeof *f);
}

bool rc_sim_glob(const char *p, const char *s)
{
  const char *star = NULL, *ss = NULL;
  while (*s) {
    if (*p == '\\' && (p[1] == '*' || p[1] == '?' || p[1] == '\\') && p[1] == *s) {
      p += 2;
      s++;
    } else if (*p == '?' || (*p && *p != '*' && *p != '\\' && *p == *s)) {
      p++;
      s++;
    } else if (*p == '*') {
      star = p++;
      ss = s;
    } else if (star) {
      p = star + 1;
      s = ++ss;
    } else {
      return false;
    }
  }
  while (*p == '*') p++;
  return *p == '\0';
}

bool rc_sim_filter_match(const struct rc_sim_filter *f, const char *value)
{
  if (!value) return false;
  for (size_t i = 0; i < f->n_values; i++)
    if (rc_sim_glob(f->values[i], value)) return true;
  return false;
}
