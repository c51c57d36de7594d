/* test_iam.c — IAM roles in recon-sim: create/get with the URL-encoded
 * trust policy, managed and inline policies, DeleteConflict, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_svc_test.h"

#define TRUST "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A" \
              "%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com" \
              "%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
#define EXEC "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fservice-role%2FAmazonECSTaskExecutionRolePolicy"

static int setup(void **st)
{
  (void)st;
  rc_sim_init(3);
  return 0;
}

static void test_role_life(void **st)
{
  (void)st;
  struct rc_sim_call *c = svct_query("iam", "Action=CreateRole&RoleName=exec&Path=%2Fapp%2F&"
                                     "AssumeRolePolicyDocument=" TRUST
                                     "&Tags.member.1.Key=env&Tags.member.1.Value=dev");
  assert_int_equal(c->resp.status, 200);
  assert_true(svct_has(c, "<Arn>arn:aws:iam::123456789012:role/app/exec</Arn>"));
  assert_true(svct_has(c, "<AssumeRolePolicyDocument>" TRUST "</AssumeRolePolicyDocument>"));
  assert_true(svct_has(c, "<RoleId>AROA"));
  assert_true(svct_has(c, "<MaxSessionDuration>3600</MaxSessionDuration>"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=CreateRole&RoleName=EXEC&AssumeRolePolicyDocument=" TRUST);
  assert_int_equal(c->resp.status, 409);
  assert_true(svct_has(c, "<Code>EntityAlreadyExists</Code>"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=GetRole&RoleName=nope");
  assert_int_equal(c->resp.status, 404);
  assert_true(svct_has(c, "<Type>Sender</Type><Code>NoSuchEntity</Code>"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=GetRole&RoleName=exec");
  assert_true(svct_has(c, "<Tags><member><Key>env</Key><Value>dev</Value></member></Tags>"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("iam", "Action=UpdateRole&RoleName=exec&Description=d&"
                                     "MaxSessionDuration=7200"), 200);
  c = svct_query("iam", "Action=GetRole&RoleName=exec");
  assert_true(svct_has(c, "<Description>d</Description><MaxSessionDuration>7200<"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("iam", "Action=UpdateRole&RoleName=exec&"
                                     "MaxSessionDuration=60"), 400);
}

static void test_policies_and_conflict(void **st)
{
  (void)st;
  assert_int_equal(svct_query_status("iam", "Action=CreateRole&RoleName=r&"
                                     "AssumeRolePolicyDocument=" TRUST), 200);
  struct rc_sim_call *c = svct_query("iam", "Action=CreateRole&RoleName=bad&"
                                     "AssumeRolePolicyDocument=%7Bnot");
  assert_int_equal(c->resp.status, 400);
  assert_true(svct_has(c, "MalformedPolicyDocument"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("iam", "Action=AttachRolePolicy&RoleName=r&PolicyArn=" EXEC),
                   200);
  c = svct_query("iam", "Action=AttachRolePolicy&RoleName=r&PolicyArn="
                        "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FNoSuchPolicy");
  assert_int_equal(c->resp.status, 404);
  assert_true(svct_has(c, "NoSuchEntity"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=ListAttachedRolePolicies&RoleName=r");
  assert_true(svct_has(c, "<PolicyName>AmazonECSTaskExecutionRolePolicy</PolicyName>"));
  assert_true(svct_has(c, "<IsTruncated>false</IsTruncated>"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("iam", "Action=PutRolePolicy&RoleName=r&PolicyName=p&"
                                     "PolicyDocument=" TRUST), 200);
  c = svct_query("iam", "Action=DeleteRole&RoleName=r");
  assert_int_equal(c->resp.status, 409);
  assert_true(svct_has(c, "<Code>DeleteConflict</Code>"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("iam", "Action=DetachRolePolicy&RoleName=r&PolicyArn=" EXEC),
                   200);
  c = svct_query("iam", "Action=DeleteRole&RoleName=r");
  assert_int_equal(c->resp.status, 409);
  assert_true(svct_has(c, "must delete policies first"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=GetRolePolicy&RoleName=r&PolicyName=p");
  assert_true(svct_has(c, "<PolicyDocument>" TRUST "</PolicyDocument>"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=ListRolePolicies&RoleName=r");
  assert_true(svct_has(c, "<PolicyNames><member>p</member></PolicyNames>"));
  rc_sim_call_free(c);
  assert_int_equal(svct_query_status("iam", "Action=DeleteRolePolicy&RoleName=r&PolicyName=p"),
                   200);
  assert_int_equal(svct_query_status("iam", "Action=DeleteRole&RoleName=r"), 200);
  assert_int_equal(svct_query_status("iam", "Action=GetRole&RoleName=r"), 404);
}

static void test_tags_list(void **st)
{
  (void)st;
  char form[512];
  for (int i = 0; i < 5; i++) {
    snprintf(form, sizeof form, "Action=CreateRole&RoleName=role%d&AssumeRolePolicyDocument=%s",
             i, TRUST);
    assert_int_equal(svct_query_status("iam", form), 200);
  }
  assert_int_equal(svct_query_status("iam", "Action=TagRole&RoleName=role1&Tags.member.1.Key=a&"
                                     "Tags.member.1.Value=1&Tags.member.2.Key=b&"
                                     "Tags.member.2.Value=2"), 200);
  assert_int_equal(svct_query_status("iam", "Action=UntagRole&RoleName=role1&"
                                     "TagKeys.member.1=a"), 200);
  struct rc_sim_call *c = svct_query("iam", "Action=ListRoleTags&RoleName=role1");
  assert_true(svct_has(c, "<Tags><member><Key>b</Key><Value>2</Value></member></Tags>"));
  rc_sim_call_free(c);
  c = svct_query("iam", "Action=ListRoles&MaxItems=3");
  assert_true(svct_has(c, "<RoleName>role2</RoleName>"));
  assert_false(svct_has(c, "<RoleName>role3</RoleName>"));
  assert_true(svct_has(c, "<IsTruncated>true</IsTruncated><Marker>"));
  rc_sim_call_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_role_life, setup),
      cmocka_unit_test_setup(test_policies_and_conflict, setup),
      cmocka_unit_test_setup(test_tags_list, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
