/* Live tests of the ELBv2 types (aws_lb, aws_lb_target_group,
 * aws_lb_listener, aws_lb_listener_rule) against recon-sim. The network
 * (a VPC, two subnets in two AZs, a security group) is made with direct EC2
 * calls. The tests run in order and share the objects they create. */
#define SVC_SIM_FLAGS "-consistency-delay-ms", "150", "-alb-delay-ms", "600"
#include <pthread.h>
#include <time.h>

#include "svc_live.h"

extern const struct rc_resource_type rc_rt_lb, rc_rt_lb_target_group, rc_rt_lb_listener;
extern const struct rc_resource_type rc_rt_lb_listener_rule;

static char vpc_id[64], subnet_a[64], subnet_b[64], subnet_c[64], sg_id[64];
static struct rc_value *lb_out, *tg_out, *tg2_out, *ls_out, *rule_out, *rule2_out;

static void copy_str(char *dst, size_t n, const struct rc_value *v, const char *path)
{
  const char *s = rc_value_str(rc_value_path(v, path));
  if (!s) fail_msg("no %s in answer", path);
  snprintf(dst, n, "%s", s);
}

static void make_network(void)
{
  if (vpc_id[0]) return;
  struct rc_value *a = svc_call("ec2", "CreateVpc", "{\"CidrBlock\": \"10.42.0.0/16\"}");
  copy_str(vpc_id, sizeof vpc_id, a, "vpc.vpcId");
  rc_value_decref(a);
  const char *azs[3] = {"us-east-1a", "us-east-1b", "us-east-1c"};
  char *dst[3] = {subnet_a, subnet_b, subnet_c};
  for (int i = 0; i < 3; i++) {
    char *j = rc_asprintf("{\"VpcId\": \"%s\", \"CidrBlock\": \"10.42.%d.0/24\","
                          " \"AvailabilityZone\": \"%s\"}", vpc_id, i, azs[i]);
    a = svc_call("ec2", "CreateSubnet", j);
    copy_str(dst[i], 64, a, "subnet.subnetId");
    rc_value_decref(a);
    rc_free(j);
  }
  char *j = rc_asprintf("{\"GroupName\": \"svctest-alb\", \"GroupDescription\": \"alb\","
                        " \"VpcId\": \"%s\"}", vpc_id);
  a = svc_call("ec2", "CreateSecurityGroup", j);
  copy_str(sg_id, sizeof sg_id, a, "groupId");
  rc_value_decref(a);
  rc_free(j);
}

/* the configuration as the engine plans it: block defaults filled */
static struct rc_value *fill_block(const struct rc_attr *schema, const struct rc_value *v);

static struct rc_value *fill_value(const struct rc_attr *a, const struct rc_value *v)
{
  if ((a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET) && v && rc_value_is_seq(v)) {
    struct rc_value *l = rc_value_seq_new(RC_LIST);
    for (size_t i = 0; i < rc_value_len(v); i++)
      rc_value_seq_push(l, fill_block(a->block, rc_value_index(v, i)));
    return l;
  }
  return v ? rc_value_incref(v) : rc_value_null();
}

static struct rc_value *fill_block(const struct rc_attr *schema, const struct rc_value *v)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  for (const struct rc_attr *a = schema; a->name; a++) {
    const struct rc_value *cv = rc_value_get(v, a->name);
    if ((!cv || rc_value_is_null(cv)) && a->default_json)
      rc_value_obj_put(o, a->name, rc_value_parse_json(a->default_json, strlen(a->default_json), NULL));
    else if (!cv && (a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET))
      rc_value_obj_put(o, a->name, rc_value_seq_new(RC_LIST));
    else
      rc_value_obj_put(o, a->name, fill_value(a, cv));
  }
  return o;
}

/* live_cfg plus what the engine's plan adds inside blocks: every nested
 * attribute present (null when unset), defaults filled */
