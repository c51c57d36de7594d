/* Unit tests of the network resource types: normalisers, the provider's
 * route id, and request building / answer parsing through the transport
 * seam with recorded EC2 answers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

extern const struct rc_resource_type rc_rt_subnet, rc_rt_security_group, rc_rt_route,
    rc_rt_nat_gateway;

static void norm(struct rc_value *(*fn)(const struct rc_value *), const char *in, const char *want)
{
  struct rc_value *v = rc_value_string(in), *n = fn(v);
  assert_non_null(n);
  assert_string_equal(rc_value_str(n), want);
  rc_value_decref(v);
  rc_value_decref(n);
}

static void test_net__normalisers(void **state)
{
  (void)state;
  norm(rc_ec2u_norm_cidr, "10.0.0.1/16", "10.0.0.0/16");
  norm(rc_ec2u_norm_cidr, "0.0.0.0/0", "0.0.0.0/0");
  norm(rc_ec2u_norm_cidr, "2001:DB8:0:0::1/64", "2001:db8::/64");
  norm(rc_ec2u_norm_protocol, "6", "tcp");
  norm(rc_ec2u_norm_protocol, "ALL", "-1");
  norm(rc_ec2u_norm_protocol, "-1", "-1");
  norm(rc_ec2u_norm_protocol, "UDP", "udp");
  norm(rc_ec2u_norm_protocol, "50", "50");
  struct rc_value *num = rc_value_int(17), *n = rc_ec2u_norm_protocol(num);
  assert_string_equal(rc_value_str(n), "udp");
  rc_value_decref(num);
  rc_value_decref(n);
  struct rc_value *bad = rc_value_string("not-a-cidr");
  assert_null(rc_ec2u_norm_cidr(bad));
  rc_value_decref(bad);
}

static void test_net__route_id_is_the_providers(void **state)
{
  (void)state;
  assert_int_equal(rc_ec2u_crc32("0.0.0.0/0"), 1080289494u); /* Go hash/crc32.ChecksumIEEE */
  assert_int_equal(rc_ec2u_crc32(""), 0u);
  assert_int_equal(rc_ec2u_crc32("123456789"), 0xcbf43926u);
}

static void test_net__schemas_sane(void **state)
{
  (void)state;
  const struct rc_resource_type *rts[] = {&rc_rt_subnet, &rc_rt_security_group, &rc_rt_route,
                                          &rc_rt_nat_gateway};
  for (size_t i = 0; i < sizeof rts / sizeof *rts; i++) {
    bool has_id = false;
    for (const struct rc_attr *a = rts[i]->schema; a->name; a++) {
      if (strcmp(a->name, "id") == 0) has_id = true;
      if (a->flags & RC_A_FORCE_NEW) /* a forcing attribute must be settable */
        assert_true(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL));
      if (a->default_json) {
        struct rc_value *d = rc_value_parse_json(a->default_json, strlen(a->default_json), NULL);
        assert_non_null(d);
        rc_value_decref(d);
      }
    }
    assert_true(has_id);
  }
}

/* --- the transport seam: one canned answer per Action, requests recorded --- */
struct fake {
  const char *action[4], *answer[4];
  char *requests[16];
  int n;
};

static void fake_fn(void *ud, const struct rc_aws_http_req *req, struct rc_aws_http_resp *resp)
{
  struct fake *f = ud;
  char *body = rc_strndup(req->body ? req->body : "", req->body_len);
  if (f->n < 16) f->requests[f->n++] = rc_strdup(body);
  const char *ans = NULL;
  for (int i = 0; i < 4 && f->action[i]; i++) {
    char want[96];
    snprintf(want, sizeof want, "Action=%s&", f->action[i]);
    if (strstr(body, want)) ans = f->answer[i];
  }
  rc_free(body);
  resp->status = ans ? 200 : 400;
  if (!ans) ans = "<Response><Errors><Error><Code>InvalidAction</Code><Message>x</Message></Error></Errors></Response>";
  resp->body = rc_strdup(ans);
  resp->len = strlen(ans);
}

