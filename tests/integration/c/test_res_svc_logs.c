/* Live tests of aws_cloudwatch_log_group against recon-sim. */
#include "svc_live.h"

extern const struct rc_resource_type rc_rt_cloudwatch_log_group;

static void test_res_logs__group_lifecycle(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_cloudwatch_log_group;
  const char *addr = "module.app.aws_cloudwatch_log_group.this[\"api\"]";
  struct rc_value *cfg =
      live_cfg(rt, "{\"name\": \"/ecs/svctest-api\", \"retention_in_days\": 14,"
                   " \"tags\": {\"team\": \"web\"}}");
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_str(out, "id", "/ecs/svctest-api");
  live_expect_int(out, "retention_in_days", 14);
  live_expect_str(out, "log_group_class", "STANDARD");
  const char *arn = rc_res_str(out, "arn");
  assert_non_null(arn);
  assert_null(strstr(arn, ":*"));
  assert_string_equal(rc_value_str(rc_value_path(out, "tags.team")), "web");
  assert_null(rc_value_path(out, "tags.recon:stack"));
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);

  /* a second group under the same prefix: read together in one batch */
  struct rc_value *cfg2 = live_cfg(rt, "{\"name\": \"/ecs/svctest-worker\"}");
  struct rc_value *out2 = live_create(rt, "aws_cloudwatch_log_group.w", cfg2);
  live_expect_int(out2, "retention_in_days", 0);
  struct rc_read_item items[3] = {
      {.address = addr, .id = "/ecs/svctest-api", .prior = out},
      {.address = "aws_cloudwatch_log_group.w", .id = "/ecs/svctest-worker", .prior = out2},
      {.address = "aws_cloudwatch_log_group.gone", .id = "/ecs/svctest-gone", .prior = NULL}};
  struct rc_rctx ctx = live_ctx(addr);
  assert_int_equal(rt->read_many(&ctx, items, 3), RC_OK);
  live_expect_equal("batch 0", out, items[0].out);
  live_expect_equal("batch 1", out2, items[1].out);
  assert_null(items[2].out);
  assert_int_equal(items[2].status, RC_OK);
  for (int i = 0; i < 3; i++) rc_value_decref(items[i].out);

  /* update in place: retention off, tags changed */
  struct rc_value *cfg3 =
      live_cfg(rt, "{\"name\": \"/ecs/svctest-api\", \"retention_in_days\": 0,"
                   " \"tags\": {\"team\": \"ops\", \"tier\": \"1\"}}");
  struct rc_value *up = live_update(rt, addr, out, cfg3);
  live_expect_int(up, "retention_in_days", 0);
  assert_string_equal(rc_value_str(rc_value_path(up, "tags.team")), "ops");
  assert_string_equal(rc_value_str(rc_value_path(up, "tags.tier")), "1");
  svc_expect_converged(rt, cfg3, up);

  /* drift: retention set behind recon's back shows on refresh */
  rc_value_decref(svc_call("logs", "PutRetentionPolicy",
                           "{\"logGroupName\": \"/ecs/svctest-api\", \"retentionInDays\": 30}"));
  struct rc_value *drift = live_read(rt, addr, up);
  live_expect_int(drift, "retention_in_days", 30);
  rc_value_decref(drift);

  live_delete(rt, addr, up);
  live_delete(rt, "aws_cloudwatch_log_group.w", out2);
  rc_value_decref(up);
  rc_value_decref(cfg3);
  rc_value_decref(out2);
  rc_value_decref(cfg2);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

static void test_res_logs__skip_destroy_and_prefix(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_cloudwatch_log_group;
  const char *addr = "aws_cloudwatch_log_group.p";
  struct rc_value *cfg =
      live_cfg(rt, "{\"name_prefix\": \"/svctest/p-\", \"skip_destroy\": true}");
  struct rc_value *out = live_create(rt, addr, cfg);
  const char *name = rc_res_str(out, "name");
  assert_non_null(name);
  assert_true(strncmp(name, "/svctest/p-", 11) == 0);
  live_expect_str(out, "name_prefix", "/svctest/p-");
  live_check_created(rt, addr, cfg, out, true);
  struct rc_rctx ctx = live_ctx(addr);
  struct rc_error err = {0};
  assert_int_equal(rt->delete(&ctx, out, &err), RC_OK);
  struct rc_value *still = live_read(rt, addr, out);
  assert_non_null(still); /* skip_destroy: only forgotten */
  rc_value_decref(still);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_logs__group_lifecycle),
      cmocka_unit_test(test_res_logs__skip_destroy_and_prefix),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
