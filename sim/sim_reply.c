/* sim_reply.c — answers in each protocol's exact envelope, errors in each
 * protocol's shape, the XML writer, tags and pagination helpers. */
#include "sim_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/rc_alloc.h"

static const char xml_prolog[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/* The XML writer appends directly (no printf): Describe answers of a
 * thousand items are written thousands of times a second. */
void rc_sim_xml_escape(struct rc_buf *b, const char *s)
{
  for (;;) {
    size_t run = strcspn(s, "&<>\"'\r");
    if (run) rc_buf_append(b, s, run);
    s += run;
    if (!*s) return;
    switch (*s) {
    case '&': rc_buf_append(b, "&amp;", 5); break;
    case '<': rc_buf_append(b, "&lt;", 4); break;
    case '>': rc_buf_append(b, "&gt;", 4); break;
    case '"': rc_buf_append(b, "&quot;", 6); break;
    case '\'': rc_buf_append(b, "&apos;", 6); break;
    default: rc_buf_append(b, "&#13;", 5); break;
    }
    s++;
  }
}

void rc_sim_xml_open(struct rc_sim_call *c, const char *tag)
{
  struct rc_buf *b = &c->resp.body;
  rc_buf_putc(b, '<');
  rc_buf_puts(b, tag);
  rc_buf_putc(b, '>');
}

void rc_sim_xml_close(struct rc_sim_call *c, const char *tag)
{
  struct rc_buf *b = &c->resp.body;
  rc_buf_append(b, "</", 2);
  rc_buf_puts(b, tag);
  rc_buf_putc(b, '>');
}

void rc_sim_xml_empty(struct rc_sim_call *c, const char *tag)
{
  struct rc_buf *b = &c->resp.body;
  rc_buf_putc(b, '<');
  rc_buf_puts(b, tag);
  rc_buf_append(b, "/>", 2);
}

void rc_sim_xml_str(struct rc_sim_call *c, const char *tag, const char *value)
{
  if (!value) return;
  rc_sim_xml_open(c, tag);
  rc_sim_xml_escape(&c->resp.body, value);
  rc_sim_xml_close(c, tag);
}

void rc_sim_xml_strf(struct rc_sim_call *c, const char *tag, const char *fmt, ...)
{
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n < sizeof small) {
    rc_sim_xml_str(c, tag, small);
    return;
  }
  struct rc_buf tmp;
  rc_buf_init(&tmp, 0);
  va_start(ap, fmt);
  rc_buf_vprintf(&tmp, fmt, ap);
  va_end(ap);
  rc_sim_xml_str(c, tag, tmp.ptr);
  rc_buf_free(&tmp);
}

void rc_sim_xml_int(struct rc_sim_call *c, const char *tag, int64_t v)
{
  char num[24];
  snprintf(num, sizeof num, "%lld", (long long)v);
  rc_sim_xml_open(c, tag);
  rc_buf_puts(&c->resp.body, num);
  rc_sim_xml_close(c, tag);
}

void rc_sim_xml_bool(struct rc_sim_call *c, const char *tag, bool v)
{
  rc_sim_xml_open(c, tag);
  rc_buf_puts(&c->resp.body, v ? "true" : "false");
  rc_sim_xml_close(c, tag);
}

void rc_sim_header(struct rc_sim_call *c, const char *name, const char *value)
{
  struct rc_sim_response *r = &c->resp;
  for (size_t i = 0; i < r->n_headers; i++) {
    if (strcmp(r->headers[i].key, name) == 0) {
      rc_free(r->headers[i].val);
      r->headers[i].val = rc_strdup(value);
      return;
    }
  }
  if (r->n_headers == RC_SIM_MAX_HEADERS) return;
  r->headers[r->n_headers].key = rc_strdup(name);
  r->headers[r->n_headers].val = rc_strdup(value);
  r->n_headers++;
}

static enum rc_sim_protocol proto_of(const struct rc_sim_call *c)
{
  return c->svc ? c->svc->protocol : RC_SIM_QUERY;
}

