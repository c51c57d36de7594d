/* Live tests against recon-sim: aws_security_group_rule (CIDR and
 * SG-to-SG rules, the provider's id, read back equal, duplicate create
 * adopts, description in place, import by the provider's id, drift, delete)
 * and data aws_subnet (by id, by tags and filters, the provider's errors). */
#include "net_live.h"

#include "ec2util.h"

extern const struct rc_resource_type rc_rt_vpc, rc_rt_subnet, rc_rt_security_group,
    rc_rt_security_group_rule, rc_ds_subnet;

/* AWS's rules of a group in one direction, straight from the API */
static size_t aws_rules(const char *group, bool egress)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  rc_aws_param(p, "Filter.1.Name", "group-id");
  rc_aws_param(p, "Filter.1.Value.1", group);
  struct rc_error err = {0};
  live_ok(rc_aws_call_all(live_aws, "ec2", "DescribeSecurityGroupRules", p, "securityGroupRuleSet",
                          &list, &err), &err, "DescribeSecurityGroupRules");
  size_t n = 0;
  for (size_t i = 0; i < rc_value_len(list); i++) {
    const char *e = rc_aws_str(rc_value_index(list, i), "isEgress");
    n += (e && strcmp(e, "true") == 0) == egress;
  }
  rc_value_decref(list);
  rc_value_decref(p);
  return n;
}

static void expect_id(const struct rc_value *o, const char *key_string)
{
  char want[64];
  snprintf(want, sizeof want, "sgrule-%lu", (unsigned long)rc_ec2u_crc32(key_string));
  live_expect_str(o, "id", want);
}

static struct rc_value *import(const char *id)
{
  struct rc_rctx ctx = live_ctx("aws_security_group_rule.imported");
  struct rc_error err = {0};
  struct rc_value *out = NULL;
  live_ok(rc_rt_security_group_rule.import(&ctx, id, &out, &err), &err, "import");
  assert_non_null(out);
  return out;
}

