/* Live tests of aws_iam_role, aws_iam_role_policy and
 * aws_iam_role_policy_attachment against recon-sim. */
#include "svc_live.h"

extern const struct rc_resource_type rc_rt_iam_role, rc_rt_iam_role_policy,
    rc_rt_iam_role_policy_attachment;

#define TRUST_A                                                                        \
  "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"," \
  "\\\"Principal\\\":{\\\"Service\\\":\\\"ecs-tasks.amazonaws.com\\\"},"               \
  "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}"
/* the same policy spelt differently: key order, one-element lists */
#define TRUST_A2                                                                        \
  "{\\\"Statement\\\":[{\\\"Action\\\":[\\\"sts:AssumeRole\\\"],\\\"Principal\\\":"       \
  "{\\\"Service\\\":[\\\"ecs-tasks.amazonaws.com\\\"]},\\\"Effect\\\":\\\"Allow\\\"}],"    \
  "\\\"Version\\\":\\\"2012-10-17\\\"}"
#define TRUST_B                                                                        \
  "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"," \
  "\\\"Principal\\\":{\\\"Service\\\":[\\\"ecs-tasks.amazonaws.com\\\",\\\"ecs.amazonaws.com\\\"]}," \
  "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}"

static void test_res_iam__role_lifecycle(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_iam_role;
  const char *addr = "module.ecs.aws_iam_role.exec[0]";
  struct rc_value *cfg =
      live_cfg(rt, "{\"name\": \"svctest-exec\", \"assume_role_policy\": \"" TRUST_A
                   "\", \"tags\": {\"app\": \"web\"}, \"force_detach_policies\": true}");
  struct rc_value *out = live_create(rt, addr, cfg);
  live_expect_str(out, "id", "svctest-exec");
  live_expect_str(out, "path", "/");
  live_expect_int(out, "max_session_duration", 3600);
  assert_non_null(rc_res_str(out, "unique_id"));
  assert_non_null(strstr(rc_res_str(out, "arn"), ":role/svctest-exec"));
  assert_non_null(strstr(rc_res_str(out, "assume_role_policy"), "\"sts:AssumeRole\""));
  assert_string_equal(rc_value_str(rc_value_path(out, "tags.app")), "web");
  live_check_created(rt, addr, cfg, out, true);
  svc_expect_converged(rt, cfg, out);

  /* the same trust policy spelt differently is no change */
  struct rc_value *cfg2 =
      live_cfg(rt, "{\"name\": \"svctest-exec\", \"assume_role_policy\": \"" TRUST_A2
                   "\", \"tags\": {\"app\": \"web\"}, \"force_detach_policies\": true}");
  svc_expect_converged(rt, cfg2, out);

  /* a role of another address with the same name is not adopted */
  struct rc_rctx other = live_ctx("aws_iam_role.other");
  struct rc_error err = {0};
  struct rc_value *f = NULL;
  assert_int_equal(rt->find(&other, cfg, &f, &err), RC_OK);
  assert_null(f);

  /* update in place: trust, description, session, tags */
  struct rc_value *cfg3 =
      live_cfg(rt, "{\"name\": \"svctest-exec\", \"assume_role_policy\": \"" TRUST_B
                   "\", \"description\": \"exec\", \"max_session_duration\": 7200,"
                   " \"tags\": {\"app\": \"api\"}, \"force_detach_policies\": true}");
  struct rc_value *up = live_update(rt, addr, out, cfg3);
  live_expect_str(up, "description", "exec");
  live_expect_int(up, "max_session_duration", 7200);
  svc_expect_converged(rt, cfg3, up);
  assert_string_equal(rc_value_str(rc_value_path(up, "tags.app")), "api");

  /* policies on it: an inline one and an attachment */
  const struct rc_resource_type *rp = &rc_rt_iam_role_policy;
  struct rc_value *pc = live_cfg(
      rp, "{\"role\": \"svctest-exec\", \"name\": \"logs\", \"policy\": "
          "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":{\\\"Effect\\\":"
          "\\\"Allow\\\",\\\"Action\\\":[\\\"logs:PutLogEvents\\\","
          "\\\"logs:CreateLogStream\\\"],\\\"Resource\\\":\\\"*\\\"}}\"}");
  struct rc_value *pout = live_create(rp, "aws_iam_role_policy.logs", pc);
  live_expect_str(pout, "id", "svctest-exec:logs");
  live_check_created(rp, "aws_iam_role_policy.logs", pc, pout, false);
  svc_expect_converged(rp, pc, pout);
  struct rc_value *pc2 = live_cfg(
      rp, "{\"role\": \"svctest-exec\", \"name\": \"logs\", \"policy\": "
          "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":{\\\"Effect\\\":"
          "\\\"Allow\\\",\\\"Action\\\":\\\"logs:*\\\",\\\"Resource\\\":\\\"*\\\"}}\"}");
  struct rc_value *pup = live_update(rp, "aws_iam_role_policy.logs", pout, pc2);
  svc_expect_converged(rp, pc2, pup);

  const struct rc_resource_type *ra = &rc_rt_iam_role_policy_attachment;
  struct rc_value *ac = live_cfg(
      ra, "{\"role\": \"svctest-exec\", \"policy_arn\": "
          "\"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"}");
  struct rc_value *aout = live_create(ra, "aws_iam_role_policy_attachment.exec", ac);
  live_expect_str(aout, "id",
                  "svctest-exec/arn:aws:iam::aws:policy/service-role/"
                  "AmazonECSTaskExecutionRolePolicy");
  live_check_created(ra, "aws_iam_role_policy_attachment.exec", ac, aout, false);

  /* deleting the role with force_detach_policies removes both */
  live_delete(rt, addr, up);
  struct rc_value *g1 = live_read(rp, "aws_iam_role_policy.logs", pup);
  struct rc_value *g2 = live_read(ra, "aws_iam_role_policy_attachment.exec", aout);
  assert_null(g1);
  assert_null(g2);

  rc_value_decref(aout);
  rc_value_decref(ac);
  rc_value_decref(pup);
  rc_value_decref(pc2);
  rc_value_decref(pout);
  rc_value_decref(pc);
  rc_value_decref(up);
  rc_value_decref(cfg3);
  rc_value_decref(cfg2);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

static void test_res_iam__attachment_delete(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_iam_role;
  struct rc_value *cfg = live_cfg(
      rt, "{\"name_prefix\": \"svct-\", \"assume_role_policy\": \"" TRUST_A "\"}");
  struct rc_value *out = live_create(rt, "aws_iam_role.p", cfg);
  const char *name = rc_res_str(out, "name");
  assert_true(strncmp(name, "svct-", 5) == 0);
  live_check_created(rt, "aws_iam_role.p", cfg, out, true);
  const struct rc_resource_type *ra = &rc_rt_iam_role_policy_attachment;
  char json[512];
  snprintf(json, sizeof json, "{\"role\": \"%s\", \"policy_arn\": "
           "\"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"}", name);
  struct rc_value *ac = live_cfg(ra, json);
  struct rc_value *aout = live_create(ra, "aws_iam_role_policy_attachment.a", ac);
  live_delete(ra, "aws_iam_role_policy_attachment.a", aout);
  live_delete(rt, "aws_iam_role.p", out);
  rc_value_decref(aout);
  rc_value_decref(ac);
  rc_value_decref(out);
  rc_value_decref(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_iam__role_lifecycle),
      cmocka_unit_test(test_res_iam__attachment_delete),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