static struct rc_aws_client *fake_client(struct fake *f)
{
  setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  static const char ej[] = "{\"ec2\":\"http://127.0.0.1:1\"}";
  struct rc_value *eps = rc_value_parse_json(ej, strlen(ej), NULL);
  struct rc_aws_settings s = {.region = "us-east-1", .endpoints = eps, .pacing = -1};
  struct rc_aws_client *c = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_aws_client_new(&s, &c, &err), RC_OK);
  rc_value_decref(eps);
  rc_aws_client_set_transport(c, fake_fn, f);
  return c;
}

static void fake_free(struct fake *f)
{
  for (int i = 0; i < f->n; i++) rc_free(f->requests[i]);
}

static const char subnets_xml[] =
    "<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
    "<requestId>r1</requestId><subnetSet><item><subnetId>subnet-1</subnetId>"
    "<subnetArn>arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1</subnetArn>"
    "<state>available</state><ownerId>123456789012</ownerId><vpcId>vpc-1</vpcId>"
    "<cidrBlock>10.0.1.0/24</cidrBlock><ipv6CidrBlockAssociationSet/>"
    "<availabilityZone>us-east-1a</availabilityZone><availabilityZoneId>use1-az1</availabilityZoneId>"
    "<mapPublicIpOnLaunch>true</mapPublicIpOnLaunch><assignIpv6AddressOnCreation>false</assignIpv6AddressOnCreation>"
    "<tagSet><item><key>Name</key><value>a</value></item><item><key>recon:stack</key><value>s</value></item></tagSet>"
    "<privateDnsNameOptionsOnLaunch><hostnameType>ip-name</hostnameType>"
    "<enableResourceNameDnsARecord>false</enableResourceNameDnsARecord></privateDnsNameOptionsOnLaunch>"
    "</item></subnetSet></DescribeSubnetsResponse>";

