/* The client: settings, the one exchange core (pace, sign, send, classify,
 * retry) shared by every protocol, rc_aws_call and its batch and paginated
 * forms, and the call counts. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws_int.h"
#include "rc_alloc.h"
#include "rc_limits.h"

/* --- default hooks: the real clock, sleep and random source --- */
static uint64_t real_now_ms(void *ud)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void real_sleep_ms(void *ud, uint64_t ms)
{
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static pthread_mutex_t rand_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t rand_state;

static double real_rand01(void *ud)
{
  pthread_mutex_lock(&rand_mu);
  if (!rand_state) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    rand_state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40) ^ 1u;
  }
  rand_state ^= rand_state << 13; /* xorshift64 */
  rand_state ^= rand_state >> 7;
  rand_state ^= rand_state << 17;
  uint64_t r = rand_state;
  pthread_mutex_unlock(&rand_mu);
  return (double)(r >> 11) / 9007199254740992.0;
}

static time_t real_wall(void *ud) { return time(NULL); }

void rc_aws__client_set_hooks(struct rc_aws_client *c, const struct rc_aws__hooks *h)
{
  c->hooks = *h;
  if (!c->hooks.now_ms) c->hooks.now_ms = real_now_ms;
  if (!c->hooks.sleep_ms) c->hooks.sleep_ms = real_sleep_ms;
  if (!c->hooks.rand01) c->hooks.rand01 = real_rand01;
  if (!c->hooks.wall) c->hooks.wall = real_wall;
}

uint64_t rc_aws__now_ms(const struct rc_aws_client *c) { return c->hooks.now_ms(c->hooks.ud); }
time_t rc_aws__wall(const struct rc_aws_client *c) { return c->hooks.wall(c->hooks.ud); }

/* --- the client --- */
rc_status rc_aws_client_new(const struct rc_aws_settings *s, struct rc_aws_client **out,
                            struct rc_error *err)
{
  *out = NULL;
  struct rc_aws_settings none = {0};
  if (!s) s = &none;
  struct rc_aws_client *c = rc_calloc(1, sizeof *c);
  c->profile = rc_strdup(s->profile && *s->profile ? s->profile : NULL);
  c->profile_explicit = c->profile != NULL;
  if (s->endpoints) c->endpoints = rc_value_incref(s->endpoints);
  c->assume_role_arn = rc_strdup(s->assume_role_arn && *s->assume_role_arn ? s->assume_role_arn : NULL);
  c->assume_role_session_name = rc_strdup(s->assume_role_session_name);
  c->assume_role_external_id = rc_strdup(s->assume_role_external_id);
  c->max_parallel = s->max_parallel > 0 ? s->max_parallel : 10;
  c->pacing_mode = s->pacing;
  rc_aws__client_set_hooks(c, &(struct rc_aws__hooks){0});
  rc_aws__budget_init(&c->budget);
  rc_aws__pacer_init(&c->pacer);
  pthread_mutex_init(&c->cred_mu, NULL);
  pthread_mutex_init(&c->count_mu, NULL);
  c->sigcache = rc_sigv4_cache_new();
  c->http = rc_aws__http_new(c->max_parallel);

  const char *r = s->region && *s->region ? s->region : NULL;
  if (!r) r = getenv("AWS_REGION");
  if (!r || !*r) r = getenv("AWS_DEFAULT_REGION");
  if (r && *r) c->region = rc_strdup(r);
  else c->region = rc_aws__profile_region(rc_aws__profile_name(c));
  if (!c->region || !*c->region) {
    rc_aws_client_free(c);
    return rc_error_set(err, RC_USAGE,
                        "no AWS region: set region in the provider block, AWS_REGION or "
                        "AWS_DEFAULT_REGION, or region in the profile's config");
  }
  *out = c;
  return RC_OK;
}

