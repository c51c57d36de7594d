/* test_ecs_iam_delay.c — IAM's propagation as ECS sees it: with
 * -consistency-delay-ms set, a role younger than the delay is refused by
 * RegisterTaskDefinition ("Role is not valid", the answer terraform and recon
 * retry) and by CreateService/UpdateService ("ECS was unable to assume the
 * role ..."); once the delay has passed both succeed; without the flag a
 * fresh role is usable at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_svc_test.h"

#define ECS(op) "AmazonEC2ContainerServiceV20141113." op
#define TRUST "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"
#define ROLE "arn:aws:iam::123456789012:role/exec"
static char g_s1[64], g_sg[64];

static struct rc_sim_call *ecs(const char *op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static struct rc_sim_call *ecs(const char *op, const char *fmt, ...)
{
  char body[4096], target[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  snprintf(target, sizeof target, ECS("%s"), op);
  return svct_json("ecs", target, body);
}

static struct rc_sim_call *register_td(const char *tag)
{
  return ecs("RegisterTaskDefinition",
             "{\"family\":\"app\",\"requiresCompatibilities\":[\"FARGATE\"],\"networkMode\":"
             "\"awsvpc\",\"cpu\":\"256\",\"memory\":\"512\",\"executionRoleArn\":\"" ROLE "\","
             "\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"app:%s\"}]}", tag);
}

static void create_role(void)
{
  assert_int_equal(svct_query_status("iam", "Action=CreateRole&RoleName=exec&"
                                     "AssumeRolePolicyDocument=" TRUST), 200);
}

static int setup(void **st)
{
  (void)st;
  rc_sim_init(4);
  rc_sim_clock_freeze(1800000000000ULL);
  rc_sim_config.consistency_delay_ms = 1000;
  char vpc[64];
  struct rc_sim_call *c = svct_query("ec2", "Action=CreateVpc&CidrBlock=10.0.0.0/16");
  svct_xml(c, "vpcId", vpc, sizeof vpc);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0/24&"
                  "AvailabilityZone=us-east-1a", vpc);
  svct_xml(c, "subnetId", g_s1, sizeof g_s1);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSecurityGroup&VpcId=%s&GroupName=e&GroupDescription=e", vpc);
  svct_xml(c, "groupId", g_sg, sizeof g_sg);
  rc_sim_call_free(c);
  rc_sim_clock_advance(1000);
  assert_int_equal(svct_json_status("ecs", ECS("CreateCluster"), "{\"clusterName\":\"c\"}"), 200);
  rc_sim_clock_advance(1000);
  return 0;
}

static int teardown(void **st)
{
  (void)st;
  rc_sim_config.consistency_delay_ms = 0;
  rc_sim_clock_freeze(0);
  return 0;
}

static struct rc_sim_call *create_service(void)
{
  return ecs("CreateService", "{\"cluster\":\"c\",\"serviceName\":\"web\",\"taskDefinition\":"
             "\"app\",\"desiredCount\":1,\"launchType\":\"FARGATE\",\"networkConfiguration\":"
             "{\"awsvpcConfiguration\":{\"subnets\":[\"%s\"],\"securityGroups\":[\"%s\"]}}}",
             g_s1, g_sg);
}

static void test_ecs_iam_delay__young_role_refused_then_usable(void **st)
{
  (void)st;
  create_role();
  struct rc_sim_call *c = register_td("1");
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "\"__type\":\"ClientException\"") || svct_has(c, "ClientException"));
  assert_true(svct_has(c, "Role is not valid"));
  rc_sim_call_free(c);
  rc_sim_clock_advance(999);
  c = register_td("1");
  assert_int_equal(c->resp.status, 400);
  rc_sim_call_free(c);
  rc_sim_clock_advance(1);
  c = register_td("1");
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  rc_sim_clock_advance(1000); /* the task definition is visible now */
  c = create_service();
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
}

static void test_ecs_iam_delay__replaced_role_blocks_service(void **st)
{
  (void)st;
  create_role();
  rc_sim_clock_advance(1000);
  struct rc_sim_call *c = register_td("1");
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  rc_sim_clock_advance(1000);
  /* the role is replaced: same name, a new (young) role */
  assert_int_equal(svct_query_status("iam", "Action=DeleteRole&RoleName=exec"), 200);
  create_role();
  c = create_service();
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "InvalidParameterException"));
  assert_true(svct_has(c, "ECS was unable to assume the role '" ROLE "' that was provided for "
                          "this task."));
  rc_sim_call_free(c);
  rc_sim_clock_advance(1000);
  c = create_service();
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
}

static void test_ecs_iam_delay__off_without_the_flag(void **st)
{
  (void)st;
  rc_sim_config.consistency_delay_ms = 0;
  create_role();
  struct rc_sim_call *c = register_td("1");
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  c = create_service();
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_ecs_iam_delay__young_role_refused_then_usable, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_ecs_iam_delay__replaced_role_blocks_service, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_ecs_iam_delay__off_without_the_flag, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
