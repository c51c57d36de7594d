/* Live tests of aws_ecs_cluster, aws_ecs_cluster_capacity_providers,
 * aws_ecs_task_definition and aws_ecs_service against recon-sim. */
#include "svc_live.h"

extern const struct rc_resource_type rc_rt_ecs_cluster, rc_rt_ecs_task_definition;

#define CDS(image)                                                                              \
  "[{\\\"name\\\":\\\"web\\\",\\\"image\\\":\\\"" image "\\\",\\\"portMappings\\\":[{"            \
  "\\\"containerPort\\\":8080}],\\\"environment\\\":[{\\\"name\\\":\\\"B\\\",\\\"value\\\":\\\"2\\\"}," \
  "{\\\"name\\\":\\\"A\\\",\\\"value\\\":\\\"1\\\"}],\\\"logConfiguration\\\":{\\\"logDriver\\\":"  \
  "\\\"awslogs\\\",\\\"options\\\":{\\\"awslogs-group\\\":\\\"/ecs/web\\\"}}}]"

static const char *td_json(const char *cds)
{
  static char buf[4096];
  snprintf(buf, sizeof buf,
           "{\"family\": \"svctest-web\", \"container_definitions\": \"%s\", \"cpu\": \"256\","
           " \"memory\": \"512\", \"network_mode\": \"awsvpc\", \"requires_compatibilities\": "
           "[\"FARGATE\"], \"execution_role_arn\": \"arn:aws:iam::123456789012:role/exec\","
           " \"tags\": {\"app\": \"web\"}}",
           cds);
  return buf;
}

static void test_res_ecs__cluster_lifecycle(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_ecs_cluster;
  const char *addr = "module.ecs.aws_ecs_cluster.this";
  struct rc_value *cfg = live_cfg(rt, "{\"name\": \"svctest\", \"setting\": [{\"name\": "
                                      "\"containerInsights\", \"value\": \"enabled\"}],"
                                      " \"tags\": {\"env\": \"test\"}}");
  struct rc_value *out = live_create(rt, addr, cfg);
  assert_non_null(strstr(rc_res_str(out, "arn"), ":cluster/svctest"));
  live_expect_str(out, "id", rc_res_str(out, "arn"));
  assert_string_equal(rc_value_str(rc_value_path(out, "setting.0.value")), "enabled");
  live_check_created(rt, addr, cfg, out, true);

  struct rc_value *cfg2 = live_cfg(rt, "{\"name\": \"svctest\", \"setting\": [{\"name\": "
                                       "\"containerInsights\", \"value\": \"disabled\"}],"
                                       " \"tags\": {\"env\": \"prod\"}}");
  struct rc_value *up = live_update(rt, addr, out, cfg2);
  assert_string_equal(rc_value_str(rc_value_path(up, "setting.0.value")), "disabled");
  assert_string_equal(rc_value_str(rc_value_path(up, "tags.env")), "prod");

  /* a cluster without settings reads without the default setting */
  struct rc_value *cfg3 = live_cfg(rt, "{\"name\": \"svctest-plain\"}");
  struct rc_value *o3 = live_create(rt, "aws_ecs_cluster.plain", cfg3);
  assert_int_equal(rc_value_len(rc_value_get(o3, "setting")), 0);
  live_delete(rt, "aws_ecs_cluster.plain", o3);

  live_delete(rt, addr, up);
  rc_value_decref(o3);
  rc_value_decref(cfg3);
  rc_value_decref(up);
  rc_value_decref(cfg2);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

static void test_res_ecs__task_definition_revisions(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_ecs_task_definition;
  const char *addr = "module.ecs.aws_ecs_task_definition.web";
  struct rc_value *c1 = live_cfg(rt, td_json(CDS("repo:1.0")));
  struct rc_value *r1 = live_create(rt, addr, c1);
  live_expect_str(r1, "id", "svctest-web");
  live_expect_int(r1, "revision", 1);
  assert_non_null(strstr(rc_res_str(r1, "arn"), ":task-definition/svctest-web:1"));
  live_expect_str(r1, "arn_without_revision",
                  "arn:aws:ecs:us-east-1:123456789012:task-definition/svctest-web");
  live_check_created(rt, addr, c1, r1, true);
  svc_expect_converged(rt, c1, r1); /* AWS's container defaults normalised away */

  /* an image change: a new revision; the replaced one stays registered */
  struct rc_value *c2 = live_cfg(rt, td_json(CDS("repo:2.0")));
  struct rc_rctx ctx = live_ctx(addr);
  struct rc_error err = {0};
  struct rc_value *f = NULL;
  assert_int_equal(rt->find(&ctx, c2, &f, &err), RC_OK);
  assert_null(f); /* no revision has 2.0 yet */
  ctx.replacing = true;
  assert_int_equal(rt->delete(&ctx, r1, &err), RC_OK);
  struct rc_value *r2 = live_create(rt, addr, c2);
  live_expect_int(r2, "revision", 2);
  svc_expect_converged(rt, c2, r2);
  struct rc_value *still = live_read(rt, addr, r1);
  assert_non_null(still); /* kept for rollbacks */
  rc_value_decref(still);

  /* rollback: the configuration of revision 1 again is found, not registered */
  ctx.replacing = false;
  assert_int_equal(rt->find(&ctx, c1, &f, &err), RC_OK);
  assert_non_null(f);
  live_expect_int(f, "revision", 1);
  rc_value_decref(f);

  /* a plain delete deregisters: the revision reads as gone */
  live_delete(rt, addr, r2);
  live_delete(rt, addr, r1);
  rc_value_decref(r2);
  rc_value_decref(c2);
  rc_value_decref(r1);
  rc_value_decref(c1);
}

static void test_res_ecs__task_definition_keeps_five(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_ecs_task_definition;
  const char *addr = "aws_ecs_task_definition.keep";
  struct rc_value *prev = NULL;
  char img[256];
  for (int i = 1; i <= 7; i++) {
    snprintf(img, sizeof img, "{\"family\": \"svctest-keep\", \"container_definitions\": "
             "\"[{\\\"name\\\":\\\"a\\\",\\\"image\\\":\\\"i:%d\\\",\\\"memory\\\":128}]\"}", i);
    struct rc_value *c = live_cfg(rt, img);
    if (prev) {
      struct rc_rctx ctx = live_ctx(addr);
      ctx.replacing = true;
      struct rc_error err = {0};
      assert_int_equal(rt->delete(&ctx, prev, &err), RC_OK);
      rc_value_decref(prev);
    }
    prev = live_create(rt, addr, c);
    rc_value_decref(c);
  }
  rc_value_decref(svc_call("ecs", "ListTaskDefinitions", "{}"));
  struct rc_value *l = svc_call("ecs", "ListTaskDefinitions",
                                "{\"familyPrefix\": \"svctest-keep\", \"status\": \"ACTIVE\"}");
  /* the newest 5 when revision 7 was registered were 2..6; 7 makes six */
  size_t n = rc_value_len(rc_value_get(l, "taskDefinitionArns"));
  assert_true(n == 6);
  rc_value_decref(l);
  rc_value_decref(prev);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_ecs__cluster_lifecycle),
      cmocka_unit_test(test_res_ecs__task_definition_revisions),
      cmocka_unit_test(test_res_ecs__task_definition_keeps_five),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