static void test_net__subnet_read_many_one_call(void **state)
{
  (void)state;
  struct fake f = {.action = {"DescribeSubnets"}, .answer = {subnets_xml}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_subnet.a", .region = "us-east-1"};
  struct rc_read_item items[2] = {{.address = "aws_subnet.a", .id = "subnet-1"},
                                  {.address = "aws_subnet.b", .id = "subnet-2"}};
  assert_int_equal(rc_rt_subnet.read_many(&ctx, items, 2), RC_OK);
  assert_int_equal(f.n, 1); /* one call for both */
  assert_non_null(strstr(f.requests[0], "Filter.1.Name=subnet-id"));
  assert_non_null(strstr(f.requests[0], "Filter.1.Value.1=subnet-1"));
  assert_non_null(strstr(f.requests[0], "Filter.1.Value.2=subnet-2"));
  assert_non_null(items[0].out);
  assert_null(items[1].out); /* gone, not an error */
  assert_int_equal(items[1].status, RC_OK);
  const struct rc_value *o = items[0].out;
  assert_string_equal(rc_res_str(o, "availability_zone_id"), "use1-az1");
  assert_true(rc_value_bool_get(rc_value_get(o, "map_public_ip_on_launch")));
  assert_false(rc_value_bool_get(rc_value_get(o, "enable_dns64")));
  assert_string_equal(rc_res_str(o, "private_dns_hostname_type_on_launch"), "ip-name");
  assert_string_equal(rc_res_str(rc_value_get(o, "tags"), "Name"), "a");
  assert_null(rc_value_get(rc_value_get(o, "tags_all"), "recon:stack"));
  rc_value_decref(items[0].out);
  rc_aws_client_free(c);
  fake_free(&f);
}

static const char sgs_xml[] =
    "<DescribeSecurityGroupsResponse><securityGroupInfo><item><ownerId>123456789012</ownerId>"
    "<groupId>sg-1</groupId><groupName>web</groupName><groupDescription>Managed by Terraform</groupDescription>"
    "<vpcId>vpc-1</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>80</fromPort><toPort>80</toPort>"
    "<groups><item><userId>123456789012</userId><groupId>sg-1</groupId></item></groups>"
    "<ipRanges><item><cidrIp>10.0.0.0/8</cidrIp><description>lan</description></item>"
    "<item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissions>"
    "<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item>"
    "</ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress><tagSet/></item></securityGroupInfo>"
    "</DescribeSecurityGroupsResponse>";

static void test_net__security_group_rules_parsed(void **state)
{
  (void)state;
  struct fake f = {.action = {"DescribeSecurityGroups"}, .answer = {sgs_xml}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_security_group.w", .region = "us-east-1"};
  struct rc_read_item it = {.address = "aws_security_group.w", .id = "sg-1"};
  assert_int_equal(rc_rt_security_group.read_many(&ctx, &it, 1), RC_OK);
  assert_non_null(it.out);
  const struct rc_value *in = rc_value_get(it.out, "ingress");
  /* split by description: {self, 0.0.0.0/0} without one, {10.0.0.0/8} "lan" */
  assert_int_equal(rc_value_len(in), 2);
  bool saw_lan = false, saw_self = false;
  for (size_t i = 0; i < rc_value_len(in); i++) {
    const struct rc_value *r = rc_value_index(in, i);
    assert_string_equal(rc_res_str(r, "protocol"), "tcp");
    assert_int_equal(rc_res_int(r, "from_port", 0), 80);
    const char *d = rc_res_str(r, "description");
    if (d && strcmp(d, "lan") == 0) saw_lan = true;
    if (rc_value_bool_get(rc_value_get(r, "self"))) {
      saw_self = true;
      assert_null(rc_value_str(rc_value_get(r, "security_groups")));
    }
  }
  assert_true(saw_lan && saw_self);
  const struct rc_value *eg = rc_value_index(rc_value_get(it.out, "egress"), 0);
  assert_string_equal(rc_res_str(eg, "protocol"), "-1");
  assert_int_equal(rc_res_int(eg, "to_port", 9), 0);
  assert_string_equal(rc_res_str(it.out, "arn"), "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1");
  rc_value_decref(it.out);
  rc_aws_client_free(c);
  fake_free(&f);
}

static const char nat_xml[] =
    "<CreateNatGatewayResponse><clientToken>t</clientToken><natGateway><natGatewayId>nat-1</natGatewayId>"
    "<state>pending</state></natGateway></CreateNatGatewayResponse>";
static const char nats_xml[] =
    "<DescribeNatGatewaysResponse><natGatewaySet><item><natGatewayId>nat-1</natGatewayId>"
    "<state>failed</state><failureCode>Gateway.NotAttached</failureCode>"
    "<failureMessage>Network vpc-1 has no Internet gateway attached</failureMessage>"
    "<subnetId>subnet-1</subnetId><natGatewayAddressSet/></item></natGatewaySet></DescribeNatGatewaysResponse>";

static void test_net__nat_token_and_failure(void **state)
{
  (void)state;
  struct fake f = {.action = {"CreateNatGateway", "DescribeNatGateways"}, .answer = {nat_xml, nats_xml}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_nat_gateway.n", .region = "us-east-1",
                        .idempotency_seed = "plan-1"};
  static const char cj[] = "{\"subnet_id\":\"subnet-1\",\"allocation_id\":\"eipalloc-1\","
                           "\"connectivity_type\":\"public\"}";
  struct rc_value *cfg = rc_value_parse_json(cj, strlen(cj), NULL);
  assert_non_null(cfg);
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  /* the failed gateway is found by the read-back (any state), then the wait reports why */
  assert_int_equal(rc_rt_nat_gateway.create(&ctx, cfg, &out, &err), RC_OK);
  assert_non_null(strstr(f.requests[0], "ClientToken="));
  char *tok = strstr(f.requests[0], "ClientToken=") + 12;
  assert_true(strcspn(tok, "&") == 64);
  struct rc_value *w = NULL;
  struct rc_error e2 = {0};
  assert_int_not_equal(rc_rt_nat_gateway.wait(&ctx, RC_WAIT_CREATE, out, &w, &e2), RC_OK);
  assert_non_null(strstr(e2.msg, "has no Internet gateway attached"));
  /* the same seed gives the same token: a retried create cannot make two */
  char a[65], b[65];
  rc_ec2u_client_token(&ctx, "x", a, 64);
  rc_ec2u_client_token(&ctx, "x", b, 64);
  assert_string_equal(a, b);
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_aws_client_free(c);
  fake_free(&f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_net__normalisers),
      cmocka_unit_test(test_net__route_id_is_the_providers),
      cmocka_unit_test(test_net__schemas_sane),
      cmocka_unit_test(test_net__subnet_read_many_one_call),
      cmocka_unit_test(test_net__security_group_rules_parsed),
      cmocka_unit_test(test_net__nat_token_and_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
