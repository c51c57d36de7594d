/* lb — aws_lb (alias aws_alb): CreateLoadBalancer with tags at birth, the
 * attributes (idle timeout, HTTP/2, deletion protection, access logs, ...)
 * through ModifyLoadBalancerAttributes, SetSubnets / SetSecurityGroups /
 * SetIpAddressType and AddTags / RemoveTags in place. A refresh is one
 * DescribeLoadBalancers per 20 ARNs, one DescribeTags per 20 and one
 * DescribeLoadBalancerAttributes per load balancer, run concurrently. find()
 * looks the name up (names are unique per region) and adopts it when its
 * tags are this stack's and address's. The wait follows provisioning →
 * active; delete waits until it is gone. id = arn. */
#include <stdio.h>
#include <string.h>

#include "elbutil.h"
#include "rc_alloc.h"

#define LB_TIMEOUT_S 600
#define LB_POLL_MS 1000

static const struct rc_attr logs_schema[] = {
    {.name = "bucket", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "enabled", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "prefix", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {0}};

static const struct rc_attr mapping_schema[] = {
    {.name = "allocation_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "ipv6_address", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "outpost_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "private_ipv4_address", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "subnet_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

/* access/connection logs: bucket and prefix mean nothing while disabled */
static struct rc_value *norm_logs(const struct rc_value *v)
{
  if (!rc_value_is_seq(v)) return NULL;
  struct rc_value *l = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(v); i++) {
    const struct rc_value *e = rc_value_index(v, i);
    struct rc_value *o = rc_value_copy(e);
    if (rc_value_is_obj(e) && !rc_res_bool(e, "enabled", false)) {
      rc_value_obj_put(o, "bucket", rc_value_null());
      rc_value_obj_put(o, "prefix", rc_value_null());
    } else if (rc_value_is_obj(e) && rc_elbu_same(rc_res_str(e, "prefix"), NULL)) {
      rc_value_obj_put(o, "prefix", rc_value_null());
    }
    rc_value_seq_push(l, o);
  }
  return l;
}

static const struct rc_attr lb_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "access_logs",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = logs_schema,
     .max_items = 1,
     .normalise = norm_logs},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn_suffix", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "client_keep_alive", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "3600"},
    {.name = "connection_logs",
     .type = RC_T_BLOCK_LIST,
     .flags = RC_A_OPTIONAL,
     .block = logs_schema,
     .max_items = 1,
     .normalise = norm_logs},
    {.name = "customer_owned_ipv4_pool", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "desync_mitigation_mode",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL,
     .default_json = "\"defensive\""},
    {.name = "dns_name", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "dns_record_client_routing_policy",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL,
     .default_json = "\"any_availability_zone\""},
    {.name = "drop_invalid_header_fields", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_cross_zone_load_balancing", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_deletion_protection", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_http2", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "true"},
    {.name = "enable_tls_version_and_cipher_suite_headers",
     .type = RC_T_BOOL,
     .flags = RC_A_OPTIONAL,
     .default_json = "false"},
    {.name = "enable_waf_fail_open", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_xff_client_port", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_zonal_shift", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "idle_timeout", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL, .default_json = "60"},
    {.name = "internal", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "ip_address_type", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "load_balancer_type",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .default_json = "\"application\""},
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "name_prefix",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "preserve_host_header", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "security_groups", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "subnet_mapping",
     .type = RC_T_BLOCK_SET,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED,
     .block = mapping_schema},
    {.name = "subnets", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    RC_SVCU_TAGS,
    {.name = "vpc_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "xff_header_processing_mode",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL,
     .default_json = "\"append\""},
    {.name = "zone_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

/* ---------------- attributes ---------------- */

#define T_ALB 1u
#define T_NLB 2u
#define T_ALL 7u

/* bits: the load balancer types an attribute applies to */
static const struct rc_elbu_attr lb_attrs[] = {
    {"client_keep_alive", "client_keep_alive.seconds", RC_ELBU_A_INT, T_ALB},
    {"desync_mitigation_mode", "routing.http.desync_mitigation_mode", RC_ELBU_A_STR, T_ALB},
    {"dns_record_client_routing_policy", "dns_record.client_routing_policy", RC_ELBU_A_STR, T_NLB},
    {"drop_invalid_header_fields", "routing.http.drop_invalid_header_fields.enabled", RC_ELBU_A_BOOL, T_ALB},
    {"enable_cross_zone_load_balancing", "load_balancing.cross_zone.enabled", RC_ELBU_A_BOOL, T_ALL & ~T_ALB},
    {"enable_deletion_protection", "deletion_protection.enabled", RC_ELBU_A_BOOL, T_ALL},
    {"enable_http2", "routing.http2.enabled", RC_ELBU_A_BOOL, T_ALB},
    {"enable_tls_version_and_cipher_suite_headers",
     "routing.http.x_amzn_tls_version_and_cipher_suite.enabled", RC_ELBU_A_BOOL, T_ALB},
    {"enable_waf_fail_open", "waf.fail_open.enabled", RC_ELBU_A_BOOL, T_ALB},
    {"enable_xff_client_port", "routing.http.xff_client_port.enabled", RC_ELBU_A_BOOL, T_ALB},
    {"enable_zonal_shift", "zonal_shift.config.enabled", RC_ELBU_A_BOOL, T_ALB | T_NLB},
    {"idle_timeout", "idle_timeout.timeout_seconds", RC_ELBU_A_INT, T_ALB},
    {"preserve_host_header", "routing.http.preserve_host_header.enabled", RC_ELBU_A_BOOL, T_ALB},
    {"xff_header_processing_mode", "routing.http.xff_header_processing.mode", RC_ELBU_A_STR, T_ALB},
    {NULL, NULL, RC_ELBU_A_BOOL, 0}};

static unsigned type_bit(const char *type)
{
  if (!type || strcmp(type, "application") == 0) return T_ALB;
  if (strcmp(type, "network") == 0) return T_NLB;
  return 4u; /* gateway */
}

/* a configuration value as a wire attribute string; new */
static struct rc_value *to_wire(enum rc_elbu_akind k, const struct rc_value *cfg, const char *name)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  struct rc_value *d = NULL;
  if (!v || rc_value_is_null(v)) v = d = rc_elbu_attr_dflt(lb_schema, name);
  struct rc_value *r;
  if (k == RC_ELBU_A_BOOL)
    r = rc_value_string(rc_res_bool(cfg, name, rc_value_kind(v) == RC_BOOL && rc_value_bool_get(v))
                            ? "true"
                            : "false");
  else if (k == RC_ELBU_A_INT)
    r = rc_elbu_istr(rc_value_kind(v) == RC_NUMBER ? rc_value_int_get(v) : rc_svcu_int(v, 0));
  else
    r = rc_value_string(rc_value_str(v) ? rc_value_str(v) : "");
  rc_value_decref(d);
  return r;
}

static struct rc_value *logs_state(const struct rc_value *attrs, const char *pfx,
                                   const struct rc_value *prior, const char *name)
{
  char k[64];
  snprintf(k, sizeof k, "%s.s3.enabled", pfx);
  bool en = rc_elbu_same(rc_res_str(attrs, k), "true");
  snprintf(k, sizeof k, "%s.s3.bucket", pfx);
  const char *bucket = rc_res_str(attrs, k);
  snprintf(k, sizeof k, "%s.s3.prefix", pfx);
  const char *prefix = rc_res_str(attrs, k);
  const struct rc_value *pl = prior ? rc_value_get(prior, name) : NULL;
  struct rc_value *l = rc_value_seq_new(RC_TUPLE);
  if (en || (bucket && *bucket) || (pl && rc_value_is_seq(pl) && rc_value_len(pl))) {
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_svcu_put_str(e, "bucket", bucket);
    rc_value_obj_put(e, "enabled", rc_value_bool(en));
    rc_svcu_put_str(e, "prefix", prefix);
    rc_value_seq_push(l, e);
  }
  return l;
}

static void logs_params(struct rc_value *attrs, const char *pfx, const struct rc_value *cfg,
                        const char *name)
{
  const struct rc_value *b = rc_res_block(cfg, name);
  char k[64];
  bool en = b && rc_res_bool(b, "enabled", false);
  snprintf(k, sizeof k, "%s.s3.enabled", pfx);
  rc_value_obj_put(attrs, k, rc_value_string(en ? "true" : "false"));
  if (en) {
    const char *s = rc_res_str(b, "bucket");
    snprintf(k, sizeof k, "%s.s3.bucket", pfx);
    rc_value_obj_put(attrs, k, rc_value_string(s ? s : ""));
    s = rc_res_str(b, "prefix");
    snprintf(k, sizeof k, "%s.s3.prefix", pfx);
    rc_value_obj_put(attrs, k, rc_value_string(s ? s : ""));
  }
}

/* the attributes the configuration asks for (as AWS keys) */
static struct rc_value *wanted_attrs(const struct rc_value *cfg)
{
  unsigned t = type_bit(rc_res_str(cfg, "load_balancer_type"));
  struct rc_value *a = rc_value_obj_new(RC_OBJECT);
  for (const struct rc_elbu_attr *x = lb_attrs; x->name; x++)
    if (x->bits & t) rc_value_obj_put(a, x->key, to_wire(x->kind, cfg, x->name));
  if (t & (T_ALB | T_NLB)) logs_params(a, "access_logs", cfg, "access_logs");
  if (t & T_ALB) logs_params(a, "connection_logs", cfg, "connection_logs");
  return a;
}

/* ---------------- answer -> state ---------------- */

static struct rc_value *lb_state(struct rc_rctx *ctx, const struct rc_value *lb,
                                 const struct rc_value *attrs, const struct rc_value *tags,
                                 const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *arn = rc_aws_str(lb, "LoadBalancerArn");
  rc_svcu_put_str(o, "id", arn);
  rc_svcu_put_str(o, "arn", arn);
  const char *suf = arn ? strstr(arn, ":loadbalancer/") : NULL;
  rc_svcu_put_str(o, "arn_suffix", suf ? suf + strlen(":loadbalancer/") : NULL);
  rc_svcu_put_str(o, "dns_name", rc_aws_str(lb, "DNSName"));
  rc_svcu_put_str(o, "zone_id", rc_aws_str(lb, "CanonicalHostedZoneId"));
  rc_svcu_put_str(o, "vpc_id", rc_aws_str(lb, "VpcId"));
  rc_svcu_put_str(o, "name", rc_aws_str(lb, "LoadBalancerName"));
  rc_svcu_carry(o, prior, "name_prefix");
  const char *scheme = rc_aws_str(lb, "Scheme");
  rc_value_obj_put(o, "internal", rc_value_bool(scheme && strcmp(scheme, "internal") == 0));
  const char *type = rc_aws_str(lb, "Type");
  rc_svcu_put_str(o, "load_balancer_type", type ? type : "application");
  rc_svcu_put_str(o, "ip_address_type", rc_aws_str(lb, "IpAddressType"));
  rc_svcu_put_str(o, "customer_owned_ipv4_pool", rc_aws_str(lb, "CustomerOwnedIpv4Pool"));
  rc_value_obj_put(o, "security_groups", rc_svcu_str_set(rc_aws_list(lb, "SecurityGroups")));
  struct rc_value *subnets = rc_value_seq_new(RC_SET), *maps = rc_value_seq_new(RC_SET);
  const struct rc_value *azs = rc_aws_list(lb, "AvailabilityZones");
  for (size_t i = 0; i < rc_value_len(azs); i++) {
    const struct rc_value *az = rc_value_index(azs, i);
    const char *sn = rc_aws_str(az, "SubnetId");
    if (!sn) continue;
    rc_value_seq_push(subnets, rc_value_string(sn));
    struct rc_value *m = rc_value_obj_new(RC_OBJECT);
    const struct rc_value *addrs = rc_aws_list(az, "LoadBalancerAddresses");
    const struct rc_value *a0 = rc_value_len(addrs) ? rc_value_index(addrs, 0) : NULL;
    rc_svcu_put_str(m, "allocation_id", a0 ? rc_aws_str(a0, "AllocationId") : NULL);
    rc_svcu_put_str(m, "ipv6_address", a0 ? rc_aws_str(a0, "IPv6Address") : NULL);
    rc_svcu_put_str(m, "outpost_id", rc_aws_str(az, "OutpostId"));
    rc_svcu_put_str(m, "private_ipv4_address", a0 ? rc_aws_str(a0, "PrivateIPv4Address") : NULL);
    rc_svcu_put_str(m, "subnet_id", sn);
    rc_value_seq_push(maps, m);
  }
  rc_value_obj_put(o, "subnets", rc_value_seq_seal(subnets));
  rc_value_obj_put(o, "subnet_mapping", rc_value_seq_seal(maps));
  unsigned t = type_bit(type);
  rc_elbu_attrs_state(o, lb_attrs, t, lb_schema, attrs, prior);
  rc_value_obj_put(o, "access_logs", logs_state(attrs, "access_logs", prior, "access_logs"));
  rc_value_obj_put(o, "connection_logs",
                   logs_state(attrs, "connection_logs", prior, "connection_logs"));
  rc_res_put_tags(ctx, o, tags);
  return o;
}

static const struct rc_elbu_kind lb_kind = {
    .what = "load balancer",
    .op = "DescribeLoadBalancers",
    .arn_param = "LoadBalancerArns",
    .list_key = "LoadBalancers",
    .arn_key = "LoadBalancerArn",
    .attr_op = "DescribeLoadBalancerAttributes",
    .attr_param = "LoadBalancerArn",
    .state = lb_state,
};

static rc_status lb_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_elbu_read_many(ctx, &lb_kind, items, n);
}

static rc_status lb_find(struct rc_rctx *ctx, const struct rc_value *config,
                         struct rc_value **out, struct rc_error *err)
{
  char *name = rc_elbu_name(ctx, config, "tf-lb-");
  rc_status st = rc_elbu_find_by_name(ctx, &lb_kind, name, config, false, out, err);
  rc_free(name);
  return st;
}

/* ---------------- create / update / delete ---------------- */

static rc_status modify_attrs(struct rc_rctx *ctx, const char *arn, const struct rc_value *config,
                              const struct rc_value *prior, struct rc_error *err)
{
  /* only what differs from the prior state's attributes (a new load
   * balancer: from AWS's defaults, which are the schema's) */
  struct rc_value *base = rc_value_obj_new(RC_OBJECT);
  const char *type = rc_res_str(config, "load_balancer_type");
  rc_svcu_put_str(base, "load_balancer_type", type);
  struct rc_value *want = wanted_attrs(config);
  struct rc_value *have = wanted_attrs(prior ? prior : base), *diff = rc_value_obj_new(RC_OBJECT);
  rc_value_decref(base);
  for (size_t i = 0; i < rc_value_len(want); i++) {
    const char *k = rc_value_key(want, i);
    const struct rc_value *v = rc_value_index(want, i);
    const struct rc_value *h = have ? rc_value_get(have, k) : NULL;
    if (!h || !rc_value_equal(h, v)) rc_value_obj_put(diff, k, rc_value_incref(v));
  }
  rc_status st = RC_OK;
  if (rc_value_len(diff)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "LoadBalancerArn", arn);
    rc_elbu_attr_params(p, diff);
    static const char *const retry[] = {"not found", NULL};
    st = rc_svcu_call_retrying(ctx, "elbv2", "ModifyLoadBalancerAttributes", p, retry,
                               RC_ELBU_VISIBLE_S, NULL, err);
    rc_value_decref(p);
  }
  rc_value_decref(diff);
  rc_value_decref(have);
  rc_value_decref(want);
  return st;
}

