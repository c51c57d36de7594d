/* sim_test_util.h — helpers for recon-sim's core and EC2 unit tests: calls
 * built and dispatched without sockets, and reading one XML element. Calls
 * returned are new (rc_sim_call_free). */
#ifndef RC_SIM_TEST_UTIL_H
#define RC_SIM_TEST_UTIL_H
#include <stdio.h>
#include <string.h>
#include "common/rc_alloc.h"
#include "sim.h"

static inline struct rc_sim_call *tu_call(const char *service, const char *form)
{
  struct rc_sim_call *c = rc_sim_call_new("POST", "/", form, strlen(form));
  if (service) {
    char auth[256];
    snprintf(auth, sizeof auth,
             "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/%s/aws4_request, "
             "SignedHeaders=host;x-amz-date, Signature=00", service);
    rc_sim_call_header(c, "Authorization", auth);
  }
  rc_sim_call_header(c, "X-Amz-Date", "20260101T000000Z");
  rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  rc_sim_dispatch(c);
  return c;
}

/* EC2 call with printf-style form (Version added). */
__attribute__((format(printf, 1, 2))) static inline struct rc_sim_call *tu_ec2(const char *fmt,
                                                                               ...)
{
  char form[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  size_t n = strlen(form);
  snprintf(form + n, sizeof form - n, "&Version=2016-11-15");
  return tu_call("ec2", form);
}

/* Text of the first <tag>…</tag> after `after` (NULL: from the start) into
 * out; "" when absent. */
static inline const char *tu_xml(const struct rc_sim_call *c, const char *tag, char *out,
                                 size_t outsz)
{
  char open[128], close[128];
  snprintf(open, sizeof open, "<%s>", tag);
  snprintf(close, sizeof close, "</%s>", tag);
  out[0] = '\0';
  const char *p = strstr(c->resp.body.ptr, open);
  if (!p) return out;
  p += strlen(open);
  const char *e = strstr(p, close);
  if (!e) return out;
  snprintf(out, outsz, "%.*s", (int)(e - p), p);
  return out;
}

static inline int tu_count(const struct rc_sim_call *c, const char *needle)
{
  int n = 0;
  for (const char *p = c->resp.body.ptr; (p = strstr(p, needle)) != NULL; p++) n++;
  return n;
}

/* Runs an EC2 call, returns the error code ("" on success) into code. */
#define TU_CODE(c, buf) tu_xml((c), "Code", (buf), sizeof(buf))
#endif
