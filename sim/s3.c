/* s3.c — S3 (REST-XML, path style: /bucket/key) for remote state: buckets
 * (create, head, delete, list), objects (put with If-None-Match: * and
 * If-Match: <etag> conditional writes, get, head, delete) and ListObjectsV2
 * (prefix, delimiter, max-keys, continuation-token, start-after). ETags are
 * the quoted MD5 of the body. aws-chunked bodies are decoded. Versioning is
 * not simulated. Objects are kept sorted by key, as S3 lists them. */
#include <openssl/evp.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common/rc_alloc.h"
#include "sim.h"

#define S3_XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"

struct object {
  char *key;
  char *data;
  size_t len;
  char etag[40]; /* quoted md5 hex */
  char *ctype;
  uint64_t modified_ms;
};

struct bucket {
  char *name;
  uint64_t created_ms;
  struct object **objs;
  size_t n;
  struct rc_sim_tags tags;
};
static struct bucket **g_buckets;
static size_t g_nb;

static void object_free(struct object *o)
{
  if (!o) return;
  rc_free(o->key);
  rc_free(o->data);
  rc_free(o->ctype);
  rc_free(o);
}

static void bucket_free(struct bucket *b)
{
  for (size_t i = 0; i < b->n; i++) object_free(b->objs[i]);
  rc_free(b->objs);
  rc_free(b->name);
  rc_sim_tags_free(&b->tags);
  rc_free(b);
}

static void s3_reset(void)
{
  for (size_t i = 0; i < g_nb; i++) bucket_free(g_buckets[i]);
  rc_free(g_buckets);
  g_buckets = NULL;
  g_nb = 0;
}

static struct bucket *bucket_find(const char *name)
{
  for (size_t i = 0; i < g_nb; i++)
    if (strcmp(g_buckets[i]->name, name) == 0) return g_buckets[i];
  return NULL;
}

