/* lb_target_group — aws_lb_target_group (alias aws_alb_target_group):
 * CreateTargetGroup with the health check and tags at birth, the attributes
 * (deregistration_delay, slow_start, stickiness, algorithm, ...) through
 * ModifyTargetGroupAttributes, the health check through ModifyTargetGroup,
 * tags through AddTags / RemoveTags. A refresh is one DescribeTargetGroups
 * per 20 ARNs, one DescribeTags per 20 and one DescribeTargetGroupAttributes
 * per target group, concurrently. Delete retries ResourceInUse while a
 * listener or rule that uses it is deleted in parallel. id = arn. */
#include <stdio.h>
#include <string.h>

#include "elbutil.h"
#include "rc_alloc.h"

#define TG_INUSE_S 120

/* health check: AWS fills path, matcher and timeout; TCP checks have no path
 * or matcher; the protocol is kept upper-case */
static struct rc_value *norm_health(const struct rc_value *v)
{
  if (!rc_value_is_seq(v)) return NULL;
  struct rc_value *l = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const struct rc_value *e = rc_value_index(v, i);
    if (!rc_value_is_obj(e)) {
      rc_value_seq_push(l, rc_value_incref(e));
      continue;
    }
    struct rc_value *o = rc_value_copy(e);
    const char *proto = rc_res_str(e, "protocol");
    char up[16] = "HTTP";
    if (proto) {
      size_t k = 0;
      for (; proto[k] && k + 1 < sizeof up; k++)
        up[k] = (char)(proto[k] >= 'a' && proto[k] <= 'z' ? proto[k] - 32 : proto[k]);
      up[k] = '\0';
    }
    rc_value_obj_put(o, "protocol", rc_value_string(up));
    bool http = strncmp(up, "HTTP", 4) == 0;
    if (!http) {
      rc_value_obj_put(o, "path", rc_value_null());
      rc_value_obj_put(o, "matcher", rc_value_null());
    } else {
      if (!rc_res_str(e, "path")) rc_value_obj_put(o, "path", rc_value_string("/"));
      if (!rc_res_str(e, "matcher")) rc_value_obj_put(o, "matcher", rc_value_string("200"));
    }
    const struct rc_value *t = rc_value_get(e, "timeout");
    if (!t || rc_value_is_null(t)) rc_value_obj_put(o, "timeout", rc_value_int(http ? 5 : 10));
    rc_value_seq_push(l, o);
  }
  return l;
}