void rc_aws_client_free(struct rc_aws_client *c)
{
  if (!c) return;
  rc_aws__http_free(c->http);
  rc_sigv4_cache_free(c->sigcache);
  rc_aws__creds_clear(&c->creds);
  for (size_t i = 0; i < c->ncounts; i++) rc_free(c->counts[i].name);
  rc_free(c->counts);
  rc_value_decref(c->endpoints);
  rc_free(c->region);
  rc_free(c->profile);
  rc_free(c->assume_role_arn);
  rc_free(c->assume_role_session_name);
  rc_free(c->assume_role_external_id);
  pthread_mutex_destroy(&c->cred_mu);
  pthread_mutex_destroy(&c->count_mu);
  pthread_mutex_destroy(&c->budget.mu);
  pthread_mutex_destroy(&c->pacer.mu);
  rc_free(c);
}

const char *rc_aws_client_region(const struct rc_aws_client *c) { return c->region; }

void rc_aws_client_set_transport(struct rc_aws_client *c, rc_aws_transport_fn fn, void *ud)
{
  c->transport = fn;
  c->transport_ud = ud;
}

void rc_aws__count_call(struct rc_aws_client *c, const char *svc, const char *op)
{
  char name[256];
  snprintf(name, sizeof name, "%s.%s", svc, op);
  pthread_mutex_lock(&c->count_mu);
  for (size_t i = 0; i < c->ncounts; i++)
    if (strcmp(c->counts[i].name, name) == 0) {
      c->counts[i].n++;
      pthread_mutex_unlock(&c->count_mu);
      return;
    }
  if (c->ncounts == c->capcounts) {
    c->capcounts = c->capcounts ? c->capcounts * 2 : 16;
    c->counts = rc_realloc(c->counts, c->capcounts * sizeof *c->counts);
  }
  c->counts[c->ncounts++] = (struct rc_aws__count){rc_strdup(name), 1};
  pthread_mutex_unlock(&c->count_mu);
}

struct rc_value *rc_aws_client_counts(struct rc_aws_client *c)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  pthread_mutex_lock(&c->count_mu);
  for (size_t i = 0; i < c->ncounts; i++)
    rc_value_obj_put(o, c->counts[i].name, rc_value_int(c->counts[i].n));
  rc_value_obj_put(o, "retries", rc_value_int(c->retries));
  pthread_mutex_unlock(&c->count_mu);
  return o;
}

rc_status rc_aws__code_status(const char *code, int http_status)
{
  if (code && *code) {
    size_t n = strlen(code);
    if ((n >= 8 && strcmp(code + n - 8, "NotFound") == 0) ||
        (n >= 17 && strcmp(code + n - 17, "NotFoundException") == 0) ||
        strcmp(code, "NoSuchEntity") == 0 || strcmp(code, "ResourceNotFoundException") == 0 ||
        strcmp(code, "NoSuchKey") == 0 || strcmp(code, "NoSuchBucket") == 0)
      return RC_NOT_FOUND;
    if (strcmp(code, "DependencyViolation") == 0 || strncmp(code, "ResourceInUse", 13) == 0)
      return RC_DEPENDENCY;
    if (strcmp(code, "PreconditionFailed") == 0) return RC_CONFLICT;
    if (rc_aws__is_throttle_code(code)) return RC_THROTTLED;
  }
  if (http_status == 412) return RC_CONFLICT;
  return RC_AWS;
}

static bool pacing_on(const struct rc_aws_client *c, bool custom_endpoint)
{
  if (c->pacing_mode > 0) return true;
  if (c->pacing_mode < 0) return false;
  return !custom_endpoint;
}

/* Replaces control characters so a message stays on one line. */
static void one_line(char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s < 0x20) *s = ' ';
}