static struct rc_value *elb_cfg(const struct rc_resource_type *rt, const char *json)
{
  struct rc_value *c = live_cfg(rt, json), *o = rc_value_copy(c);
  rc_value_decref(c);
  for (const struct rc_attr *a = rt->schema; a->name; a++) {
    const struct rc_value *v = rc_value_get(o, a->name);
    if (v && (a->type == RC_T_BLOCK_LIST || a->type == RC_T_BLOCK_SET))
      rc_value_obj_put(o, a->name, fill_value(a, v));
  }
  return o;
}

/* a configured block equals the state's under the schema's normaliser (the
 * plan after apply shows no change for it) */
static void expect_block_converged(const struct rc_resource_type *rt, const struct rc_value *cfg,
                                   const struct rc_value *state, const char *name)
{
  const struct rc_attr *a = rc_schema_attr(rt->schema, name);
  assert_non_null(a);
  struct rc_value *fc = fill_value(a, rc_value_get(cfg, name));
  struct rc_value *fs = fill_value(a, rc_value_get(state, name));
  struct rc_value *nc = a->normalise ? a->normalise(fc) : rc_value_incref(fc);
  struct rc_value *ns = a->normalise ? a->normalise(fs) : rc_value_incref(fs);
  char *x = rc_value_dump_json(nc), *y = rc_value_dump_json(ns);
  bool eq = strcmp(x, y) == 0;
  if (!eq) fprintf(stderr, "%s.%s:\n config %s\n state  %s\n", rt->name, name, x, y);
  rc_free(x);
  rc_free(y);
  rc_value_decref(fc);
  rc_value_decref(fs);
  rc_value_decref(nc);
  rc_value_decref(ns);
  if (!eq) fail_msg("%s.%s would show a change after apply", rt->name, name);
}

static int64_t count_of(const struct rc_value *before, const struct rc_value *after,
                        const char *key)
{
  const struct rc_value *a = rc_value_get(after, key), *b = rc_value_get(before, key);
  return (a ? rc_value_int_get(a) : 0) - (b ? rc_value_int_get(b) : 0);
}

