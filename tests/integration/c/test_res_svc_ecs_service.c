/* Live tests of aws_ecs_service against recon-sim: create, read back, find,
 * import, a deploy (new task definition) waited to steady state, a deploy
 * the circuit breaker rolls back (recon-sim -unhealthy-image), delete. */
#define SVC_SIM_FLAGS "-consistency-delay-ms", "100", "-task-start-ms", "300", "-task-stop-ms", \
                      "100", "-unhealthy-image", "^bad:"
#include "svc_live.h"

extern const struct rc_resource_type rc_rt_ecs_cluster, rc_rt_ecs_task_definition,
    rc_rt_ecs_service;

static char subnet[64], sg[64];

static void network(void)
{
  struct rc_value *v = svc_call("ec2", "CreateVpc", "{\"CidrBlock\": \"10.9.0.0/16\"}");
  char json[256];
  snprintf(json, sizeof json, "{\"VpcId\": \"%s\", \"CidrBlock\": \"10.9.1.0/24\"}",
           rc_value_str(rc_value_path(v, "vpc.vpcId")));
  struct rc_value *s = svc_call("ec2", "CreateSubnet", json);
  snprintf(subnet, sizeof subnet, "%s", rc_value_str(rc_value_path(s, "subnet.subnetId")));
  snprintf(json, sizeof json, "{\"VpcId\": \"%s\", \"GroupName\": \"svc\", \"GroupDescription\": \"x\"}",
           rc_value_str(rc_value_path(v, "vpc.vpcId")));
  struct rc_value *g = svc_call("ec2", "CreateSecurityGroup", json);
  snprintf(sg, sizeof sg, "%s", rc_value_str(rc_value_path(g, "groupId")));
  rc_value_decref(v);
  rc_value_decref(s);
  rc_value_decref(g);
}

static struct rc_value *taskdef(const char *image)
{
  char json[1024];
  snprintf(json, sizeof json,
           "{\"family\": \"svctest-app\", \"container_definitions\": \"[{\\\"name\\\":\\\"app\\\","
           "\\\"image\\\":\\\"%s\\\",\\\"portMappings\\\":[{\\\"containerPort\\\":80}]}]\","
           " \"cpu\": \"256\", \"memory\": \"512\", \"network_mode\": \"awsvpc\","
           " \"requires_compatibilities\": [\"FARGATE\"]}",
           image);
  struct rc_value *c = live_cfg(&rc_rt_ecs_task_definition, json);
  struct rc_value *o =
      live_create(&rc_rt_ecs_task_definition, "aws_ecs_task_definition.app", c);
  rc_value_decref(c);
  return o;
}

static struct rc_value *svc_config(const char *cluster, const char *td, int count)
{
  char json[2048];
  snprintf(json, sizeof json,
           "{\"name\": \"app\", \"cluster\": \"%s\", \"task_definition\": \"%s\","
           " \"desired_count\": %d, \"launch_type\": \"FARGATE\","
           " \"network_configuration\": [{\"subnets\": [\"%s\"], \"security_groups\": [\"%s\"],"
           " \"assign_public_ip\": false}],"
           " \"deployment_circuit_breaker\": [{\"enable\": true, \"rollback\": true}],"
           " \"tags\": {\"app\": \"x\"}}",
           cluster, td, count, subnet, sg);
  return live_cfg(&rc_rt_ecs_service, json);
}

struct progress_log {
  int calls;
  char last[512];
};

static void on_progress(void *ud, const char *address, const char *msg)
{
  struct progress_log *p = ud;
  (void)address;
  p->calls++;
  snprintf(p->last, sizeof p->last, "%s", msg);
}

static void test_res_ecs__service_deploy_and_rollback(void **state)
{
  (void)state;
  network();
  const struct rc_resource_type *rt = &rc_rt_ecs_service;
  struct rc_value *ccfg = live_cfg(&rc_rt_ecs_cluster, "{\"name\": \"svctest-svc\"}");
  struct rc_value *cl = live_create(&rc_rt_ecs_cluster, "aws_ecs_cluster.c", ccfg);
  const char *cluster = rc_res_str(cl, "arn");
  struct rc_value *td1 = taskdef("good:1.0");

  const char *addr = "module.app.aws_ecs_service.this";
  struct rc_value *cfg = svc_config(cluster, rc_res_str(td1, "arn"), 2);
  struct rc_value *out = live_create(rt, addr, cfg);
  assert_non_null(strstr(rc_res_str(out, "id"), ":service/"));
  live_expect_int(out, "desired_count", 2);
  live_expect_str(out, "launch_type", "FARGATE");
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);

  /* a deploy: the wait follows the rollout to steady state */
  struct rc_value *td2 = taskdef("good:2.0");
  struct rc_value *cfg2 = svc_config(cluster, rc_res_str(td2, "arn"), 2);
  struct rc_value *up = live_update(rt, addr, out, cfg2);
  live_expect_str(up, "task_definition", rc_res_str(td2, "arn"));
  struct rc_rctx ctx = live_ctx(addr);
  struct progress_log pl = {0};
  ctx.progress = on_progress;
  ctx.progress_ud = &pl;
  struct rc_error err = {0};
  struct rc_value *w = NULL;
  rc_status st = rt->wait(&ctx, RC_WAIT_UPDATE, up, &w, &err);
  if (st) fail_msg("wait: %s", err.msg);
  assert_true(pl.calls > 0);
  assert_non_null(strstr(pl.last, "2 of 2 tasks running"));
  struct rc_value *now = w ? w : rc_value_incref(up);

  /* a bad image: the circuit breaker rolls back, the wait says so and the
   * state it returns names the revision that really runs */
  struct rc_value *td3 = taskdef("bad:3.0");
  struct rc_value *cfg3 = svc_config(cluster, rc_res_str(td3, "arn"), 2);
  struct rc_value *up3 = live_update(rt, addr, now, cfg3);
  struct rc_error e3 = {0};
  struct rc_value *w3 = NULL;
  st = rt->wait(&ctx, RC_WAIT_UPDATE, up3, &w3, &e3);
  assert_int_not_equal(st, RC_OK);
  fprintf(stderr, "rollback message: %s\n", e3.msg);
  assert_non_null(strstr(e3.msg, "deployment rolled back"));
  assert_non_null(w3);
  live_expect_str(w3, "task_definition", rc_res_str(td2, "arn"));

  /* delete: scaled to zero, deleted, waited until INACTIVE */
  struct rc_rctx dctx = live_ctx(addr);
  struct rc_error de = {0};
  assert_int_equal(rt->delete(&dctx, w3, &de), RC_OK);
  struct rc_value *dw = NULL;
  st = rt->wait(&dctx, RC_WAIT_DELETE, w3, &dw, &de);
  if (st) fail_msg("delete wait: %s", de.msg);
  struct rc_value *gone = live_read(rt, addr, w3);
  assert_null(gone);

  rc_value_decref(w3);
  rc_value_decref(up3);
  rc_value_decref(cfg3);
  rc_value_decref(td3);
  rc_value_decref(now);
  rc_value_decref(up);
  rc_value_decref(cfg2);
  rc_value_decref(td2);
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(td1);
  rc_value_decref(cl);
  rc_value_decref(ccfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_ecs__service_deploy_and_rollback),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
