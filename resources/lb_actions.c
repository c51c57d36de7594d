/* lb_actions — the actions of aws_lb_listener (default_action) and
 * aws_lb_listener_rule (action), and the rule conditions: schema, wire
 * parameters, answers to state, and the action normaliser. ELBv2 answers a
 * forward to one target group both as TargetGroupArn and as a ForwardConfig
 * with weight 1, fills the redirect's #{...} defaults and numbers the
 * actions (Order); the normaliser reduces configuration and answer to one
 * form so a plan after apply is clean. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elbutil.h"
#include "rc_alloc.h"

static const struct rc_attr fixed_schema[] = {
    {.name = "content_type", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "message_body", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "status_code", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {0}};

static const struct rc_attr fwd_tg_schema[] = {
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "weight", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "1"},
    {0}};

static const struct rc_attr stick_schema[] = {
    {.name = "duration", .type = RC_T_NUMBER, .flags = RC_A_REQUIRED},
    {.name = "enabled", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {0}};

static const struct rc_attr fwd_schema[] = {
    {.name = "stickiness", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = stick_schema,
     .max_items = 1},
    {.name = "target_group", .type = RC_T_BLOCK_SET, .flags = RC_A_REQUIRED, .block = fwd_tg_schema},
    {0}};

static const struct rc_attr redirect_schema[] = {
    {.name = "host", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"#{host}\""},
    {.name = "path", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"/#{path}\""},
    {.name = "port", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"#{port}\""},
    {.name = "protocol", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"#{protocol}\""},
    {.name = "query", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"#{query}\""},
    {.name = "status_code", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

const struct rc_attr rc_elbu_action_schema[] = {
    {.name = "fixed_response", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = fixed_schema,
     .max_items = 1},
    {.name = "forward", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = fwd_schema,
     .max_items = 1},
    {.name = "order", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "redirect", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = redirect_schema,
     .max_items = 1},
    {.name = "target_group_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr values_schema[] = {
    {.name = "values", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr http_header_schema[] = {
    {.name = "http_header_name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "values", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr query_schema[] = {
    {.name = "key", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "value", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

const struct rc_attr rc_elbu_condition_schema[] = {
    {.name = "host_header", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = values_schema,
     .max_items = 1},
    {.name = "http_header", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL,
     .block = http_header_schema, .max_items = 1},
    {.name = "http_request_method", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL,
     .block = values_schema, .max_items = 1},
    {.name = "path_pattern", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = values_schema,
     .max_items = 1},
    {.name = "query_string", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = query_schema},
    {.name = "source_ip", .type = RC_T_BLOCK_LIST, .flags = RC_A_OPTIONAL, .block = values_schema,
     .max_items = 1},
    {0}};

/* ---------------- helpers ---------------- */

static const struct rc_value *first(const struct rc_value *o, const char *key)
{
  return rc_res_block(o, key);
}

static bool is_type(const struct rc_value *a, const char *t)
{
  const char *s = rc_res_str(a, "type");
  return s && strcmp(s, t) == 0;
}

/* the forward target groups of a configured/normalised action as a set of
 * {arn, weight}; stick_enabled/duration from its stickiness */
static struct rc_value *fwd_groups(const struct rc_value *a, bool *stick, int64_t *dur)
{
  struct rc_value *s = rc_value_seq_new(RC_SET);
  const struct rc_value *f = first(a, "forward");
  const struct rc_value *tgs = f ? rc_value_get(f, "target_group") : NULL;
  *stick = false;
  *dur = 0;
  if (f) {
    const struct rc_value *st = first(f, "stickiness");
    if (st && rc_res_bool(st, "enabled", false)) {
      *stick = true;
      *dur = rc_res_int(st, "duration", 0);
    }
  }
  if (tgs && rc_value_is_seq(tgs) && rc_value_len(tgs)) {
    for (size_t i = 0; i < rc_value_len(tgs); i++) {
      const struct rc_value *t = rc_value_index(tgs, i);
      struct rc_value *e = rc_value_obj_new(RC_OBJECT);
      rc_svcu_put_str(e, "arn", rc_res_str(t, "arn"));
      rc_value_obj_put(e, "weight", rc_value_int(rc_res_int(t, "weight", 1)));
      rc_value_seq_push(s, e);
    }
  } else if (rc_res_str(a, "target_group_arn")) {
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "arn", rc_res_str(a, "target_group_arn"));
    rc_value_obj_put(e, "weight", rc_value_int(1));
    rc_value_seq_push(s, e);
  }
  return rc_value_seq_seal(s);
}