static void test_elbv2__load_balancer(void **state)
{
  (void)state;
  make_network();
  const struct rc_resource_type *rt = &rc_rt_lb;
  const char *addr = "module.web.aws_lb.this[0]";
  char *j = rc_asprintf("{\"name\": \"svctest-alb\", \"subnets\": [\"%s\", \"%s\"],"
                        " \"security_groups\": [\"%s\"], \"idle_timeout\": 120,"
                        " \"tags\": {\"team\": \"web\"}}", subnet_a, subnet_b, sg_id);
  struct rc_value *cfg = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_str(out, "name", "svctest-alb");
  live_expect_str(out, "load_balancer_type", "application");
  live_expect_str(out, "vpc_id", vpc_id);
  live_expect_int(out, "idle_timeout", 120);
  assert_true(rc_value_bool_get(rc_value_get(out, "enable_http2")));
  assert_false(rc_value_bool_get(rc_value_get(out, "internal")));
  assert_string_equal(rc_res_str(out, "id"), rc_res_str(out, "arn"));
  assert_non_null(strstr(rc_res_str(out, "arn"), rc_res_str(out, "arn_suffix")));
  assert_true(strncmp(rc_res_str(out, "arn_suffix"), "app/svctest-alb/", 16) == 0);
  assert_non_null(rc_res_str(out, "dns_name"));
  assert_non_null(rc_res_str(out, "zone_id"));
  assert_int_equal(rc_value_len(rc_value_get(out, "subnets")), 2);
  assert_int_equal(rc_value_len(rc_value_get(out, "access_logs")), 0);
  assert_string_equal(rc_value_str(rc_value_path(out, "tags.team")), "web");
  assert_null(rc_value_path(out, "tags.recon:address"));
  /* the address tag is encoded for ELBv2's tag rules and decodes back */
  char *st = simproc_get(&live_sim, "/_sim/state");
  assert_non_null(strstr(st, "module.web.aws_lb.this/0"));
  free(st);
  char *dec = rc_res_address_decode("module.web.aws_lb.this/0");
  assert_string_equal(dec, addr);
  rc_free(dec);

  /* the wait follows provisioning -> active */
  struct rc_rctx ctx = live_ctx(addr);
  struct rc_error err = {0};
  struct rc_value *w = NULL;
  live_ok(rt->wait(&ctx, RC_WAIT_CREATE, out, &w, &err), &err, "wait active");
  rc_value_decref(w);
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);

  /* update in place: attributes, subnets, tags */
  j = rc_asprintf("{\"name\": \"svctest-alb\", \"subnets\": [\"%s\", \"%s\", \"%s\"],"
                  " \"security_groups\": [\"%s\"], \"idle_timeout\": 30, \"enable_http2\": false,"
                  " \"drop_invalid_header_fields\": true,"
                  " \"access_logs\": [{\"bucket\": \"logs\", \"prefix\": \"alb\", \"enabled\": true}],"
                  " \"tags\": {\"team\": \"ops\"}}", subnet_a, subnet_b, subnet_c, sg_id);
  struct rc_value *cfg2 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *up = live_update(rt, addr, out, cfg2);
  live_expect_int(up, "idle_timeout", 30);
  assert_false(rc_value_bool_get(rc_value_get(up, "enable_http2")));
  assert_true(rc_value_bool_get(rc_value_get(up, "drop_invalid_header_fields")));
  assert_int_equal(rc_value_len(rc_value_get(up, "subnets")), 3);
  assert_string_equal(rc_value_str(rc_value_path(up, "access_logs.0.bucket")), "logs");
  assert_string_equal(rc_value_str(rc_value_path(up, "tags.team")), "ops");
  svc_expect_converged(rt, cfg2, up);
  expect_block_converged(rt, cfg2, up, "access_logs");

  /* drift: idle timeout changed behind recon's back */
  j = rc_asprintf("{\"LoadBalancerArn\": \"%s\", \"Attributes.member.1.Key\":"
                  " \"idle_timeout.timeout_seconds\", \"Attributes.member.1.Value\": \"75\"}",
                  rc_res_str(up, "id"));
  rc_value_decref(svc_call("elbv2", "ModifyLoadBalancerAttributes", j));
  rc_free(j);
  struct rc_value *drift = live_read(rt, addr, up);
  live_expect_int(drift, "idle_timeout", 75);
  rc_value_decref(drift);

  lb_out = up;
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(cfg2);
}