static void list_params(struct rc_value *p, const char *key, const struct rc_value *set)
{
  for (size_t i = 0; set && rc_value_is_seq(set) && i < rc_value_len(set); i++)
    rc_aws_paramf(p, rc_value_str(rc_value_index(set, i)), "%s.member.%zu", key, i + 1);
}

static void mapping_params(struct rc_value *p, const struct rc_value *maps)
{
  for (size_t i = 0; maps && rc_value_is_seq(maps) && i < rc_value_len(maps); i++) {
    const struct rc_value *m = rc_value_index(maps, i);
    static const char *const keys[][2] = {{"subnet_id", "SubnetId"},
                                          {"allocation_id", "AllocationId"},
                                          {"private_ipv4_address", "PrivateIPv4Address"},
                                          {"ipv6_address", "IPv6Address"},
                                          {NULL, NULL}};
    for (size_t k = 0; keys[k][0]; k++) {
      const char *s = rc_res_str(m, keys[k][0]);
      if (s && *s) rc_aws_paramf(p, s, "SubnetMappings.member.%zu.%s", i + 1, keys[k][1]);
    }
  }
}

static bool has_items(const struct rc_value *cfg, const char *name)
{
  const struct rc_value *v = rc_value_get(cfg, name);
  return v && rc_value_is_seq(v) && rc_value_len(v) > 0;
}