static struct rc_value *fwd_block(struct rc_value *groups, bool stick, int64_t dur)
{
  struct rc_value *l = rc_value_seq_new(RC_LIST), *f = rc_value_obj_new(RC_OBJECT);
  struct rc_value *sl = rc_value_seq_new(RC_LIST);
  if (stick) {
    struct rc_value *s = rc_value_obj_new(RC_OBJECT);
    rc_value_obj_put(s, "duration", rc_value_int(dur));
    rc_value_obj_put(s, "enabled", rc_value_bool(true));
    rc_value_seq_push(sl, s);
  }
  rc_value_obj_put(f, "stickiness", sl);
  rc_value_obj_put(f, "target_group", groups);
  rc_value_seq_push(l, f);
  return l;
}

static struct rc_value *str_or_null(const char *s)
{
  return s && *s ? rc_value_string(s) : rc_value_null();
}

/* ---------------- normaliser ---------------- */

struct rc_value *rc_elbu_norm_actions(const struct rc_value *v)
{
  if (!rc_value_is_seq(v)) return NULL;
  struct rc_value *l = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const struct rc_value *a = rc_value_index(v, i);
    if (!rc_value_is_obj(a)) {
      rc_value_seq_push(l, rc_value_incref(a));
      continue;
    }
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(o, "type", rc_res_str(a, "type"));
    rc_value_obj_put(o, "order", rc_value_int(rc_res_int(a, "order", (int64_t)i + 1)));
    rc_value_obj_put(o, "target_group_arn", rc_value_null());
    rc_value_obj_put(o, "forward", rc_value_seq_new(RC_LIST));
    rc_value_obj_put(o, "redirect", rc_value_seq_new(RC_LIST));
    rc_value_obj_put(o, "fixed_response", rc_value_seq_new(RC_LIST));
    if (is_type(a, "forward")) {
      bool stick;
      int64_t dur;
      struct rc_value *g = fwd_groups(a, &stick, &dur);
      if (rc_value_len(g) == 1 && !stick) {
        rc_svcu_put_str(o, "target_group_arn", rc_res_str(rc_value_index(g, 0), "arn"));
        rc_value_decref(g);
      } else {
        rc_value_obj_put(o, "forward", fwd_block(g, stick, dur));
      }
    } else if (is_type(a, "redirect")) {
      const struct rc_value *r = first(a, "redirect");
      struct rc_value *rl = rc_value_seq_new(RC_LIST), *e = rc_value_obj_new(RC_OBJECT);
      static const char *const keys[][2] = {{"host", "#{host}"},         {"path", "/#{path}"},
                                            {"port", "#{port}"},         {"protocol", "#{protocol}"},
                                            {"query", "#{query}"},       {"status_code", NULL},
                                            {NULL, NULL}};
      for (size_t k = 0; keys[k][0]; k++) {
        const char *s = r ? rc_res_str(r, keys[k][0]) : NULL;
        rc_value_obj_put(e, keys[k][0], str_or_null(s ? s : keys[k][1]));
      }
      rc_value_seq_push(rl, e);
      rc_value_obj_put(o, "redirect", rl);
    } else if (is_type(a, "fixed-response")) {
      const struct rc_value *r = first(a, "fixed_response");
      struct rc_value *rl = rc_value_seq_new(RC_LIST), *e = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(e, "content_type", str_or_null(r ? rc_res_str(r, "content_type") : NULL));
      rc_value_obj_put(e, "message_body", str_or_null(r ? rc_res_str(r, "message_body") : NULL));
      rc_value_obj_put(e, "status_code", str_or_null(r ? rc_res_str(r, "status_code") : NULL));
      rc_value_seq_push(rl, e);
      rc_value_obj_put(o, "fixed_response", rl);
    }
    rc_value_seq_push(l, o);
  }
  return l;
}

/* ---------------- wire ---------------- */

