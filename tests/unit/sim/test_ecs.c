/* test_ecs.c — ECS in recon-sim: a service's deployment to COMPLETED and a
 * steady state; a deployment of an unhealthy image tripping the circuit
 * breaker and rolling back to the last COMPLETED task definition (rollback
 * on) or staying FAILED (rollback off); the dependency errors. The clock is
 * frozen and advanced: the engine catches up in one call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "ecs_int.h"
#include "sim/sim_svc_test.h"

#define T(op) "AmazonEC2ContainerServiceV20141113." op
static char g_s1[64], g_s2[64], g_sg[64], g_tg[256], g_lb[256];

static struct rc_sim_call *ecs(const char *op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static struct rc_sim_call *ecs(const char *op, const char *fmt, ...)
{
  char body[4096], target[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  snprintf(target, sizeof target, T("%s"), op);
  return svct_json("ecs", target, body);
}

static void register_td(const char *image)
{
  struct rc_sim_call *c = ecs("RegisterTaskDefinition",
      "{\"family\":\"my-app\",\"requiresCompatibilities\":[\"FARGATE\"],\"networkMode\":\"awsvpc\","
      "\"cpu\":\"256\",\"memory\":\"512\",\"executionRoleArn\":\"arn:aws:iam::123456789012:role/x\","
      "\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"%s\",\"portMappings\":"
      "[{\"containerPort\":3000}]}]}", image);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
}

static int setup(void **st)
{
  (void)st;
  rc_sim_init(5);
  rc_sim_clock_freeze(1800000000000ULL);
  rc_free(rc_ecs__unhealthy_image);
  rc_ecs__unhealthy_image = rc_strdup(":bad$");
  char vpc[64];
  struct rc_sim_call *c = svct_query("ec2", "Action=CreateVpc&CidrBlock=10.0.0.0/16");
  svct_xml(c, "vpcId", vpc, sizeof vpc);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0/24&"
                  "AvailabilityZone=us-east-1a", vpc);
  svct_xml(c, "subnetId", g_s1, sizeof g_s1);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.2.0/24&"
                  "AvailabilityZone=us-east-1b", vpc);
  svct_xml(c, "subnetId", g_s2, sizeof g_s2);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSecurityGroup&VpcId=%s&GroupName=ecs&GroupDescription=e",
                  vpc);
  svct_xml(c, "groupId", g_sg, sizeof g_sg);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateLoadBalancer&Name=alb&Subnets.member.1=%s&"
                  "Subnets.member.2=%s", g_s1, g_s2);
  svct_xml(c, "LoadBalancerArn", g_lb, sizeof g_lb);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateTargetGroup&Name=tg&Protocol=HTTP&"
                  "Port=3000&VpcId=%s&TargetType=ip", vpc);
  svct_xml(c, "TargetGroupArn", g_tg, sizeof g_tg);
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("ecs", T("CreateCluster"), "{\"clusterName\":\"c\"}"), 200);
  register_td("app:1.0");
  register_td("app:2.0");
  register_td("app:bad");
  return 0;
}

static void attach_listener(void)
{
  struct rc_sim_call *c = svct_queryf("elasticloadbalancing", "Action=CreateListener&"
                                      "LoadBalancerArn=%s&Port=80&Protocol=HTTP&"
                                      "DefaultActions.member.1.Type=forward&"
                                      "DefaultActions.member.1.TargetGroupArn=%s", g_lb, g_tg);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
}

static struct rc_sim_call *create_service(const char *name, bool rollback)
{
  return ecs("CreateService",
             "{\"cluster\":\"c\",\"serviceName\":\"%s\",\"taskDefinition\":\"my-app:1\","
             "\"desiredCount\":2,\"launchType\":\"FARGATE\",\"networkConfiguration\":"
             "{\"awsvpcConfiguration\":{\"subnets\":[\"%s\",\"%s\"],\"securityGroups\":[\"%s\"]}},"
             "\"loadBalancers\":[{\"targetGroupArn\":\"%s\",\"containerName\":\"app\","
             "\"containerPort\":3000}],\"deploymentConfiguration\":{\"deploymentCircuitBreaker\":"
             "{\"enable\":true,\"rollback\":%s}}}",
             name, g_s1, g_s2, g_sg, g_tg, rollback ? "true" : "false");
}

/* The service as JSON (new) after the clock moved by ms. */
static json_t *describe(const char *name, uint64_t ms)
{
  rc_sim_clock_advance(ms);
  struct rc_sim_call *c = ecs("DescribeServices", "{\"cluster\":\"c\",\"services\":[\"%s\"]}", name);
  json_t *o = svct_body_json(c);
  rc_sim_call_free(c);
  json_t *s = json_incref(json_array_get(json_object_get(o, "services"), 0));
  json_decref(o);
  assert_non_null(s);
  return s;
}

