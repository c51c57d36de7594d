/* Unit tests of the service families' normalisers and the local
 * aws_iam_policy_document renderer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rc_alloc.h"
#include "svcutil.h"

extern const struct rc_resource_type rc_ds_iam_policy_document;

static void same_policy(const char *a, const char *b, bool want)
{
  char *x = rc_svcu_policy_canon(a), *y = rc_svcu_policy_canon(b);
  assert_non_null(x);
  assert_non_null(y);
  if ((strcmp(x, y) == 0) != want) fail_msg("%s\n%s", x, y);
  rc_free(x);
  rc_free(y);
}

static void test_svcutil__policy_equivalence(void **state)
{
  (void)state;
  same_policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get\","
              "\"Principal\":{\"Service\":\"ecs.amazonaws.com\"},\"Resource\":\"*\"}]}",
              "{\"Statement\":{\"Resource\":[\"*\"],\"Principal\":{\"Service\":[\"ecs.amazonaws.com\"]},"
              "\"Action\":[\"s3:Get\"],\"Effect\":\"Allow\",\"Sid\":\"\"},\"Version\":\"2012-10-17\"}",
              true);
  same_policy("{\"Statement\":[{\"Action\":[\"b\",\"a\"]},{\"Action\":\"c\"}]}",
              "{\"Statement\":[{\"Action\":\"c\"},{\"Action\":[\"a\",\"b\",\"a\"]}]}", true);
  same_policy("{\"Statement\":[{\"Principal\":\"*\"}]}",
              "{\"Statement\":[{\"Principal\":{\"AWS\":\"*\"}}]}", true);
  same_policy("{\"Statement\":[{\"Action\":\"a\"}]}", "{\"Statement\":[{\"Action\":\"b\"}]}", false);
  same_policy("{\"Statement\":[{\"Effect\":\"Allow\"}]}", "{\"Statement\":[{\"Effect\":\"Deny\"}]}",
              false);
  char *d = rc_svcu_url_decode("%7B%22a%22%3A%20%221+2%22%7D");
  assert_string_equal(d, "{\"a\": \"1+2\"}");
  rc_free(d);
}

/* what recon-sim's DescribeTaskDefinition answers for a minimal container
 * (AWS's defaults added) reduces to the same text as the configuration */
static void test_svcutil__containers_reduce(void **state)
{
  (void)state;
  const char *cfg =
      "[{\"name\":\"web\",\"image\":\"repo:1.0\",\"portMappings\":[{\"containerPort\":8080}],"
      "\"environment\":[{\"name\":\"B\",\"value\":\"2\"},{\"name\":\"A\",\"value\":\"1\"}],"
      "\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"/ecs/web\"}}},"
      "{\"name\":\"a-sidecar\",\"image\":\"envoy\",\"essential\":false}]";
  const char *aws =
      "[{\"cpu\":0,\"environment\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}],"
      "\"essential\":false,\"image\":\"envoy\",\"mountPoints\":[],\"name\":\"a-sidecar\","
      "\"portMappings\":[],\"systemControls\":[],\"volumesFrom\":[]},"
      "{\"cpu\":0,\"environment\":[{\"name\":\"B\",\"value\":\"2\"},{\"name\":\"A\",\"value\":\"1\"}],"
      "\"essential\":true,\"image\":\"repo:1.0\",\"logConfiguration\":{\"logDriver\":\"awslogs\","
      "\"options\":{\"awslogs-group\":\"/ecs/web\"},\"secretOptions\":[]},\"mountPoints\":[],"
      "\"name\":\"web\",\"portMappings\":[{\"containerPort\":8080,\"hostPort\":8080,"
      "\"protocol\":\"tcp\"}],\"systemControls\":[],\"volumesFrom\":[]}]";
  /* the sidecar's env in cfg is absent; fix the fixture to match */
  char *a = rc_svcu_containers_canon(cfg), *b = rc_svcu_containers_canon(aws);
  assert_non_null(a);
  assert_non_null(b);
  /* they differ only by the sidecar's environment, which cfg lacks */
  assert_string_not_equal(a, b);
  const char *cfg2 =
      "[{\"name\":\"web\",\"image\":\"repo:1.0\",\"portMappings\":[{\"containerPort\":8080}],"
      "\"environment\":[{\"name\":\"B\",\"value\":\"2\"},{\"name\":\"A\",\"value\":\"1\"}],"
      "\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{\"awslogs-group\":\"/ecs/web\"}}},"
      "{\"name\":\"a-sidecar\",\"image\":\"envoy\",\"essential\":false,"
      "\"environment\":[{\"value\":\"2\",\"name\":\"B\"},{\"name\":\"A\",\"value\":\"1\"}]}]";
  char *c = rc_svcu_containers_canon(cfg2);
  assert_string_equal(c, b);
  /* an image change is a change */
  char *d = rc_svcu_containers_canon(
      "[{\"name\":\"web\",\"image\":\"repo:2.0\",\"portMappings\":[{\"containerPort\":8080}]}]");
  char *e = rc_svcu_containers_canon(
      "[{\"name\":\"web\",\"image\":\"repo:1.0\",\"portMappings\":[{\"containerPort\":8080}]}]");
  assert_string_not_equal(d, e);
  /* a protocol other than tcp and a distinct host port are kept */
  char *f = rc_svcu_containers_canon(
      "[{\"name\":\"x\",\"portMappings\":[{\"containerPort\":53,\"hostPort\":5353,\"protocol\":\"udp\"}]}]");
  assert_non_null(strstr(f, "udp"));
  assert_non_null(strstr(f, "5353"));
  assert_null(rc_svcu_containers_canon("{\"not\":\"a list\"}"));
  rc_free(a);
  rc_free(b);
  rc_free(c);
  rc_free(d);
  rc_free(e);
  rc_free(f);
}