static void fill_error(const struct rc_aws__exchange *ex, const struct rc_aws_http_resp *resp,
                       const struct rc_aws__http_err *he, struct rc_error *e)
{
  memset(e, 0, sizeof *e);
  e->http_status = resp->status;
  if (resp->status == 0) {
    snprintf(e->msg, sizeof e->msg, "%s", he->msg[0] ? he->msg : "connection failed");
    return;
  }
  if (ex->svc->proto == RC_AWS_JSON11)
    rc_aws__json_error(resp->body, resp->len, resp->headers, e);
  else
    rc_aws__xml_error(resp->body, resp->len, e);
  if (!e->request_id[0])
    rc_aws__header(resp->headers, "x-amzn-requestid", e->request_id, sizeof e->request_id);
  if (!e->request_id[0])
    rc_aws__header(resp->headers, "x-amz-request-id", e->request_id, sizeof e->request_id);
  if (!e->aws_code[0]) {
    const char *c = resp->status == 404   ? "NotFound"
                    : resp->status == 412 ? "PreconditionFailed"
                    : resp->status == 403 ? "Forbidden"
                    : resp->status == 429 ? "TooManyRequestsException"
                    : resp->status == 503 ? "ServiceUnavailable"
                                          : "";
    snprintf(e->aws_code, sizeof e->aws_code, "%s", c);
  }
  if (!e->msg[0]) snprintf(e->msg, sizeof e->msg, "HTTP %d from %s", resp->status, ex->host);
  one_line(e->msg);
}

/* The request id of a query answer (<RequestId> or EC2's <requestId>), for the log. */
static void body_request_id(const char *body, size_t len, char *out, size_t outsz)
{
  const char *tags[] = {"<RequestId>", "<requestId>"};
  for (int t = 0; t < 2; t++) {
    const char *p = memmem(body, len, tags[t], 11);
    if (!p) continue;
    p += 11;
    const char *e = memchr(p, '<', len - (size_t)(p - body));
    if (e && (size_t)(e - p) < outsz) snprintf(out, outsz, "%.*s", (int)(e - p), p);
    return;
  }
}

static void push_header(const char **wire, size_t *n, char *line) { wire[(*n)++] = line; }

