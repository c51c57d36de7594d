/* Live tests against recon-sim of aws_ecs_cluster_capacity_providers and
 * the data sources aws_ecs_task_definition and aws_iam_role. */
#include <time.h>

#include "svc_live.h"

/* past the sim's consistency delay: what was just created is visible */
static void settle(void)
{
  struct timespec ts = {.tv_sec = 0, .tv_nsec = 400 * 1000000L};
  nanosleep(&ts, NULL);
}

extern const struct rc_resource_type rc_rt_ecs_cluster_capacity_providers;
extern const struct rc_resource_type rc_ds_ecs_task_definition, rc_ds_iam_role;

static void test_ecs_extra__capacity_providers(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_ecs_cluster_capacity_providers;
  assert_ptr_equal(rc_resource_lookup("aws_ecs_cluster_capacity_providers", false), rt);
  struct rc_value *cl = svc_call("ecs", "CreateCluster", "{\"clusterName\": \"svctest-cp\"}");
  const char *cluster_arn = rc_value_str(rc_value_path(cl, "cluster.clusterArn"));
  assert_non_null(cluster_arn);
  const char *addr = "aws_ecs_cluster_capacity_providers.this";
  struct rc_value *cfg = live_cfg(
      rt, "{\"cluster_name\": \"svctest-cp\","
          " \"capacity_providers\": [\"FARGATE\", \"FARGATE_SPOT\"],"
          " \"default_capacity_provider_strategy\": ["
          "  {\"capacity_provider\": \"FARGATE\", \"base\": 1, \"weight\": 1},"
          "  {\"capacity_provider\": \"FARGATE_SPOT\", \"weight\": 3, \"base\": 0}]}");
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_str(out, "id", "svctest-cp");
  assert_int_equal(rc_value_len(rc_value_get(out, "capacity_providers")), 2);
  assert_int_equal(rc_value_len(rc_value_get(out, "default_capacity_provider_strategy")), 2);
  live_check_created(rt, addr, cfg, out, false);
  svc_expect_converged(rt, cfg, out);
  /* the cluster named by its ARN is the same cluster */
  struct rc_value *imp = NULL;
  struct rc_rctx ctx = live_ctx(addr);
  struct rc_error err = {0};
  live_ok(rt->import(&ctx, cluster_arn, &imp, &err), &err, "import by ARN");
  live_expect_equal("import by ARN", out, imp);
  rc_value_decref(imp);

  /* update: only FARGATE_SPOT */
  struct rc_value *cfg2 =
      live_cfg(rt, "{\"cluster_name\": \"svctest-cp\","
                   " \"capacity_providers\": [\"FARGATE_SPOT\"],"
                   " \"default_capacity_provider_strategy\": ["
                   "  {\"capacity_provider\": \"FARGATE_SPOT\", \"weight\": 1}]}");
  struct rc_value *up = live_update(rt, addr, out, cfg2);
  assert_int_equal(rc_value_len(rc_value_get(up, "capacity_providers")), 1);
  assert_int_equal(rc_value_int_get(rc_value_path(up, "default_capacity_provider_strategy.0.weight")), 1);
  assert_int_equal(rc_value_int_get(rc_value_path(up, "default_capacity_provider_strategy.0.base")), 0);

  /* delete: empty lists on a cluster that stays */
  live_ok(rt->delete (&ctx, up, &err), &err, "delete");
  struct rc_value *after = live_read(rt, addr, up);
  assert_non_null(after);
  assert_int_equal(rc_value_len(rc_value_get(after, "capacity_providers")), 0);
  assert_int_equal(rc_value_len(rc_value_get(after, "default_capacity_provider_strategy")), 0);
  rc_value_decref(after);

  /* a deleted cluster reads as gone, and deleting is then a no-op */
  rc_value_decref(svc_call("ecs", "DeleteCluster", "{\"cluster\": \"svctest-cp\"}"));
  settle();
  struct rc_value *gone = live_read(rt, addr, up);
  assert_null(gone);
  struct rc_error e2 = {0};
  assert_int_equal(rt->delete(&ctx, up, &e2), RC_OK);
  struct rc_read_item missing = {.address = addr, .id = "no-such-cluster"};
  assert_int_equal(rt->read_many(&ctx, &missing, 1), RC_OK);
  assert_null(missing.out);

  rc_value_decref(up);
  rc_value_decref(cfg2);
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(cl);
}