void rc_elbu_action_params(struct rc_value *p, const char *prefix, const struct rc_value *actions)
{
  for (size_t i = 0; actions && rc_value_is_seq(actions) && i < rc_value_len(actions); i++) {
    const struct rc_value *a = rc_value_index(actions, i);
    size_t n = i + 1;
    const char *type = rc_res_str(a, "type");
    rc_aws_paramf(p, type ? type : "", "%s.member.%zu.Type", prefix, n);
    char key[160];
    snprintf(key, sizeof key, "%s.member.%zu.Order", prefix, n);
    rc_value_obj_put(p, key, rc_value_int(rc_res_int(a, "order", (int64_t)n)));
    if (is_type(a, "forward")) {
      bool stick;
      int64_t dur;
      struct rc_value *g = fwd_groups(a, &stick, &dur);
      if (rc_value_len(g) == 1 && !stick && !first(a, "forward")) {
        rc_aws_paramf(p, rc_res_str(rc_value_index(g, 0), "arn"), "%s.member.%zu.TargetGroupArn",
                      prefix, n);
      } else {
        for (size_t k = 0; k < rc_value_len(g); k++) {
          const struct rc_value *t = rc_value_index(g, k);
          rc_aws_paramf(p, rc_res_str(t, "arn"),
                        "%s.member.%zu.ForwardConfig.TargetGroups.member.%zu.TargetGroupArn",
                        prefix, n, k + 1);
          snprintf(key, sizeof key, "%s.member.%zu.ForwardConfig.TargetGroups.member.%zu.Weight",
                   prefix, n, k + 1);
          rc_value_obj_put(p, key, rc_value_int(rc_res_int(t, "weight", 1)));
        }
        rc_aws_paramf(p, stick ? "true" : "false",
                      "%s.member.%zu.ForwardConfig.TargetGroupStickinessConfig.Enabled", prefix, n);
        if (stick) {
          snprintf(key, sizeof key,
                   "%s.member.%zu.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds",
                   prefix, n);
          rc_value_obj_put(p, key, rc_value_int(dur));
        }
      }
      rc_value_decref(g);
    } else if (is_type(a, "redirect")) {
      const struct rc_value *r = first(a, "redirect");
      static const char *const keys[][3] = {{"host", "Host", "#{host}"},
                                            {"path", "Path", "/#{path}"},
                                            {"port", "Port", "#{port}"},
                                            {"protocol", "Protocol", "#{protocol}"},
                                            {"query", "Query", "#{query}"},
                                            {"status_code", "StatusCode", NULL},
                                            {NULL, NULL, NULL}};
      for (size_t k = 0; keys[k][0]; k++) {
        const char *s = r ? rc_res_str(r, keys[k][0]) : NULL;
        if (!s) s = keys[k][2];
        if (s) rc_aws_paramf(p, s, "%s.member.%zu.RedirectConfig.%s", prefix, n, keys[k][1]);
      }
    } else if (is_type(a, "fixed-response")) {
      const struct rc_value *r = first(a, "fixed_response");
      static const char *const keys[][2] = {{"content_type", "ContentType"},
                                            {"message_body", "MessageBody"},
                                            {"status_code", "StatusCode"},
                                            {NULL, NULL}};
      for (size_t k = 0; r && keys[k][0]; k++) {
        const char *s = rc_res_str(r, keys[k][0]);
        if (s) rc_aws_paramf(p, s, "%s.member.%zu.FixedResponseConfig.%s", prefix, n, keys[k][1]);
      }
    }
  }
}

static int cmp_order(const void *x, const void *y)
{
  int64_t a = rc_svcu_int(rc_value_get(*(const struct rc_value *const *)x, "Order"), 0);
  int64_t b = rc_svcu_int(rc_value_get(*(const struct rc_value *const *)y, "Order"), 0);
  return (a > b) - (a < b);
}

