/* SigV4 header signing (see sigv4.h for the rules followed). */
#include "sigv4.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "rc_buf.h"

#define CACHE_SLOTS 16

struct cache_slot {
  unsigned char id[32];  /* SHA-256 of secret|date|region|service */
  unsigned char key[32]; /* the derived signing key */
  bool used;
};

struct rc_sigv4_cache {
  pthread_mutex_t mu;
  struct cache_slot slots[CACHE_SLOTS];
  unsigned next;
};

struct rc_sigv4_cache *rc_sigv4_cache_new(void)
{
  struct rc_sigv4_cache *c = rc_calloc(1, sizeof *c);
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

void rc_sigv4_cache_free(struct rc_sigv4_cache *c)
{
  if (!c) return;
  pthread_mutex_destroy(&c->mu);
  OPENSSL_cleanse(c->slots, sizeof c->slots);
  rc_free(c);
}

static const char HEX[] = "0123456789abcdef";

static void to_hex(const unsigned char *d, size_t n, char *out)
{
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = HEX[d[i] >> 4];
    out[2 * i + 1] = HEX[d[i] & 15];
  }
  out[2 * n] = '\0';
}

void rc_sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
  unsigned char md[32];
  SHA256(data ? data : (const void *)"", len, md);
  to_hex(md, 32, hex);
}

static void hmac(const void *key, size_t klen, const char *msg, size_t mlen, unsigned char out[32])
{
  unsigned int olen = 32;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &olen);
}

void rc_sigv4_amz_date(time_t t, char out[17])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static bool unreserved(unsigned char c)
{
  return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

int rc_sigv4_uri_encode(struct rc_buf *buf, const char *s, size_t n, bool keep_slash)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    rc_status st;
    if (unreserved(c) || (keep_slash && c == '/')) {
      st = rc_buf_putc(buf, (char)c);
    } else {
      char e[3] = {'%', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15]};
      st = rc_buf_append(buf, e, 3);
    }
    if (st != RC_OK) return -1;
  }
  return 0;
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* %-decodes s[0..n) into a new string ('+' stays '+'). */
static char *pct_decode(const char *s, size_t n, size_t *outlen)
{
  char *o = rc_malloc(n + 1);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    int h, l;
    if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
        (l = hexval(s[i + 2])) >= 0) {
      o[j++] = (char)(h * 16 + l);
      i += 2;
    } else {
      o[j++] = s[i];
    }
  }
  o[j] = '\0';
  *outlen = j;
  return o;
}

/* botocore's remove_dot_segments, which also drops empty segments. */
static char *normalize_path(const char *path)
{
  size_t n = strlen(path);
  const char **segs = rc_calloc(n + 1, sizeof *segs);
  size_t *lens = rc_calloc(n + 1, sizeof *lens);
  size_t ns = 0;
  const char *p = path;
  while (true) {
    const char *e = strchr(p, '/');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == 0 || (l == 1 && p[0] == '.')) {
      /* skip */
    } else if (l == 2 && p[0] == '.' && p[1] == '.') {
      if (ns) ns--;
    } else {
      segs[ns] = p;
      lens[ns++] = l;
    }
    if (!e) break;
    p = e + 1;
  }
  struct rc_buf b;
  rc_buf_init(&b, 0);
  if (path[0] == '/') rc_buf_putc(&b, '/');
  for (size_t i = 0; i < ns; i++) {
    if (i) rc_buf_putc(&b, '/');
    rc_buf_append(&b, segs[i], lens[i]);
  }
  if (n && path[n - 1] == '/' && ns) rc_buf_putc(&b, '/');
  rc_free(segs);
  rc_free(lens);
  return rc_buf_detach(&b);
}

struct qpair {
  char *k, *v; /* encoded */
};

static int qpair_cmp(const void *a, const void *b)
{
  const struct qpair *x = a, *y = b;
  int c = strcmp(x->k, y->k);
  return c ? c : strcmp(x->v, y->v);
}

static char *encode_component(const char *s, size_t n)
{
  size_t dl;
  char *d = pct_decode(s, n, &dl);
  struct rc_buf b;
  rc_buf_init(&b, 0);
  rc_sigv4_uri_encode(&b, d, dl, false);
  rc_free(d);
  return rc_buf_detach(&b);
}