static rc_status lb_create(struct rc_rctx *ctx, const struct rc_value *config,
                           struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  char *name = rc_elbu_name(ctx, config, "tf-lb-");
  /* ELBv2 answers an existing one of the same name and settings instead of
   * failing: never take over one that is not ours */
  rc_status gst = rc_elbu_find_by_name(ctx, &lb_kind, name, config, true, out, err);
  if (gst || *out) {
    rc_free(name);
    return gst;
  }
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "Name", name);
  const char *type = rc_res_str(config, "load_balancer_type");
  rc_aws_param(p, "Type", type ? type : "application");
  if (rc_res_bool(config, "internal", false)) rc_aws_param(p, "Scheme", "internal");
  const char *s;
  if ((s = rc_res_str(config, "ip_address_type")) && *s) rc_aws_param(p, "IpAddressType", s);
  if ((s = rc_res_str(config, "customer_owned_ipv4_pool")) && *s)
    rc_aws_param(p, "CustomerOwnedIpv4Pool", s);
  list_params(p, "SecurityGroups", rc_value_get(config, "security_groups"));
  if (has_items(config, "subnet_mapping"))
    mapping_params(p, rc_value_get(config, "subnet_mapping"));
  else
    list_params(p, "Subnets", rc_value_get(config, "subnets"));
  rc_elbu_birth_tags(ctx, p, config);
  rc_status st = rc_aws_call(ctx->aws, "elbv2", "CreateLoadBalancer", p, &ans, err);
  rc_value_decref(p);
  rc_free(name);
  const struct rc_value *l = rc_aws_list(ans, "LoadBalancers");
  const char *arn = rc_value_len(l) ? rc_aws_str(rc_value_index(l, 0), "LoadBalancerArn") : NULL;
  char *id = arn ? rc_strdup(arn) : NULL;
  rc_value_decref(ans);
  if (!st && !id) st = rc_error_set(err, RC_AWS, "CreateLoadBalancer answered no ARN");
  if (!st) st = modify_attrs(ctx, id, config, NULL, err);
  if (!st) st = rc_elbu_read_one(ctx, &lb_kind, id, config, RC_ELBU_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static bool set_changed(const struct rc_value *cfg, const struct rc_value *prior, const char *name)
{
  const struct rc_value *c = rc_value_get(cfg, name);
  if (!c || rc_value_is_null(c)) return false; /* computed: AWS keeps what it has */
  struct rc_value *a = rc_svcu_str_set(c), *b = rc_svcu_str_set(rc_value_get(prior, name));
  bool ch = !rc_value_equal(a, b);
  rc_value_decref(a);
  rc_value_decref(b);
  return ch;
}

static rc_status lb_update(struct rc_rctx *ctx, const struct rc_value *prior,
                           const struct rc_value *config, struct rc_value **out,
                           struct rc_error *err)
{
  *out = NULL;
  const char *arn = rc_res_str(prior, "id");
  rc_status st = RC_OK;
  if (set_changed(config, prior, "subnets") && !has_items(config, "subnet_mapping")) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "LoadBalancerArn", arn);
    list_params(p, "Subnets", rc_value_get(config, "subnets"));
    st = rc_svcu_call(ctx, "elbv2", "SetSubnets", p, err);
    rc_value_decref(p);
  } else if (has_items(config, "subnet_mapping")) {
    struct rc_value *a = rc_value_seq_new(RC_SET);
    const struct rc_value *m = rc_value_get(config, "subnet_mapping");
    for (size_t i = 0; i < rc_value_len(m); i++)
      rc_value_seq_push(a, rc_value_string(rc_res_str(rc_value_index(m, i), "subnet_id")));
    rc_value_seq_seal(a);
    struct rc_value *b = rc_svcu_str_set(rc_value_get(prior, "subnets"));
    if (!rc_value_equal(a, b)) {
      struct rc_value *p = rc_value_obj_new(RC_OBJECT);
      rc_aws_param(p, "LoadBalancerArn", arn);
      mapping_params(p, m);
      st = rc_svcu_call(ctx, "elbv2", "SetSubnets", p, err);
      rc_value_decref(p);
    }
    rc_value_decref(a);
    rc_value_decref(b);
  }
  if (!st && set_changed(config, prior, "security_groups")) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "LoadBalancerArn", arn);
    const struct rc_value *sg = rc_value_get(config, "security_groups");
    if (rc_value_len(sg))
      list_params(p, "SecurityGroups", sg);
    else
      rc_aws_param(p, "SecurityGroups", "");
    st = rc_svcu_call(ctx, "elbv2", "SetSecurityGroups", p, err);
    rc_value_decref(p);
  }
  const char *ipt = rc_res_str(config, "ip_address_type");
  if (!st && ipt && *ipt && !rc_elbu_same(ipt, rc_res_str(prior, "ip_address_type"))) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "LoadBalancerArn", arn);
    rc_aws_param(p, "IpAddressType", ipt);
    st = rc_svcu_call(ctx, "elbv2", "SetIpAddressType", p, err);
    rc_value_decref(p);
  }
  if (!st) st = modify_attrs(ctx, arn, config, prior, err);
  if (!st) st = rc_elbu_update_tags(ctx, arn, prior, config, err);
  if (!st) st = rc_elbu_read_one(ctx, &lb_kind, arn, config, RC_ELBU_VISIBLE_S, out, err);
  return st;
}