void rc_sim_reply_begin(struct rc_sim_call *c)
{
  struct rc_buf *b = &c->resp.body;
  rc_buf_reset(b);
  c->resp.status = 200;
  const char *ns = c->svc && c->svc->xmlns ? c->svc->xmlns : "";
  switch (proto_of(c)) {
  case RC_SIM_EC2:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "text/xml;charset=UTF-8");
    rc_buf_puts(b, xml_prolog);
    rc_buf_printf(b, "<%sResponse xmlns=\"%s\"><requestId>%s</requestId>", c->req.action, ns,
                  c->req.request_id);
    break;
  case RC_SIM_QUERY:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "text/xml");
    rc_buf_printf(b, "<%sResponse xmlns=\"%s\"><%sResult>", c->req.action, ns, c->req.action);
    break;
  case RC_SIM_JSON:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "application/x-amz-json-1.1");
    break;
  case RC_SIM_REST_XML:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "application/xml");
    rc_buf_puts(b, xml_prolog);
    break;
  }
}

void rc_sim_reply_end(struct rc_sim_call *c)
{
  struct rc_buf *b = &c->resp.body;
  switch (proto_of(c)) {
  case RC_SIM_EC2:
    rc_buf_printf(b, "</%sResponse>", c->req.action);
    break;
  case RC_SIM_QUERY:
    rc_buf_printf(b,
                  "</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
                  "</%sResponse>",
                  c->req.action, c->req.request_id, c->req.action);
    break;
  default:
    break;
  }
}

void rc_sim_reply_empty(struct rc_sim_call *c)
{
  if (proto_of(c) == RC_SIM_QUERY) {
    struct rc_buf *b = &c->resp.body;
    rc_buf_reset(b);
    c->resp.status = 200;
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "text/xml");
    rc_buf_printf(b,
                  "<%sResponse xmlns=\"%s\"><ResponseMetadata><RequestId>%s</RequestId>"
                  "</ResponseMetadata></%sResponse>",
                  c->req.action, c->svc->xmlns, c->req.request_id, c->req.action);
  } else if (proto_of(c) == RC_SIM_EC2) {
    rc_sim_reply_begin(c);
    rc_sim_xml_bool(c, "return", true);
    rc_sim_reply_end(c);
  } else if (proto_of(c) == RC_SIM_JSON) {
    rc_sim_reply_json(c, NULL);
  } else {
    rc_sim_reply_raw(c, 204, "application/xml", "", 0);
  }
}

void rc_sim_reply_json(struct rc_sim_call *c, json_t *steal)
{
  rc_buf_reset(&c->resp.body);
  c->resp.status = 200;
  snprintf(c->resp.content_type, sizeof c->resp.content_type, "application/x-amz-json-1.1");
  if (!steal) {
    rc_buf_puts(&c->resp.body, "{}");
    return;
  }
  char *s = json_dumps(steal, JSON_COMPACT | JSON_ENCODE_ANY);
  rc_buf_puts(&c->resp.body, s ? s : "{}");
  free(s);
  json_decref(steal);
}

void rc_sim_reply_raw(struct rc_sim_call *c, int status, const char *content_type,
                      const void *data, size_t len)
{
  rc_buf_reset(&c->resp.body);
  c->resp.status = status;
  snprintf(c->resp.content_type, sizeof c->resp.content_type, "%s",
           content_type ? content_type : "application/octet-stream");
  if (len) rc_buf_append(&c->resp.body, data, len);
}