static void test_svcutil__units(void **state)
{
  (void)state;
  struct rc_value *v = rc_value_string("1 vCPU"), *n = rc_svcu_norm_units(v);
  assert_string_equal(rc_value_str(n), "1024");
  rc_value_decref(v);
  rc_value_decref(n);
  v = rc_value_string("2 GB");
  n = rc_svcu_norm_units(v);
  assert_string_equal(rc_value_str(n), "2048");
  rc_value_decref(v);
  rc_value_decref(n);
  v = rc_value_string("512");
  assert_null(rc_svcu_norm_units(v));
  rc_value_decref(v);
}

static void test_svcutil__policy_document_render(void **state)
{
  (void)state;
  const char *cfg =
      "{\"version\": \"2012-10-17\", \"statement\": [{\"effect\": \"Allow\", \"actions\": "
      "[\"sts:AssumeRole\"], \"principals\": [{\"type\": \"Service\", \"identifiers\": "
      "[\"ecs-tasks.amazonaws.com\"]}]}, {\"sid\": \"Logs\", \"effect\": \"Allow\", \"actions\": "
      "[\"logs:CreateLogStream\", \"logs:PutLogEvents\"], \"resources\": [\"*\"], \"condition\": "
      "[{\"test\": \"StringEquals\", \"variable\": \"aws:SourceAccount\", \"values\": [\"1\"]}]}]}";
  struct rc_value *c = rc_value_parse_json(cfg, strlen(cfg), NULL), *out = NULL;
  struct rc_rctx ctx = {0};
  struct rc_error err = {0};
  assert_int_equal(rc_ds_iam_policy_document.read(&ctx, c, &out, &err), RC_OK);
  const char *want =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\n"
      "      \"Effect\": \"Allow\",\n"
      "      \"Action\": \"sts:AssumeRole\",\n"
      "      \"Principal\": {\n"
      "        \"Service\": \"ecs-tasks.amazonaws.com\"\n"
      "      }\n"
      "    },\n"
      "    {\n"
      "      \"Sid\": \"Logs\",\n"
      "      \"Effect\": \"Allow\",\n"
      "      \"Action\": [\n"
      "        \"logs:PutLogEvents\",\n"
      "        \"logs:CreateLogStream\"\n"
      "      ],\n"
      "      \"Resource\": \"*\",\n"
      "      \"Condition\": {\n"
      "        \"StringEquals\": {\n"
      "          \"aws:SourceAccount\": \"1\"\n"
      "        }\n"
      "      }\n"
      "    }\n"
      "  ]\n"
      "}";
  assert_string_equal(rc_res_str(out, "json"), want);
  assert_non_null(strstr(rc_res_str(out, "minified_json"), "{\"Version\":\"2012-10-17\",\"Statement\":[{"));
  assert_non_null(rc_res_str(out, "id"));
  /* the rendered document is the same policy as a hand-written one */
  char *x = rc_svcu_policy_canon(rc_res_str(out, "json"));
  char *y = rc_svcu_policy_canon(
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sts:AssumeRole\"],"
      "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"}},{\"Sid\":\"Logs\",\"Effect\":\"Allow\","
      "\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\",\"Condition\":"
      "{\"StringEquals\":{\"aws:SourceAccount\":[\"1\"]}}}]}");
  assert_string_equal(x, y);
  rc_free(x);
  rc_free(y);
  rc_value_decref(out);
  rc_value_decref(c);
}

static void test_svcutil__schemas_sane(void **state)
{
  (void)state;
  /* every FORCE_NEW attribute of every type is settable; every taggable
   * type has tags and tags_all */
  for (size_t i = 0; rc_resource_types[i]; i++) {
    const struct rc_resource_type *rt = rc_resource_types[i];
    for (const struct rc_attr *a = rt->schema; a && a->name; a++)
      if ((a->flags & RC_A_FORCE_NEW) && !(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL)))
        fail_msg("%s.%s is FORCE_NEW but not settable", rt->name, a->name);
    if (rt->flags & RC_RT_TAGGABLE) {
      assert_non_null(rc_schema_attr(rt->schema, "tags"));
      assert_non_null(rc_schema_attr(rt->schema, "tags_all"));
    }
  }
  assert_non_null(rc_resource_lookup("aws_ecs_service", false));
  assert_non_null(rc_resource_lookup("aws_iam_policy_document", true));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_svcutil__policy_equivalence),
      cmocka_unit_test(test_svcutil__containers_reduce),
      cmocka_unit_test(test_svcutil__units),
      cmocka_unit_test(test_svcutil__policy_document_render),
      cmocka_unit_test(test_svcutil__schemas_sane),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
