/* sim_core.c — recon-sim's core: configuration, the global lock, clock and
 * deterministic ids, routing and authentication, injected misbehaviour, call
 * counters, the /_sim/ endpoints and the state file. */
#include "sim_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common/rc_alloc.h"

struct rc_sim_config rc_sim_config;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_rng = 0x9e3779b97f4a7c15ULL;
static uint64_t g_frozen_ms;

struct counter {
  char *key;
  uint64_t n;
};
static struct counter *g_counts;
static size_t g_ncounts;

void rc_sim_lock(void) { pthread_mutex_lock(&g_lock); }
void rc_sim_unlock(void) { pthread_mutex_unlock(&g_lock); }

uint64_t rc_sim_now_ms(void)
{
  if (g_frozen_ms) return g_frozen_ms;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void rc_sim_clock_freeze(uint64_t now_ms) { g_frozen_ms = now_ms; }
void rc_sim_clock_advance(uint64_t ms)
{
  if (g_frozen_ms) g_frozen_ms += ms;
}

uint64_t rc_sim_rand(void)
{
  /* splitmix64: tiny, fast, and the same sequence for the same seed */
  uint64_t z = (g_rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double rand_unit(void) { return (double)(rc_sim_rand() >> 11) / 9007199254740992.0; }

void rc_sim_hex(size_t ndigits, char *out, size_t outsz)
{
  static const char hex[] = "0123456789abcdef";
  size_t i = 0;
  uint64_t r = 0;
  for (; i < ndigits && i + 1 < outsz; i++) {
    if (i % 16 == 0) r = rc_sim_rand();
    out[i] = hex[r & 15];
    r >>= 4;
  }
  if (outsz) out[i < outsz ? i : outsz - 1] = '\0';
}

void rc_sim_id(const char *prefix, char *out, size_t outsz)
{
  char hex[18];
  rc_sim_hex(17, hex, sizeof hex);
  snprintf(out, outsz, "%s-%s", prefix, hex);
}

char *rc_sim_arn(const struct rc_sim_call *c, const char *service, const char *region_override,
                 const char *resource_fmt, ...)
{
  struct rc_buf b;
  rc_buf_init(&b, 0);
  const char *region = region_override ? region_override : c ? c->req.region : "us-east-1";
  rc_buf_printf(&b, "arn:aws:%s:%s:%s:", service, region, RC_SIM_ACCOUNT);
  va_list ap;
  va_start(ap, resource_fmt);
  rc_buf_vprintf(&b, resource_fmt, ap);
  va_end(ap);
  return rc_buf_detach(&b);
}

void rc_sim_iso8601(uint64_t ms, char *out, size_t outsz)
{
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char base[32];
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, outsz, "%s.%03uZ", base, (unsigned)(ms % 1000));
}

uint64_t rc_sim_visible_at(const struct rc_sim_call *c)
{
  uint64_t now = c ? c->now_ms : rc_sim_now_ms();
  return now + (uint64_t)(rc_sim_config.consistency_delay_ms > 0
                              ? rc_sim_config.consistency_delay_ms : 0);
}

bool rc_sim_visible(const struct rc_sim_call *c, uint64_t visible_at)
{
  return (c ? c->now_ms : rc_sim_now_ms()) >= visible_at;
}

bool rc_sim_in_region(const struct rc_sim_call *c, const char *region)
{
  return !c || !region || !region[0] || strcmp(region, c->req.region) == 0;
}

bool rc_sim_arn_in_region(const struct rc_sim_call *c, const char *arn)
{
  if (!c || !arn || strncmp(arn, "arn:", 4) != 0) return true;
  const char *p = strchr(arn + 4, ':');        /* after the partition */
  p = p ? strchr(p + 1, ':') : NULL;           /* after the service */
  if (!p) return true;
  const char *e = strchr(p + 1, ':');
  size_t n = e ? (size_t)(e - (p + 1)) : 0;
  if (n == 0) return true;                     /* global (iam) */
  return strlen(c->req.region) == n && strncmp(p + 1, c->req.region, n) == 0;
}

/* --- counters --- */

void rc_sim__count(const char *key)
{
  for (size_t i = 0; i < g_ncounts; i++) {
    if (strcmp(g_counts[i].key, key) == 0) {
      g_counts[i].n++;
      return;
    }
  }
  g_counts = rc_realloc(g_counts, (g_ncounts + 1) * sizeof *g_counts);
  g_counts[g_ncounts].key = rc_strdup(key);
  g_counts[g_ncounts].n = 1;
  g_ncounts++;
}

json_t *rc_sim__counts_json(void)
{
  json_t *o = json_object();
  for (size_t i = 0; i < g_ncounts; i++)
    json_object_set_new(o, g_counts[i].key, json_integer((json_int_t)g_counts[i].n));
  return o;
}

void rc_sim__counts_reset(void)
{
  for (size_t i = 0; i < g_ncounts; i++) rc_free(g_counts[i].key);
  rc_free(g_counts);
  g_counts = NULL;
  g_ncounts = 0;
}

/* --- life cycle and state --- */

static void reset_locked(void)
{
  for (size_t i = 0; rc_sim_services[i]; i++)
    if (rc_sim_services[i]->reset) rc_sim_services[i]->reset();
  rc_sim__counts_reset();
}

void rc_sim_init(uint64_t seed)
{
  rc_sim_lock();
  g_rng = seed * 0x2545f4914f6cdd1dULL + 0x9e3779b97f4a7c15ULL;
  rc_sim_config.seed = seed;
  reset_locked();
  rc_sim_unlock();
}

void rc_sim_reset_all(void)
{
  rc_sim_lock();
  reset_locked();
  rc_sim_unlock();
}

const struct rc_sim_service *rc_sim_service_find(const char *name)
{
  for (size_t i = 0; rc_sim_services[i]; i++)
    if (strcmp(rc_sim_services[i]->name, name) == 0) return rc_sim_services[i];
  return NULL;
}

static void tick_all(uint64_t now)
{
  for (size_t i = 0; rc_sim_services[i]; i++)
    if (rc_sim_services[i]->tick) rc_sim_services[i]->tick(now);
}

json_t *rc_sim_state_export(void)
{
  json_t *o = json_object();
  rc_sim_lock();
  tick_all(rc_sim_now_ms());
  for (size_t i = 0; rc_sim_services[i]; i++) {
    const struct rc_sim_service *s = rc_sim_services[i];
    json_t *st = s->save ? s->save() : NULL;
    json_object_set_new(o, s->name, st ? st : json_object());
  }
  rc_sim_unlock();
  return o;
}

rc_status rc_sim_state_save(const char *path)
{
  json_t *st = rc_sim_state_export();
  /* the generator's position, so ids made after a restart never repeat */
  rc_sim_lock();
  char rng[32];
  snprintf(rng, sizeof rng, "%016llx", (unsigned long long)g_rng);
  rc_sim_unlock();
  json_object_set_new(st, "_rng", json_string(rng));
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  int rc = json_dump_file(st, tmp, JSON_INDENT(1) | JSON_SORT_KEYS);
  json_decref(st);
  if (rc != 0 || rename(tmp, path) != 0) {
    unlink(tmp);
    return RC_IO;
  }
  return RC_OK;
}

rc_status rc_sim_state_load(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return errno == ENOENT ? RC_OK : RC_IO;
  json_error_t je;
  json_t *st = json_loadf(f, 0, &je);
  fclose(f);
  if (!json_is_object(st)) {
    json_decref(st);
    return RC_SYNTAX;
  }
  rc_status rs = RC_OK;
  rc_sim_lock();
  const char *rng = json_string_value(json_object_get(st, "_rng"));
  if (rng) {
    char *end;
    unsigned long long v = strtoull(rng, &end, 16);
    if (*end == '\0' && end != rng) g_rng = v;
  }
  for (size_t i = 0; rc_sim_services[i]; i++) {
    const struct rc_sim_service *s = rc_sim_services[i];
    json_t *part = json_object_get(st, s->name);
    if (part && s->load && s->load(part) != RC_OK) rs = RC_SYNTAX;
  }
  rc_sim_unlock();
  json_decref(st);
  return rs;
}

/* --- dispatch --- */

static void request_id(char *out, size_t outsz)
{
  char h[33];
  rc_sim_hex(32, h, sizeof h);
  snprintf(out, outsz, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static void sim_endpoint(struct rc_sim_call *c)
{
  const char *p = c->req.path;
  json_t *o = NULL;
  if (strcmp(p, "/_sim/state") == 0 && strcmp(c->req.method, "GET") == 0) {
    o = rc_sim_state_export();
  } else if (strcmp(p, "/_sim/calls") == 0 && strcmp(c->req.method, "GET") == 0) {
    rc_sim_lock();
    o = rc_sim__counts_json();
    rc_sim_unlock();
  } else if (strcmp(p, "/_sim/reset") == 0 && strcmp(c->req.method, "POST") == 0) {
    rc_sim_reset_all();
    o = json_pack("{s:b}", "reset", 1);
  } else {
    rc_sim_reply_raw(c, 404, "application/json", "{\"error\":\"no such endpoint\"}", 29);
    return;
  }
  char *s = json_dumps(o, JSON_INDENT(1) | JSON_SORT_KEYS);
  rc_sim_reply_raw(c, 200, "application/json", s, strlen(s));
  free(s);
  json_decref(o);
}

/* The service whose shape an early error should take, when routing failed. */
static const struct rc_sim_service *guess_service(const struct rc_sim_call *c)
{
  const char *target = rc_sim_header_get(c, "x-amz-target");
  for (size_t i = 0; rc_sim_services[i]; i++) {
    const struct rc_sim_service *s = rc_sim_services[i];
    if (target && s->target_prefix && strncmp(target, s->target_prefix,
                                              strlen(s->target_prefix)) == 0)
      return s;
    if (!target && c->req.action[0] && s->ops)
      for (const struct rc_sim_op *op = s->ops; op->name; op++)
        if (strcmp(op->name, c->req.action) == 0) return s;
  }
  return NULL;
}

static const struct rc_sim_op *find_op(const struct rc_sim_service *s, const char *name)
{
  if (!s->ops) return NULL;
  for (const struct rc_sim_op *op = s->ops; op->name; op++)
    if (strcmp(op->name, name) == 0) return op;
  return NULL;
}

static void auth_error(struct rc_sim_call *c, int status, const char *query_code,
                       const char *json_code, const char *msg)
{
  bool json = c->svc && c->svc->protocol == RC_SIM_JSON;
  rc_sim_error(c, status, json ? json_code : query_code, "%s", msg);
}

/* Authenticates and routes; false when an error answer was written. */
static bool route(struct rc_sim_call *c, const struct rc_sim_op **op_out)
{
  const char *auth = rc_sim_header_get(c, "authorization");
  struct rc_sim__auth a;
  char why[512];
  *op_out = NULL;
  if (!auth) {
    const struct rc_sim_service *g = guess_service(c);
    const struct rc_sim_op *op = g ? find_op(g, c->req.action) : NULL;
    if (op && op->unsigned_ok) {
      c->svc = g;
      *op_out = op;
      return true;
    }
    c->svc = g;
    auth_error(c, 403, "MissingAuthenticationToken", "MissingAuthenticationTokenException",
               "Request is missing Authentication Token");
    return false;
  }
  if (!rc_sim__auth_parse(auth, &a, why, sizeof why)) {
    c->svc = guess_service(c);
    auth_error(c, 400, "IncompleteSignature", "IncompleteSignatureException", why);
    return false;
  }
  c->svc = rc_sim_service_find(a.service);
  if (!c->svc) {
    c->svc = guess_service(c);
    rc_sim_error(c, 400, "InvalidAction",
                 "The service '%s' of the credential scope is not served by recon-sim",
                 a.service);
    return false;
  }
  if (rc_sim_config.verify_access_key) {
    if (strcmp(a.access_key, rc_sim_config.verify_access_key) != 0) {
      if (c->svc->protocol == RC_SIM_EC2)
        rc_sim_error(c, 401, "AuthFailure",
                     "AWS was not able to validate the provided access credentials");
      else
        auth_error(c, c->svc->protocol == RC_SIM_JSON ? 400 : 403, "InvalidClientTokenId",
                   "UnrecognizedClientException",
                   "The security token included in the request is invalid.");
      return false;
    }
    if (!rc_sim__sigv4_verify(c, &a, rc_sim_config.verify_secret, NULL)) {
      auth_error(c, c->svc->protocol == RC_SIM_JSON ? 400 : 403, "SignatureDoesNotMatch",
                 "InvalidSignatureException",
                 "The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the "
                 "service documentation for details.");
      return false;
    }
  }
  if (c->svc->protocol == RC_SIM_REST_XML) return true;
  if (c->svc->protocol == RC_SIM_JSON) {
    const char *target = rc_sim_header_get(c, "x-amz-target");
    size_t pl = c->svc->target_prefix ? strlen(c->svc->target_prefix) : 0;
    if (!target || strncmp(target, c->svc->target_prefix, pl) != 0 || target[pl] != '.' ||
        !(*op_out = find_op(c->svc, target + pl + 1))) {
      rc_sim_error(c, 400, "UnknownOperationException", "%s", "");
      return false;
    }
    if (!c->req.json) {
      rc_sim_error(c, 400, "SerializationException", "Start of structure or map found where "
                   "not expected.");
      return false;
    }
    return true;
  }
  if (!c->req.action[0]) {
    rc_sim_error(c, 400, "MissingAction", "The request must contain the parameter Action");
    return false;
  }
  *op_out = find_op(c->svc, c->req.action);
  if (!*op_out) {
    rc_sim_error(c, 400, "InvalidAction",
                 "The action %s is not valid for this web service.", c->req.action);
    return false;
  }
  return true;
}

static void sleep_ms(int ms)
{
  if (ms <= 0) return;
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

void rc_sim_dispatch(struct rc_sim_call *c)
{
  rc_sim_call_parse(c);
  rc_sim_lock();
  request_id(c->req.request_id, sizeof c->req.request_id);
  c->now_ms = rc_sim_now_ms();
  rc_sim_unlock();
  c->resp.status = 200;
  rc_buf_reset(&c->resp.body);
  if (strncmp(c->req.path, "/_sim/", 6) == 0) {
    sim_endpoint(c);
    return;
  }
  const struct rc_sim_op *op = NULL;
  bool ok = route(c, &op);
  /* every answered call counts, refusals included: tests count retries */
  char key[200];
  snprintf(key, sizeof key, "%s.%s", c->svc ? c->svc->name : "unknown",
           c->req.action[0] ? c->req.action : c->req.method);
  struct rc_sim_config *cf = &rc_sim_config;
  int delay = 0;
  enum { NONE, DROP, THROTTLE, FAIL } mis = NONE;
  int fail_kind = 0;
  rc_sim_lock();
  rc_sim__count(key);
  rc_sim__count("_total");
  if (ok) {
    delay = cf->latency_ms;
    if (cf->latency_jitter_ms > 0)
      delay += (int)(rc_sim_rand() % (uint64_t)(cf->latency_jitter_ms + 1));
    if (cf->drop_rate > 0 && rand_unit() < cf->drop_rate)
      mis = DROP;
    else if (cf->throttle_rate > 0 && rand_unit() < cf->throttle_rate)
      mis = THROTTLE;
    else if (cf->error_rate > 0 && rand_unit() < cf->error_rate) {
      mis = FAIL;
      fail_kind = (int)(rc_sim_rand() & 1);
    }
    if (mis == DROP) rc_sim__count("_dropped");
    if (mis == THROTTLE) rc_sim__count("_throttled");
    if (mis == FAIL) rc_sim__count("_errors");
  }
  rc_sim_unlock();
  if (!ok) return;
  sleep_ms(delay);
  if (mis == DROP) {
    c->resp.drop = true;
    return;
  }
  if (mis == THROTTLE) {
    rc_sim_error(c, c->svc->throttle_status ? c->svc->throttle_status : 400,
                 c->svc->throttle_code ? c->svc->throttle_code : "Throttling",
                 c->svc->protocol == RC_SIM_EC2 ? "Request limit exceeded." : "Rate exceeded");
    return;
  }
  if (mis == FAIL) {
    if (fail_kind)
      rc_sim_error(c, 500, "InternalError",
                   "We encountered an internal error. Please try again.");
    else
      rc_sim_error(c, 503, "ServiceUnavailable", "The service is unavailable. Please try again.");
    return;
  }
  rc_sim_lock();
  c->now_ms = rc_sim_now_ms();
  tick_all(c->now_ms);
  if (op)
    op->fn(c);
  else if (c->svc->rest)
    c->svc->rest(c);
  else
    rc_sim_error(c, 400, "InvalidAction", "No handler");
  rc_sim_unlock();
  if (!c->resp.content_type[0] && c->resp.body.len == 0) rc_sim_reply_empty(c);
}