void rc_sim_error(struct rc_sim_call *c, int status, const char *code, const char *fmt, ...)
{
  struct rc_buf msg;
  rc_buf_init(&msg, 0);
  va_list ap;
  va_start(ap, fmt);
  rc_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  struct rc_buf *b = &c->resp.body;
  rc_buf_reset(b);
  c->resp.status = status;
  const char *ns = c->svc && c->svc->xmlns ? c->svc->xmlns : "";
  switch (proto_of(c)) {
  case RC_SIM_EC2:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "text/xml;charset=UTF-8");
    rc_buf_puts(b, xml_prolog);
    rc_buf_printf(b, "<Response><Errors><Error><Code>%s</Code><Message>", code);
    rc_sim_xml_escape(b, msg.ptr);
    rc_buf_printf(b, "</Message></Error></Errors><RequestID>%s</RequestID></Response>",
                  c->req.request_id);
    break;
  case RC_SIM_QUERY:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "text/xml");
    rc_buf_printf(b, "<ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type><Code>%s</Code><Message>",
                  ns, status >= 500 ? "Receiver" : "Sender", code);
    rc_sim_xml_escape(b, msg.ptr);
    rc_buf_printf(b, "</Message></Error><RequestId>%s</RequestId></ErrorResponse>",
                  c->req.request_id);
    break;
  case RC_SIM_JSON: {
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "application/x-amz-json-1.1");
    json_t *o = json_pack("{s:s,s:s}", "__type", code, "message", msg.ptr);
    char *s = json_dumps(o, JSON_COMPACT);
    rc_buf_puts(b, s);
    free(s);
    json_decref(o);
    rc_sim_header(c, "X-Amzn-ErrorType", code);
    break;
  }
  case RC_SIM_REST_XML:
    snprintf(c->resp.content_type, sizeof c->resp.content_type, "application/xml");
    rc_buf_puts(b, xml_prolog);
    rc_buf_printf(b, "<Error><Code>%s</Code><Message>", code);
    rc_sim_xml_escape(b, msg.ptr);
    rc_buf_printf(b, "</Message><RequestId>%s</RequestId></Error>", c->req.request_id);
    break;
  }
  rc_buf_free(&msg);
}

void rc_sim_error_missing(struct rc_sim_call *c, const char *param)
{
  if (proto_of(c) == RC_SIM_EC2)
    rc_sim_error(c, 400, "MissingParameter",
                 "The request must contain the parameter %s", param);
  else if (proto_of(c) == RC_SIM_JSON)
    rc_sim_error(c, 400, "InvalidParameterException", "%s must not be null", param);
  else
    rc_sim_error(c, 400, "ValidationError",
                 "1 validation error detected: Value null at '%s' failed to satisfy "
                 "constraint: Member must not be null", param);
}

/* --- tags --- */

void rc_sim_tags_set(struct rc_sim_tags *t, const char *key, const char *value)
{
  for (size_t i = 0; i < t->n; i++) {
    if (strcmp(t->v[i].key, key) == 0) {
      rc_free(t->v[i].value);
      t->v[i].value = rc_strdup(value ? value : "");
      return;
    }
  }
  t->v = rc_realloc(t->v, (t->n + 1) * sizeof *t->v);
  t->v[t->n].key = rc_strdup(key);
  t->v[t->n].value = rc_strdup(value ? value : "");
  t->n++;
}

bool rc_sim_tags_del(struct rc_sim_tags *t, const char *key, const char *value)
{
  for (size_t i = 0; i < t->n; i++) {
    if (strcmp(t->v[i].key, key) != 0) continue;
    if (value && strcmp(t->v[i].value, value) != 0) return false;
    rc_free(t->v[i].key);
    rc_free(t->v[i].value);
    memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof *t->v);
    t->n--;
    return true;
  }
  return false;
}

const char *rc_sim_tags_get(const struct rc_sim_tags *t, const char *key)
{
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->v[i].key, key) == 0) return t->v[i].value;
  return NULL;
}

void rc_sim_tags_free(struct rc_sim_tags *t)
{
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) {
    rc_free(t->v[i].key);
    rc_free(t->v[i].value);
  }
  rc_free(t->v);
  t->v = NULL;
  t->n = 0;
}

bool rc_sim_tags_filter(const struct rc_sim_tags *t, const struct rc_sim_filter *f,
                        bool *handled)
{
  *handled = true;
  if (strncmp(f->name, "tag:", 4) == 0) {
    const char *v = rc_sim_tags_get(t, f->name + 4);
    return v && rc_sim_filter_match(f, v);
  }
  if (strcmp(f->name, "tag-key") == 0) {
    for (size_t i = 0; i < t->n; i++)
      if (rc_sim_filter_match(f, t->v[i].key)) return true;
    return false;
  }
  if (strcmp(f->name, "tag-value") == 0) {
    for (size_t i = 0; i < t->n; i++)
      if (rc_sim_filter_match(f, t->v[i].value)) return true;
    return false;
  }
  *handled = false;
  return false;
}

