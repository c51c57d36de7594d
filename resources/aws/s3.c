/* S3 over REST-XML, the four calls the remote state backend needs: PutObject
 * (with If-Match / If-None-Match: * for optimistic locking), GetObject,
 * HeadObject and DeleteObject. Virtual-host addressing on AWS
 * (https://<bucket>.s3.<region>.amazonaws.com/<key>), path style under an
 * endpoint override (<endpoint>/<bucket>/<key>). Keys are URI-encoded once,
 * '/' kept; S3 signs the path as sent. */
#include <stdlib.h>
#include <string.h>

#include "aws_int.h"
#include "rc_alloc.h"

struct s3_target {
  struct rc_aws__endpoint ep;
  char *url, *host, *path;
};

static rc_status target(struct rc_aws_client *c, const char *bucket, const char *key,
                        struct s3_target *t, struct rc_error *err)
{
  memset(t, 0, sizeof *t);
  const struct rc_aws__svc *s = rc_aws__svc_find("s3");
  rc_status st = rc_aws__endpoint_resolve(c, s, &t->ep, err);
  if (st) return st;
  if (!bucket || !*bucket || !key || !*key)
    return rc_error_set(err, RC_USAGE, "s3: a bucket and a key are needed");
  struct rc_buf k;
  rc_buf_init(&k, 0);
  rc_sigv4_uri_encode(&k, key, strlen(key), true);
  bool dns_ok = strchr(bucket, '.') == NULL;
  if (t->ep.custom || !dns_ok) {
    t->host = rc_strdup(t->ep.host);
    t->path = rc_asprintf("%s/%s/%s", t->ep.path, bucket, k.ptr);
    const char *scheme = strncmp(t->ep.base, "http://", 7) == 0 ? "http" : "https";
    t->url = rc_asprintf("%s://%s%s", scheme, t->host, t->path);
  } else {
    t->host = rc_asprintf("%s.%s", bucket, t->ep.host);
    t->path = rc_asprintf("/%s", k.ptr);
    t->url = rc_asprintf("https://%s%s", t->host, t->path);
  }
  rc_buf_free(&k);
  return RC_OK;
}

static void target_free(struct s3_target *t)
{
  rc_aws__endpoint_free(&t->ep);
  rc_free(t->url);
  rc_free(t->host);
  rc_free(t->path);
}

static rc_status s3_do(struct rc_aws_client *c, const char *op, const char *method,
                       const char *bucket, const char *key, const struct rc_sigv4_header *hs,
                       size_t nh, const char *body, size_t len, struct rc_aws_http_resp *resp,
                       struct rc_error *err)
{
  struct s3_target t;
  rc_status st = target(c, bucket, key, &t, err);
  if (st) {
    target_free(&t);
    return st;
  }
  char name[64];
  snprintf(name, sizeof name, "%s", op);
  struct rc_aws__exchange ex = {.svc = rc_aws__svc_find("s3"), .op = name, .method = method,
                                .url = t.url, .host = t.host, .path = t.path, .headers = hs,
                                .nheaders = nh, .body = body, .len = len,
                                .signing_region = t.ep.signing_region};
  rc_aws__count_call(c, "s3", op);
  st = rc_aws__perform(c, &ex, NULL, resp, err);
  target_free(&t);
  return st;
}

static void copy_etag(const struct rc_aws_http_resp *r, char etag[128])
{
  etag[0] = '\0';
  rc_aws__header(r->headers, "etag", etag, 128);
}

rc_status rc_aws_s3_put(struct rc_aws_client *c, const char *bucket, const char *key,
                        const char *body, size_t len, const char *if_match,
                        bool if_none_match_star, char etag_out[128], struct rc_error *err)
{
  struct rc_sigv4_header hs[3];
  size_t nh = 0;
  hs[nh++] = (struct rc_sigv4_header){"Content-Type", "application/octet-stream"};
  if (if_match && *if_match) hs[nh++] = (struct rc_sigv4_header){"If-Match", if_match};
  if (if_none_match_star) hs[nh++] = (struct rc_sigv4_header){"If-None-Match", "*"};
  struct rc_aws_http_resp r;
  rc_status st = s3_do(c, "PutObject", "PUT", bucket, key, hs, nh, body, len, &r, err);
  if (st) return st;
  if (etag_out) copy_etag(&r, etag_out);
  rc_aws__http_resp_free(&r);
  return RC_OK;
}

rc_status rc_aws_s3_get(struct rc_aws_client *c, const char *bucket, const char *key,
                        struct rc_s3_object *out, struct rc_error *err)
{
  memset(out, 0, sizeof *out);
  struct rc_aws_http_resp r;
  rc_status st = s3_do(c, "GetObject", "GET", bucket, key, NULL, 0, NULL, 0, &r, err);
  if (st) return st;
  out->body = r.body;
  out->len = r.len;
  copy_etag(&r, out->etag);
  rc_free(r.headers);
  return RC_OK;
}

rc_status rc_aws_s3_head(struct rc_aws_client *c, const char *bucket, const char *key,
                         char etag_out[128], size_t *size_out, struct rc_error *err)
{
  struct rc_aws_http_resp r;
  rc_status st = s3_do(c, "HeadObject", "HEAD", bucket, key, NULL, 0, NULL, 0, &r, err);
  if (st) return st;
  if (etag_out) copy_etag(&r, etag_out);
  if (size_out) {
    char cl[32] = "";
    rc_aws__header(r.headers, "content-length", cl, sizeof cl);
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    *size_out = end != cl ? (size_t)n : 0;
  }
  rc_aws__http_resp_free(&r);
  return RC_OK;
}

rc_status rc_aws_s3_delete(struct rc_aws_client *c, const char *bucket, const char *key,
                           struct rc_error *err)
{
  struct rc_aws_http_resp r;
  rc_status st = s3_do(c, "DeleteObject", "DELETE", bucket, key, NULL, 0, NULL, 0, &r, err);
  if (st) return st;
  rc_aws__http_resp_free(&r);
  return RC_OK;
}