rc_status rc_aws__perform(struct rc_aws_client *c, const struct rc_aws__exchange *ex,
                          const struct rc_aws__creds *creds, struct rc_aws_http_resp *resp,
                          struct rc_error *err)
{
  memset(resp, 0, sizeof *resp);
  struct rc_aws__creds own = {0};
  if (!creds && !ex->unsigned_req) {
    rc_status st = rc_aws__creds_get(c, &own, err);
    if (st) return st;
    creds = &own;
  }
  bool custom = strncmp(ex->url, "https://", 8) != 0 || strstr(ex->host, "amazonaws.com") == NULL;
  int cat = pacing_on(c, custom) ? rc_aws__pacer_category(ex->svc->name, ex->op) : -1;
  uint64_t start = rc_aws__now_ms(c);
  int taken = 0;
  int throttles = 0, others = 0; /* failed attempts of each kind: separate limits */
  rc_status result = RC_OK;
  for (int attempt = 1;; attempt++) {
    if (cat >= 0) {
      uint64_t w = rc_aws__pacer_reserve(&c->pacer, cat, rc_aws__now_ms(c));
      if (w) {
        rc_aws__log(RC_AWS_LOG_TRACE, "%s.%s paced for %llums", ex->svc->name, ex->op,
                    (unsigned long long)w);
        c->hooks.sleep_ms(c->hooks.ud, w);
      }
    }
    /* headers: Host, the caller's, then what signing adds */
    size_t nwire = 0, cap = ex->nheaders + 8;
    const char **wire = rc_calloc(cap, sizeof *wire);
    char **owned = rc_calloc(cap, sizeof *owned);
    size_t nowned = 0;
    owned[nowned] = rc_asprintf("Host: %s", ex->host);
    push_header(wire, &nwire, owned[nowned++]);
    for (size_t i = 0; i < ex->nheaders; i++) {
      owned[nowned] = rc_asprintf("%s: %s", ex->headers[i].name, ex->headers[i].value);
      push_header(wire, &nwire, owned[nowned++]);
    }
    struct rc_sigv4_out so = {0};
    if (!ex->unsigned_req) {
      struct rc_sigv4_header *sh = rc_calloc(ex->nheaders + 1, sizeof *sh);
      sh[0] = (struct rc_sigv4_header){"host", ex->host};
      for (size_t i = 0; i < ex->nheaders; i++) sh[i + 1] = ex->headers[i];
      struct rc_sigv4_in in = {
          .method = ex->method, .path = ex->path, .query = ex->query, .headers = sh,
          .nheaders = ex->nheaders + 1, .body = ex->body, .body_len = ex->len,
          .region = ex->signing_region, .service = ex->svc->signing_name,
          .access_key = creds->access_key, .secret_key = creds->secret_key,
          .session_token = creds->session_token, .when = rc_aws__wall(c),
          .s3 = ex->svc->proto == RC_AWS_RESTXML, .normalize = true};
      rc_sigv4_sign(&in, c->sigcache, &so);
      rc_free(sh);
      owned[nowned] = rc_asprintf("X-Amz-Date: %s", so.amz_date);
      push_header(wire, &nwire, owned[nowned++]);
      if (creds->session_token && *creds->session_token) {
        owned[nowned] = rc_asprintf("X-Amz-Security-Token: %s", creds->session_token);
        push_header(wire, &nwire, owned[nowned++]);
      }
      if (in.s3) {
        owned[nowned] = rc_asprintf("X-Amz-Content-SHA256: %s", so.payload_hash);
        push_header(wire, &nwire, owned[nowned++]);
      }
      owned[nowned] = rc_asprintf("Authorization: %s", so.authorization);
      push_header(wire, &nwire, owned[nowned++]);
      rc_sigv4_out_free(&so);
    }
    wire[nwire] = NULL;
    struct rc_aws_http_req req = {.method = ex->method, .url = ex->url, .body = ex->body,
                                  .body_len = ex->len, .headers = wire};
    struct rc_aws__http_err he = {0};
    uint64_t t0 = rc_aws__now_ms(c);
    if (c->transport) {
      c->transport(c->transport_ud, &req, resp);
      if (resp->status == 0) snprintf(he.msg, sizeof he.msg, "connection failed");
    } else {
      rc_aws__http_do(c->http, &req, NULL, resp, &he);
    }
    uint64_t dur = rc_aws__now_ms(c) - t0;
    for (size_t i = 0; i < nowned; i++) {
      size_t l = strlen(owned[i]);
      memset(owned[i], 0, l); /* wipes the token and signature lines */
      rc_free(owned[i]);
    }
    rc_free(owned);
    rc_free(wire);

    if (resp->status >= 200 && resp->status < 300) {
      char rid[128] = "";
      if (!rc_aws__header(resp->headers, "x-amzn-requestid", rid, sizeof rid))
        rc_aws__header(resp->headers, "x-amz-request-id", rid, sizeof rid);
      if (!rid[0] && resp->body) body_request_id(resp->body, resp->len, rid, sizeof rid);
      rc_aws__log(RC_AWS_LOG_DEBUG, "%s.%s attempt=%d status=%d %llums request_id=%s",
                  ex->svc->name, ex->op, attempt, resp->status, (unsigned long long)dur,
                  rid[0] ? rid : "-");
      rc_aws__log(RC_AWS_LOG_TRACE, "%s %s -> %zu bytes", ex->method, ex->url, resp->len);
      rc_aws__budget_success(&c->budget, taken);
      result = RC_OK;
      break;
    }
    struct rc_error e;
    fill_error(ex, resp, &he, &e);
    enum rc_aws__retry_kind kind = rc_aws__retry_classify(resp->status, e.aws_code, &he);
    rc_aws__log(RC_AWS_LOG_DEBUG, "%s.%s attempt=%d status=%d %llums request_id=%s error=%s",
                ex->svc->name, ex->op, attempt, resp->status, (unsigned long long)dur,
                e.request_id[0] ? e.request_id : "-", e.aws_code[0] ? e.aws_code : e.msg);
    uint64_t elapsed = rc_aws__now_ms(c) - start;
    /* As the SDKs' standard mode: throttling is bounded by its own count,
     * other retryable errors by theirs, so a 5xx after a run of throttles is
     * still retried; both stop at the 2-minute deadline, so an endpoint that
     * drips or hangs costs one request timeout, not five. The backoff grows
     * with every attempt. */
    if (kind == RC_RETRY_THROTTLE) throttles++;
    else others++;
    bool more = elapsed < RC_AWS_THROTTLE_DEADLINE_MS &&
                (kind == RC_RETRY_THROTTLE ? throttles < RC_LIMIT_THROTTLE_ATTEMPTS
                                           : others < RC_LIMIT_RETRY_ATTEMPTS);
    bool budget_ok = false;
    if (kind != RC_RETRY_NO && more) budget_ok = rc_aws__budget_take(&c->budget, kind, &taken);
    if (kind != RC_RETRY_NO && more && budget_ok) {
      uint64_t d = rc_aws__backoff_ms(c->hooks.rand01(c->hooks.ud), attempt);
      rc_aws__log(RC_AWS_LOG_DEBUG, "retry %s.%s attempt %d in %llums after %s", ex->svc->name,
                  ex->op, attempt + 1, (unsigned long long)d,
                  e.aws_code[0] ? e.aws_code : (kind == RC_RETRY_TIMEOUT ? "timeout" : e.msg));
      pthread_mutex_lock(&c->count_mu);
      c->retries++;
      pthread_mutex_unlock(&c->count_mu);
      rc_aws__http_resp_free(resp);
      c->hooks.sleep_ms(c->hooks.ud, d);
      continue;
    }
    rc_status code;
    if (resp->status == 0) code = he.too_big ? RC_TOO_BIG : RC_NETWORK;
    else if (kind == RC_RETRY_THROTTLE) code = RC_THROTTLED;
    else code = rc_aws__code_status(e.aws_code, resp->status);
    if (err && err->code == RC_OK) {
      char tail[160] = "";
      if (attempt > 1)
        snprintf(tail, sizeof tail, " (after %d attempts%s)", attempt,
                 kind != RC_RETRY_NO && more && !budget_ok ? ", retry budget spent" : "");
      if (resp->status == 0)
        rc_error_set(err, code, "%s.%s: %s%s", ex->svc->name, ex->op, e.msg, tail);
      else
        rc_error_set(err, code, "%s%s", e.msg, tail);
      snprintf(err->aws_code, sizeof err->aws_code, "%s", e.aws_code);
      snprintf(err->request_id, sizeof err->request_id, "%s", e.request_id);
      err->http_status = resp->status;
      err->attempts = attempt;
    }
    rc_aws__http_resp_free(resp);
    result = code;
    break;
  }
  rc_aws__creds_clear(&own);
  return result;
}