void rc_sim_tags_from_spec(const struct rc_sim_call *c, const char *resource_type,
                           struct rc_sim_tags *out)
{
  int max = rc_sim_param_max(c, "TagSpecification");
  for (int i = 1; i <= max; i++) {
    const char *rt = rc_sim_paramf(c, "TagSpecification.%d.ResourceType", i);
    if (!rt || strcmp(rt, resource_type) != 0) continue;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "TagSpecification.%d.Tag", i);
    rc_sim_tags_from_params(c, prefix, out);
  }
}

void rc_sim_tags_from_params(const struct rc_sim_call *c, const char *prefix,
                             struct rc_sim_tags *out)
{
  int max = rc_sim_param_max(c, prefix);
  for (int i = 1; i <= max; i++) {
    const char *k = rc_sim_paramf(c, "%s.%d.Key", prefix, i);
    if (!k) continue;
    const char *v = rc_sim_paramf(c, "%s.%d.Value", prefix, i);
    rc_sim_tags_set(out, k, v ? v : "");
  }
}

void rc_sim_xml_tags(struct rc_sim_call *c, const char *set_tag, const char *item_tag,
                     const char *ktag, const char *vtag, const struct rc_sim_tags *t)
{
  if (t->n == 0) {
    rc_sim_xml_empty(c, set_tag);
    return;
  }
  rc_sim_xml_open(c, set_tag);
  for (size_t i = 0; i < t->n; i++) {
    rc_sim_xml_open(c, item_tag);
    rc_sim_xml_str(c, ktag, t->v[i].key);
    rc_sim_xml_str(c, vtag, t->v[i].value);
    rc_sim_xml_close(c, item_tag);
  }
  rc_sim_xml_close(c, set_tag);
}

json_t *rc_sim_tags_to_json(const struct rc_sim_tags *t)
{
  json_t *o = json_object();
  for (size_t i = 0; i < t->n; i++)
    json_object_set_new(o, t->v[i].key, json_string(t->v[i].value));
  return o;
}

void rc_sim_tags_from_json(const json_t *obj, struct rc_sim_tags *out)
{
  const char *k;
  json_t *v;
  if (!json_is_object(obj)) return;
  json_object_foreach((json_t *)obj, k, v) rc_sim_tags_set(out, k, json_string_value(v));
}

/* --- pagination --- */

bool rc_sim_page(struct rc_sim_call *c, const char *max_key, const char *token_key, long lo,
                 long hi, long dflt, size_t *start, size_t *limit)
{
  *start = 0;
  *limit = (size_t)dflt;
  int64_t m;
  bool bad = false;
  if (rc_sim_param_int(c, max_key, &m, &bad)) {
    if (m < lo || m > hi) {
      rc_sim_error(c, 400, "InvalidParameterValue",
                   "Value ( %lld ) for parameter maxResults is invalid. Parameter must be between"
                   " %ld and %ld.", (long long)m, lo, hi);
      return false;
    }
    *limit = (size_t)m;
  } else if (bad) {
    rc_sim_error(c, 400, "InvalidParameterValue", "Invalid value for parameter %s", max_key);
    return false;
  }
  const char *tok = rc_sim_param(c, token_key);
  if (tok && *tok) {
    char *end;
    if (strncmp(tok, "rcsim1-", 7) != 0) goto bad_token;
    unsigned long long v = strtoull(tok + 7, &end, 16);
    if (*end || end == tok + 7) goto bad_token;
    *start = (size_t)(v ^ 0x5eedULL);
  }
  return true;
bad_token:
  rc_sim_error(c, 400, "InvalidParameterValue", "Invalid value '%s' for NextToken", tok);
  return false;
}

void rc_sim_page_token(size_t next, char *out, size_t outsz)
{
  snprintf(out, outsz, "rcsim1-%llx", (unsigned long long)next ^ 0x5eedULL);
}