static const char *dep(const json_t *s, size_t i, const char *field)
{
  return json_string_value(json_object_get(json_array_get(json_object_get(s, "deployments"), i),
                                           field));
}

static bool has_event(const json_t *s, const char *needle)
{
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(s, "events"), i, e)
  if (strstr(json_string_value(json_object_get(e, "message")), needle)) return true;
  return false;
}

static void test_target_group_needs_lb(void **st)
{
  (void)st;
  struct rc_sim_call *c = create_service("x", true);
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "does not have an associated load balancer."));
  rc_sim_call_free(c);
}

static void test_deploy_and_rollback(void **st)
{
  (void)st;
  attach_listener();
  struct rc_sim_call *c = create_service("web", true);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  json_t *s = describe("web", 0);
  assert_string_equal(dep(s, 0, "rolloutState"), "IN_PROGRESS");
  assert_int_equal(json_integer_value(json_object_get(s, "pendingCount")), 2);
  json_decref(s);
  s = describe("web", 10000);
  assert_int_equal(json_array_size(json_object_get(s, "deployments")), 1);
  assert_string_equal(dep(s, 0, "rolloutState"), "COMPLETED");
  assert_int_equal(json_integer_value(json_object_get(s, "runningCount")), 2);
  assert_true(has_event(s, "(service web) has reached a steady state."));
  assert_true(has_event(s, "(service web) has started 2 tasks:"));
  assert_true(has_event(s, "registered 1 targets in (target-group arn:aws:elasticloadbalancing"));
  json_decref(s);
  /* a good new revision replaces the tasks */
  c = ecs("UpdateService", "{\"cluster\":\"c\",\"service\":\"web\",\"taskDefinition\":\"my-app:2\"}");
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  s = describe("web", 0);
  assert_int_equal(json_array_size(json_object_get(s, "deployments")), 2);
  assert_string_equal(dep(s, 1, "status"), "ACTIVE");
  json_decref(s);
  s = describe("web", 10000);
  assert_int_equal(json_array_size(json_object_get(s, "deployments")), 1);
  assert_string_equal(dep(s, 0, "taskDefinition"),
                      "arn:aws:ecs:us-east-1:123456789012:task-definition/my-app:2");
  assert_string_equal(dep(s, 0, "rolloutState"), "COMPLETED");
  json_decref(s);
  /* the bad image: circuit breaker, rollback to my-app:2 */
  c = ecs("UpdateService", "{\"cluster\":\"c\",\"service\":\"web\",\"taskDefinition\":\"my-app:3\"}");
  rc_sim_call_free(c);
  s = describe("web", 60000);
  assert_int_equal(json_array_size(json_object_get(s, "deployments")), 1);
  assert_string_equal(json_string_value(json_object_get(s, "taskDefinition")),
                      "arn:aws:ecs:us-east-1:123456789012:task-definition/my-app:2");
  assert_string_equal(dep(s, 0, "rolloutState"), "COMPLETED");
  assert_int_equal(json_integer_value(json_object_get(s, "runningCount")), 2);
  assert_true(has_event(s, "deployment failed: tasks failed to start."));
  assert_true(has_event(s, "(service web) rolling back to deployment ecs-svc/"));
  json_decref(s);
  json_t *state = rc_sim_state_export();
  json_t *hist = json_object_get(json_array_get(json_object_get(json_object_get(state, "ecs"),
                                                                "services"), 0),
                                 "deploymentHistory");
  assert_int_equal(json_array_size(hist), 4);
  json_t *bad = json_array_get(hist, 2);
  assert_string_equal(json_string_value(json_object_get(bad, "rolloutState")), "FAILED");
  assert_string_equal(json_string_value(json_object_get(bad, "rolloutStateReason")),
                      "ECS deployment circuit breaker: tasks failed to start.");
  assert_true(json_integer_value(json_object_get(bad, "failedTasks")) >= 3);
  assert_true(json_is_true(json_object_get(json_array_get(hist, 3), "rollback")));
  json_decref(state);
  /* dependency rules */
  c = ecs("DeleteService", "{\"cluster\":\"c\",\"service\":\"web\"}");
  assert_true(svct_has(c, "InvalidParameterException"));
  rc_sim_call_free(c);
  c = ecs("DeleteCluster", "{\"cluster\":\"c\"}");
  assert_true(svct_has(c, "ClusterContainsServicesException"));
  rc_sim_call_free(c);
  c = ecs("DeleteService", "{\"cluster\":\"c\",\"service\":\"web\",\"force\":true}");
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  c = ecs("UpdateService", "{\"cluster\":\"c\",\"service\":\"web\",\"desiredCount\":1}");
  assert_true(svct_has(c, "ServiceNotActiveException"));
  rc_sim_call_free(c);
  s = describe("web", 10000);
  assert_string_equal(json_string_value(json_object_get(s, "status")), "INACTIVE");
  json_decref(s);
  assert_int_equal(svct_json_status("ecs", T("DeleteCluster"), "{\"cluster\":\"c\"}"), 200);
}