static void test_elbv2__target_group(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_lb_target_group;
  assert_non_null(rc_resource_lookup("aws_alb_target_group", false));
  const char *addr = "aws_lb_target_group.api[\"v1\"]";
  char *j = rc_asprintf("{\"name\": \"svctest-api\", \"port\": 8080, \"protocol\": \"HTTP\","
                        " \"target_type\": \"ip\", \"vpc_id\": \"%s\", \"deregistration_delay\": \"30\","
                        " \"health_check\": [{\"path\": \"/health\", \"matcher\": \"200-299\"}],"
                        " \"tags\": {\"svc\": \"api\"}}", vpc_id);
  struct rc_value *cfg = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_str(out, "deregistration_delay", "30");
  live_expect_int(out, "port", 8080);
  live_expect_str(out, "target_type", "ip");
  assert_true(strncmp(rc_res_str(out, "arn_suffix"), "targetgroup/svctest-api/", 24) == 0);
  assert_string_equal(rc_value_str(rc_value_path(out, "health_check.0.path")), "/health");
  assert_int_equal(rc_value_int_get(rc_value_path(out, "health_check.0.healthy_threshold")), 3);
  assert_int_equal(rc_value_len(rc_value_get(out, "load_balancer_arns")), 0);
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);
  expect_block_converged(rt, cfg, out, "health_check");

  /* update in place: health check (ModifyTargetGroup) and attributes */
  j = rc_asprintf("{\"name\": \"svctest-api\", \"port\": 8080, \"protocol\": \"HTTP\","
                  " \"target_type\": \"ip\", \"vpc_id\": \"%s\", \"deregistration_delay\": \"60\","
                  " \"slow_start\": 30,"
                  " \"health_check\": [{\"path\": \"/ready\", \"interval\": 15, \"timeout\": 4,"
                  " \"healthy_threshold\": 2}],"
                  " \"stickiness\": [{\"type\": \"lb_cookie\", \"cookie_duration\": 600}],"
                  " \"tags\": {\"svc\": \"api\"}}", vpc_id);
  struct rc_value *cfg2 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *up = live_update(rt, addr, out, cfg2);
  assert_string_equal(rc_value_str(rc_value_path(up, "health_check.0.path")), "/ready");
  assert_int_equal(rc_value_int_get(rc_value_path(up, "health_check.0.interval")), 15);
  assert_int_equal(rc_value_int_get(rc_value_path(up, "health_check.0.timeout")), 4);
  live_expect_str(up, "deregistration_delay", "60");
  live_expect_int(up, "slow_start", 30);
  assert_true(rc_value_bool_get(rc_value_path(up, "stickiness.0.enabled")));
  svc_expect_converged(rt, cfg2, up);
  expect_block_converged(rt, cfg2, up, "health_check");
  expect_block_converged(rt, cfg2, up, "stickiness");

  /* a second group without a health_check block: AWS's defaults, no diff */
  j = rc_asprintf("{\"name_prefix\": \"web-\", \"port\": 80, \"protocol\": \"HTTP\","
                  " \"vpc_id\": \"%s\"}", vpc_id);
  struct rc_value *cfg3 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *out3 = live_create(rt, "aws_alb_target_group.web", cfg3);
  assert_true(strncmp(rc_res_str(out3, "name"), "web-", 4) == 0);
  assert_true(strlen(rc_res_str(out3, "name")) <= 32);
  live_expect_str(out3, "name_prefix", "web-");
  live_expect_str(out3, "target_type", "instance");
  assert_int_equal(rc_value_int_get(rc_value_path(out3, "health_check.0.healthy_threshold")), 5);
  live_check_created(rt, "aws_alb_target_group.web", cfg3, out3, true);
  svc_expect_converged(rt, cfg3, out3);

  /* a group of the same name that is not ours is never taken over (ELBv2
   * would answer it to a CreateTargetGroup with the same settings) */
  char *fj = rc_asprintf("{\"Name\": \"svctest-foreign\", \"Port\": 80, \"Protocol\": \"HTTP\","
                         " \"VpcId\": \"%s\"}", vpc_id);
  rc_value_decref(svc_call("elbv2", "CreateTargetGroup", fj));
  rc_free(fj);
  j = rc_asprintf("{\"name\": \"svctest-foreign\", \"port\": 80, \"protocol\": \"HTTP\","
                  " \"vpc_id\": \"%s\"}", vpc_id);
  struct rc_value *cfgf = elb_cfg(rt, j), *fo = NULL;
  rc_free(j);
  struct rc_rctx fctx = live_ctx("aws_lb_target_group.foreign");
  struct rc_error ferr = {0};
  struct timespec ts = {.tv_sec = 0, .tv_nsec = 400 * 1000000L};
  nanosleep(&ts, NULL); /* visible past the sim's consistency delay */
  struct rc_value *ffound = NULL;
  assert_int_equal(rt->find(&fctx, cfgf, &ffound, &ferr), RC_OK);
  assert_null(ffound);
  assert_int_equal(rt->create(&fctx, cfgf, &fo, &ferr), RC_CONFLICT);
  assert_null(fo);
  assert_non_null(strstr(ferr.msg, "already exists"));
  rc_value_decref(cfgf);

  tg_out = up;
  tg2_out = out3;
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(cfg2);
  rc_value_decref(cfg3);
}