struct rc_value *rc_elbu_actions_state(const struct rc_value *wire,
                                       const struct rc_value *prior_actions)
{
  size_t n = rc_value_is_seq(wire) ? rc_value_len(wire) : 0;
  const struct rc_value **v = rc_calloc(n ? n : 1, sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = rc_value_index(wire, i);
  qsort(v, n, sizeof *v, cmp_order);
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  for (size_t i = 0; i < n; i++) {
    const struct rc_value *w = v[i];
    const struct rc_value *pa = prior_actions && rc_value_is_seq(prior_actions) &&
                                        i < rc_value_len(prior_actions)
                                    ? rc_value_index(prior_actions, i)
                                    : NULL;
    const char *type = rc_aws_str(w, "Type");
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(o, "type", type);
    rc_value_obj_put(o, "order", rc_value_int(rc_svcu_int(rc_value_get(w, "Order"), (int64_t)i + 1)));
    struct rc_value *fwd = rc_value_seq_new(RC_TUPLE), *red = rc_value_seq_new(RC_TUPLE),
                    *fix = rc_value_seq_new(RC_TUPLE);
    const char *tga = NULL;
    if (type && strcmp(type, "forward") == 0) {
      const struct rc_value *fc = rc_value_get(w, "ForwardConfig");
      const struct rc_value *tl = fc ? rc_aws_list(fc, "TargetGroups") : NULL;
      const struct rc_value *sc = fc ? rc_value_get(fc, "TargetGroupStickinessConfig") : NULL;
      bool stick = sc && rc_elbu_same(rc_aws_str(sc, "Enabled"), "true");
      struct rc_value *g = rc_value_seq_new(RC_SET);
      for (size_t k = 0; tl && k < rc_value_len(tl); k++) {
        const struct rc_value *t = rc_value_index(tl, k);
        struct rc_value *e = rc_value_obj_new(RC_OBJECT);
        rc_svcu_put_str(e, "arn", rc_aws_str(t, "TargetGroupArn"));
        rc_value_obj_put(e, "weight", rc_value_int(rc_svcu_int(rc_value_get(t, "Weight"), 1)));
        rc_value_seq_push(g, e);
      }
      rc_value_seq_seal(g);
      tga = rc_aws_str(w, "TargetGroupArn");
      bool prior_fwd = pa && first(pa, "forward");
      if (rc_value_len(g) <= 1 && !stick && !prior_fwd) {
        if (!tga && rc_value_len(g)) tga = rc_res_str(rc_value_index(g, 0), "arn");
        rc_value_decref(g);
      } else {
        rc_value_decref(fwd);
        fwd = fwd_block(g, stick, stick ? rc_svcu_int(rc_value_get(sc, "DurationSeconds"), 0) : 0);
        if (rc_value_len(rc_value_get(rc_value_index(fwd, 0), "target_group")) > 1) tga = NULL;
      }
    } else if (type && strcmp(type, "redirect") == 0) {
      const struct rc_value *rc = rc_value_get(w, "RedirectConfig");
      struct rc_value *e = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(e, "host", str_or_null(rc_aws_str(rc, "Host")));
      rc_value_obj_put(e, "path", str_or_null(rc_aws_str(rc, "Path")));
      rc_value_obj_put(e, "port", str_or_null(rc_aws_str(rc, "Port")));
      rc_value_obj_put(e, "protocol", str_or_null(rc_aws_str(rc, "Protocol")));
      rc_value_obj_put(e, "query", str_or_null(rc_aws_str(rc, "Query")));
      rc_value_obj_put(e, "status_code", str_or_null(rc_aws_str(rc, "StatusCode")));
      rc_value_seq_push(red, e);
    } else if (type && strcmp(type, "fixed-response") == 0) {
      const struct rc_value *fc = rc_value_get(w, "FixedResponseConfig");
      struct rc_value *e = rc_value_obj_new(RC_OBJECT);
      rc_value_obj_put(e, "content_type", str_or_null(rc_aws_str(fc, "ContentType")));
      rc_value_obj_put(e, "message_body", str_or_null(rc_aws_str(fc, "MessageBody")));
      rc_value_obj_put(e, "status_code", str_or_null(rc_aws_str(fc, "StatusCode")));
      rc_value_seq_push(fix, e);
    }
    rc_value_obj_put(o, "target_group_arn", str_or_null(tga));
    rc_value_obj_put(o, "forward", fwd);
    rc_value_obj_put(o, "redirect", red);
    rc_value_obj_put(o, "fixed_response", fix);
    rc_value_seq_push(l, o);
  }
  rc_free(v);
  return l;
}

/* ---------------- conditions ---------------- */

struct cond_field {
  const char *attr, *field, *config;
};

static const struct cond_field cond_fields[] = {
    {"host_header", "host-header", "HostHeaderConfig"},
    {"http_header", "http-header", "HttpHeaderConfig"},
    {"http_request_method", "http-request-method", "HttpRequestMethodConfig"},
    {"path_pattern", "path-pattern", "PathPatternConfig"},
    {"query_string", "query-string", "QueryStringConfig"},
    {"source_ip", "source-ip", "SourceIpConfig"},
    {NULL, NULL, NULL}};

void rc_elbu_condition_params(struct rc_value *p, const struct rc_value *conds)
{
  size_t n = 0;
  for (size_t i = 0; conds && rc_value_is_seq(conds) && i < rc_value_len(conds); i++) {
    const struct rc_value *c = rc_value_index(conds, i);
    for (const struct cond_field *f = cond_fields; f->attr; f++) {
      const struct rc_value *b = rc_value_get(c, f->attr);
      if (!b || !rc_value_is_seq(b) || !rc_value_len(b)) continue;
      n++;
      rc_aws_paramf(p, f->field, "Conditions.member.%zu.Field", n);
      if (strcmp(f->attr, "query_string") == 0) {
        for (size_t k = 0; k < rc_value_len(b); k++) {
          const struct rc_value *q = rc_value_index(b, k);
          const char *key = rc_res_str(q, "key"), *val = rc_res_str(q, "value");
          if (key && *key)
            rc_aws_paramf(p, key, "Conditions.member.%zu.QueryStringConfig.Values.member.%zu.Key",
                          n, k + 1);
          rc_aws_paramf(p, val ? val : "",
                        "Conditions.member.%zu.QueryStringConfig.Values.member.%zu.Value", n, k + 1);
        }
        continue;
      }
      const struct rc_value *e = rc_value_index(b, 0);
      if (strcmp(f->attr, "http_header") == 0)
        rc_aws_paramf(p, rc_res_str(e, "http_header_name"),
                      "Conditions.member.%zu.HttpHeaderConfig.HttpHeaderName", n);
      const struct rc_value *vals = rc_value_get(e, "values");
      for (size_t k = 0; vals && rc_value_is_seq(vals) && k < rc_value_len(vals); k++)
        rc_aws_paramf(p, rc_value_str(rc_value_index(vals, k)),
                      "Conditions.member.%zu.%s.Values.member.%zu", n, f->config, k + 1);
    }
  }
}

struct rc_value *rc_elbu_conditions_state(const struct rc_value *wire)
{
  struct rc_value *s = rc_value_seq_new(RC_SET);
  for (size_t i = 0; wire && rc_value_is_seq(wire) && i < rc_value_len(wire); i++) {
    const struct rc_value *w = rc_value_index(wire, i);
    const char *field = rc_aws_str(w, "Field");
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (const struct cond_field *f = cond_fields; f->attr; f++) {
      bool mine = field && strcmp(field, f->field) == 0;
      bool set = strcmp(f->attr, "query_string") == 0;
      struct rc_value *b = rc_value_seq_new(set ? RC_SET : RC_TUPLE);
      if (mine && set) {
        const struct rc_value *qv = rc_aws_list(rc_value_get(w, f->config), "Values");
        for (size_t k = 0; k < rc_value_len(qv); k++) {
          struct rc_value *q = rc_value_obj_new(RC_OBJECT);
          rc_svcu_put_str(q, "key", rc_aws_str(rc_value_index(qv, k), "Key"));
          rc_svcu_put_str(q, "value", rc_aws_str(rc_value_index(qv, k), "Value"));
          rc_value_seq_push(b, q);
        }
        rc_value_seq_seal(b);
      } else if (mine) {
        const struct rc_value *cfg = rc_value_get(w, f->config);
        const struct rc_value *vals = cfg ? rc_aws_list(cfg, "Values") : NULL;
        if (!vals || !rc_value_len(vals)) vals = rc_aws_list(w, "Values");
        struct rc_value *e = rc_value_obj_new(RC_OBJECT);
        if (strcmp(f->attr, "http_header") == 0)
          rc_svcu_put_str(e, "http_header_name", rc_aws_str(cfg, "HttpHeaderName"));
        rc_value_obj_put(e, "values", rc_svcu_str_set(vals));
        rc_value_seq_push(b, e);
      }
      rc_value_obj_put(o, f->attr, b);
    }
    rc_value_seq_push(s, o);
  }
  return rc_value_seq_seal(s);
}

struct rc_value *rc_elbu_norm_conditions(const struct rc_value *v)
{
  if (!rc_value_is_seq(v)) return NULL;
  struct rc_value *s = rc_value_seq_new(RC_SET);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const struct rc_value *c = rc_value_index(v, i);
    struct rc_value *o = rc_value_obj_new(RC_OBJECT);
    for (const struct cond_field *f = cond_fields; f->attr; f++) {
      const struct rc_value *b = rc_value_is_obj(c) ? rc_value_get(c, f->attr) : NULL;
      bool qs = strcmp(f->attr, "query_string") == 0;
      struct rc_value *nb = rc_value_seq_new(qs ? RC_SET : RC_LIST);
      for (size_t k = 0; b && rc_value_is_seq(b) && k < rc_value_len(b); k++) {
        const struct rc_value *e = rc_value_index(b, k);
        struct rc_value *ne = rc_value_obj_new(RC_OBJECT);
        if (qs) {
          rc_value_obj_put(ne, "key", str_or_null(rc_res_str(e, "key")));
          rc_value_obj_put(ne, "value", str_or_null(rc_res_str(e, "value")));
        } else {
          if (strcmp(f->attr, "http_header") == 0)
            rc_value_obj_put(ne, "http_header_name", str_or_null(rc_res_str(e, "http_header_name")));
          rc_value_obj_put(ne, "values", rc_svcu_str_set(rc_value_get(e, "values")));
        }
        rc_value_seq_push(nb, ne);
      }
      rc_value_obj_put(o, f->attr, rc_value_seq_seal(nb));
    }
    rc_value_seq_push(s, o);
  }
  return rc_value_seq_seal(s);
}