static void test_res_net_rule__security_group_rule(void **state)
{
  (void)state;
  const struct rc_resource_type *rt = &rc_rt_security_group_rule;
  struct rc_value *vcfg = live_cfg(&rc_rt_vpc, "{\"cidr_block\":\"10.20.0.0/16\"}");
  struct rc_value *vpc = live_create(&rc_rt_vpc, "aws_vpc.r", vcfg);
  struct rc_value *acfg = live_cfgf(&rc_rt_security_group, "{\"name\":\"app\",\"vpc_id\":\"%s\"}", rc_res_str(vpc, "id"));
  struct rc_value *lcfg = live_cfgf(&rc_rt_security_group, "{\"name\":\"lb\",\"vpc_id\":\"%s\"}", rc_res_str(vpc, "id"));
  struct rc_value *app = live_create(&rc_rt_security_group, "aws_security_group.app", acfg);
  struct rc_value *lb = live_create(&rc_rt_security_group, "aws_security_group.lb", lcfg);
  const char *aid = rc_res_str(app, "id"), *lid = rc_res_str(lb, "id");
  live_check_created(&rc_rt_security_group, "aws_security_group.app", acfg, app, true);
  char key[256];

  /* ingress from two CIDRs */
  const char *caddr = "aws_security_group_rule.web";
  struct rc_value *ccfg = live_cfgf(rt, "{\"type\":\"ingress\",\"security_group_id\":\"%s\",\"protocol\":\"tcp\","
                                        "\"from_port\":80,\"to_port\":80,\"cidr_blocks\":[\"192.168.0.0/16\",\"10.0.0.0/8\"],"
                                        "\"description\":\"web\"}", aid);
  struct rc_value *cr = live_create(rt, caddr, ccfg);
  snprintf(key, sizeof key, "%s-80-80-tcp-ingress-10.0.0.0/8-192.168.0.0/16-", aid);
  expect_id(cr, key);
  live_expect_str(cr, "description", "web");
  live_expect_str(cr, "security_group_rule_id", NULL); /* two AWS rules */
  live_expect_bool(cr, "self", false);
  for (const struct rc_attr *a = rt->schema; a->name; a++)
    if (!rc_value_get(cr, a->name)) fail_msg("attribute %s missing", a->name);
  assert_int_equal(aws_rules(aid, false), 2);
  struct rc_value *back = live_read(rt, caddr, cr);
  live_expect_equal("read back", cr, back);
  rc_value_decref(back);
  {
    struct rc_rctx ctx = live_ctx(caddr);
    struct rc_error err = {0};
    struct rc_value *f = NULL;
    live_ok(rt->find(&ctx, ccfg, &f, &err), &err, "find");
    live_expect_equal("found", cr, f);
    rc_value_decref(f);
  }

  /* SG to SG on port 3000 */
  const char *gaddr = "aws_security_group_rule.from_lb";
  struct rc_value *gcfg = live_cfgf(rt, "{\"type\":\"ingress\",\"security_group_id\":\"%s\",\"protocol\":\"6\","
                                        "\"from_port\":3000,\"to_port\":3000,\"source_security_group_id\":\"%s\"}",
                                    aid, lid);
  struct rc_value *gr = live_create(rt, gaddr, gcfg);
  snprintf(key, sizeof key, "%s-3000-3000-tcp-ingress-%s--", aid, lid);
  expect_id(gr, key);
  live_expect_str(gr, "protocol", "tcp");
  live_expect_str(gr, "source_security_group_id", lid);
  assert_true(strncmp(rc_res_str(gr, "security_group_rule_id"), "sgr-", 4) == 0);
  back = live_read(rt, gaddr, gr);
  live_expect_equal("read back", gr, back);
  rc_value_decref(back);
  assert_int_equal(aws_rules(aid, false), 3);

  /* egress to everything, all protocols (ports not sent, kept as written) */
  const char *eaddr = "aws_security_group_rule.out";
  struct rc_value *ecfg = live_cfgf(rt, "{\"type\":\"egress\",\"security_group_id\":\"%s\",\"protocol\":\"all\","
                                        "\"from_port\":0,\"to_port\":65535,\"cidr_blocks\":[\"0.0.0.0/0\"]}", lid);
  struct rc_value *er = live_create(rt, eaddr, ecfg);
  snprintf(key, sizeof key, "%s--1-egress-0.0.0.0/0-", lid);
  expect_id(er, key);
  assert_int_equal(rc_res_int(er, "to_port", 0), 65535);
  back = live_read(rt, eaddr, er);
  live_expect_equal("read back", er, back);
  rc_value_decref(back);

  /* a second create of the same tuple (a crashed apply, a hand-made rule) adopts it */
  {
    struct rc_value *again = live_create(rt, "aws_security_group_rule.web_again", ccfg);
    live_expect_equal("adopted", cr, again);
    rc_value_decref(again);
    assert_int_equal(aws_rules(aid, false), 3);
  }

  /* description in place: same id, same AWS rules */
  struct rc_value *ccfg2 = live_cfgf(rt, "{\"type\":\"ingress\",\"security_group_id\":\"%s\",\"protocol\":\"tcp\","
                                         "\"from_port\":80,\"to_port\":80,\"cidr_blocks\":[\"192.168.0.0/16\",\"10.0.0.0/8\"],"
                                         "\"description\":\"web traffic\"}", aid);
  struct rc_value *cr2 = live_update(rt, caddr, cr, ccfg2);
  live_expect_str(cr2, "id", rc_res_str(cr, "id"));
  live_expect_str(cr2, "description", "web traffic");
  assert_int_equal(aws_rules(aid, false), 3);

  /* import by the provider's id form: the same state as the apply made */
  snprintf(key, sizeof key, "%s_ingress_tcp_80_80_192.168.0.0/16_10.0.0.0/8", aid);
  struct rc_value *imp = import(key);
  live_expect_equal("imported", cr2, imp);
  rc_value_decref(imp);
  snprintf(key, sizeof key, "%s_ingress_tcp_3000_3000_%s", aid, lid);
  imp = import(key);
  live_expect_str(imp, "id", rc_res_str(gr, "id"));
  live_expect_str(imp, "security_group_rule_id", rc_res_str(gr, "security_group_rule_id"));
  rc_value_decref(imp);
  {
    struct rc_rctx ctx = live_ctx("aws_security_group_rule.imported");
    struct rc_error err = {0};
    struct rc_value *none = NULL;
    snprintf(key, sizeof key, "%s_ingress_tcp_22_22_10.0.0.0/8", aid);
    assert_int_equal(rt->import(&ctx, key, &none, &err), RC_NOT_FOUND);
    assert_null(none);
  }

  /* refresh of three rules in two groups: one call */
  {
    struct rc_aws_settings st = {.region = "us-east-1", .pacing = -1};
    struct rc_aws_client *aws = NULL;
    struct rc_error err = {0};
    live_ok(rc_aws_client_new(&st, &aws, &err), &err, "client");
    struct rc_rctx ctx = live_ctx("refresh");
    ctx.aws = aws;
    const struct rc_value *prior[] = {cr2, gr, er};
    struct rc_read_item items[3] = {{0}};
    for (size_t i = 0; i < 3; i++) {
      items[i].address = "aws_security_group_rule.x";
      items[i].id = rc_res_str(prior[i], "id");
      items[i].prior = prior[i];
    }
    live_ok(rt->read_many(&ctx, items, 3), &items[0].err, "refresh");
    for (size_t i = 0; i < 3; i++) {
      live_expect_equal("refreshed", prior[i], items[i].out);
      rc_value_decref(items[i].out);
    }
    struct rc_value *counts = rc_aws_client_counts(aws);
    char *dump = rc_value_dump_json(counts);
    fprintf(stderr, "refresh of 3 aws_security_group_rule in 2 groups: %s\n", dump);
    rc_free(dump);
    const struct rc_value *c = rc_value_get(counts, "ec2.DescribeSecurityGroupRules");
    assert_non_null(c);
    assert_int_equal(rc_value_int_get(c), 1);
    rc_value_decref(counts);
    rc_aws_client_free(aws);
  }

  /* drift: revoked behind recon's back → read says gone (the plan re-creates it) */
  char g[96], r[96];
  snprintf(g, sizeof g, "GroupId=%s", aid);
  snprintf(r, sizeof r, "SecurityGroupRuleId.1=%s", rc_res_str(gr, "security_group_rule_id"));
  live_ec2("RevokeSecurityGroupIngress", g, r, NULL);
  assert_null(live_read(rt, gaddr, gr));
  /* one of two CIDRs revoked: the resource is gone as a whole */
  live_ec2("RevokeSecurityGroupIngress", g, "IpPermissions.1.IpProtocol=tcp", "IpPermissions.1.FromPort=80",
           "IpPermissions.1.ToPort=80", "IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/8", NULL);
  assert_null(live_read(rt, caddr, cr2));
  assert_int_equal(aws_rules(aid, false), 1);

  /* delete: already gone is success; a half-gone rule loses its other half */
  live_delete(rt, eaddr, er);
  assert_int_equal(aws_rules(lid, true), 0);
  live_delete(rt, gaddr, gr);
  live_delete(rt, caddr, cr2);
  assert_int_equal(aws_rules(aid, false), 0);
  live_delete(&rc_rt_security_group, "aws_security_group.app", app);
  live_delete(&rc_rt_security_group, "aws_security_group.lb", lb);
  live_delete(&rc_rt_vpc, "aws_vpc.r", vpc);
  struct rc_value *all[] = {vcfg, vpc, acfg, lcfg, app, lb, ccfg, cr, gcfg, gr, er, ecfg, ccfg2, cr2};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rc_value_decref(all[i]);
}