static void test_elbv2__listener(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_lb_listener;
  assert_non_null(lb_out);
  assert_non_null(tg_out);
  const char *addr = "aws_lb_listener.http";
  char *j = rc_asprintf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
                        " \"default_action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}],"
                        " \"tags\": {\"l\": \"1\"}}",
                        rc_res_str(lb_out, "id"), rc_res_str(tg_out, "id"));
  struct rc_value *cfg = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_int(out, "port", 80);
  live_expect_str(out, "protocol", "HTTP");
  live_expect_str(out, "load_balancer_arn", rc_res_str(lb_out, "id"));
  assert_string_equal(rc_value_str(rc_value_path(out, "default_action.0.target_group_arn")),
                      rc_res_str(tg_out, "id"));
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);
  expect_block_converged(rt, cfg, out, "default_action");

  /* the target group now reports its load balancer */
  struct rc_value *tg =
      live_read(&rc_rt_lb_target_group, "aws_lb_target_group.api[\"v1\"]", tg_out);
  assert_int_equal(rc_value_len(rc_value_get(tg, "load_balancer_arns")), 1);
  rc_value_decref(tg);

  /* update in place: fixed response, then redirect, then a weighted forward */
  j = rc_asprintf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
                  " \"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\":"
                  " [{\"content_type\": \"text/plain\", \"message_body\": \"nope\","
                  " \"status_code\": \"404\"}]}], \"tags\": {\"l\": \"1\"}}",
                  rc_res_str(lb_out, "id"));
  struct rc_value *cfg2 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *up = live_update(rt, addr, out, cfg2);
  live_expect_str(up, "id", rc_res_str(out, "id"));
  assert_string_equal(rc_value_str(rc_value_path(up, "default_action.0.fixed_response.0.status_code")),
                      "404");
  expect_block_converged(rt, cfg2, up, "default_action");

  j = rc_asprintf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"http\","
                  " \"default_action\": [{\"type\": \"redirect\", \"redirect\":"
                  " [{\"port\": \"443\", \"protocol\": \"HTTPS\", \"status_code\": \"HTTP_301\"}]}]}",
                  rc_res_str(lb_out, "id"));
  struct rc_value *cfg3 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *up2 = live_update(rt, addr, up, cfg3);
  assert_string_equal(rc_value_str(rc_value_path(up2, "default_action.0.redirect.0.host")),
                      "#{host}");
  assert_int_equal(rc_value_len(rc_value_get(up2, "tags")), 0);
  svc_expect_converged(rt, cfg3, up2);
  expect_block_converged(rt, cfg3, up2, "default_action");

  j = rc_asprintf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
                  " \"default_action\": [{\"type\": \"forward\", \"forward\": [{\"target_group\":"
                  " [{\"arn\": \"%s\", \"weight\": 80}, {\"arn\": \"%s\", \"weight\": 20}]}]}]}",
                  rc_res_str(lb_out, "id"), rc_res_str(tg_out, "id"), rc_res_str(tg2_out, "id"));
  struct rc_value *cfg4 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *up3 = live_update(rt, addr, up2, cfg4);
  assert_int_equal(rc_value_len(rc_value_path(up3, "default_action.0.forward.0.target_group")), 2);
  expect_block_converged(rt, cfg4, up3, "default_action");
  live_check_created(rt, addr, cfg4, up3, true);

  ls_out = up3;
  rc_value_decref(up2);
  rc_value_decref(up);
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(cfg2);
  rc_value_decref(cfg3);
  rc_value_decref(cfg4);
}

