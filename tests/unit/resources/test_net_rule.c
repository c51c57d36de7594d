/* Unit tests of aws_security_group_rule and data aws_subnet through the
 * transport seam with recorded EC2 answers: the provider's sgrule- id
 * (expected values computed with Go's algorithm: crc32.ChecksumIEEE of the
 * provider's key string, reproduced with Python's zlib.crc32), protocol and
 * CIDR normalisation when matching, one batched refresh, the Duplicate
 * adoption, import id parsing, the data source's filters and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

extern const struct rc_resource_type rc_rt_security_group_rule, rc_ds_subnet;

/* --- the seam: per Action a canned answer and status; requests recorded --- */
struct fake {
  const char *action[4], *answer[4];
  int status[4]; /* 0: 200 */
  char *requests[16];
  int n;
};

static void fake_fn(void *ud, const struct rc_aws_http_req *req, struct rc_aws_http_resp *resp)
{
  struct fake *f = ud;
  char *body = rc_strndup(req->body ? req->body : "", req->body_len);
  if (f->n < 16) f->requests[f->n++] = rc_strdup(body);
  const char *ans = NULL;
  int status = 200;
  for (int i = 0; i < 4 && f->action[i]; i++) {
    char want[96];
    snprintf(want, sizeof want, "Action=%s&", f->action[i]);
    if (strstr(body, want)) {
      ans = f->answer[i];
      status = f->status[i] ? f->status[i] : 200;
    }
  }
  rc_free(body);
  if (!ans) {
    ans = "<Response><Errors><Error><Code>InvalidAction</Code><Message>x</Message></Error></Errors></Response>";
    status = 400;
  }
  resp->status = status;
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

static struct rc_value *json(const char *j)
{
  struct rc_value *v = rc_value_parse_json(j, strlen(j), NULL);
  assert_non_null(v);
  return v;
}

static int count_action(const struct fake *f, const char *action)
{
  char want[96];
  snprintf(want, sizeof want, "Action=%s&", action);
  int n = 0;
  for (int i = 0; i < f->n; i++) n += strstr(f->requests[i], want) != NULL;
  return n;
}

#define RULE(id, grp, egress, proto, from, to, peer)                                           \
  "<item><securityGroupRuleId>" id "</securityGroupRuleId><groupId>" grp "</groupId>"         \
  "<groupOwnerId>123456789012</groupOwnerId><isEgress>" egress "</isEgress>"                   \
  "<ipProtocol>" proto "</ipProtocol><fromPort>" from "</fromPort><toPort>" to "</toPort>" peer \
  "<tagSet/></item>"

static const char rules_xml[] =
    "<DescribeSecurityGroupRulesResponse><requestId>r</requestId><securityGroupRuleSet>"
    RULE("sgr-1", "sg-123", "false", "tcp", "80", "80", "<cidrIpv4>10.0.0.0/8</cidrIpv4><description>lan</description>")
    RULE("sgr-2", "sg-0123abcd", "false", "tcp", "3000", "3000",
         "<referencedGroupInfo><groupId>sg-0fedcba9</groupId><userId>123456789012</userId></referencedGroupInfo>")
    RULE("sgr-3", "sg-123", "true", "-1", "-1", "-1", "<cidrIpv4>0.0.0.0/0</cidrIpv4>")
    RULE("sgr-4", "sg-123", "false", "tcp", "443", "443", "<cidrIpv4>10.0.0.0/8</cidrIpv4>")
    RULE("sgr-5", "sg-123", "false", "tcp", "443", "443", "<cidrIpv4>192.168.0.0/16</cidrIpv4>")
    "</securityGroupRuleSet></DescribeSecurityGroupRulesResponse>";

static void test_net_rule__id_is_the_providers_and_refresh_is_one_call(void **state)
{
  (void)state;
  struct fake f = {.action = {"DescribeSecurityGroupRules"}, .answer = {rules_xml}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_security_group_rule.a", .region = "us-east-1"};
  struct rc_value *priors[] = {
      /* protocol given as a number: normalised to tcp */
      json("{\"type\":\"ingress\",\"security_group_id\":\"sg-123\",\"protocol\":\"6\",\"from_port\":80,"
           "\"to_port\":80,\"cidr_blocks\":[\"10.0.0.0/8\"],\"self\":false}"),
      json("{\"type\":\"ingress\",\"security_group_id\":\"sg-0123abcd\",\"protocol\":\"tcp\",\"from_port\":3000,"
           "\"to_port\":3000,\"source_security_group_id\":\"sg-0fedcba9\",\"self\":false}"),
      /* all protocols: ports are neither sent nor compared, kept as configured */
      json("{\"type\":\"egress\",\"security_group_id\":\"sg-123\",\"protocol\":\"ALL\",\"from_port\":0,"
           "\"to_port\":65535,\"cidr_blocks\":[\"0.0.0.0/0\"],\"self\":false}"),
      /* two peers, given out of order: the id sorts them */
      json("{\"type\":\"ingress\",\"security_group_id\":\"sg-123\",\"protocol\":\"tcp\",\"from_port\":443,"
           "\"to_port\":443,\"cidr_blocks\":[\"192.168.0.0/16\",\"10.0.0.0/8\"],\"self\":false}"),
      /* not there: the same tuple as an egress rule */
      json("{\"type\":\"egress\",\"security_group_id\":\"sg-123\",\"protocol\":\"tcp\",\"from_port\":80,"
           "\"to_port\":80,\"cidr_blocks\":[\"10.0.0.0/8\"],\"self\":false}"),
      /* not there: its group has no rules (or is gone) */
      json("{\"type\":\"ingress\",\"security_group_id\":\"sg-gone\",\"protocol\":\"tcp\",\"from_port\":80,"
           "\"to_port\":80,\"cidr_blocks\":[\"10.0.0.0/8\"],\"self\":false}"),
  };
  enum { N = sizeof priors / sizeof *priors };
  struct rc_read_item items[N];
  memset(items, 0, sizeof items);
  for (size_t i = 0; i < N; i++) {
    items[i].address = "aws_security_group_rule.x";
    items[i].id = "sgrule-1";
    items[i].prior = priors[i];
  }
  assert_int_equal(rc_rt_security_group_rule.read_many(&ctx, items, N), RC_OK);
  assert_int_equal(f.n, 1); /* one call, every group as a value of one filter */
  assert_non_null(strstr(f.requests[0], "Filter.1.Name=group-id"));
  assert_non_null(strstr(f.requests[0], "Filter.1.Value.1=sg-123"));
  assert_non_null(strstr(f.requests[0], "Filter.1.Value.2=sg-0123abcd"));
  assert_non_null(strstr(f.requests[0], "Filter.1.Value.3=sg-gone"));
  assert_null(strstr(f.requests[0], "Filter.1.Value.4"));
  for (size_t i = 0; i < N; i++) assert_int_equal(items[i].status, RC_OK);

  const struct rc_value *o = items[0].out;
  assert_non_null(o);
  /* zlib.crc32(b"sg-123-80-80-tcp-ingress-10.0.0.0/8-") */
  assert_string_equal(rc_res_str(o, "id"), "sgrule-3536154221");
  assert_string_equal(rc_res_str(o, "protocol"), "tcp");
  assert_string_equal(rc_res_str(o, "description"), "lan");
  assert_string_equal(rc_res_str(o, "security_group_rule_id"), "sgr-1");
  assert_null(rc_value_str(rc_value_get(o, "source_security_group_id")));
  assert_int_equal(rc_res_int(o, "from_port", 0), 80);

  o = items[1].out; /* zlib.crc32(b"sg-0123abcd-3000-3000-tcp-ingress-sg-0fedcba9--") */
  assert_non_null(o);
  assert_string_equal(rc_res_str(o, "id"), "sgrule-4221359076");
  assert_string_equal(rc_res_str(o, "source_security_group_id"), "sg-0fedcba9");
  assert_string_equal(rc_res_str(o, "security_group_rule_id"), "sgr-2");
  assert_null(rc_value_str(rc_value_get(o, "description")));

  o = items[2].out; /* zlib.crc32(b"sg-123--1-egress-0.0.0.0/0-") */
  assert_non_null(o);
  assert_string_equal(rc_res_str(o, "id"), "sgrule-1994983311");
  assert_string_equal(rc_res_str(o, "protocol"), "-1");
  assert_int_equal(rc_res_int(o, "to_port", 0), 65535);

  o = items[3].out; /* zlib.crc32(b"sg-123-443-443-tcp-ingress-10.0.0.0/8-192.168.0.0/16-") */
  assert_non_null(o);
  assert_string_equal(rc_res_str(o, "id"), "sgrule-415669728");
  assert_null(rc_value_str(rc_value_get(o, "security_group_rule_id"))); /* several AWS rules */
  assert_int_equal(rc_value_len(rc_value_get(o, "cidr_blocks")), 2);

  assert_null(items[4].out);
  assert_null(items[5].out);
  for (size_t i = 0; i < N; i++) {
    rc_value_decref(items[i].out);
    rc_value_decref(priors[i]);
  }
  rc_aws_client_free(c);
  fake_free(&f);
}

static const char dup_xml[] =
    "<Response><Errors><Error><Code>InvalidPermission.Duplicate</Code><Message>the specified rule "
    "\"peer: 10.0.0.0/8, TCP, from port: 80, to port: 80, ALLOW\" already exists</Message></Error>"
    "</Errors><RequestID>r</RequestID></Response>";
static const char ok_xml[] = "<ModifySecurityGroupRulesResponse><return>true</return></ModifySecurityGroupRulesResponse>";

static void test_net_rule__duplicate_create_adopts(void **state)
{
  (void)state;
  struct fake f = {.action = {"AuthorizeSecurityGroupIngress", "DescribeSecurityGroupRules",
                              "ModifySecurityGroupRules"},
                   .answer = {dup_xml, rules_xml, ok_xml},
                   .status = {400, 0, 0}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_security_group_rule.a", .region = "us-east-1"};
  struct rc_value *cfg = json("{\"type\":\"ingress\",\"security_group_id\":\"sg-123\",\"protocol\":\"tcp\","
                              "\"from_port\":80,\"to_port\":80,\"cidr_blocks\":[\"10.0.0.0/8\"],"
                              "\"self\":false,\"description\":\"lan\"}");
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_rt_security_group_rule.create(&ctx, cfg, &out, &err), RC_OK);
  assert_non_null(out);
  assert_string_equal(rc_res_str(out, "id"), "sgrule-3536154221");
  assert_non_null(strstr(f.requests[0], "IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F8"));
  assert_non_null(strstr(f.requests[0], "IpPermissions.1.IpRanges.1.Description=lan"));
  assert_non_null(strstr(f.requests[0], "IpPermissions.1.FromPort=80"));
  assert_int_equal(count_action(&f, "AuthorizeSecurityGroupIngress"), 1); /* nothing missing */
  assert_int_equal(count_action(&f, "ModifySecurityGroupRules"), 0);      /* same description */
  rc_value_decref(out);
  rc_value_decref(cfg);

  /* a description that differs is brought to the configured one */
  cfg = json("{\"type\":\"ingress\",\"security_group_id\":\"sg-123\",\"protocol\":\"tcp\","
             "\"from_port\":80,\"to_port\":80,\"cidr_blocks\":[\"10.0.0.0/8\"],"
             "\"self\":false,\"description\":\"office\"}");
  int before = f.n;
  err = (struct rc_error){0};
  out = NULL;
  /* the fake keeps answering "lan": the read-back sees the old description */
  assert_int_equal(rc_rt_security_group_rule.create(&ctx, cfg, &out, &err), RC_OK);
  int modify_at = -1;
  for (int i = before; i < f.n; i++)
    if (strstr(f.requests[i], "Action=ModifySecurityGroupRules&")) modify_at = i;
  assert_true(modify_at >= 0);
  assert_non_null(strstr(f.requests[modify_at], "SecurityGroupRule.1.SecurityGroupRuleId=sgr-1"));
  assert_non_null(strstr(f.requests[modify_at], "SecurityGroupRule.1.SecurityGroupRule.Description=office"));
  assert_non_null(strstr(f.requests[modify_at], "SecurityGroupRule.1.SecurityGroupRule.CidrIpv4=10.0.0.0%2F8"));
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_aws_client_free(c);
  fake_free(&f);
}

static void test_net_rule__create_validates_like_the_provider(void **state)
{
  (void)state;
  struct fake f = {0};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_security_group_rule.a", .region = "us-east-1"};
  static const struct {
    const char *cfg, *msg;
  } cases[] = {
      {"{\"type\":\"ingress\",\"security_group_id\":\"sg-1\",\"protocol\":\"tcp\",\"from_port\":1,\"to_port\":1}",
       "must be set to create an AWS Security Group Rule"},
      {"{\"type\":\"inbound\",\"security_group_id\":\"sg-1\",\"protocol\":\"tcp\",\"from_port\":1,\"to_port\":1,"
       "\"cidr_blocks\":[\"10.0.0.0/8\"]}",
       "expected type to be one of"},
      {"{\"type\":\"ingress\",\"security_group_id\":\"sg-1\",\"protocol\":\"tcp\",\"from_port\":1,\"to_port\":1,"
       "\"cidr_blocks\":[\"10.0.0.0/8\"],\"self\":true}",
       "'self': conflicts with 'cidr_blocks'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct rc_value *cfg = json(cases[i].cfg), *out = NULL;
    struct rc_error err = {0};
    assert_int_equal(rc_rt_security_group_rule.create(&ctx, cfg, &out, &err), RC_USAGE);
    assert_null(out);
    if (!strstr(err.msg, cases[i].msg)) fail_msg("%s: %s", cases[i].cfg, err.msg);
    rc_value_decref(cfg);
  }
  assert_int_equal(f.n, 0); /* refused before any call */
  rc_aws_client_free(c);
  fake_free(&f);
}

static void test_net_rule__import_id(void **state)
{
  (void)state;
  struct fake f = {.action = {"DescribeSecurityGroupRules"}, .answer = {rules_xml}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "aws_security_group_rule.a", .region = "us-east-1"};
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_rt_security_group_rule.import(&ctx, "sg-123_ingress_tcp_443_443_192.168.0.0/16_10.0.0.0/8",
                                                    &out, &err), RC_OK);
  assert_string_equal(rc_res_str(out, "id"), "sgrule-415669728");
  assert_string_equal(rc_res_str(out, "type"), "ingress");
  assert_int_equal(rc_value_len(rc_value_get(out, "cidr_blocks")), 2);
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_rt_security_group_rule.import(&ctx, "sg-0123abcd_ingress_6_3000_3000_sg-0fedcba9",
                                                    &out, &err), RC_OK);
  assert_string_equal(rc_res_str(out, "id"), "sgrule-4221359076");
  assert_string_equal(rc_res_str(out, "protocol"), "tcp");
  assert_string_equal(rc_res_str(out, "source_security_group_id"), "sg-0fedcba9");
  rc_value_decref(out);
  out = NULL;
  assert_int_equal(rc_rt_security_group_rule.import(&ctx, "sg-123_egress_all_0_0_0.0.0.0/0", &out, &err), RC_OK);
  assert_string_equal(rc_res_str(out, "id"), "sgrule-1994983311");
  rc_value_decref(out);
  out = NULL;
  /* a tuple that is not there */
  assert_int_equal(rc_rt_security_group_rule.import(&ctx, "sg-123_ingress_tcp_22_22_10.0.0.0/8", &out, &err),
                   RC_NOT_FOUND);
  assert_null(out);
  int calls = f.n;
  static const struct {
    const char *id, *why;
  } bad[] = {{"sg-123_ingress_tcp_80", "too few parts"},
             {"i-123_ingress_tcp_80_80_10.0.0.0/8", "invalid Security Group ID"},
             {"sg-123_inbound_tcp_80_80_10.0.0.0/8", "expecting 'ingress' or 'egress'"},
             {"sg-123_ingress_foo_80_80_10.0.0.0/8", "protocol must be"},
             {"sg-123_ingress_tcp_90_80_10.0.0.0/8", "to_port lower than from_port"},
             {"sg-123_ingress_icmp_300_0_10.0.0.0/8", "invalid icmp type"},
             {"sg-123_ingress_tcp_80_80_nowhere", "source must be cidr"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    struct rc_error e = {0};
    assert_int_equal(rc_rt_security_group_rule.import(&ctx, bad[i].id, &out, &e), RC_USAGE);
    if (!strstr(e.msg, bad[i].why) || !strstr(e.msg, "SECURITYGROUPID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE"))
      fail_msg("%s: %s", bad[i].id, e.msg);
  }
  assert_int_equal(f.n, calls); /* parsed without asking AWS */
  rc_aws_client_free(c);
  fake_free(&f);
}

static void test_net_rule__schema_like_the_provider(void **state)
{
  (void)state;
  const struct rc_attr *s = rc_rt_security_group_rule.schema;
  static const char *const forcing[] = {"type", "security_group_id", "from_port", "to_port", "protocol",
                                        "cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids",
                                        "source_security_group_id", "self"};
  for (size_t i = 0; i < sizeof forcing / sizeof *forcing; i++) {
    const struct rc_attr *a = rc_schema_attr(s, forcing[i]);
    assert_non_null(a);
    assert_true(a->flags & RC_A_FORCE_NEW);
    assert_true(a->flags & (RC_A_REQUIRED | RC_A_OPTIONAL));
  }
  assert_false(rc_schema_attr(s, "description")->flags & RC_A_FORCE_NEW);
  assert_true(rc_schema_attr(s, "security_group_rule_id")->flags & RC_A_COMPUTED);
  assert_null(rc_schema_attr(s, "tags")); /* untaggable: found by its tuple */
  assert_non_null(rc_schema_attr(s, "protocol")->normalise);
  assert_false(rc_rt_security_group_rule.flags & RC_RT_TAGGABLE);
  assert_ptr_equal(rc_resource_lookup("aws_security_group_rule", false), &rc_rt_security_group_rule);
  assert_ptr_equal(rc_resource_lookup("aws_subnet", true), &rc_ds_subnet);
}

static const char subnet_item[] =
    "<item><subnetId>subnet-1</subnetId><subnetArn>arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1</subnetArn>"
    "<state>available</state><ownerId>123456789012</ownerId><vpcId>vpc-1</vpcId>"
    "<cidrBlock>10.0.1.0/24</cidrBlock><availableIpAddressCount>251</availableIpAddressCount>"
    "<ipv6CidrBlockAssociationSet/><availabilityZone>us-east-1a</availabilityZone>"
    "<availabilityZoneId>use1-az1</availabilityZoneId><defaultForAz>false</defaultForAz>"
    "<mapPublicIpOnLaunch>true</mapPublicIpOnLaunch>"
    "<tagSet><item><key>Tier</key><value>private</value></item><item><key>recon:stack</key><value>s</value></item></tagSet>"
    "<privateDnsNameOptionsOnLaunch><hostnameType>ip-name</hostnameType>"
    "<enableResourceNameDnsARecord>false</enableResourceNameDnsARecord></privateDnsNameOptionsOnLaunch></item>";

static void test_net_rule__data_subnet(void **state)
{
  (void)state;
  char one[2048], two[4096];
  snprintf(one, sizeof one, "<DescribeSubnetsResponse><subnetSet>%s</subnetSet></DescribeSubnetsResponse>", subnet_item);
  snprintf(two, sizeof two, "<DescribeSubnetsResponse><subnetSet>%s%s</subnetSet></DescribeSubnetsResponse>",
           subnet_item, subnet_item);
  static const char none[] = "<DescribeSubnetsResponse><subnetSet/></DescribeSubnetsResponse>";
  struct fake f = {.action = {"DescribeSubnets"}, .answer = {one}};
  struct rc_aws_client *c = fake_client(&f);
  struct rc_rctx ctx = {.aws = c, .stack = "s", .address = "data.aws_subnet.a", .region = "us-east-1"};
  struct rc_value *cfg = json("{\"vpc_id\":\"vpc-1\",\"default_for_az\":false,\"tags\":{\"Tier\":\"private\"},"
                              "\"filter\":[{\"name\":\"cidr-block\",\"values\":[\"10.0.1.0/24\"]}]}");
  struct rc_value *out = NULL;
  struct rc_error err = {0};
  assert_int_equal(rc_ds_subnet.read(&ctx, cfg, &out, &err), RC_OK);
  assert_int_equal(f.n, 1);
  assert_non_null(strstr(f.requests[0], "Filter.1.Name=vpc-id"));
  assert_non_null(strstr(f.requests[0], "Filter.3.Name=tag%3ATier"));
  assert_non_null(strstr(f.requests[0], "Filter.2.Name=cidr-block"));
  assert_null(strstr(f.requests[0], "defaultForAz")); /* false does not filter */
  assert_string_equal(rc_res_str(out, "id"), "subnet-1");
  assert_string_equal(rc_res_str(out, "availability_zone_id"), "use1-az1");
  assert_string_equal(rc_res_str(out, "state"), "available");
  assert_int_equal(rc_res_int(out, "available_ip_address_count", 0), 251);
  assert_true(rc_value_bool_get(rc_value_get(out, "map_public_ip_on_launch")));
  assert_false(rc_value_bool_get(rc_value_get(out, "default_for_az")));
  assert_string_equal(rc_res_str(out, "private_dns_hostname_type_on_launch"), "ip-name");
  assert_string_equal(rc_res_str(rc_value_get(out, "tags"), "Tier"), "private");
  assert_null(rc_value_get(rc_value_get(out, "tags"), "recon:stack"));
  for (const struct rc_attr *a = rc_ds_subnet.schema; a->name; a++)
    if (!rc_value_get(out, a->name)) fail_msg("attribute %s missing", a->name);
  rc_value_decref(out);
  rc_value_decref(cfg);

  struct rc_value *byid = json("{\"id\":\"subnet-1\",\"default_for_az\":true}");
  f.answer[0] = two;
  out = NULL;
  err = (struct rc_error){0};
  assert_int_not_equal(rc_ds_subnet.read(&ctx, byid, &out, &err), RC_OK);
  assert_null(out);
  assert_string_equal(err.msg, "multiple EC2 Subnets matched; use additional constraints to reduce "
                               "matches to a single EC2 Subnet");
  assert_non_null(strstr(f.requests[1], "SubnetId.1=subnet-1"));
  assert_non_null(strstr(f.requests[1], "Filter.1.Name=defaultForAz&Filter.1.Value.1=true"));
  f.answer[0] = none;
  err = (struct rc_error){0};
  assert_int_equal(rc_ds_subnet.read(&ctx, byid, &out, &err), RC_NOT_FOUND);
  assert_string_equal(err.msg, "no matching EC2 Subnet found");
  rc_value_decref(byid);
  rc_aws_client_free(c);
  fake_free(&f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_net_rule__id_is_the_providers_and_refresh_is_one_call),
      cmocka_unit_test(test_net_rule__duplicate_create_adopts),
      cmocka_unit_test(test_net_rule__create_validates_like_the_provider),
      cmocka_unit_test(test_net_rule__import_id),
      cmocka_unit_test(test_net_rule__schema_like_the_provider),
      cmocka_unit_test(test_net_rule__data_subnet),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
