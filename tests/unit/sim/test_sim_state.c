/* test_sim_state.c — the -state file round-trips every service: a whole
 * stack (EC2 network, ALB with a listener, a rule, a target group with
 * targets, IAM role with a policy, a log group, an ECS cluster with capacity
 * providers, task definition revisions and a service in the middle of a
 * deployment, an S3 object) is saved, the simulator reset and the file
 * loaded; each service's export must be the same JSON, and the loaded world
 * must go on exactly as the original would have (same export after the same
 * clock advance), the ECS deployment engine included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_svc_test.h"

#define ECS(op) "AmazonEC2ContainerServiceV20141113." op
#define T0 1800000000000ULL
#define PATH "/tmp/recon-sim-unit-state-all.json"
#define TRUST "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A" \
              "%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com" \
              "%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"

static void ok(struct rc_sim_call *c)
{
  if (c->resp.status != 200) fprintf(stderr, "answer %d: %s\n", c->resp.status, c->resp.body.ptr);
  assert_int_equal(c->resp.status, 200);
}

static void q(const char *svc, char *out, size_t outsz, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void q(const char *svc, char *out, size_t outsz, const char *tag, const char *fmt, ...)
{
  char form[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  struct rc_sim_call *c = svct_query(svc, form);
  ok(c);
  if (tag) svct_xml(c, tag, out, outsz);
  rc_sim_call_free(c);
}

static void ecs(const char *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ecs(const char *op, const char *fmt, ...)
{
  char body[4096], target[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  snprintf(target, sizeof target, ECS("%s"), op);
  struct rc_sim_call *c = svct_json("ecs", target, body);
  ok(c);
  rc_sim_call_free(c);
}

static void build_world(void)
{
  char vpc[64], s1[64], s2[64], sg[64], lb[256], tg[256], tg2[256], ls[256], tmp[256];
  q("ec2", vpc, sizeof vpc, "vpcId", "Action=CreateVpc&CidrBlock=10.0.0.0/16");
  q("ec2", s1, sizeof s1, "subnetId",
    "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0/24&AvailabilityZone=us-east-1a", vpc);
  q("ec2", s2, sizeof s2, "subnetId",
    "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.2.0/24&AvailabilityZone=us-east-1b", vpc);
  q("ec2", sg, sizeof sg, "groupId",
    "Action=CreateSecurityGroup&VpcId=%s&GroupName=alb&GroupDescription=a", vpc);
  q("elasticloadbalancing", lb, sizeof lb, "LoadBalancerArn",
    "Action=CreateLoadBalancer&Name=alb&Subnets.member.1=%s&Subnets.member.2=%s&"
    "SecurityGroups.member.1=%s&Tags.member.1.Key=recon%%3Aaddress&Tags.member.1.Value=alb",
    s1, s2, sg);
  q("elasticloadbalancing", NULL, 0, NULL,
    "Action=ModifyLoadBalancerAttributes&LoadBalancerArn=%s&Attributes.member.1.Key="
    "idle_timeout.timeout_seconds&Attributes.member.1.Value=120", lb);
  q("elasticloadbalancing", tg, sizeof tg, "TargetGroupArn",
    "Action=CreateTargetGroup&Name=tg&Protocol=HTTP&Port=3000&VpcId=%s&TargetType=ip&"
    "HealthCheckPath=%%2Fhealth&HealthCheckIntervalSeconds=10&Matcher.HttpCode=200-299", vpc);
  q("elasticloadbalancing", tg2, sizeof tg2, "TargetGroupArn",
    "Action=CreateTargetGroup&Name=tg2&Protocol=HTTP&Port=80&VpcId=%s&TargetType=ip", vpc);
  q("elasticloadbalancing", NULL, 0, NULL,
    "Action=ModifyTargetGroupAttributes&TargetGroupArn=%s&Attributes.member.1.Key="
    "deregistration_delay.timeout_seconds&Attributes.member.1.Value=30", tg);
  q("elasticloadbalancing", ls, sizeof ls, "ListenerArn",
    "Action=CreateListener&LoadBalancerArn=%s&Port=80&Protocol=HTTP&"
    "DefaultActions.member.1.Type=forward&DefaultActions.member.1.TargetGroupArn=%s", lb, tg);
  q("elasticloadbalancing", NULL, 0, NULL,
    "Action=CreateRule&ListenerArn=%s&Priority=10&Conditions.member.1.Field=path-pattern&"
    "Conditions.member.1.Values.member.1=%%2Fapi%%2F*&Actions.member.1.Type=forward&"
    "Actions.member.1.TargetGroupArn=%s&Tags.member.1.Key=k&Tags.member.1.Value=v", ls, tg2);
  q("elasticloadbalancing", NULL, 0, NULL,
    "Action=CreateRule&ListenerArn=%s&Priority=20&Conditions.member.1.Field=host-header&"
    "Conditions.member.1.Values.member.1=x.example.com&Actions.member.1.Type=fixed-response&"
    "Actions.member.1.FixedResponseConfig.StatusCode=404&"
    "Actions.member.1.FixedResponseConfig.ContentType=text%%2Fplain", ls);
  q("elasticloadbalancing", NULL, 0, NULL,
    "Action=RegisterTargets&TargetGroupArn=%s&Targets.member.1.Id=10.0.1.99&"
    "Targets.member.1.Port=80", tg2);
  q("iam", NULL, 0, NULL, "%s", "Action=CreateRole&RoleName=exec&AssumeRolePolicyDocument=" TRUST);
  struct rc_sim_call *c = svct_json("logs", "Logs_20140328.CreateLogGroup",
                                    "{\"logGroupName\":\"/ecs/my-app\",\"tags\":{\"a\":\"b\"}}");
  ok(c);
  rc_sim_call_free(c);
  c = rc_sim_call_new("PUT", "/bucket", "", 0);
  svct_auth(c, "s3");
  rc_sim_call_header(c, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  rc_sim_dispatch(c);
  ok(c);
  rc_sim_call_free(c);
  c = rc_sim_call_new("PUT", "/bucket/key", "hello", 5);
  svct_auth(c, "s3");
  rc_sim_call_header(c, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  rc_sim_dispatch(c);
  ok(c);
  rc_sim_call_free(c);
  ecs("CreateCluster", "{\"clusterName\":\"c\",\"settings\":[{\"name\":\"containerInsights\","
      "\"value\":\"enabled\"}],\"tags\":[{\"key\":\"t\",\"value\":\"1\"}]}");
  ecs("PutClusterCapacityProviders", "{\"cluster\":\"c\",\"capacityProviders\":[\"FARGATE\","
      "\"FARGATE_SPOT\"],\"defaultCapacityProviderStrategy\":[{\"capacityProvider\":"
      "\"FARGATE\",\"weight\":1}]}");
  for (int i = 1; i <= 3; i++)
    ecs("RegisterTaskDefinition",
        "{\"family\":\"my-app\",\"requiresCompatibilities\":[\"FARGATE\"],\"networkMode\":"
        "\"awsvpc\",\"cpu\":\"256\",\"memory\":\"512\",\"executionRoleArn\":"
        "\"arn:aws:iam::123456789012:role/exec\",\"containerDefinitions\":[{\"name\":\"app\","
        "\"image\":\"app:%d.0\",\"portMappings\":[{\"containerPort\":3000}]}],"
        "\"tags\":[{\"key\":\"rev\",\"value\":\"%d\"}]}", i, i);
  ecs("DeregisterTaskDefinition", "{\"taskDefinition\":\"my-app:3\"}");
  ecs("CreateService",
      "{\"cluster\":\"c\",\"serviceName\":\"web\",\"taskDefinition\":\"my-app:1\","
      "\"desiredCount\":2,\"launchType\":\"FARGATE\",\"networkConfiguration\":"
      "{\"awsvpcConfiguration\":{\"subnets\":[\"%s\",\"%s\"],\"securityGroups\":[\"%s\"]}},"
      "\"loadBalancers\":[{\"targetGroupArn\":\"%s\",\"containerName\":\"app\","
      "\"containerPort\":3000}],\"deploymentConfiguration\":{\"deploymentCircuitBreaker\":"
      "{\"enable\":true,\"rollback\":true}},\"tags\":[{\"key\":\"s\",\"value\":\"1\"}]}",
      s1, s2, sg, tg);
  rc_sim_clock_advance(60000); /* first deployment completes */
  ecs("UpdateService", "{\"cluster\":\"c\",\"service\":\"web\",\"taskDefinition\":\"my-app:2\"}");
  rc_sim_clock_advance(1200); /* the second is in flight: tasks starting, old ones running */
  (void)tmp;
}

