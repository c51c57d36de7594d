/* sim_svc_test.h — helpers for the service unit tests of recon-sim: build a
 * signed-looking call for a service, dispatch it through the core (routing,
 * counting, the handler), and read the answer. Each helper returns a new
 * call the test frees with rc_sim_call_free. */
#ifndef RC_SIM_SVC_TEST_H
#define RC_SIM_SVC_TEST_H
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "sim.h"

static inline void svct_auth(struct rc_sim_call *c, const char *service)
{
  char auth[256];
  snprintf(auth, sizeof auth,
           "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/%s/aws4_request, "
           "SignedHeaders=host;x-amz-date, Signature=00", service);
  rc_sim_call_header(c, "Authorization", auth);
  rc_sim_call_header(c, "X-Amz-Date", "20260101T000000Z");
}

/* JSON 1.1: target "Prefix.Op", body JSON text. */
static inline struct rc_sim_call *svct_json(const char *service, const char *target,
                                            const char *body)
{
  struct rc_sim_call *c = rc_sim_call_new("POST", "/", body, strlen(body));
  svct_auth(c, service);
  rc_sim_call_header(c, "Content-Type", "application/x-amz-json-1.1");
  rc_sim_call_header(c, "X-Amz-Target", target);
  rc_sim_dispatch(c);
  return c;
}

/* Query protocol: form body "Action=...&...". */
static inline struct rc_sim_call *svct_query(const char *service, const char *form)
{
  struct rc_sim_call *c = rc_sim_call_new("POST", "/", form, strlen(form));
  svct_auth(c, service);
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  rc_sim_dispatch(c);
  return c;
}

/* The answer's JSON (new reference) or NULL. */
static inline json_t *svct_body_json(const struct rc_sim_call *c)
{
  json_error_t je;
  return json_loadb(c->resp.body.ptr, c->resp.body.len, 0, &je);
}

static inline bool svct_has(const struct rc_sim_call *c, const char *needle)
{
  return c->resp.body.ptr && strstr(c->resp.body.ptr, needle) != NULL;
}

/* Runs a JSON call and returns its status, freeing it. */
static inline int svct_json_status(const char *service, const char *target, const char *body)
{
  struct rc_sim_call *c = svct_json(service, target, body);
  int st = c->resp.status;
  rc_sim_call_free(c);
  return st;
}

static inline int svct_query_status(const char *service, const char *form)
{
  struct rc_sim_call *c = svct_query(service, form);
  int st = c->resp.status;
  rc_sim_call_free(c);
  return st;
}
#endif

#ifndef RC_SIM_SVC_TEST_H2
#define RC_SIM_SVC_TEST_H2
#include <stdarg.h>
/* Query call with a printf-formatted form body. */
static inline struct rc_sim_call *svct_queryf(const char *service, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline struct rc_sim_call *svct_queryf(const char *service, const char *fmt, ...)
{
  char form[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  return svct_query(service, form);
}

/* The text of the first <tag>…</tag> in the answer, copied into out. */
static inline const char *svct_xml(const struct rc_sim_call *c, const char *tag, char *out,
                                   size_t outsz)
{
  char open[128], close[128];
  snprintf(open, sizeof open, "<%s>", tag);
  snprintf(close, sizeof close, "</%s>", tag);
  const char *a = c->resp.body.ptr ? strstr(c->resp.body.ptr, open) : NULL;
  const char *b = a ? strstr(a, close) : NULL;
  if (!a || !b) {
    out[0] = '\0';
    return out;
  }
  a += strlen(open);
  snprintf(out, outsz, "%.*s", (int)(b - a), a);
  return out;
}
#endif