static size_t obj_pos(const struct bucket *b, const char *key, bool *found)
{
  size_t lo = 0, hi = b->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(b->objs[mid]->key, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = lo < b->n && strcmp(b->objs[lo]->key, key) == 0;
  return lo;
}

static int hexv(int ch)
{
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* %XX-decodes s[0..n) into a new string. */
static char *pct_decode(const char *s, size_t n)
{
  char *out = rc_malloc(n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' && i + 2 < n && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
      out[o++] = (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
  return out;
}

static void err(struct rc_sim_call *c, int status, const char *code, const char *msg,
                const char *tag, const char *val)
{
  rc_sim_error(c, status, code, "%s", msg);
  if (tag && val && c->resp.body.len > 14) {
    /* S3 errors name the bucket or key: insert before </Error> */
    struct rc_buf *b = &c->resp.body;
    char *end = strstr(b->ptr, "</Error>");
    if (end) {
      size_t at = (size_t)(end - b->ptr);
      struct rc_buf tail;
      rc_buf_init(&tail, 0);
      rc_buf_puts(&tail, end);
      b->len = at;
      b->ptr[at] = '\0';
      rc_buf_printf(b, "<%s>", tag);
      rc_sim_xml_escape(b, val);
      rc_buf_printf(b, "</%s>", tag);
      rc_buf_puts(b, tail.ptr);
      rc_buf_free(&tail);
    }
  }
  if (strcmp(c->req.method, "HEAD") == 0) rc_buf_reset(&c->resp.body);
}

static bool valid_bucket(const char *n)
{
  size_t len = strlen(n);
  if (len < 3 || len > 63) return false;
  if (!isalnum((unsigned char)n[0]) || !isalnum((unsigned char)n[len - 1])) return false;
  for (const char *p = n; *p; p++)
    if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '.'))
      return false;
  return true;
}

static void http_date(uint64_t ms, char *out, size_t outsz)
{
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, outsz, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The query parameter's decoded value (new) or NULL. */
static char *qparam(const struct rc_sim_call *c, const char *name)
{
  const char *q = c->req.query;
  size_t nl = strlen(name);
  while (q && *q) {
    const char *amp = strchr(q, '&');
    size_t len = amp ? (size_t)(amp - q) : strlen(q);
    if (len >= nl && strncmp(q, name, nl) == 0 && (len == nl || q[nl] == '=')) {
      if (len == nl) return rc_strdup("");
      return pct_decode(q + nl + 1, len - nl - 1);
    }
    q = amp ? amp + 1 : NULL;
  }
  return NULL;
}

/* Decodes an aws-chunked body (size;chunk-signature=...\r\ndata\r\n...). */
static bool dechunk(const char *in, size_t n, struct rc_buf *out)
{
  size_t i = 0;
  while (i < n) {
    char *end;
    unsigned long sz = strtoul(in + i, &end, 16);
    if (end == in + i) return false;
    const char *nl = memchr(end, '\n', n - (size_t)(end - in));
    if (!nl) return false;
    i = (size_t)(nl - in) + 1;
    if (sz == 0) return true;
    if (i + sz > n) return false;
    rc_buf_append(out, in + i, sz);
    i += sz;
    if (i < n && in[i] == '\r') i++;
    if (i < n && in[i] == '\n') i++;
  }
  return true;
}

static void md5_etag(const char *data, size_t len, char out[40])
{
  unsigned char d[16];
  unsigned int dl = 0;
  EVP_Digest(data, len, d, &dl, EVP_md5(), NULL);
  out[0] = '"';
  for (int i = 0; i < 16; i++) snprintf(out + 1 + 2 * i, 3, "%02x", d[i]);
  out[33] = '"';
  out[34] = '\0';
}

static void put_object(struct rc_sim_call *c, struct bucket *b, const char *key)
{
  bool found;
  size_t at = obj_pos(b, key, &found);
  const char *inm = rc_sim_header_get(c, "if-none-match");
  const char *im = rc_sim_header_get(c, "if-match");
  if (inm && strcmp(inm, "*") == 0 && found) {
    err(c, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did "
        "not hold", "Condition", "If-None-Match");
    return;
  }
  if (im && (!found || (strcmp(im, b->objs[at]->etag) != 0 && strcmp(im, "*") != 0))) {
    err(c, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did "
        "not hold", "Condition", "If-Match");
    return;
  }
  const char *sha = rc_sim_header_get(c, "x-amz-content-sha256");
  const char *ce = rc_sim_header_get(c, "content-encoding");
  struct rc_buf body;
  rc_buf_init(&body, 0);
  if ((sha && strncmp(sha, "STREAMING-", 10) == 0) || (ce && strstr(ce, "aws-chunked"))) {
    if (!dechunk(c->req.body, c->req.body_len, &body)) {
      rc_buf_free(&body);
      err(c, 400, "IncompleteBody", "The request body terminated unexpectedly", NULL, NULL);
      return;
    }
  } else {
    rc_buf_append(&body, c->req.body, c->req.body_len);
  }
  struct object *o = found ? b->objs[at] : rc_calloc(1, sizeof *o);
  if (!found) {
    o->key = rc_strdup(key);
    b->objs = rc_realloc(b->objs, (b->n + 1) * sizeof *b->objs);
    memmove(&b->objs[at + 1], &b->objs[at], (b->n - at) * sizeof *b->objs);
    b->objs[at] = o;
    b->n++;
  }
  rc_free(o->data);
  o->len = body.len;
  o->data = rc_buf_detach(&body);
  if (!o->data) o->data = rc_strdup("");
  md5_etag(o->data, o->len, o->etag);
  rc_free(o->ctype);
  const char *ct = rc_sim_header_get(c, "content-type");
  o->ctype = rc_strdup(ct ? ct : "binary/octet-stream");
  o->modified_ms = c->now_ms;
  rc_sim_reply_raw(c, 200, "application/xml", "", 0);
  rc_sim_header(c, "ETag", o->etag);
}

static void get_object(struct rc_sim_call *c, struct bucket *b, const char *key, bool head)
{
  bool found;
  size_t at = obj_pos(b, key, &found);
  if (!found) {
    if (head)
      rc_sim_reply_raw(c, 404, "application/xml", "", 0);
    else
      err(c, 404, "NoSuchKey", "The specified key does not exist.", "Key", key);
    return;
  }
  const struct object *o = b->objs[at];
  const char *inm = rc_sim_header_get(c, "if-none-match");
  const char *im = rc_sim_header_get(c, "if-match");
  if (im && strcmp(im, o->etag) != 0) {
    if (head)
      rc_sim_reply_raw(c, 412, "application/xml", "", 0);
    else
      err(c, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did "
          "not hold", "Condition", "If-Match");
    return;
  }
  char date[64];
  http_date(o->modified_ms, date, sizeof date);
  if (inm && strcmp(inm, o->etag) == 0) {
    rc_sim_reply_raw(c, 304, NULL, "", 0);
    rc_sim_header(c, "ETag", o->etag);
    return;
  }
  rc_sim_reply_raw(c, 200, o->ctype, o->data, o->len);
  rc_sim_header(c, "ETag", o->etag);
  rc_sim_header(c, "Last-Modified", date);
  rc_sim_header(c, "Accept-Ranges", "bytes");
}

static void list_objects(struct rc_sim_call *c, struct bucket *b)
{
  char *v2 = qparam(c, "list-type");
  char *prefix = qparam(c, "prefix"), *delim = qparam(c, "delimiter");
  char *token = qparam(c, "continuation-token"), *after = qparam(c, "start-after");
  char *marker = qparam(c, "marker"), *maxs = qparam(c, "max-keys");
  long max = 1000;
  if (maxs) {
    char *end;
    max = strtol(maxs, &end, 10);
    if (*end || max < 0) {
      err(c, 400, "InvalidArgument", "Provided max-keys not an integer or within integer range",
          "ArgumentName", "max-keys");
      goto out;
    }
    if (max > 1000) max = 1000;
  }
  const char *from = token && *token ? token : after ? after : marker;
  rc_sim_reply_begin(c);
  rc_buf_printf(&c->resp.body, "<ListBucketResult xmlns=\"%s\">", S3_XMLNS);
  rc_sim_xml_str(c, "Name", b->name);
  rc_sim_xml_str(c, "Prefix", prefix ? prefix : "");
  if (v2 && token) rc_sim_xml_str(c, "ContinuationToken", token);
  if (v2 && after) rc_sim_xml_str(c, "StartAfter", after);
  if (!v2) rc_sim_xml_str(c, "Marker", marker ? marker : "");
  if (delim) rc_sim_xml_str(c, "Delimiter", delim);
  rc_sim_xml_int(c, "MaxKeys", max);
  struct rc_buf contents, prefixes;
  rc_buf_init(&contents, 0);
  rc_buf_init(&prefixes, 0);
  long count = 0;
  bool truncated = false;
  const char *last = NULL, *last_cp = NULL;
  size_t last_cp_len = 0;
  for (size_t i = 0; i < b->n; i++) {
    const struct object *o = b->objs[i];
    if (prefix && strncmp(o->key, prefix, strlen(prefix)) != 0) continue;
    if (from && strcmp(o->key, from) <= 0) continue;
    const char *rest = o->key + (prefix ? strlen(prefix) : 0);
    const char *d = delim && *delim ? strstr(rest, delim) : NULL;
    if (d) {
      size_t cplen = (size_t)(d - o->key) + strlen(delim);
      if (last_cp && cplen == last_cp_len && strncmp(last_cp, o->key, cplen) == 0) continue;
      if (count == max) {
        truncated = true;
        break;
      }
      rc_buf_puts(&prefixes, "<CommonPrefixes><Prefix>");
      char *cp = rc_strndup(o->key, cplen);
      rc_sim_xml_escape(&prefixes, cp);
      rc_free(cp);
      rc_buf_puts(&prefixes, "</Prefix></CommonPrefixes>");
      last_cp = o->key;
      last_cp_len = cplen;
      last = o->key;
      count++;
      continue;
    }
    if (count == max) {
      truncated = true;
      break;
    }
    char date[40];
    rc_sim_iso8601(o->modified_ms, date, sizeof date);
    rc_buf_puts(&contents, "<Contents><Key>");
    rc_sim_xml_escape(&contents, o->key);
    rc_buf_printf(&contents, "</Key><LastModified>%s</LastModified><ETag>", date);
    rc_sim_xml_escape(&contents, o->etag);
    rc_buf_printf(&contents, "</ETag><Size>%zu</Size><StorageClass>STANDARD</StorageClass>"
                  "</Contents>", o->len);
    last = o->key;
    count++;
  }
  if (v2) rc_sim_xml_int(c, "KeyCount", count);
  rc_sim_xml_bool(c, "IsTruncated", truncated);
  if (truncated && last) {
    if (v2)
      rc_sim_xml_str(c, "NextContinuationToken", last);
    else
      rc_sim_xml_str(c, "NextMarker", last);
  }
  rc_buf_append(&c->resp.body, contents.ptr, contents.len);
  rc_buf_append(&c->resp.body, prefixes.ptr, prefixes.len);
  rc_buf_puts(&c->resp.body, "</ListBucketResult>");
  rc_buf_free(&contents);
  rc_buf_free(&prefixes);
out:
  rc_free(v2);
  rc_free(prefix);
  rc_free(delim);
  rc_free(token);
  rc_free(after);
  rc_free(marker);
  rc_free(maxs);
}

static void list_buckets(struct rc_sim_call *c)
{
  rc_sim_reply_begin(c);
  rc_buf_printf(&c->resp.body, "<ListAllMyBucketsResult xmlns=\"%s\"><Owner><ID>%s</ID>"
                "<DisplayName>recon-sim</DisplayName></Owner><Buckets>", S3_XMLNS, RC_SIM_ACCOUNT);
  for (size_t i = 0; i < g_nb; i++) {
    char date[40];
    rc_sim_iso8601(g_buckets[i]->created_ms, date, sizeof date);
    rc_sim_xml_open(c, "Bucket");
    rc_sim_xml_str(c, "Name", g_buckets[i]->name);
    rc_sim_xml_str(c, "CreationDate", date);
    rc_sim_xml_close(c, "Bucket");
  }
  rc_buf_puts(&c->resp.body, "</Buckets></ListAllMyBucketsResult>");
}

static void bucket_op(struct rc_sim_call *c, const char *name)
{
  const char *m = c->req.method;
  struct bucket *b = bucket_find(name);
  if (strcmp(m, "PUT") == 0) {
    if (!valid_bucket(name)) {
      err(c, 400, "InvalidBucketName", "The specified bucket is not valid.", "BucketName", name);
      return;
    }
    if (b) {
      err(c, 409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket "
          "succeeded and you already own it.", "BucketName", name);
      return;
    }
    b = rc_calloc(1, sizeof *b);
    b->name = rc_strdup(name);
    b->created_ms = c->now_ms;
    g_buckets = rc_realloc(g_buckets, (g_nb + 1) * sizeof *g_buckets);
    g_buckets[g_nb++] = b;
    rc_sim_reply_raw(c, 200, "application/xml", "", 0);
    char loc[300];
    snprintf(loc, sizeof loc, "/%s", name);
    rc_sim_header(c, "Location", loc);
    return;
  }
  if (!b) {
    if (strcmp(m, "HEAD") == 0)
      rc_sim_reply_raw(c, 404, "application/xml", "", 0);
    else
      err(c, 404, "NoSuchBucket", "The specified bucket does not exist", "BucketName", name);
    return;
  }
  if (strcmp(m, "HEAD") == 0) {
    rc_sim_reply_raw(c, 200, "application/xml", "", 0);
    rc_sim_header(c, "x-amz-bucket-region", c->req.region);
  } else if (strcmp(m, "DELETE") == 0) {
    if (b->n) {
      err(c, 409, "BucketNotEmpty", "The bucket you tried to delete is not empty", "BucketName",
          name);
      return;
    }
    for (size_t i = 0; i < g_nb; i++)
      if (g_buckets[i] == b) {
        memmove(&g_buckets[i], &g_buckets[i + 1], (g_nb - i - 1) * sizeof *g_buckets);
        g_nb--;
        break;
      }
    bucket_free(b);
    rc_sim_reply_raw(c, 204, "application/xml", "", 0);
  } else if (strcmp(m, "GET") == 0) {
    char *loc = qparam(c, "location");
    if (loc) {
      rc_free(loc);
      rc_sim_reply_begin(c);
      rc_buf_printf(&c->resp.body, "<LocationConstraint xmlns=\"%s\"/>", S3_XMLNS);
      return;
    }
    char *ver = qparam(c, "versioning");
    if (ver) {
      rc_free(ver);
      rc_sim_reply_begin(c);
      rc_buf_printf(&c->resp.body, "<VersioningConfiguration xmlns=\"%s\"/>", S3_XMLNS);
      return;
    }
    list_objects(c, b);
  } else {
    err(c, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
        "Method", m);
  }
}

static void s3_rest(struct rc_sim_call *c)
{
  const char *p = c->req.path;
  while (*p == '/') p++;
  const char *slash = strchr(p, '/');
  char *bucket = pct_decode(p, slash ? (size_t)(slash - p) : strlen(p));
  char *key = slash && slash[1] ? pct_decode(slash + 1, strlen(slash + 1)) : NULL;
  const char *m = c->req.method;
  if (!*bucket) {
    if (strcmp(m, "GET") == 0)
      list_buckets(c);
    else
      err(c, 405, "MethodNotAllowed", "The specified method is not allowed against this "
          "resource.", "Method", m);
    goto out;
  }
  if (!key) {
    bucket_op(c, bucket);
    goto out;
  }
  struct bucket *b = bucket_find(bucket);
  if (!b) {
    err(c, 404, "NoSuchBucket", "The specified bucket does not exist", "BucketName", bucket);
    goto out;
  }
  if (strcmp(m, "PUT") == 0) {
    put_object(c, b, key);
  } else if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0) {
    get_object(c, b, key, strcmp(m, "HEAD") == 0);
  } else if (strcmp(m, "DELETE") == 0) {
    bool found;
    size_t at = obj_pos(b, key, &found);
    if (found) {
      object_free(b->objs[at]);
      memmove(&b->objs[at], &b->objs[at + 1], (b->n - at - 1) * sizeof *b->objs);
      b->n--;
    }
    rc_sim_reply_raw(c, 204, "application/xml", "", 0);
  } else {
    err(c, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
        "Method", m);
  }
out:
  rc_free(bucket);
  rc_free(key);
}

static json_t *s3_save(void)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < g_nb; i++) {
    json_t *objs = json_array();
    for (size_t k = 0; k < g_buckets[i]->n; k++) {
      const struct object *o = g_buckets[i]->objs[k];
      json_array_append_new(objs, json_pack("{s:s,s:s,s:I,s:s,s:s%}", "key", o->key, "etag",
                                            o->etag, "size", (json_int_t)o->len, "content_type",
                                            o->ctype, "body", o->data, o->len));
    }
    json_array_append_new(arr, json_pack("{s:s,s:I,s:o,s:o}", "name", g_buckets[i]->name,
                                         "created_ms", (json_int_t)g_buckets[i]->created_ms,
                                         "objects", objs, "tags",
                                         rc_sim_tags_to_json(&g_buckets[i]->tags)));
  }
  return json_pack("{s:o}", "buckets", arr);
}

