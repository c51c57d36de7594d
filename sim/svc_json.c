/* svc_json.c — request-body readers, pagination, tags and times for the
 * JSON 1.1 services (see svc_json.h). */
#include "svc_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"

static bool parse_token(const char *tok, size_t *start);

json_t *rc_svcj_get(const struct rc_sim_call *c, const char *key)
{
  return c->req.json ? json_object_get(c->req.json, key) : NULL;
}

const char *rc_svcj_str(const struct rc_sim_call *c, const char *key)
{
  return json_string_value(rc_svcj_get(c, key));
}

bool rc_svcj_int(const struct rc_sim_call *c, const char *key, int64_t *out, bool *bad)
{
  json_t *v = rc_svcj_get(c, key);
  if (!v || json_is_null(v)) return false;
  if (!json_is_integer(v)) {
    if (bad) *bad = true;
    return false;
  }
  *out = json_integer_value(v);
  return true;
}

bool rc_svcj_bool(const struct rc_sim_call *c, const char *key, bool dflt)
{
  json_t *v = rc_svcj_get(c, key);
  return json_is_boolean(v) ? json_is_true(v) : dflt;
}

const char *rc_svcj_need(struct rc_sim_call *c, const char *key, const char *exc_code)
{
  const char *s = rc_svcj_str(c, key);
  if (!s || !*s) {
    rc_sim_error(c, 400, exc_code ? exc_code : "InvalidParameterException",
                 "1 validation error detected: Value null at '%s' failed to satisfy "
                 "constraint: Member must not be null", key);
    return NULL;
  }
  return s;
}

bool rc_svcj_page(struct rc_sim_call *c, const char *max_key, const char *token_key, long lo,
                  long hi, long dflt, const char *err_code, size_t *start, size_t *limit)
{
  *start = 0;
  *limit = (size_t)dflt;
  int64_t m;
  bool bad = false;
  if (rc_svcj_int(c, max_key, &m, &bad)) {
    if (m < lo || m > hi) {
      rc_sim_error(c, 400, err_code,
                   "1 validation error detected: Value '%lld' at '%s' failed to satisfy "
                   "constraint: Member must have value %s %ld", (long long)m, max_key,
                   m < lo ? "greater than or equal to" : "less than or equal to",
                   m < lo ? lo : hi);
      return false;
    }
    *limit = (size_t)m;
  } else if (bad) {
    rc_sim_error(c, 400, "SerializationException", "Invalid value for %s", max_key);
    return false;
  }
  const char *tok = rc_svcj_str(c, token_key);
  if (tok && *tok && !parse_token(tok, start)) {
    rc_sim_error(c, 400, err_code, "The specified nextToken is invalid.");
    return false;
  }
  return true;
}

bool rc_svcj_tags_from_list(const json_t *list, const char *kname, const char *vname,
                            struct rc_sim_tags *out)
{
  size_t i;
  json_t *it;
  if (!list || json_is_null(list)) return true;
  if (!json_is_array(list)) return false;
  json_array_foreach(list, i, it)
  {
    const char *k = json_string_value(json_object_get(it, kname));
    const char *v = json_string_value(json_object_get(it, vname));
    if (!k) return false;
    rc_sim_tags_set(out, k, v ? v : "");
  }
  return true;
}

json_t *rc_svcj_tags_to_list(const struct rc_sim_tags *t, const char *kname, const char *vname)
{
  json_t *a = json_array();
  for (size_t i = 0; i < t->n; i++)
    json_array_append_new(a, json_pack("{s:s,s:s}", kname, t->v[i].key, vname, t->v[i].value));
  return a;
}

json_t *rc_svcj_time(uint64_t ms) { return json_real((double)ms / 1000.0); }

void rc_svcj_uuid(char out[37])
{
  char h[33];
  rc_sim_hex(32, h, sizeof h);
  snprintf(out, 37, "%.8s-%.4s-4%.3s-a%.3s-%.12s", h, h + 8, h + 13, h + 17, h + 20);
}

static bool parse_token(const char *tok, size_t *start)
{
  char *end;
  if (strncmp(tok, "rcsim1-", 7) != 0) return false;
  unsigned long long v = strtoull(tok + 7, &end, 16);
  if (*end || end == tok + 7) return false;
  *start = (size_t)(v ^ 0x5eedULL);
  return true;
}

bool rc_svcq_page(struct rc_sim_call *c, const char *max_key, const char *marker_key, long lo,
                  long hi, long dflt, const char *err_code, size_t *start, size_t *limit)
{
  *start = 0;
  *limit = (size_t)dflt;
  int64_t m;
  bool bad = false;
  if (rc_sim_param_int(c, max_key, &m, &bad)) {
    if (m < lo || m > hi) {
      rc_sim_error(c, 400, err_code,
                   "1 validation error detected: Value '%lld' at '%c%s' failed to satisfy "
                   "constraint: Member must have value %s %ld", (long long)m,
                   max_key[0] + 32, max_key + 1,
                   m < lo ? "greater than or equal to" : "less than or equal to",
                   m < lo ? lo : hi);
      return false;
    }
    *limit = (size_t)m;
  } else if (bad) {
    rc_sim_error(c, 400, err_code, "Invalid value for %s", max_key);
    return false;
  }
  const char *tok = rc_sim_param(c, marker_key);
  if (tok && *tok && !parse_token(tok, start)) {
    rc_sim_error(c, 400, err_code, "Invalid %s: %s", marker_key, tok);
    return false;
  }
  return true;
}

char *rc_svcq_urlencode(const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  struct rc_buf b;
  rc_buf_init(&b, 0);
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
        ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      rc_buf_putc(&b, (char)ch);
    } else {
      char e[4] = {'%', hex[ch >> 4], hex[ch & 15], 0};
      rc_buf_puts(&b, e);
    }
  }
  if (!b.ptr) rc_buf_puts(&b, "");
  return rc_buf_detach(&b);
}