static rc_status lb_delete(struct rc_rctx *ctx, const struct rc_value *state,
                           struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "LoadBalancerArn", rc_res_str(state, "id"));
  rc_status st = rc_svcu_call(ctx, "elbv2", "DeleteLoadBalancer", p, err);
  rc_value_decref(p);
  return st;
}

/* ---------------- wait ---------------- */

struct lb_wait {
  const char *arn;
  bool for_delete;
};

static rc_status lb_poll(struct rc_rctx *ctx, void *ud, char *seen, size_t seen_sz,
                         struct rc_error *err)
{
  struct lb_wait *w = ud;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "LoadBalancerArns.member.1", w->arn);
  rc_status st = rc_aws_call(ctx->aws, "elbv2", "DescribeLoadBalancers", p, &ans, err);
  rc_value_decref(p);
  const struct rc_value *l = rc_aws_list(ans, "LoadBalancers");
  const struct rc_value *lb = rc_value_len(l) ? rc_value_index(l, 0) : NULL;
  if (st == RC_NOT_FOUND || (!st && !lb)) {
    rc_value_decref(ans);
    rc_error_clear(err);
    snprintf(seen, seen_sz, "not found");
    return w->for_delete ? RC_OK : RC_NOT_READY;
  }
  if (st) {
    rc_value_decref(ans);
    return st;
  }
  const char *code = rc_value_str(rc_value_path(lb, "State.Code"));
  snprintf(seen, seen_sz, "%s", code ? code : "unknown");
  if (w->for_delete) {
    rc_value_decref(ans);
    if (ctx->progress) ctx->progress(ctx->progress_ud, ctx->address, "load balancer deleting");
    return RC_NOT_READY;
  }
  if (code && strcmp(code, "failed") == 0) {
    const char *why = rc_value_str(rc_value_path(lb, "State.Reason"));
    st = rc_error_set(err, RC_AWS, "load balancer %s failed: %s", w->arn, why ? why : "no reason given");
    rc_value_decref(ans);
    return st;
  }
  bool active = code && (strcmp(code, "active") == 0 || strcmp(code, "active_impaired") == 0);
  rc_value_decref(ans);
  if (active) return RC_OK;
  if (ctx->progress) { /* code died with ans: seen holds its copy */
    char msg[300];
    snprintf(msg, sizeof msg, "load balancer %s", seen);
    ctx->progress(ctx->progress_ud, ctx->address, msg);
  }
  return RC_NOT_READY;
}

