/* test_sim_regions.c — resources are regional: what a call signed for
 * us-west-2 creates (VPC, subnet, security group, target group, load
 * balancer, log group, ECS cluster and task definition) is invisible to
 * us-east-1's Describe/List calls and to its lookups by id, the same names
 * may be used in both regions, IAM stays global, and the state export holds
 * everything with its region. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_svc_test.h"

static struct rc_sim_call *call(const char *region, const char *service, const char *target,
                                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static struct rc_sim_call *call(const char *region, const char *service, const char *target,
                                const char *fmt, ...)
{
  char body[4096], auth[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  struct rc_sim_call *c = rc_sim_call_new("POST", "/", body, strlen(body));
  snprintf(auth, sizeof auth,
           "AWS4-HMAC-SHA256 Credential=test/20260101/%s/%s/aws4_request, "
           "SignedHeaders=host;x-amz-date, Signature=00", region, service);
  rc_sim_call_header(c, "Authorization", auth);
  rc_sim_call_header(c, "X-Amz-Date", "20260101T000000Z");
  if (target) {
    rc_sim_call_header(c, "Content-Type", "application/x-amz-json-1.1");
    rc_sim_call_header(c, "X-Amz-Target", target);
  } else {
    rc_sim_call_header(c, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  }
  rc_sim_dispatch(c);
  return c;
}

static void ok_get(struct rc_sim_call *c, const char *tag, char *out, size_t outsz)
{
  if (c->resp.status != 200) fprintf(stderr, "%s\n", c->resp.body.ptr);
  assert_int_equal(c->resp.status, 200);
  if (tag) svct_xml(c, tag, out, outsz);
  rc_sim_call_free(c);
}

/* Whether the answer of a call contains needle (call freed). */
static bool has(struct rc_sim_call *c, const char *needle)
{
  bool h = svct_has(c, needle);
  rc_sim_call_free(c);
  return h;
}

#define W "us-west-2"
#define E "us-east-1"
#define ECS(op) "AmazonEC2ContainerServiceV20141113." op
#define LOGS(op) "Logs_20140328." op

static int setup(void **st)
{
  (void)st;
  rc_sim_init(31);
  return 0;
}