rc_status rc_aws__call_with(struct rc_aws_client *c, const char *service, const char *op,
                            const struct rc_value *params, const struct rc_aws__creds *creds,
                            bool unsigned_req, struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const struct rc_aws__svc *s = rc_aws__svc_find(service);
  if (!s) return rc_error_set(err, RC_USAGE, "unknown AWS service \"%s\"", service);
  if (s->proto == RC_AWS_RESTXML)
    return rc_error_set(err, RC_USAGE, "s3 is called through rc_aws_s3_*, not rc_aws_call");
  struct rc_aws__endpoint ep;
  rc_status st = rc_aws__endpoint_resolve(c, s, &ep, err);
  if (st) return st;
  struct rc_aws__wire w = {0};
  st = s->proto == RC_AWS_QUERY ? rc_aws__query_encode(s, op, params, &w, err)
                                : rc_aws__json_encode(s, op, params, &w, err);
  if (st) goto out;
  struct rc_sigv4_header hs[2] = {{"Content-Type", w.content_type}, {"X-Amz-Target", w.target}};
  char *url = rc_asprintf("%s/", ep.base);
  char *path = rc_asprintf("%s/", ep.path);
  struct rc_aws__exchange ex = {.svc = s, .op = op, .method = "POST", .url = url,
                                .host = ep.host, .path = path, .headers = hs,
                                .nheaders = w.target[0] ? 2 : 1, .body = w.body.ptr,
                                .len = w.body.len, .signing_region = ep.signing_region,
                                .unsigned_req = unsigned_req};
  struct rc_aws_http_resp resp;
  st = rc_aws__perform(c, &ex, creds, &resp, err);
  if (st == RC_OK && s->proto == RC_AWS_QUERY) {
    st = rc_aws__query_decode(s, op, resp.body, resp.len, out, err);
  } else if (st == RC_OK) {
    struct rc_error de = {0};
    st = rc_aws__json_decode(resp.body, resp.len, out, &de);
    if (st) rc_error_set(err, st, "%s %s: %s", s->name, op, de.msg);
  }
  rc_aws__http_resp_free(&resp); /* perform leaves it empty on failure */
  rc_free(url);
  rc_free(path);
out:
  rc_buf_free(&w.body);
  rc_aws__endpoint_free(&ep);
  return st;
}