static void canonical_query(struct rc_buf *out, const char *q)
{
  if (!q || !*q) return;
  size_t cap = 1;
  for (const char *p = q; *p; p++) cap += *p == '&';
  struct qpair *pairs = rc_calloc(cap, sizeof *pairs);
  size_t np = 0;
  const char *p = q;
  while (true) {
    const char *e = strchr(p, '&');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l) {
      const char *eq = memchr(p, '=', l);
      size_t kl = eq ? (size_t)(eq - p) : l;
      pairs[np].k = encode_component(p, kl);
      pairs[np].v = eq ? encode_component(eq + 1, l - kl - 1) : rc_strdup("");
      np++;
    }
    if (!e) break;
    p = e + 1;
  }
  qsort(pairs, np, sizeof *pairs, qpair_cmp);
  for (size_t i = 0; i < np; i++) {
    rc_buf_printf(out, "%s%s=%s", i ? "&" : "", pairs[i].k, pairs[i].v);
    rc_free(pairs[i].k);
    rc_free(pairs[i].v);
  }
  rc_free(pairs);
}

struct hdr {
  char *name;  /* lower-case */
  char *value; /* trimmed, runs collapsed */
  size_t order;
};

static int hdr_cmp(const void *a, const void *b)
{
  const struct hdr *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

static char *lower_dup(const char *s)
{
  char *d = rc_strdup(s);
  for (char *p = d; *p; p++) *p = (char)tolower((unsigned char)*p);
  return d;
}

static char *trim_all(const char *s)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  bool pending = false;
  for (const char *p = s; *p; p++) {
    if (isspace((unsigned char)*p)) {
      pending = b.len > 0;
      continue;
    }
    if (pending) rc_buf_putc(&b, ' ');
    pending = false;
    rc_buf_putc(&b, *p);
  }
  return rc_buf_detach(&b);
}

static void derive_key(const struct rc_sigv4_in *in, const char *date, struct rc_sigv4_cache *cache,
                       unsigned char key[32])
{
  unsigned char id[32];
  if (cache) {
    char *m = rc_asprintf("%s%c%s%c%s%c%s", in->secret_key, 0, date, 0, in->region, 0, in->service);
    size_t ml = strlen(in->secret_key) + strlen(date) + strlen(in->region) + strlen(in->service) + 3;
    SHA256((const unsigned char *)m, ml, id);
    OPENSSL_cleanse(m, ml);
    rc_free(m);
    pthread_mutex_lock(&cache->mu);
    for (int i = 0; i < CACHE_SLOTS; i++)
      if (cache->slots[i].used && memcmp(cache->slots[i].id, id, 32) == 0) {
        memcpy(key, cache->slots[i].key, 32);
        pthread_mutex_unlock(&cache->mu);
        return;
      }
    pthread_mutex_unlock(&cache->mu);
  }
  size_t sl = strlen(in->secret_key);
  char *k0 = rc_malloc(sl + 5);
  memcpy(k0, "AWS4", 4);
  memcpy(k0 + 4, in->secret_key, sl + 1);
  unsigned char k1[32], k2[32], k3[32];
  hmac(k0, sl + 4, date, strlen(date), k1);
  OPENSSL_cleanse(k0, sl + 4);
  rc_free(k0);
  hmac(k1, 32, in->region, strlen(in->region), k2);
  hmac(k2, 32, in->service, strlen(in->service), k3);
  hmac(k3, 32, "aws4_request", 12, key);
  if (cache) {
    pthread_mutex_lock(&cache->mu);
    struct cache_slot *s = &cache->slots[cache->next++ % CACHE_SLOTS];
    memcpy(s->id, id, 32);
    memcpy(s->key, key, 32);
    s->used = true;
    pthread_mutex_unlock(&cache->mu);
  }
}

int rc_sigv4_sign(const struct rc_sigv4_in *in, struct rc_sigv4_cache *cache,
                  struct rc_sigv4_out *out)
{
  memset(out, 0, sizeof *out);
  if (!in->method || !in->region || !in->service || !in->access_key || !in->secret_key) return -1;
  rc_sigv4_amz_date(in->when, out->amz_date);
  rc_sigv4_sha256_hex(in->body, in->body_len, out->payload_hash);
  const char *token = in->session_token && *in->session_token ? in->session_token : NULL;