static struct rc_value *norm_upper(const struct rc_value *v)
{
  const char *s = rc_value_str(v);
  if (!s) return NULL;
  char *u = rc_strdup(s);
  for (char *p = u; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
  return rc_value_string_steal(u);
}

static const struct rc_attr health_schema[] = {
    {.name = "enabled", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "true"},
    {.name = "healthy_threshold", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "3"},
    {.name = "interval", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "30"},
    {.name = "matcher", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "path", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "port", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"traffic-port\""},
    {.name = "protocol", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"HTTP\""},
    {.name = "timeout", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "unhealthy_threshold", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "3"},
    {0}};

static const struct rc_attr stick_schema[] = {
    {.name = "cookie_duration", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "86400"},
    {.name = "cookie_name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "enabled", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "true"},
    {.name = "type", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr tg_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn_suffix", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "connection_termination", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "deregistration_delay", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"300\""},
    {.name = "health_check",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED,
     .block = health_schema,
     .max_items = 1,
     .normalise = norm_health},
    {.name = "ip_address_type", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "lambda_multi_value_headers_enabled", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "load_balancer_arns", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "load_balancing_algorithm_type", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "load_balancing_anomaly_mitigation", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "load_balancing_cross_zone_enabled", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name_prefix", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "port", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "preserve_client_ip", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "protocol", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "protocol_version",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW,
     .normalise = norm_upper},
    {.name = "proxy_protocol_v2", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "slow_start", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "0"},
    {.name = "stickiness",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED,
     .block = stick_schema,
     .max_items = 1},
    RC_SVCU_TAGS,
    {.name = "target_type",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .default_json = "\"instance\""},
    {.name = "vpc_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {0}};

/* ---------------- attributes ---------------- */

#define K_HTTP 1u   /* HTTP/HTTPS target groups (application load balancers) */
#define K_TCP 2u    /* TCP/TLS/UDP/TCP_UDP/GENEVE (network, gateway) */
#define K_LAMBDA 4u

static const struct rc_elbu_attr tg_attrs[] = {
    {"connection_termination", "deregistration_delay.connection_termination.enabled", RC_ELBU_A_BOOL, K_TCP},
    {"deregistration_delay", "deregistration_delay.timeout_seconds", RC_ELBU_A_STR, K_HTTP | K_TCP},
    {"lambda_multi_value_headers_enabled", "lambda.multi_value_headers.enabled", RC_ELBU_A_BOOL, K_LAMBDA},
    {"load_balancing_algorithm_type", "load_balancing.algorithm.type", RC_ELBU_A_STR, K_HTTP},
    {"load_balancing_anomaly_mitigation", "load_balancing.algorithm.anomaly_mitigation", RC_ELBU_A_STR, K_HTTP},
    {"load_balancing_cross_zone_enabled", "load_balancing.cross_zone.enabled", RC_ELBU_A_STR, K_HTTP | K_TCP},
    {"preserve_client_ip", "preserve_client_ip.enabled", RC_ELBU_A_STR, K_TCP},
    {"proxy_protocol_v2", "proxy_protocol_v2.enabled", RC_ELBU_A_BOOL, K_TCP},
    {"slow_start", "slow_start.duration_seconds", RC_ELBU_A_INT, K_HTTP},
    {NULL, NULL, RC_ELBU_A_BOOL, 0}};

static unsigned tg_kind_bit(const char *target_type, const char *protocol)
{
  if (target_type && strcmp(target_type, "lambda") == 0) return K_LAMBDA;
  if (!protocol || strncmp(protocol, "HTTP", 4) == 0) return K_HTTP;
  return K_TCP;
}

/* the configured value of an attribute as a wire string, NULL when unset
 * (Optional+Computed without a value: AWS keeps its own) */
static struct rc_value *to_wire(enum rc_elbu_akind k, const struct rc_value *cfg, const char *name)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  struct rc_value *d = NULL;
  if (!v || rc_value_is_null(v) || !rc_value_is_known(v)) v = d = rc_elbu_attr_dflt(tg_schema, name);
  struct rc_value *r = NULL;
  if (rc_value_is_null(v))
    r = NULL;
  else if (k == RC_ELBU_A_BOOL)
    r = rc_value_string(rc_res_bool(cfg, name, rc_value_kind(v) == RC_BOOL && rc_value_bool_get(v))
                            ? "true"
                            : "false");
  else if (k == RC_ELBU_A_INT)
    r = rc_elbu_istr(rc_svcu_int(v, 0));
  else if (rc_value_kind(v) == RC_NUMBER)
    r = rc_elbu_istr(rc_value_int_get(v));
  else
    r = rc_value_string(rc_value_str(v) ? rc_value_str(v) : "");
  rc_value_decref(d);
  return r;
}

static void stick_params(struct rc_value *a, const struct rc_value *cfg)
{
  const struct rc_value *s = rc_res_block(cfg, "stickiness");
  if (!s) return;
  const char *type = rc_res_str(s, "type");
  bool en = rc_res_bool(s, "enabled", true);
  rc_value_obj_put(a, "stickiness.enabled", rc_value_string(en ? "true" : "false"));
  if (!type) return;
  rc_value_obj_put(a, "stickiness.type", rc_value_string(type));
  int64_t dur = rc_res_int(s, "cookie_duration", 86400);
  if (strcmp(type, "lb_cookie") == 0) {
    rc_value_obj_put(a, "stickiness.lb_cookie.duration_seconds", rc_elbu_istr(dur));
  } else if (strcmp(type, "app_cookie") == 0) {
    const char *n = rc_res_str(s, "cookie_name");
    rc_value_obj_put(a, "stickiness.app_cookie.cookie_name", rc_value_string(n ? n : ""));
    rc_value_obj_put(a, "stickiness.app_cookie.duration_seconds", rc_elbu_istr(dur));
  }
}

static struct rc_value *wanted_attrs(const struct rc_value *cfg)
{
  unsigned k = tg_kind_bit(rc_res_str(cfg, "target_type"), rc_res_str(cfg, "protocol"));
  struct rc_value *a = rc_value_obj_new(RC_OBJECT);
  for (const struct rc_elbu_attr *x = tg_attrs; x->name; x++) {
    if (!(x->bits & k)) continue;
    struct rc_value *w = to_wire(x->kind, cfg, x->name);
    if (w) rc_value_obj_put(a, x->key, w);
  }
  if (k != K_LAMBDA) stick_params(a, cfg);
  return a;
}

/* ---------------- answer -> state ---------------- */

/* A sub-attribute AWS fills (matcher, path, timeout) that the configuration
 * leaves null stays null, as Terraform keeps an unset Optional+Computed
 * value: what AWS chose is no change. */
static void keep_unset(struct rc_value *h, const struct rc_value *prior)
{
  const struct rc_value *ph = prior ? rc_res_block(prior, "health_check") : NULL;
  static const char *const keys[] = {"matcher", "path", "timeout", NULL};
  for (const char *const *k = keys; ph && *k; k++) {
    const struct rc_value *v = rc_value_get(ph, *k);
    if (v && rc_value_is_null(v)) rc_value_obj_put(h, *k, rc_value_null());
  }
}

static struct rc_value *health_state(const struct rc_value *tg, const struct rc_value *prior)
{
  struct rc_value *l = rc_value_seq_new(RC_TUPLE), *h = rc_value_obj_new(RC_OBJECT);
  rc_svcu_put_bool(h, "enabled", rc_value_get(tg, "HealthCheckEnabled"), true);
  rc_svcu_put_int(h, "healthy_threshold", rc_value_get(tg, "HealthyThresholdCount"));
  rc_svcu_put_int(h, "interval", rc_value_get(tg, "HealthCheckIntervalSeconds"));
  const struct rc_value *m = rc_value_get(tg, "Matcher");
  const char *code = m ? rc_aws_str(m, "HttpCode") : NULL;
  if (!code && m) code = rc_aws_str(m, "GrpcCode");
  const char *proto = rc_aws_str(tg, "HealthCheckProtocol");
  bool http = !proto || strncmp(proto, "HTTP", 4) == 0;
  rc_svcu_put_str(h, "matcher", http ? code : NULL);
  rc_svcu_put_str(h, "path", http ? rc_aws_str(tg, "HealthCheckPath") : NULL);
  rc_svcu_put_str(h, "port", rc_aws_str(tg, "HealthCheckPort"));
  rc_svcu_put_str(h, "protocol", proto);
  rc_svcu_put_int(h, "timeout", rc_value_get(tg, "HealthCheckTimeoutSeconds"));
  rc_svcu_put_int(h, "unhealthy_threshold", rc_value_get(tg, "UnhealthyThresholdCount"));
  keep_unset(h, prior);
  rc_value_seq_push(l, h);
  return l;
}

static struct rc_value *stick_state(const struct rc_value *attrs, const struct rc_value *prior)
{
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  const char *type = rc_res_str(attrs, "stickiness.type");
  if (!type) {
    const struct rc_value *p = prior ? rc_value_get(prior, "stickiness") : NULL;
    rc_value_decref(l);
    return p && rc_value_is_seq(p) ? rc_value_incref(p) : rc_value_seq_new(RC_TUPLE);
  }
  struct rc_value *s = rc_value_obj_new(RC_OBJECT);
  rc_svcu_put_str(s, "type", type);
  rc_value_obj_put(s, "enabled",
                   rc_value_bool(rc_elbu_same(rc_res_str(attrs, "stickiness.enabled"), "true")));
  const char *dur = NULL, *name = NULL;
  if (strcmp(type, "lb_cookie") == 0) {
    dur = rc_res_str(attrs, "stickiness.lb_cookie.duration_seconds");
  } else if (strcmp(type, "app_cookie") == 0) {
    dur = rc_res_str(attrs, "stickiness.app_cookie.duration_seconds");
    name = rc_res_str(attrs, "stickiness.app_cookie.cookie_name");
  }
  const struct rc_value *pd = prior ? rc_value_path(prior, "stickiness.0.cookie_duration") : NULL;
  rc_value_obj_put(s, "cookie_duration",
                   dur ? rc_elbu_attr_from_wire(RC_ELBU_A_INT, dur)
                       : rc_value_int(rc_svcu_int(pd, 86400)));
  rc_svcu_put_str(s, "cookie_name", name);
  rc_value_seq_push(l, s);
  return l;
}

static struct rc_value *tg_state(struct rc_rctx *ctx, const struct rc_value *tg,
                                 const struct rc_value *attrs, const struct rc_value *tags,
                                 const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(tg, "TargetGroupArn");
  rc_svcu_put_str(o, "id", arn);
  rc_svcu_put_str(o, "arn", arn);
  const char *c = arn ? strstr(arn, ":targetgroup/") : NULL;
  rc_svcu_put_str(o, "arn_suffix", c ? c + 1 : NULL);
  rc_svcu_put_str(o, "name", rc_aws_str(tg, "TargetGroupName"));
  rc_svcu_carry(o, prior, "name_prefix");
  const char *tt = rc_aws_str(tg, "TargetType");
  rc_svcu_put_str(o, "target_type", tt ? tt : "instance");
  const char *proto = rc_aws_str(tg, "Protocol");
  rc_svcu_put_str(o, "protocol", proto);
  rc_svcu_put_int(o, "port", rc_value_get(tg, "Port"));
  rc_svcu_put_str(o, "vpc_id", rc_aws_str(tg, "VpcId"));
  rc_svcu_put_str(o, "protocol_version", rc_aws_str(tg, "ProtocolVersion"));
  rc_svcu_put_str(o, "ip_address_type", rc_aws_str(tg, "IpAddressType"));
  rc_value_obj_put(o, "load_balancer_arns", rc_svcu_str_set(rc_aws_list(tg, "LoadBalancerArns")));
  rc_value_obj_put(o, "health_check", health_state(tg, prior));
  unsigned k = tg_kind_bit(tt, proto);
  rc_elbu_attrs_state(o, tg_attrs, k, tg_schema, attrs, prior);
  rc_value_obj_put(o, "stickiness", stick_state(attrs, prior));
  rc_res_put_tags(ctx, o, tags);
  return o;
}

static const struct rc_elbu_kind tg_kind = {
    .what = "target group",
    .op = "DescribeTargetGroups",
    .arn_param = "TargetGroupArns",
    .list_key = "TargetGroups",
    .arn_key = "TargetGroupArn",
    .attr_op = "DescribeTargetGroupAttributes",
    .attr_param = "TargetGroupArn",
    .state = tg_state,
};

static rc_status tg_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_elbu_read_many(ctx, &tg_kind, items, n);
}

static rc_status tg_find(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  char *name = rc_elbu_name(ctx, config, "tf-");
  rc_status st = rc_elbu_find_by_name(ctx, &tg_kind, name, config, false, out, err);
  rc_free(name);
  return st;
}

/* ---------------- create / update / delete ---------------- */

static void health_params(struct rc_value *p, const struct rc_value *cfg)
{
  const struct rc_value *h = rc_res_block(cfg, "health_check");
  if (!h) return;
  rc_value_obj_put(p, "HealthCheckEnabled", rc_value_bool(rc_res_bool(h, "enabled", true)));
  rc_value_obj_put(p, "HealthCheckIntervalSeconds", rc_value_int(rc_res_int(h, "interval", 30)));
  rc_value_obj_put(p, "HealthyThresholdCount", rc_value_int(rc_res_int(h, "healthy_threshold", 3)));
  rc_value_obj_put(p, "UnhealthyThresholdCount",
                   rc_value_int(rc_res_int(h, "unhealthy_threshold", 3)));
  int64_t to = rc_res_int(h, "timeout", 0);
  if (to > 0) rc_value_obj_put(p, "HealthCheckTimeoutSeconds", rc_value_int(to));
  const char *proto = rc_res_str(h, "protocol");
  struct rc_value *up = proto ? norm_upper(rc_value_get(h, "protocol")) : rc_value_string("HTTP");
  const char *pu = rc_value_str(up);
  rc_aws_param(p, "HealthCheckProtocol", pu);
  const char *port = rc_res_str(h, "port");
  rc_aws_param(p, "HealthCheckPort", port && *port ? port : "traffic-port");
  if (strcmp(pu, "TCP") != 0) {
    const char *s;
    if ((s = rc_res_str(h, "path")) && *s) rc_aws_param(p, "HealthCheckPath", s);
    if ((s = rc_res_str(h, "matcher")) && *s) {
      const char *pv = rc_res_str(cfg, "protocol_version");
      rc_aws_param(p, pv && strcmp(pv, "GRPC") == 0 ? "Matcher.GrpcCode" : "Matcher.HttpCode", s);
    }
  }
  rc_value_decref(up);
}

static rc_status modify_attrs(struct rc_rctx *ctx, const char *arn, const struct rc_value *config,
                              const struct rc_value *prior, struct rc_error *err)
{
  struct rc_value *base = rc_value_obj_new(RC_OBJECT);
  rc_svcu_put_str(base, "target_type", rc_res_str(config, "target_type"));
  rc_svcu_put_str(base, "protocol", rc_res_str(config, "protocol"));
  struct rc_value *want = wanted_attrs(config), *have = wanted_attrs(prior ? prior : base);
  rc_value_decref(base);
  struct rc_value *diff = rc_value_obj_new(RC_OBJECT);
  for (size_t i = 0; i < rc_value_len(want); i++) {
    const char *k = rc_value_key(want, i);
    const struct rc_value *v = rc_value_index(want, i);
    const struct rc_value *h = rc_value_get(have, k);
    bool same = h ? rc_value_equal(h, v)
                  : (!prior && strcmp(k, "stickiness.enabled") == 0 &&
                     rc_elbu_same(rc_value_str(v), "false"));
    if (!same) rc_value_obj_put(diff, k, rc_value_incref(v));
  }
  rc_status st = RC_OK;
  if (rc_value_len(diff)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "TargetGroupArn", arn);
    rc_elbu_attr_params(p, diff);
    static const char *const retry[] = {"not found", NULL};
    st = rc_svcu_call_retrying(ctx, "elbv2", "ModifyTargetGroupAttributes", p, retry,
                               RC_ELBU_VISIBLE_S, NULL, err);
    rc_value_decref(p);
  }
  rc_value_decref(diff);
  rc_value_decref(want);
  rc_value_decref(have);
  return st;
}

static rc_status tg_create(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  char *name = rc_elbu_name(ctx, config, "tf-");
  /* ELBv2 answers an existing one of the same name and settings instead of
   * failing: never take over one that is not ours */
  rc_status gst = rc_elbu_find_by_name(ctx, &tg_kind, name, config, true, out, err);
  if (gst || *out) {
    rc_free(name);
    return gst;
  }
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "Name", name);
  rc_free(name);
  const char *tt = rc_res_str(config, "target_type");
  rc_aws_param(p, "TargetType", tt ? tt : "instance");
  if (!tt || strcmp(tt, "lambda") != 0) {
    const char *proto = rc_res_str(config, "protocol"), *s;
    if (rc_value_get(config, "port") && !rc_value_is_null(rc_value_get(config, "port")))
      rc_value_obj_put(p, "Port", rc_value_int(rc_res_int(config, "port", 0)));
    if (proto) rc_aws_param(p, "Protocol", proto);
    if (proto && strncmp(proto, "HTTP", 4) == 0 && (s = rc_res_str(config, "protocol_version")) && *s)
      rc_aws_param(p, "ProtocolVersion", s);
    if ((s = rc_res_str(config, "vpc_id"))) rc_aws_param(p, "VpcId", s);
    if ((s = rc_res_str(config, "ip_address_type")) && *s) rc_aws_param(p, "IpAddressType", s);
  }
  health_params(p, config);
  rc_elbu_birth_tags(ctx, p, config);
  rc_status st = rc_aws_call(ctx->aws, "elbv2", "CreateTargetGroup", p, &ans, err);
  rc_value_decref(p);
  const struct rc_value *l = rc_aws_list(ans, "TargetGroups");
  const char *arn = rc_value_len(l) ? rc_aws_str(rc_value_index(l, 0), "TargetGroupArn") : NULL;
  char *id = arn ? rc_strdup(arn) : NULL;
  rc_value_decref(ans);
  if (!st && !id) st = rc_error_set(err, RC_AWS, "CreateTargetGroup answered no ARN");
  if (!st) st = modify_attrs(ctx, id, config, NULL, err);
  if (!st) st = rc_elbu_read_one(ctx, &tg_kind, id, config, RC_ELBU_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static bool health_changed(const struct rc_value *prior, const struct rc_value *config)
{
  const struct rc_value *c = rc_value_get(config, "health_check");
  if (!c || rc_value_is_null(c) || !rc_value_is_seq(c) || !rc_value_len(c)) return false;
  struct rc_value *a = norm_health(c), *b = norm_health(rc_value_get(prior, "health_check"));
  bool ch = !a || !b || !rc_value_equal(a, b);
  rc_value_decref(a);
  rc_value_decref(b);
  return ch;
}

static rc_status tg_update(struct rc_rctx *ctx, const struct rc_value *prior,
                           const struct rc_value *config, struct rc_value **out,
                           struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "id");
  rc_status st = RC_OK;
  if (health_changed(prior, config)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "TargetGroupArn", arn);
    health_params(p, config);
    st = rc_svcu_call(ctx, "elbv2", "ModifyTargetGroup", p, err);
    rc_value_decref(p);
  }
  if (!st) st = modify_attrs(ctx, arn, config, prior, err);
  if (!st) st = rc_elbu_update_tags(ctx, arn, prior, config, err);
  if (!st) st = rc_elbu_read_one(ctx, &tg_kind, arn, config, RC_ELBU_VISIBLE_S, out, err);
  return st;
}

static rc_status tg_delete(struct rc_rctx *ctx, const struct rc_value *state,
                           struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "TargetGroupArn", rc_res_str(state, "id"));
  static const char *const retry[] = {"ResourceInUse", NULL};
  rc_status st = rc_svcu_call_retrying(ctx, "elbv2", "DeleteTargetGroup", p, retry,
                                       rc_res_timeout(ctx, "delete", TG_INUSE_S), NULL, err);
  rc_value_decref(p);
  return st;
}

static rc_status tg_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                           struct rc_error *err)
{
  return rc_elbu_read_one(ctx, &tg_kind, id, NULL, 0, out, err);
}

static const char *const tg_aliases[] = {"aws_alb_target_group", NULL};

const struct rc_resource_type rc_rt_lb_target_group = {
    .name = "aws_lb_target_group",
    .aliases = tg_aliases,
    .flags = RC_RT_TAGGABLE,
    .schema = tg_schema,
    .read_many = tg_read_many,
    .find = tg_find,
    .create = tg_create,
    .update = tg_update,
    .delete = tg_delete,
    .import = tg_import,
};