static rc_status lb_wait(struct rc_rctx *ctx, enum rc_wait_for what, const struct rc_value *state,
                         struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct lb_wait w = {.arn = rc_res_str(state, "id"), .for_delete = what == RC_WAIT_DELETE};
  if (!w.arn) return RC_OK;
  char label[256];
  snprintf(label, sizeof label, "load balancer %s %s", w.arn, w.for_delete ? "deleted" : "active");
  const char *op = w.for_delete ? "delete" : what == RC_WAIT_CREATE ? "create" : "update";
  return rc_res_poll(ctx, label, rc_res_timeout(ctx, op, LB_TIMEOUT_S), LB_POLL_MS, lb_poll, &w,
                     err);
}

static rc_status lb_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                           struct rc_error *err)
{
  return rc_elbu_read_one(ctx, &lb_kind, id, NULL, 0, out, err);
}

static const char *const lb_aliases[] = {"aws_alb", NULL};

const struct rc_resource_type rc_rt_lb = {
    .name = "aws_lb",
    .aliases = lb_aliases,
    .flags = RC_RT_TAGGABLE,
    .schema = lb_schema,
    .read_many = lb_read_many,
    .find = lb_find,
    .create = lb_create,
    .update = lb_update,
    .delete = lb_delete,
    .wait = lb_wait,
    .import = lb_import,
};
