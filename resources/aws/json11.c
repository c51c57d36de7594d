/* The JSON 1.1 protocol (ecs, logs): the request value is the body, sent with
 * X-Amz-Target: <prefix>.<Op> and Content-Type application/x-amz-json-1.1;
 * errors name their code in __type (any "prefix#" dropped) or in the
 * X-Amzn-ErrorType header, and the text in message or Message. */
#include <string.h>

#include "aws_int.h"
#include "rc_alloc.h"
#include "rc_limits.h"

rc_status rc_aws__json_encode(const struct rc_aws__svc *s, const char *op,
                              const struct rc_value *params, struct rc_aws__wire *w,
                              struct rc_error *err)
{
  rc_buf_init(&w->body, RC_LIMIT_HTTP_BODY);
  w->content_type = "application/x-amz-json-1.1";
  snprintf(w->target, sizeof w->target, "%s.%s", s->target, op);
  if (!params || rc_value_is_null(params)) return rc_buf_puts(&w->body, "{}");
  if (!rc_value_is_obj(params))
    return rc_error_set(err, RC_USAGE, "%s.%s: the request body must be an object", s->name, op);
  char *text = rc_value_dump_json(params);
  rc_status st = rc_buf_puts(&w->body, text);
  rc_free(text);
  if (st) return rc_error_set(err, st, "%s.%s: the request body is too big", s->name, op);
  return RC_OK;
}

rc_status rc_aws__json_decode(const char *body, size_t len, struct rc_value **out,
                              struct rc_error *err)
{
  size_t i = 0;
  while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) i++;
  if (i == len) {
    *out = rc_value_obj_new(RC_OBJECT);
    return RC_OK;
  }
  struct rc_error perr = {0};
  *out = rc_value_parse_json(body, len, &perr);
  if (!*out)
    return rc_error_set(err, RC_AWS, "the answer is not JSON (%zu bytes: %s)", len, perr.msg);
  if (rc_value_kind(*out) != RC_OBJECT) { /* every JSON 1.1 answer is an object */
    rc_status st = rc_error_set(err, RC_AWS, "the answer is JSON but not an object (%s, %zu bytes)",
                                rc_value_kind_name(rc_value_kind(*out)), len);
    rc_value_decref(*out);
    *out = NULL;
    return st;
  }
  return RC_OK;
}

static void clean_code(char *code)
{
  char *h = strrchr(code, '#');
  if (h) memmove(code, h + 1, strlen(h + 1) + 1);
  code[strcspn(code, ":")] = '\0'; /* "Code:http://internal.amazon.com/..." */
}

void rc_aws__json_error(const char *body, size_t len, const char *headers,
                        struct rc_error *err)
{
  json_t *j = body && len ? json_loadb(body, len, 0, NULL) : NULL;
  if (json_is_object(j)) {
    const char *t = json_string_value(json_object_get(j, "__type"));
    if (!t) t = json_string_value(json_object_get(j, "code"));
    if (t) snprintf(err->aws_code, sizeof err->aws_code, "%s", t);
    const char *m = json_string_value(json_object_get(j, "message"));
    if (!m) m = json_string_value(json_object_get(j, "Message"));
    if (!m) m = json_string_value(json_object_get(j, "errorMessage"));
    if (m) snprintf(err->msg, sizeof err->msg, "%s", m);
  }
  json_decref(j);
  if (!err->aws_code[0]) rc_aws__header(headers, "x-amzn-errortype", err->aws_code, sizeof err->aws_code);
  clean_code(err->aws_code);
  rc_aws__header(headers, "x-amzn-requestid", err->request_id, sizeof err->request_id);
}