static struct rc_value *ds_read(const char *json, rc_status want, const char *want_msg)
{
  struct rc_rctx ctx = live_ctx("data.aws_subnet.x");
  struct rc_error err = {0};
  struct rc_value *cfg = live_cfg(&rc_ds_subnet, json), *out = NULL;
  rc_status st = rc_ds_subnet.read(&ctx, cfg, &out, &err);
  rc_value_decref(cfg);
  if (want == RC_OK) {
    live_ok(st, &err, json);
    assert_non_null(out);
    for (const struct rc_attr *a = rc_ds_subnet.schema; a->name; a++)
      if (!rc_value_get(out, a->name)) fail_msg("attribute %s missing", a->name);
    return out;
  }
  assert_int_equal(st, want);
  assert_null(out);
  if (strcmp(err.msg, want_msg) != 0) fail_msg("%s: %s", json, err.msg);
  return NULL;
}

static void test_res_net_rule__data_subnet(void **state)
{
  (void)state;
  struct rc_value *vcfg = live_cfg(&rc_rt_vpc, "{\"cidr_block\":\"10.21.0.0/16\"}");
  struct rc_value *vpc = live_create(&rc_rt_vpc, "aws_vpc.d", vcfg);
  const char *vid = rc_res_str(vpc, "id");
  struct rc_value *s1c = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.21.1.0/24\",\"availability_zone\":"
                                                  "\"us-east-1a\",\"map_public_ip_on_launch\":true,\"tags\":{\"Tier\":\"public\"}}", vid);
  struct rc_value *s2c = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.21.2.0/24\",\"availability_zone\":"
                                                  "\"us-east-1b\",\"tags\":{\"Tier\":\"private\"}}", vid);
  struct rc_value *s1 = live_create(&rc_rt_subnet, "aws_subnet.pub", s1c);
  struct rc_value *s2 = live_create(&rc_rt_subnet, "aws_subnet.priv", s2c);
  char json[512];

  /* by id: the same attributes the resource has */
  snprintf(json, sizeof json, "{\"id\":\"%s\"}", rc_res_str(s1, "id"));
  struct rc_value *d = ds_read(json, RC_OK, NULL);
  static const char *const same[] = {"id", "arn", "availability_zone", "availability_zone_id", "cidr_block",
                                     "vpc_id", "owner_id", "map_public_ip_on_launch", "ipv6_native",
                                     "enable_dns64", "private_dns_hostname_type_on_launch", "tags"};
  for (size_t i = 0; i < sizeof same / sizeof *same; i++)
    live_expect_equal(same[i], rc_value_get(s1, same[i]), rc_value_get(d, same[i]));
  live_expect_str(d, "state", "available");
  live_expect_bool(d, "default_for_az", false);
  assert_true(rc_res_int(d, "available_ip_address_count", 0) > 0);
  rc_value_decref(d);

  /* by tags and a filter block */
  snprintf(json, sizeof json, "{\"tags\":{\"Tier\":\"private\"},\"filter\":[{\"name\":\"vpc-id\",\"values\":[\"%s\"]}]}", vid);
  d = ds_read(json, RC_OK, NULL);
  live_expect_str(d, "id", rc_res_str(s2, "id"));
  live_expect_str(d, "availability_zone", "us-east-1b");
  rc_value_decref(d);
  /* by the provider's attribute filters */
  snprintf(json, sizeof json, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.21.1.0/24\"}", vid);
  d = ds_read(json, RC_OK, NULL);
  live_expect_str(d, "id", rc_res_str(s1, "id"));
  rc_value_decref(d);
  snprintf(json, sizeof json, "{\"vpc_id\":\"%s\",\"availability_zone\":\"us-east-1b\"}", vid);
  d = ds_read(json, RC_OK, NULL);
  live_expect_str(d, "id", rc_res_str(s2, "id"));
  rc_value_decref(d);

  /* the provider's errors */
  snprintf(json, sizeof json, "{\"vpc_id\":\"%s\"}", vid);
  ds_read(json, RC_CONFLICT, "multiple EC2 Subnets matched; use additional constraints to reduce matches to a "
                             "single EC2 Subnet");
  ds_read("{\"tags\":{\"Tier\":\"nowhere\"}}", RC_NOT_FOUND, "no matching EC2 Subnet found");
  ds_read("{\"id\":\"subnet-0000000000000dead\"}", RC_NOT_FOUND, "no matching EC2 Subnet found");

  live_delete(&rc_rt_subnet, "aws_subnet.pub", s1);
  live_delete(&rc_rt_subnet, "aws_subnet.priv", s2);
  live_delete(&rc_rt_vpc, "aws_vpc.d", vpc);
  struct rc_value *all[] = {vcfg, vpc, s1c, s2c, s1, s2};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rc_value_decref(all[i]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_net_rule__security_group_rule),
      cmocka_unit_test(test_res_net_rule__data_subnet),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