static rc_status s3_load(const json_t *st)
{
  json_t *arr = json_object_get(st, "buckets"), *v;
  size_t i;
  if (!arr) return RC_OK;
  if (!json_is_array(arr)) return RC_SYNTAX;
  json_array_foreach(arr, i, v)
  {
    const char *name = json_string_value(json_object_get(v, "name"));
    if (!name) return RC_SYNTAX;
    if (bucket_find(name)) continue;
    struct bucket *b = rc_calloc(1, sizeof *b);
    b->name = rc_strdup(name);
    b->created_ms = (uint64_t)json_integer_value(json_object_get(v, "created_ms"));
    size_t k;
    json_t *o;
    json_array_foreach(json_object_get(v, "objects"), k, o)
    {
      const char *key = json_string_value(json_object_get(o, "key"));
      json_t *body = json_object_get(o, "body");
      if (!key || !json_is_string(body)) continue;
      struct object *ob = rc_calloc(1, sizeof *ob);
      ob->key = rc_strdup(key);
      ob->len = json_string_length(body);
      ob->data = rc_malloc(ob->len + 1);
      memcpy(ob->data, json_string_value(body), ob->len);
      ob->data[ob->len] = '\0';
      md5_etag(ob->data, ob->len, ob->etag);
      ob->ctype = rc_strdup(json_string_value(json_object_get(o, "content_type")));
      bool found;
      size_t at = obj_pos(b, key, &found);
      b->objs = rc_realloc(b->objs, (b->n + 1) * sizeof *b->objs);
      memmove(&b->objs[at + 1], &b->objs[at], (b->n - at) * sizeof *b->objs);
      b->objs[at] = ob;
      b->n++;
    }
    g_buckets = rc_realloc(g_buckets, (g_nb + 1) * sizeof *g_buckets);
    g_buckets[g_nb++] = b;
  }
  return RC_OK;
}

const struct rc_sim_service rc_sim_svc_s3 = {
    .name = "s3",
    .protocol = RC_SIM_REST_XML,
    .xmlns = S3_XMLNS,
    .rest = s3_rest,
    .throttle_code = "SlowDown",
    .throttle_status = 503,
    .reset = s3_reset,
    .save = s3_save,
    .load = s3_load,
};