  /* headers: the given ones, host, x-amz-date, token, content hash */
  size_t cap = in->nheaders + 4, nh = 0;
  struct hdr *h = rc_calloc(cap, sizeof *h);
  bool have_host = false;
  for (size_t i = 0; i < in->nheaders; i++) {
    char *ln = lower_dup(in->headers[i].name);
    if (strcmp(ln, "x-amz-date") == 0 || strcmp(ln, "authorization") == 0 ||
        (token && strcmp(ln, "x-amz-security-token") == 0) ||
        ((in->s3 || in->sign_body_header) && strcmp(ln, "x-amz-content-sha256") == 0)) {
      rc_free(ln);
      continue;
    }
    if (strcmp(ln, "host") == 0) have_host = true;
    h[nh] = (struct hdr){ln, trim_all(in->headers[i].value), nh};
    nh++;
  }
  if (!have_host) {
    if (!in->host) {
      for (size_t i = 0; i < nh; i++) {
        rc_free(h[i].name);
        rc_free(h[i].value);
      }
      rc_free(h);
      return -1;
    }
    h[nh] = (struct hdr){rc_strdup("host"), trim_all(in->host), nh};
    nh++;
  }
  h[nh] = (struct hdr){rc_strdup("x-amz-date"), rc_strdup(out->amz_date), nh};
  nh++;
  if (token && !in->omit_session_token) {
    h[nh] = (struct hdr){rc_strdup("x-amz-security-token"), rc_strdup(token), nh};
    nh++;
  }
  if (in->s3 || in->sign_body_header) {
    h[nh] = (struct hdr){rc_strdup("x-amz-content-sha256"), rc_strdup(out->payload_hash), nh};
    nh++;
  }
  qsort(h, nh, sizeof *h, hdr_cmp);

  struct rc_buf cr, sh;
  rc_buf_init(&cr, 0);
  rc_buf_init(&sh, 0);
  rc_buf_printf(&cr, "%s\n", in->method);
  const char *path = in->path && *in->path ? in->path : "/";
  if (in->s3) {
    rc_buf_puts(&cr, path);
  } else {
    char *np = in->normalize ? normalize_path(path) : rc_strdup(path);
    rc_sigv4_uri_encode(&cr, np, strlen(np), true);
    rc_free(np);
  }
  rc_buf_putc(&cr, '\n');
  canonical_query(&cr, in->query);
  rc_buf_putc(&cr, '\n');
  for (size_t i = 0; i < nh; i++) {
    bool same = i > 0 && strcmp(h[i].name, h[i - 1].name) == 0;
    if (same) {
      rc_buf_printf(&cr, ",%s", h[i].value);
    } else {
      rc_buf_printf(&cr, "%s%s:%s", i ? "\n" : "", h[i].name, h[i].value);
      rc_buf_printf(&sh, "%s%s", sh.len ? ";" : "", h[i].name);
    }
  }
  rc_buf_printf(&cr, "\n\n%s\n%s", sh.ptr, out->payload_hash);

  char date[9];
  memcpy(date, out->amz_date, 8);
  date[8] = '\0';
  char crhash[65];
  rc_sigv4_sha256_hex(cr.ptr, cr.len, crhash);
  struct rc_buf sts;
  rc_buf_init(&sts, 0);
  rc_buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", out->amz_date, date,
                in->region, in->service, crhash);

  unsigned char key[32], sig[32];
  derive_key(in, date, cache, key);
  hmac(key, 32, sts.ptr, sts.len, sig);
  OPENSSL_cleanse(key, sizeof key);
  to_hex(sig, 32, out->signature);
  out->authorization =
      rc_asprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, Signature=%s",
                  in->access_key, date, in->region, in->service, sh.ptr, out->signature);
  out->canonical_request = rc_buf_detach(&cr);
  out->string_to_sign = rc_buf_detach(&sts);
  rc_buf_free(&sh);
  for (size_t i = 0; i < nh; i++) {
    rc_free(h[i].name);
    rc_free(h[i].value);
  }
  rc_free(h);
  return 0;
}

void rc_sigv4_out_free(struct rc_sigv4_out *out)
{
  if (!out) return;
  rc_free(out->canonical_request);
  rc_free(out->string_to_sign);
  if (out->authorization) OPENSSL_cleanse(out->authorization, strlen(out->authorization));
  rc_free(out->authorization);
  OPENSSL_cleanse(out->signature, sizeof out->signature);
  out->canonical_request = out->string_to_sign = out->authorization = NULL;
}