static void test_rollback_off_stays_failed(void **st)
{
  (void)st;
  attach_listener();
  struct rc_sim_call *c = create_service("api", false);
  rc_sim_call_free(c);
  json_t *s = describe("api", 10000);
  assert_string_equal(dep(s, 0, "rolloutState"), "COMPLETED");
  json_decref(s);
  c = ecs("UpdateService", "{\"cluster\":\"c\",\"service\":\"api\",\"taskDefinition\":\"my-app:3\"}");
  rc_sim_call_free(c);
  s = describe("api", 30000);
  assert_string_equal(dep(s, 0, "status"), "PRIMARY");
  assert_string_equal(dep(s, 0, "rolloutState"), "FAILED");
  assert_string_equal(dep(s, 0, "taskDefinition"),
                      "arn:aws:ecs:us-east-1:123456789012:task-definition/my-app:3");
  assert_true(json_integer_value(json_object_get(json_array_get(json_object_get(s, "deployments"), 0),
                                                 "failedTasks")) >= 3);
  /* the old tasks keep serving: minimumHealthyPercent 100 */
  assert_string_equal(dep(s, 1, "rolloutState"), "COMPLETED");
  assert_false(has_event(s, "rolling back"));
  json_decref(s);
  s = describe("api", 30000);
  assert_string_equal(dep(s, 0, "rolloutState"), "FAILED");
  json_decref(s);
}

static void test_taskdef_defaults(void **st)
{
  (void)st;
  struct rc_sim_call *c = ecs("DescribeTaskDefinition", "{\"taskDefinition\":\"my-app\"}");
  json_t *o = svct_body_json(c);
  json_t *td = json_object_get(o, "taskDefinition");
  assert_int_equal(json_integer_value(json_object_get(td, "revision")), 3);
  json_t *ct = json_array_get(json_object_get(td, "containerDefinitions"), 0);
  assert_int_equal(json_integer_value(json_object_get(ct, "cpu")), 0);
  assert_true(json_is_true(json_object_get(ct, "essential")));
  json_t *pm = json_array_get(json_object_get(ct, "portMappings"), 0);
  assert_int_equal(json_integer_value(json_object_get(pm, "hostPort")), 3000);
  assert_string_equal(json_string_value(json_object_get(pm, "protocol")), "tcp");
  assert_string_equal(json_string_value(json_object_get(td, "status")), "ACTIVE");
  json_decref(o);
  rc_sim_call_free(c);
  c = ecs("RegisterTaskDefinition", "{\"family\":\"f\",\"requiresCompatibilities\":[\"FARGATE\"],"
          "\"networkMode\":\"awsvpc\",\"cpu\":\"512\",\"memory\":\"512\",\"containerDefinitions\":"
          "[{\"name\":\"a\",\"image\":\"x\"}]}");
  assert_true(svct_has(c, "ClientException"));
  assert_true(svct_has(c, "No Fargate configuration exists for given values: 512 CPU, 512 memory"));
  rc_sim_call_free(c);
  assert_int_equal(svct_json_status("ecs", T("DeregisterTaskDefinition"),
                                    "{\"taskDefinition\":\"my-app:3\"}"), 200);
  c = ecs("ListTaskDefinitions", "{\"familyPrefix\":\"my-app\"}");
  assert_true(svct_has(c, "my-app:2\""));
  assert_false(svct_has(c, "my-app:3\""));
  rc_sim_call_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_target_group_needs_lb, setup),
      cmocka_unit_test_setup(test_deploy_and_rollback, setup),
      cmocka_unit_test_setup(test_rollback_off_stays_failed, setup),
      cmocka_unit_test_setup(test_taskdef_defaults, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