static int setup(void **st)
{
  (void)st;
  rc_sim_init(11);
  rc_sim_clock_freeze(T0);
  return 0;
}

static int teardown(void **st)
{
  (void)st;
  rc_sim_clock_freeze(0);
  remove(PATH);
  return 0;
}

static void expect_same(const json_t *a, const json_t *b, const char *svc)
{
  const json_t *x = json_object_get(a, svc), *y = json_object_get(b, svc);
  if (!json_equal(x, y)) {
    char *sa = json_dumps(x, JSON_SORT_KEYS | JSON_INDENT(1));
    char *sb = json_dumps(y, JSON_SORT_KEYS | JSON_INDENT(1));
    fprintf(stderr, "%s differs:\n--- before\n%s\n--- after\n%s\n", svc, sa, sb);
    free(sa);
    free(sb);
  }
  assert_true(json_equal(x, y));
}

static size_t count(const json_t *st, const char *svc, const char *kind)
{
  return json_array_size(json_object_get(json_object_get(st, svc), kind));
}

static void test_sim_state__every_service_round_trips(void **st)
{
  (void)st;
  build_world();
  json_t *before = rc_sim_state_export();
  assert_int_equal(count(before, "elasticloadbalancing", "load_balancers"), 1);
  assert_int_equal(count(before, "elasticloadbalancing", "target_groups"), 2);
  assert_int_equal(count(before, "elasticloadbalancing", "listeners"), 1);
  assert_int_equal(count(before, "ecs", "task_definitions"), 3);
  assert_int_equal(count(before, "ecs", "services"), 1);
  assert_true(count(before, "ecs", "tasks") >= 3);
  assert_int_equal(rc_sim_state_save(PATH), RC_OK);
  rc_sim_reset_all();
  json_t *empty = rc_sim_state_export();
  assert_int_equal(count(empty, "elasticloadbalancing", "load_balancers"), 0);
  assert_int_equal(count(empty, "ecs", "services"), 0);
  json_decref(empty);
  assert_int_equal(rc_sim_state_load(PATH), RC_OK);
  json_t *after = rc_sim_state_export();
  static const char *const svcs[] = {"ec2", "elasticloadbalancing", "ecs", "iam", "logs", "s3"};
  for (size_t i = 0; i < sizeof svcs / sizeof *svcs; i++) expect_same(before, after, svcs[i]);
  json_decref(before);
  json_decref(after);
}