rc_status rc_aws_call(struct rc_aws_client *c, const char *service, const char *op,
                      const struct rc_value *params, struct rc_value **out,
                      struct rc_error *err)
{
  const struct rc_aws__svc *s = rc_aws__svc_find(service);
  rc_aws__count_call(c, s ? s->name : service, op);
  return rc_aws__call_with(c, service, op, params, NULL, false, out, err);
}

/* --- the batch form: min(n, max_parallel) threads take requests in order --- */
struct many {
  struct rc_aws_client *c;
  struct rc_aws_req *reqs;
  size_t n, next;
  pthread_mutex_t mu;
};

static void *many_worker(void *arg)
{
  struct many *m = arg;
  for (;;) {
    pthread_mutex_lock(&m->mu);
    size_t i = m->next++;
    pthread_mutex_unlock(&m->mu);
    if (i >= m->n) return NULL;
    struct rc_aws_req *r = &m->reqs[i];
    rc_error_clear(&r->err);
    r->out = NULL;
    r->status = rc_aws_call(m->c, r->service, r->op, r->params, &r->out, &r->err);
  }
}

void rc_aws_call_many(struct rc_aws_client *c, struct rc_aws_req *reqs, size_t n)
{
  if (n == 0) return;
  struct many m = {.c = c, .reqs = reqs, .n = n};
  pthread_mutex_init(&m.mu, NULL);
  size_t nt = n < (size_t)c->max_parallel ? n : (size_t)c->max_parallel;
  pthread_t *th = rc_calloc(nt, sizeof *th);
  size_t started = 0;
  for (size_t i = 0; i + 1 < nt; i++)
    if (pthread_create(&th[started], NULL, many_worker, &m) == 0) started++;
  many_worker(&m); /* the caller works too */
  for (size_t i = 0; i < started; i++) pthread_join(th[i], NULL);
  rc_free(th);
  pthread_mutex_destroy(&m.mu);
}

/* --- pagination --- */
static const struct {
  const char *answer, *request;
} tokens[] = {{"NextToken", "NextToken"}, {"nextToken", "nextToken"},
              {"NextMarker", "Marker"},   {"Marker", "Marker"}};

rc_status rc_aws_call_all(struct rc_aws_client *c, const char *service, const char *op,
                          const struct rc_value *params, const char *list_key,
                          struct rc_value **out_list, struct rc_error *err)
{
  *out_list = NULL;
  struct rc_value *all = rc_value_seq_new(RC_TUPLE);
  struct rc_value *p = params ? rc_value_copy(params) : rc_value_obj_new(RC_OBJECT);
  char *prev = NULL;
  rc_status st = RC_OK;
  const struct rc_aws__svc *sd = rc_aws__svc_find(service);
  bool svc_query = sd && sd->proto == RC_AWS_QUERY;
  for (int page = 0; page < 100000; page++) {
    struct rc_value *ans = NULL;
    st = rc_aws_call(c, service, op, p, &ans, err);
    if (st) break;
    const struct rc_value *l = rc_aws_list(ans, list_key);
    for (size_t i = 0; i < rc_value_len(l); i++)
      rc_value_seq_push(all, rc_value_incref(rc_value_index(l, i)));
    const char *tok = NULL, *req_key = NULL;
    for (size_t t = 0; t < sizeof tokens / sizeof *tokens && !tok; t++) {
      const char *v = rc_aws_str(ans, tokens[t].answer);
      if (v && *v) {
        tok = v;
        req_key = tokens[t].request;
        if (strcmp(req_key, "nextToken") == 0 && svc_query) req_key = "NextToken"; /* EC2 */
      }
    }
    const char *trunc = rc_aws_str(ans, "IsTruncated");
    bool done = !tok || (trunc && strcmp(trunc, "false") == 0) || (prev && strcmp(prev, tok) == 0);
    if (!done) {
      rc_free(prev);
      prev = rc_strdup(tok);
      struct rc_value *np = rc_value_copy(p);
      rc_value_obj_put(np, req_key, rc_value_string(tok));
      rc_value_decref(p);
      p = np;
    }
    rc_value_decref(ans);
    if (done) break;
  }
  rc_free(prev);
  rc_value_decref(p);
  if (st) {
    rc_value_decref(all);
    return st;
  }
  *out_list = all;
  return RC_OK;
}