static void test_elbv2__listener_rule(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_lb_listener_rule;
  assert_non_null(ls_out);
  assert_ptr_equal(rc_resource_lookup("aws_alb_listener_rule", false), rt);
  const char *addr = "aws_lb_listener_rule.api";
  char *j = rc_asprintf("{\"listener_arn\": \"%s\","
                        " \"action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}],"
                        " \"condition\": [{\"path_pattern\": [{\"values\": [\"/api/*\", \"/v1/*\"]}]},"
                        " {\"host_header\": [{\"values\": [\"api.example.com\"]}]}],"
                        " \"tags\": {\"r\": \"api\"}}",
                        rc_res_str(ls_out, "id"), rc_res_str(tg_out, "id"));
  struct rc_value *cfg = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_int(out, "priority", 1); /* unset: the next free one */
  live_expect_str(out, "listener_arn", rc_res_str(ls_out, "id"));
  assert_int_equal(rc_value_len(rc_value_get(out, "condition")), 2);
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);
  expect_block_converged(rt, cfg, out, "action");
  expect_block_converged(rt, cfg, out, "condition");

  /* a second rule: the next free priority is 2 */
  j = rc_asprintf("{\"listener_arn\": \"%s\","
                  " \"action\": [{\"type\": \"fixed-response\", \"fixed_response\":"
                  " [{\"content_type\": \"application/json\", \"message_body\": \"{}\","
                  " \"status_code\": \"200\"}]}],"
                  " \"condition\": [{\"http_request_method\": [{\"values\": [\"GET\", \"HEAD\"]}]}]}",
                  rc_res_str(ls_out, "id"));
  struct rc_value *cfg2 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *out2 = live_create(rt, "aws_lb_listener_rule.health", cfg2);
  live_expect_int(out2, "priority", 2);
  live_check_created(rt, "aws_lb_listener_rule.health", cfg2, out2, true);
  expect_block_converged(rt, cfg2, out2, "action");
  expect_block_converged(rt, cfg2, out2, "condition");

  /* update in place: priority (SetRulePriorities), action and condition (ModifyRule) */
  j = rc_asprintf("{\"listener_arn\": \"%s\", \"priority\": 50,"
                  " \"action\": [{\"type\": \"redirect\", \"redirect\": [{\"path\": \"/v2/#{path}\","
                  " \"status_code\": \"HTTP_302\"}]}],"
                  " \"condition\": [{\"path_pattern\": [{\"values\": [\"/v1/*\", \"/api/*\"]}]},"
                  " {\"source_ip\": [{\"values\": [\"10.0.0.0/8\"]}]}],"
                  " \"tags\": {\"r\": \"api\"}}", rc_res_str(ls_out, "id"));
  struct rc_value *cfg3 = elb_cfg(rt, j);
  rc_free(j);
  struct rc_value *up = live_update(rt, addr, out, cfg3);
  live_expect_str(up, "id", rc_res_str(out, "id"));
  live_expect_int(up, "priority", 50);
  assert_string_equal(rc_value_str(rc_value_path(up, "action.0.redirect.0.path")), "/v2/#{path}");
  svc_expect_converged(rt, cfg3, up);
  expect_block_converged(rt, cfg3, up, "action");
  expect_block_converged(rt, cfg3, up, "condition");

  rule_out = up;
  rule2_out = out2;
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(cfg2);
  rc_value_decref(cfg3);
}

