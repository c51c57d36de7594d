/* test_elbv2.c — ELBv2 in recon-sim: subnets in two AZs, duplicate names,
 * the dependency rules (target group in use, one load balancer per target
 * group, duplicate listener, rule priorities), target health over time and
 * ENIs created in EC2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_svc_test.h"

static char g_vpc[64], g_s1[64], g_s2[64], g_sg[64];

static int setup(void **st)
{
  (void)st;
  rc_sim_init(11);
  rc_sim_clock_freeze(1800000000000ULL);
  struct rc_sim_call *c = svct_query("ec2", "Action=CreateVpc&CidrBlock=10.0.0.0/16");
  svct_xml(c, "vpcId", g_vpc, sizeof g_vpc);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0/24&"
                  "AvailabilityZone=us-east-1a", g_vpc);
  svct_xml(c, "subnetId", g_s1, sizeof g_s1);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.2.0/24&"
                  "AvailabilityZone=us-east-1b", g_vpc);
  svct_xml(c, "subnetId", g_s2, sizeof g_s2);
  rc_sim_call_free(c);
  c = svct_queryf("ec2", "Action=CreateSecurityGroup&VpcId=%s&GroupName=alb&"
                  "GroupDescription=alb", g_vpc);
  svct_xml(c, "groupId", g_sg, sizeof g_sg);
  rc_sim_call_free(c);
  assert_true(g_vpc[0] && g_s1[0] && g_s2[0] && g_sg[0]);
  return 0;
}

static void create_lb(const char *name, char *arn, size_t n)
{
  struct rc_sim_call *c = svct_queryf("elasticloadbalancing", "Action=CreateLoadBalancer&Name=%s&"
                                      "Subnets.member.1=%s&Subnets.member.2=%s&"
                                      "SecurityGroups.member.1=%s", name, g_s1, g_s2, g_sg);
  assert_int_equal(c->resp.status, 200);
  svct_xml(c, "LoadBalancerArn", arn, n);
  rc_sim_call_free(c);
}

static void create_tg(const char *name, char *arn, size_t n)
{
  struct rc_sim_call *c = svct_queryf("elasticloadbalancing", "Action=CreateTargetGroup&Name=%s&"
                                      "Protocol=HTTP&Port=3000&VpcId=%s&TargetType=ip&"
                                      "HealthCheckPath=/health", name, g_vpc);
  assert_int_equal(c->resp.status, 200);
  svct_xml(c, "TargetGroupArn", arn, n);
  assert_true(svct_has(c, "<HealthCheckIntervalSeconds>30<"));
  assert_true(svct_has(c, "<HealthyThresholdCount>5<"));
  assert_true(svct_has(c, "<HealthCheckPath>/health<"));
  rc_sim_call_free(c);
}

static void test_load_balancer(void **st)
{
  (void)st;
  struct rc_sim_call *c = svct_queryf("elasticloadbalancing", "Action=CreateLoadBalancer&"
                                      "Name=one&Subnets.member.1=%s", g_s1);
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "<Type>Sender</Type><Code>ValidationError</Code>"));
  assert_true(svct_has(c, "two different Availability Zones"));
  rc_sim_call_free(c);
  char lb[256], dns[256];
  create_lb("my-alb", lb, sizeof lb);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeLoadBalancers&LoadBalancerArns.member.1=%s", lb);
  assert_true(svct_has(c, "<Code>provisioning</Code>"));
  assert_true(svct_has(c, "<CanonicalHostedZoneId>Z35SXDOTRQ7X7K<"));
  svct_xml(c, "DNSName", dns, sizeof dns);
  assert_true(strncmp(dns, "my-alb-", 7) == 0);
  assert_non_null(strstr(dns, ".us-east-1.elb.amazonaws.com"));
  rc_sim_call_free(c);
  rc_sim_clock_advance(1500);
  c = svct_query("elasticloadbalancing", "Action=DescribeLoadBalancers&Names.member.1=my-alb");
  assert_true(svct_has(c, "<Code>active</Code>"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateLoadBalancer&Name=my-alb&Scheme=internal&"
                  "Subnets.member.1=%s&Subnets.member.2=%s", g_s1, g_s2);
  assert_true(svct_has(c, "DuplicateLoadBalancerName"));
  rc_sim_call_free(c);
  /* two ENIs in EC2, gone with the load balancer */
  c = svct_query("ec2", "Action=DescribeNetworkInterfaces");
  assert_true(svct_has(c, "ELB app/my-alb/"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeLoadBalancerAttributes&LoadBalancerArn=%s", lb);
  assert_true(svct_has(c, "<Key>idle_timeout.timeout_seconds</Key><Value>60</Value>"));
  assert_true(svct_has(c, "<Key>deletion_protection.enabled</Key><Value>false</Value>"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("elasticloadbalancing", "Action=ModifyLoadBalancerAttributes&"
                                     "Attributes.member.1.Key=nope&Attributes.member.1.Value=1&"
                                     "LoadBalancerArn=x"), 400);
  char form[1024];
  snprintf(form, sizeof form, "Action=DeleteLoadBalancer&LoadBalancerArn=%s", lb);
  assert_int_equal(svct_query_status("elasticloadbalancing", form), 200);
  c = svct_query("ec2", "Action=DescribeNetworkInterfaces");
  assert_false(svct_has(c, "ELB app/my-alb/"));
  rc_sim_call_free(c);
}

static void test_dependencies(void **st)
{
  (void)st;
  char lb[256], lb2[256], tg[256], l1[300], form[2048];
  create_lb("a", lb, sizeof lb);
  create_lb("b", lb2, sizeof lb2);
  create_tg("tg", tg, sizeof tg);
  struct rc_sim_call *c = svct_queryf("elasticloadbalancing", "Action=CreateTargetGroup&Name=tg&"
                                      "Protocol=HTTP&Port=80&VpcId=%s&TargetType=ip", g_vpc);
  assert_true(svct_has(c, "DuplicateTargetGroupName"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateListener&LoadBalancerArn=%s&Protocol=HTTP&"
                  "Port=80&DefaultActions.member.1.Type=forward&"
                  "DefaultActions.member.1.TargetGroupArn=%s", lb, tg);
  assert_int_equal(c->resp.status, 200);
  svct_xml(c, "ListenerArn", l1, sizeof l1);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateListener&LoadBalancerArn=%s&Protocol=HTTP&"
                  "Port=80&DefaultActions.member.1.Type=fixed-response&"
                  "DefaultActions.member.1.FixedResponseConfig.StatusCode=404", lb);
  assert_true(svct_has(c, "<Code>DuplicateListener</Code>"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateListener&LoadBalancerArn=%s&Protocol=HTTP&"
                  "Port=80&DefaultActions.member.1.Type=forward&"
                  "DefaultActions.member.1.TargetGroupArn=%s", lb2, tg);
  assert_true(svct_has(c, "<Code>TargetGroupAssociationLimit</Code>"));
  rc_sim_call_free(c);
  snprintf(form, sizeof form, "Action=DeleteTargetGroup&TargetGroupArn=%s", tg);
  c = svct_query("elasticloadbalancing", form);
  assert_true(svct_has(c, "<Code>ResourceInUse</Code>"));
  rc_sim_call_free(c);
  const char *rule = "Action=CreateRule&ListenerArn=%s&Priority=10&"
                     "Conditions.member.1.Field=path-pattern&"
                     "Conditions.member.1.Values.member.1=/api/*&Actions.member.1.Type=forward&"
                     "Actions.member.1.TargetGroupArn=%s";
  c = svct_queryf("elasticloadbalancing", rule, l1, tg);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", rule, l1, tg);
  assert_true(svct_has(c, "<Code>PriorityInUse</Code>"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeRules&ListenerArn=%s", l1);
  assert_true(svct_has(c, "<Priority>10</Priority>"));
  assert_true(svct_has(c, "<Priority>default</Priority>"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetGroups&TargetGroupArns.member.1=%s", tg);
  assert_true(svct_has(c, "<LoadBalancerArns><member>arn:aws:elasticloadbalancing"));
  rc_sim_call_free(c);
  /* deleting the load balancer deletes its listeners and frees the group */
  snprintf(form, sizeof form, "Action=DeleteLoadBalancer&LoadBalancerArn=%s", lb);
  assert_int_equal(svct_query_status("elasticloadbalancing", form), 200);
  snprintf(form, sizeof form, "Action=DescribeListeners&ListenerArns.member.1=%s", l1);
  c = svct_query("elasticloadbalancing", form);
  assert_true(svct_has(c, "<Code>ListenerNotFound</Code>"));
  rc_sim_call_free(c);
  snprintf(form, sizeof form, "Action=DeleteTargetGroup&TargetGroupArn=%s", tg);
  assert_int_equal(svct_query_status("elasticloadbalancing", form), 200);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetGroups&TargetGroupArns.member.1=%s", tg);
  assert_true(svct_has(c, "<Code>TargetGroupNotFound</Code>"));
  rc_sim_call_free(c);
}

static void test_target_health(void **st)
{
  (void)st;
  char lb[256], tg[256];
  create_lb("h", lb, sizeof lb);
  create_tg("htg", tg, sizeof tg);
  struct rc_sim_call *c = svct_queryf("elasticloadbalancing", "Action=RegisterTargets&"
                                      "TargetGroupArn=%s&Targets.member.1.Id=10.0.1.9", tg);
  assert_int_equal(c->resp.status, 200);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetHealth&TargetGroupArn=%s", tg);
  assert_true(svct_has(c, "<State>unused</State>"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=CreateListener&LoadBalancerArn=%s&Port=80&"
                  "Protocol=HTTP&DefaultActions.member.1.Type=forward&"
                  "DefaultActions.member.1.TargetGroupArn=%s", lb, tg);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetHealth&TargetGroupArn=%s", tg);
  assert_true(svct_has(c, "<State>initial</State><Reason>Elb.RegistrationInProgress</Reason>"));
  rc_sim_call_free(c);
  rc_sim_clock_advance(1100);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetHealth&TargetGroupArn=%s", tg);
  assert_true(svct_has(c, "<State>healthy</State>"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DeregisterTargets&TargetGroupArn=%s&"
                  "Targets.member.1.Id=10.0.1.9", tg);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetHealth&TargetGroupArn=%s", tg);
  assert_true(svct_has(c, "<State>draining</State>"));
  rc_sim_call_free(c);
  rc_sim_clock_advance(1100);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTargetHealth&TargetGroupArn=%s", tg);
  assert_false(svct_has(c, "10.0.1.9"));
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=AddTags&ResourceArns.member.1=%s&"
                  "Tags.member.1.Key=env&Tags.member.1.Value=dev", tg);
  rc_sim_call_free(c);
  c = svct_queryf("elasticloadbalancing", "Action=DescribeTags&ResourceArns.member.1=%s", tg);
  assert_true(svct_has(c, "<Tags><member><Key>env</Key><Value>dev</Value></member></Tags>"));
  rc_sim_call_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_load_balancer, setup),
      cmocka_unit_test_setup(test_dependencies, setup),
      cmocka_unit_test_setup(test_target_health, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