/* --- building parameters --- */
void rc_aws_param(struct rc_value *params, const char *key, const char *val)
{
  rc_value_obj_put(params, key, rc_value_string(val ? val : ""));
}

void rc_aws_paramf(struct rc_value *params, const char *val, const char *key_fmt, ...)
{
  char key[512];
  va_list ap;
  va_start(ap, key_fmt);
  vsnprintf(key, sizeof key, key_fmt, ap);
  va_end(ap);
  rc_aws_param(params, key, val);
}

void rc_aws_param_tag_spec(struct rc_value *params, int n, const char *resource_type,
                           const struct rc_value *tags)
{
  if (!tags || !rc_value_is_obj(tags) || rc_value_len(tags) == 0) return;
  rc_aws_paramf(params, resource_type, "TagSpecification.%d.ResourceType", n);
  int m = 0;
  for (size_t i = 0; i < rc_value_len(tags); i++) {
    const struct rc_value *v = rc_value_index(tags, i);
    char num[64];
    const char *s = rc_value_str(v);
    if (!s && rc_value_kind(v) == RC_NUMBER) {
      rc_value_format_number(v, num, sizeof num);
      s = num;
    } else if (!s && rc_value_kind(v) == RC_BOOL) {
      s = rc_value_bool_get(v) ? "true" : "false";
    }
    m++;
    rc_aws_paramf(params, rc_value_key(tags, i), "TagSpecification.%d.Tag.%d.Key", n, m);
    rc_aws_paramf(params, s ? s : "", "TagSpecification.%d.Tag.%d.Value", n, m);
  }
}

/* --- reading answers --- */
static struct rc_value *empty_tuple;
static pthread_once_t empty_once = PTHREAD_ONCE_INIT;
static void make_empty(void) { empty_tuple = rc_value_seq_new(RC_TUPLE); }

const struct rc_value *rc_aws_list(const struct rc_value *v, const char *key)
{
  pthread_once(&empty_once, make_empty);
  const struct rc_value *l = v && rc_value_is_obj(v) ? rc_value_get(v, key) : NULL;
  if (l && rc_value_is_seq(l)) return l;
  return empty_tuple;
}

const char *rc_aws_str(const struct rc_value *v, const char *key)
{
  if (!v || !rc_value_is_obj(v)) return NULL;
  return rc_value_str(rc_value_get(v, key));
}

struct rc_value *rc_aws_tags_to_object(const struct rc_value *list)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  if (!list) return o;
  if (rc_value_is_obj(list)) {
    for (size_t i = 0; i < rc_value_len(list); i++)
      rc_value_obj_put(o, rc_value_key(list, i), rc_value_incref(rc_value_index(list, i)));
    return o;
  }
  if (!rc_value_is_seq(list)) return o;
  for (size_t i = 0; i < rc_value_len(list); i++) {
    const struct rc_value *t = rc_value_index(list, i);
    const char *k = rc_aws_str(t, "Key");
    if (!k) k = rc_aws_str(t, "key");
    const char *v = rc_aws_str(t, "Value");
    if (!v) v = rc_aws_str(t, "value");
    if (k) rc_value_obj_put(o, k, rc_value_string(v ? v : ""));
  }
  return o;
}