/* a refresh of 1 load balancer + 1 target group + 1 listener: the calls */
static void test_elbv2__refresh_counts(void **state)
{
  (void)state;
  struct rc_value *before = rc_aws_client_counts(live_aws);
  struct rc_value *a = live_read(&rc_rt_lb, "aws_lb.this", lb_out);
  struct rc_value *b =
      live_read(&rc_rt_lb_target_group, "aws_lb_target_group.api", tg_out);
  struct rc_value *c = live_read(&rc_rt_lb_listener, "aws_lb_listener.http", ls_out);
  struct rc_value *after = rc_aws_client_counts(live_aws);
  assert_non_null(a);
  assert_non_null(b);
  assert_non_null(c);
  static const char *const ops[] = {"elbv2.DescribeLoadBalancers",
                                    "elbv2.DescribeLoadBalancerAttributes",
                                    "elbv2.DescribeTargetGroups",
                                    "elbv2.DescribeTargetGroupAttributes",
                                    "elbv2.DescribeListeners",
                                    "elbv2.DescribeTags",
                                    NULL};
  int64_t total = 0;
  for (const char *const *o = ops; *o; o++) {
    int64_t n = count_of(before, after, *o);
    fprintf(stderr, "refresh calls: %s = %lld\n", *o, (long long)n);
    total += n;
  }
  fprintf(stderr, "refresh calls: total %lld\n", (long long)total);
  assert_int_equal(count_of(before, after, "elbv2.DescribeLoadBalancers"), 1);
  assert_int_equal(count_of(before, after, "elbv2.DescribeTargetGroups"), 1);
  assert_int_equal(count_of(before, after, "elbv2.DescribeListeners"), 1);
  assert_int_equal(count_of(before, after, "elbv2.DescribeTags"), 3);
  assert_int_equal(total, 8);

  /* two target groups and a deleted one in one batch: one Describe for the
   * batch, then one per ARN after the NotFound */
  struct rc_read_item items[3] = {
      {.address = "a", .id = rc_res_str(tg_out, "id"), .prior = tg_out},
      {.address = "b", .id = rc_res_str(tg2_out, "id"), .prior = tg2_out},
      {.address = "c", .id = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0123456789abcdef"}};
  struct rc_rctx ctx = live_ctx("aws_lb_target_group.x");
  assert_int_equal(rc_rt_lb_target_group.read_many(&ctx, items, 3), RC_OK);
  assert_non_null(items[0].out);
  assert_non_null(items[1].out);
  assert_null(items[2].out);
  assert_int_equal(items[2].status, RC_OK);
  for (int i = 0; i < 3; i++) rc_value_decref(items[i].out);
  rc_value_decref(a);
  rc_value_decref(b);
  rc_value_decref(c);
  rc_value_decref(before);
  rc_value_decref(after);
}

struct tg_del {
  rc_status st;
  struct rc_error err;
};

static void *delete_tg(void *ud)
{
  struct tg_del *d = ud;
  struct rc_rctx ctx = live_ctx("aws_lb_target_group.api[\"v1\"]");
  d->st = rc_rt_lb_target_group.delete(&ctx, tg_out, &d->err);
  return NULL;
}

static void test_elbv2__teardown(void **state)
{
  (void)state;
  live_delete(&rc_rt_lb_listener_rule, "aws_lb_listener_rule.api", rule_out);
  live_delete(&rc_rt_lb_listener_rule, "aws_lb_listener_rule.health", rule2_out);
  /* the target group's delete starts while the listener still forwards to
   * it: ResourceInUse is retried until the listener is gone */
  struct tg_del d = {0};
  struct rc_value *before = rc_aws_client_counts(live_aws);
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, delete_tg, &d), 0);
  struct timespec ts = {.tv_sec = 0, .tv_nsec = 700 * 1000000L};
  nanosleep(&ts, NULL);
  live_delete(&rc_rt_lb_listener, "aws_lb_listener.http", ls_out);
  pthread_join(th, NULL);
  live_ok(d.st, &d.err, "target group delete after ResourceInUse");
  struct rc_value *after = rc_aws_client_counts(live_aws);
  assert_true(count_of(before, after, "elbv2.DeleteTargetGroup") >= 2); /* retried */
  rc_value_decref(before);
  rc_value_decref(after);
  assert_null(
      live_read(&rc_rt_lb_target_group, "aws_lb_target_group.api[\"v1\"]", tg_out));
  live_delete(&rc_rt_lb_target_group, "aws_alb_target_group.web", tg2_out);
  live_delete(&rc_rt_lb, "module.web.aws_lb.this[0]", lb_out);
  struct rc_rctx ctx = live_ctx("module.web.aws_lb.this[0]");
  struct rc_error err = {0};
  struct rc_value *w = NULL;
  live_ok(rc_rt_lb.wait(&ctx, RC_WAIT_DELETE, lb_out, &w, &err), &err, "wait deleted");
  rc_value_decref(rule_out);
  rc_value_decref(rule2_out);
  rc_value_decref(ls_out);
  rc_value_decref(tg_out);
  rc_value_decref(tg2_out);
  rc_value_decref(lb_out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_elbv2__load_balancer),
      cmocka_unit_test(test_elbv2__target_group),
      cmocka_unit_test(test_elbv2__listener),
      cmocka_unit_test(test_elbv2__listener_rule),
      cmocka_unit_test(test_elbv2__refresh_counts),
      cmocka_unit_test(test_elbv2__teardown),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