/* The loaded world evolves as the original: same export after the same
 * advance, the in-flight deployment completing on both. */
static void test_sim_state__engine_resumes(void **st)
{
  (void)st;
  build_world();
  assert_int_equal(rc_sim_state_save(PATH), RC_OK);
  rc_sim_clock_advance(120000);
  json_t *direct = rc_sim_state_export();
  rc_sim_init(99); /* a restarted simulator: other seed, empty */
  rc_sim_clock_freeze(T0 + 60000 + 1200);
  assert_int_equal(rc_sim_state_load(PATH), RC_OK);
  rc_sim_clock_advance(120000);
  json_t *resumed = rc_sim_state_export();
  static const char *const svcs[] = {"ec2", "elasticloadbalancing", "ecs", "iam", "logs", "s3"};
  for (size_t i = 0; i < sizeof svcs / sizeof *svcs; i++) expect_same(direct, resumed, svcs[i]);
  json_t *svc = json_array_get(json_object_get(json_object_get(resumed, "ecs"), "services"), 0);
  json_t *d0 = json_array_get(json_object_get(svc, "deployments"), 0);
  assert_string_equal(json_string_value(json_object_get(d0, "rolloutState")), "COMPLETED");
  assert_int_equal(json_integer_value(json_object_get(svc, "runningCount")), 2);
  assert_int_equal(json_array_size(json_object_get(svc, "deployments")), 1);
  json_decref(direct);
  json_decref(resumed);
  /* and answers the describe calls */
  struct rc_sim_call *c = svct_query("elasticloadbalancing", "Action=DescribeTargetGroups&Names.member.1=tg2");
  ok(c);
  assert_true(svct_has(c, "<HealthCheckPath>/</HealthCheckPath>") || svct_has(c, "<TargetGroupName>tg2"));
  rc_sim_call_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sim_state__every_service_round_trips, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_state__engine_resumes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