static void test_ecs_extra__data_task_definition(void **state)
{
  (void)state;
  const struct rc_resource_type *ds = &rc_ds_ecs_task_definition;
  assert_ptr_equal(rc_resource_lookup("aws_ecs_task_definition", true), ds);
  static const char *reg =
      "{\"family\": \"svctest-web\", \"networkMode\": \"awsvpc\","
      " \"requiresCompatibilities\": [\"FARGATE\"], \"cpu\": \"256\", \"memory\": \"512\","
      " \"taskRoleArn\": \"arn:aws:iam::123456789012:role/task\","
      " \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"nginx:%d\", \"essential\": true}]}";
  for (int i = 1; i <= 2; i++) {
    char *j = rc_asprintf(reg, i);
    rc_value_decref(svc_call("ecs", "RegisterTaskDefinition", j));
    rc_free(j);
  }
  settle();
  struct rc_rctx ctx = live_ctx("data.aws_ecs_task_definition.web");
  struct rc_error err = {0};
  struct rc_value *cfg = live_cfg(ds, "{\"task_definition\": \"svctest-web\"}"),
                  *out = NULL;
  live_ok(ds->read(&ctx, cfg, &out, &err), &err, "read family");
  live_expect_int(out, "revision", 2); /* the latest ACTIVE revision */
  live_expect_str(out, "family", "svctest-web");
  live_expect_str(out, "network_mode", "awsvpc");
  live_expect_str(out, "status", "ACTIVE");
  live_expect_str(out, "task_role_arn", "arn:aws:iam::123456789012:role/task");
  live_expect_str(out, "execution_role_arn", NULL);
  const char *arn = rc_res_str(out, "arn");
  assert_non_null(arn);
  live_expect_str(out, "id", arn);
  const char *awr = rc_res_str(out, "arn_without_revision");
  assert_true(strlen(awr) + 2 == strlen(arn));
  assert_true(strncmp(arn, awr, strlen(awr)) == 0);
  for (const struct rc_attr *a = ds->schema; a->name; a++)
    if (!rc_value_get(out, a->name)) fail_msg("attribute %s missing", a->name);

  /* family:revision and the ARN name one revision */
  struct rc_value *cfg1 = live_cfg(ds, "{\"task_definition\": \"svctest-web:1\"}"),
                  *one = NULL;
  live_ok(ds->read(&ctx, cfg1, &one, &err), &err, "read family:1");
  live_expect_int(one, "revision", 1);
  struct rc_value *cfga = rc_value_copy(cfg1), *byarn = NULL;
  rc_value_obj_put(cfga, "task_definition", rc_value_string(rc_res_str(one, "arn")));
  live_ok(ds->read(&ctx, cfga, &byarn, &err), &err, "read by ARN");
  live_expect_int(byarn, "revision", 1);

  struct rc_value *cfgx = live_cfg(ds, "{\"task_definition\": \"svctest-nope\"}"),
                  *none = NULL;
  struct rc_error e = {0};
  assert_int_not_equal(ds->read(&ctx, cfgx, &none, &e), RC_OK);
  assert_null(none);
  assert_non_null(strstr(e.msg, "svctest-nope"));

  rc_value_decref(cfgx);
  rc_value_decref(byarn);
  rc_value_decref(cfga);
  rc_value_decref(one);
  rc_value_decref(cfg1);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

static void test_ecs_extra__data_iam_role(void **state)
{
  (void)state;
  const struct rc_resource_type *ds = &rc_ds_iam_role;
  assert_ptr_equal(rc_resource_lookup("aws_iam_role", true), ds);
  rc_value_decref(svc_call(
      "iam", "CreateRole",
      "{\"RoleName\": \"svctest-exec\", \"Path\": \"/svc/\","
      " \"AssumeRolePolicyDocument\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\":"
      " [{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": {\\\"Service\\\": \\\"ecs-tasks.amazonaws.com\\\"},"
      " \\\"Action\\\": \\\"sts:AssumeRole\\\"}]}\","
      " \"Tags.member.1.Key\": \"team\", \"Tags.member.1.Value\": \"web\","
      " \"Tags.member.2.Key\": \"recon:stack\", \"Tags.member.2.Value\": \"other\"}"));
  settle();
  struct rc_rctx ctx = live_ctx("data.aws_iam_role.exec");
  struct rc_error err = {0};
  struct rc_value *cfg = live_cfg(ds, "{\"name\": \"svctest-exec\"}"), *out = NULL;
  live_ok(ds->read(&ctx, cfg, &out, &err), &err, "read role");
  live_expect_str(out, "id", "svctest-exec");
  live_expect_str(out, "name", "svctest-exec");
  live_expect_str(out, "path", "/svc/");
  assert_non_null(strstr(rc_res_str(out, "arn"), ":role/svc/svctest-exec"));
  assert_non_null(rc_res_str(out, "unique_id"));
  live_expect_int(out, "max_session_duration", 3600);
  const char *doc = rc_res_str(out, "assume_role_policy");
  assert_non_null(strstr(doc, "ecs-tasks.amazonaws.com")); /* decoded, not %-encoded */
  assert_null(strstr(doc, "%22"));
  assert_string_equal(rc_value_str(rc_value_path(out, "tags.team")), "web");
  assert_null(rc_value_get(rc_value_get(out, "tags"), "recon:stack"));
  for (const struct rc_attr *a = ds->schema; a->name; a++)
    if (!rc_value_get(out, a->name)) fail_msg("attribute %s missing", a->name);
  for (size_t i = 0; i < rc_value_len(out); i++)
    if (!rc_schema_attr(ds->schema, rc_value_key(out, i)))
      fail_msg("attribute %s not in the schema", rc_value_key(out, i));

  struct rc_value *cfgx = live_cfg(ds, "{\"name\": \"svctest-nope\"}"), *none = NULL;
  struct rc_error e = {0};
  assert_int_equal(ds->read(&ctx, cfgx, &none, &e), RC_NOT_FOUND);
  assert_null(none);
  rc_value_decref(cfgx);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ecs_extra__capacity_providers),
      cmocka_unit_test(test_ecs_extra__data_task_definition),
      cmocka_unit_test(test_ecs_extra__data_iam_role),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