static void test_sim_regions__separated(void **st)
{
  (void)st;
  char vpc[40], s1[40], s2[40], sg[40], tg[256], lb[256];
  ok_get(call(W, "ec2", NULL, "Action=CreateVpc&CidrBlock=10.0.0.0%%2F16"), "vpcId", vpc, sizeof vpc);
  ok_get(call(W, "ec2", NULL, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0%%2F24&"
              "AvailabilityZone=us-west-2a", vpc), "subnetId", s1, sizeof s1);
  ok_get(call(W, "ec2", NULL, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.2.0%%2F24&"
              "AvailabilityZone=us-west-2b", vpc), "subnetId", s2, sizeof s2);
  ok_get(call(W, "ec2", NULL, "Action=CreateSecurityGroup&VpcId=%s&GroupName=a&"
              "GroupDescription=a", vpc), "groupId", sg, sizeof sg);
  ok_get(call(W, "elasticloadbalancing", NULL, "Action=CreateTargetGroup&Name=tg&Protocol=HTTP&"
              "Port=80&VpcId=%s&TargetType=ip", vpc), "TargetGroupArn", tg, sizeof tg);
  ok_get(call(W, "elasticloadbalancing", NULL, "Action=CreateLoadBalancer&Name=alb&"
              "Subnets.member.1=%s&Subnets.member.2=%s", s1, s2), "LoadBalancerArn", lb, sizeof lb);
  assert_non_null(strstr(lb, ":us-west-2:"));
  ok_get(call(W, "logs", LOGS("CreateLogGroup"), "{\"logGroupName\":\"/ecs/app\"}"), NULL, NULL, 0);
  ok_get(call(W, "ecs", ECS("CreateCluster"), "{\"clusterName\":\"c\"}"), NULL, NULL, 0);
  ok_get(call(W, "iam", NULL, "Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=%%7B%%22Version%%22%%3A%%222012-10-17%%22%%2C%%22Statement%%22%%3A%%5B%%5D%%7D"),
         NULL, NULL, 0);

  /* us-west-2 sees its own */
  assert_true(has(call(W, "ec2", NULL, "Action=DescribeVpcs"), vpc));
  assert_true(has(call(W, "ec2", NULL, "Action=DescribeSubnets"), s1));
  assert_true(has(call(W, "elasticloadbalancing", NULL, "Action=DescribeTargetGroups"), tg));
  assert_true(has(call(W, "logs", LOGS("DescribeLogGroups"), "{}"), "/ecs/app"));
  assert_true(has(call(W, "ecs", ECS("ListClusters"), "{}"), "cluster/c"));
  /* us-east-1 sees none of it */
  assert_false(has(call(E, "ec2", NULL, "Action=DescribeVpcs"), vpc));
  assert_false(has(call(E, "ec2", NULL, "Action=DescribeSubnets"), s1));
  assert_false(has(call(E, "ec2", NULL, "Action=DescribeSecurityGroups"), sg));
  assert_false(has(call(E, "ec2", NULL, "Action=DescribeNetworkInterfaces"), s1)); /* the ALB's ENIs */
  assert_true(has(call(E, "ec2", NULL, "Action=DescribeVpcs&VpcId.1=%s", vpc),
                  "InvalidVpcID.NotFound"));
  assert_true(has(call(E, "ec2", NULL, "Action=DeleteVpc&VpcId=%s", vpc), "InvalidVpcID.NotFound"));
  assert_false(has(call(E, "elasticloadbalancing", NULL, "Action=DescribeTargetGroups"), tg));
  assert_false(has(call(E, "elasticloadbalancing", NULL, "Action=DescribeLoadBalancers"), lb));
  assert_true(has(call(E, "elasticloadbalancing", NULL, "Action=DescribeLoadBalancers&"
                       "LoadBalancerArns.member.1=%s", lb), "LoadBalancerNotFound"));
  assert_false(has(call(E, "logs", LOGS("DescribeLogGroups"), "{}"), "/ecs/app"));
  assert_false(has(call(E, "ecs", ECS("ListClusters"), "{}"), "cluster/c"));
  assert_true(has(call(E, "ecs", ECS("DescribeClusters"), "{\"clusters\":[\"c\"]}"), "MISSING"));
  /* the same names are free in us-east-1 */
  ok_get(call(E, "logs", LOGS("CreateLogGroup"), "{\"logGroupName\":\"/ecs/app\"}"), NULL, NULL, 0);
  ok_get(call(E, "ecs", ECS("CreateCluster"), "{\"clusterName\":\"c\"}"), NULL, NULL, 0);
  assert_true(has(call(E, "ecs", ECS("ListClusters"), "{}"), ":us-east-1:123456789012:cluster/c"));
  assert_false(has(call(E, "ecs", ECS("ListClusters"), "{}"), ":us-west-2:"));
  /* deleting in one region leaves the other's */
  ok_get(call(E, "logs", LOGS("DeleteLogGroup"), "{\"logGroupName\":\"/ecs/app\"}"), NULL, NULL, 0);
  assert_true(has(call(W, "logs", LOGS("DescribeLogGroups"), "{}"), "/ecs/app"));
  /* IAM is global */
  assert_true(has(call(E, "iam", NULL, "Action=GetRole&RoleName=r"), "<RoleName>r</RoleName>"));
  /* the export holds both regions, each object with its region */
  json_t *all = rc_sim_state_export();
  char *dump = json_dumps(all, JSON_COMPACT);
  assert_non_null(strstr(dump, "\"region\":\"us-west-2\""));
  assert_non_null(strstr(dump, "arn:aws:ecs:us-east-1:123456789012:cluster/c"));
  assert_non_null(strstr(dump, "arn:aws:ecs:us-west-2:123456789012:cluster/c"));
  assert_non_null(strstr(dump, "arn:aws:logs:us-west-2:123456789012:log-group:/ecs/app"));
  free(dump);
  json_decref(all);
  /* and the state file keeps the regions */
  const char *path = "/tmp/recon-sim-unit-regions.json";
  assert_int_equal(rc_sim_state_save(path), RC_OK);
  rc_sim_reset_all();
  assert_int_equal(rc_sim_state_load(path), RC_OK);
  remove(path);
  assert_false(has(call(E, "ec2", NULL, "Action=DescribeVpcs"), vpc));
  assert_true(has(call(W, "ec2", NULL, "Action=DescribeVpcs"), vpc));
  assert_true(has(call(W, "logs", LOGS("DescribeLogGroups"), "{}"), "/ecs/app"));
  assert_false(has(call(E, "logs", LOGS("DescribeLogGroups"), "{}"), "/ecs/app"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_sim_regions__separated, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
