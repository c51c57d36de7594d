/* test_logs.c — CloudWatch Logs in recon-sim: create/describe/delete,
 * retention values, tags by ARN and by name, prefix and pagination. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_svc_test.h"

#define T(op) "Logs_20140328." op

static int setup(void **st)
{
  (void)st;
  rc_sim_init(7);
  rc_sim_clock_freeze(1800000000000ULL);
  return 0;
}

static void test_create_describe_delete(void **st)
{
  (void)st;
  assert_int_equal(svct_json_status("logs", T("CreateLogGroup"), "{\"logGroupName\":\"/ecs/my-app\","
                                    "\"tags\":{\"env\":\"dev\"}}"), 200);
  struct rc_sim_call *c = svct_json("logs", T("CreateLogGroup"), "{\"logGroupName\":\"/ecs/my-app\"}");
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "ResourceAlreadyExistsException"));
  rc_sim_call_free(c);
  c = svct_json("logs", T("DescribeLogGroups"), "{\"logGroupNamePrefix\":\"/ecs/\"}");
  json_t *o = svct_body_json(c);
  json_t *g = json_array_get(json_object_get(o, "logGroups"), 0);
  assert_string_equal(json_string_value(json_object_get(g, "arn")),
                      "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-app:*");
  assert_int_equal(json_integer_value(json_object_get(g, "creationTime")), 1800000000000LL);
  assert_null(json_object_get(g, "retentionInDays"));
  json_decref(o);
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("logs", T("DeleteLogGroup"), "{\"logGroupName\":\"/ecs/my-app\"}"), 200);
  c = svct_json("logs", T("DeleteLogGroup"), "{\"logGroupName\":\"/ecs/my-app\"}");
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "ResourceNotFoundException"));
  rc_sim_call_free(c);
}

static void test_retention(void **st)
{
  (void)st;
  svct_json_status("logs", T("CreateLogGroup"), "{\"logGroupName\":\"r\"}");
  struct rc_sim_call *c = svct_json("logs", T("PutRetentionPolicy"),
                                    "{\"logGroupName\":\"r\",\"retentionInDays\":2}");
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "InvalidParameterException"));
  assert_true(svct_has(c, "enum value set"));
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("logs", T("PutRetentionPolicy"),
                                    "{\"logGroupName\":\"r\",\"retentionInDays\":3653}"), 200);
  c = svct_json("logs", T("DescribeLogGroups"), "{}");
  assert_true(svct_has(c, "\"retentionInDays\":3653"));
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("logs", T("DeleteRetentionPolicy"), "{\"logGroupName\":\"r\"}"), 200);
  c = svct_json("logs", T("DescribeLogGroups"), "{}");
  assert_false(svct_has(c, "retentionInDays"));
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("logs", T("PutRetentionPolicy"),
                                    "{\"logGroupName\":\"nope\",\"retentionInDays\":7}"), 400);
}

static void test_tags_and_paging(void **st)
{
  (void)st;
  char body[128];
  for (int i = 0; i < 60; i++) {
    snprintf(body, sizeof body, "{\"logGroupName\":\"g%02d\"}", i);
    assert_int_equal(svct_json_status("logs", T("CreateLogGroup"), body), 200);
  }
  const char *arn = "arn:aws:logs:us-east-1:123456789012:log-group:g05";
  snprintf(body, sizeof body, "{\"resourceArn\":\"%s\",\"tags\":{\"a\":\"1\",\"b\":\"2\"}}", arn);
  assert_int_equal(svct_json_status("logs", T("TagResource"), body), 200);
  snprintf(body, sizeof body, "{\"resourceArn\":\"%s\",\"tagKeys\":[\"a\"]}", arn);
  assert_int_equal(svct_json_status("logs", T("UntagResource"), body), 200);
  struct rc_sim_call *c = svct_json("logs", T("ListTagsLogGroup"), "{\"logGroupName\":\"g05\"}");
  assert_true(svct_has(c, "{\"tags\":{\"b\":\"2\"}}"));
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("logs", T("DescribeLogGroups"), "{\"limit\":51}"), 400);
  c = svct_json("logs", T("DescribeLogGroups"), "{}");
  json_t *o = svct_body_json(c);
  assert_int_equal(json_array_size(json_object_get(o, "logGroups")), 50);
  const char *tok = json_string_value(json_object_get(o, "nextToken"));
  assert_non_null(tok);
  snprintf(body, sizeof body, "{\"nextToken\":\"%s\"}", tok);
  json_decref(o);
  rc_sim_call_free(c);
  c = svct_json("logs", T("DescribeLogGroups"), body);
  o = svct_body_json(c);
  assert_int_equal(json_array_size(json_object_get(o, "logGroups")), 10);
  assert_null(json_object_get(o, "nextToken"));
  json_decref(o);
  rc_sim_call_free(c);
  json_t *s = rc_sim_state_export();
  assert_int_equal(json_array_size(json_object_get(json_object_get(s, "logs"), "log_groups")), 60);
  json_decref(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_create_describe_delete, setup),
      cmocka_unit_test_setup(test_retention, setup),
      cmocka_unit_test_setup(test_tags_and_paging, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
