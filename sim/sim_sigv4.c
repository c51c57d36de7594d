/* sim_sigv4.c — recon-sim's own SigV4 verifier (OpenSSL HMAC/SHA-256),
 * written apart from the client's signer so the two cannot share a mistake.
 * It rebuilds the canonical request from the call as received. */
#include "sim_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include "common/rc_alloc.h"

static void to_hex(const unsigned char *d, size_t n, char *out)
{
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  out[2 * n] = '\0';
}

void rc_sim__sha256_hex(const void *data, size_t n, char out[65])
{
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(data, n, md);
  to_hex(md, sizeof md, out);
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
  unsigned int len = 32;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len);
}

void rc_sim__sigv4_signature(const char *secret, const char *date, const char *region,
                             const char *service, const char *string_to_sign, char out[65])
{
  char k0[300];
  snprintf(k0, sizeof k0, "AWS4%s", secret);
  unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
  hmac(k0, strlen(k0), date, k1);
  hmac(k1, 32, region, k2);
  hmac(k2, 32, service, k3);
  hmac(k3, 32, "aws4_request", k4);
  hmac(k4, 32, string_to_sign, sig);
  to_hex(sig, 32, out);
}

static bool unreserved(unsigned char ch)
{
  return isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~';
}

static void uri_encode(struct rc_buf *b, const char *s, size_t n, bool keep_slash)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (unreserved(ch) || (keep_slash && ch == '/'))
      rc_buf_putc(b, (char)ch);
    else
      rc_buf_printf(b, "%%%02X", ch);
  }
}

/* Removes "." and ".." segments and empty segments (RFC 3986 5.2.4 as AWS
 * normalises paths for every service but S3). */
static char *normalize_path(const char *p)
{
  size_t n = strlen(p);
  char **seg = rc_calloc(n + 1, sizeof *seg);
  size_t ns = 0;
  const char *s = p;
  while (*s) {
    while (*s == '/') s++;
    const char *e = s;
    while (*e && *e != '/') e++;
    if (e == s) break;
    size_t len = (size_t)(e - s);
    if (len == 1 && s[0] == '.') {
    } else if (len == 2 && s[0] == '.' && s[1] == '.') {
      if (ns) rc_free(seg[--ns]);
    } else {
      seg[ns++] = rc_strndup(s, len);
    }
    s = e;
  }
  bool trailing = n > 1 && p[n - 1] == '/' && ns > 0;
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (size_t i = 0; i < ns; i++) {
    rc_buf_putc(&b, '/');
    rc_buf_puts(&b, seg[i]);
    rc_free(seg[i]);
  }
  if (ns == 0 || trailing) rc_buf_putc(&b, '/');
  rc_free(seg);
  return rc_buf_detach(&b);
}

struct qpair {
  char *k, *v;
};

static int qpair_cmp(const void *a, const void *b)
{
  const struct qpair *x = a, *y = b;
  int d = strcmp(x->k, y->k);
  return d ? d : strcmp(x->v, y->v);
}

static void canonical_query(struct rc_buf *out, const char *q)
{
  size_t n = strlen(q), np = 0;
  struct qpair *p = rc_calloc(n / 2 + 2, sizeof *p);
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && q[j] != '&') j++;
    if (j > i) {
      const char *eq = memchr(q + i, '=', j - i);
      size_t kl = eq ? (size_t)(eq - (q + i)) : j - i;
      char *k = rc_sim__url_decode(q + i, kl, false);
      char *v = eq ? rc_sim__url_decode(eq + 1, (size_t)(q + j - eq - 1), false) : rc_strdup("");
      if (strcmp(k, "X-Amz-Signature") == 0) {
        rc_free(k);
        rc_free(v);
      } else {
        struct rc_buf ek, ev;
        rc_buf_init(&ek, 0);
        rc_buf_init(&ev, 0);
        uri_encode(&ek, k, strlen(k), false);
        uri_encode(&ev, v, strlen(v), false);
        rc_free(k);
        rc_free(v);
        p[np].k = rc_buf_detach(&ek);
        p[np].v = rc_buf_detach(&ev);
        np++;
      }
    }
    i = j + 1;
  }
  qsort(p, np, sizeof *p, qpair_cmp);
  for (size_t k = 0; k < np; k++) {
    rc_buf_printf(out, "%s%s=%s", k ? "&" : "", p[k].k, p[k].v);
    rc_free(p[k].k);
    rc_free(p[k].v);
  }
  rc_free(p);
}

/* Trimmed value with runs of spaces folded to one, appended to b. */
static void header_value(struct rc_buf *b, const char *v)
{
  while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') v++;
  size_t start = b->len;
  bool space = false;
  for (; *v; v++) {
    bool ws = *v == ' ' || *v == '\t' || *v == '\n' || *v == '\r';
    if (ws) {
      space = true;
      continue;
    }
    if (space && b->len > start) rc_buf_putc(b, ' ');
    space = false;
    rc_buf_putc(b, *v);
  }
}

bool rc_sim__sigv4_verify(const struct rc_sim_call *c, const struct rc_sim__auth *a,
                          const char *secret, struct rc_buf *canonical)
{
  const char *date = rc_sim_header_get(c, "x-amz-date");
  if (!date) date = rc_sim_header_get(c, "date");
  if (!date || !secret) return false;
  struct rc_buf cr;
  rc_buf_init(&cr, 0);
  rc_buf_printf(&cr, "%s\n", c->req.method);
  bool s3 = strcmp(a->service, "s3") == 0;
  if (s3) {
    rc_buf_puts(&cr, c->req.path);
  } else {
    char *np = normalize_path(c->req.path);
    uri_encode(&cr, np, strlen(np), true);
    rc_free(np);
  }
  rc_buf_putc(&cr, '\n');
  canonical_query(&cr, c->req.query);
  rc_buf_putc(&cr, '\n');
  /* canonical headers, in SignedHeaders' order (already sorted by the client) */
  const char *sh = a->signed_headers;
  while (*sh) {
    const char *e = strchr(sh, ';');
    size_t len = e ? (size_t)(e - sh) : strlen(sh);
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)len, sh);
    rc_buf_printf(&cr, "%s:", name);
    bool first = true;
    for (size_t i = 0; i < c->req.n_headers; i++) {
      if (strcasecmp(c->req.headers[i].key, name) != 0) continue;
      if (!first) rc_buf_putc(&cr, ',');
      header_value(&cr, c->req.headers[i].val);
      first = false;
    }
    rc_buf_putc(&cr, '\n');
    sh += len;
    if (*sh == ';') sh++;
  }
  rc_buf_printf(&cr, "\n%s\n", a->signed_headers);
  const char *ph = rc_sim_header_get(c, "x-amz-content-sha256");
  char body_hash[65];
  if (!ph) {
    rc_sim__sha256_hex(c->req.body, c->req.body_len, body_hash);
    ph = body_hash;
  }
  rc_buf_puts(&cr, ph);
  char crh[65];
  rc_sim__sha256_hex(cr.ptr, cr.len, crh);
  char sts[512];
  snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", date, a->date,
           a->region, a->service, crh);
  char sig[65];
  rc_sim__sigv4_signature(secret, a->date, a->region, a->service, sts, sig);
  if (canonical) rc_buf_append(canonical, cr.ptr, cr.len);
  rc_buf_free(&cr);
  return strcasecmp(sig, a->signature) == 0;
}
