/* Live tests against recon-sim: aws_vpc_security_group_ingress_rule /
 * egress_rule, the network data sources, and the number of calls a
 * refresh of a small network makes (printed, and bounded). */
#include "net_live.h"

extern const struct rc_resource_type rc_rt_vpc, rc_rt_subnet, rc_rt_internet_gateway,
    rc_rt_route_table, rc_rt_security_group, rc_rt_vpc_security_group_ingress_rule,
    rc_rt_vpc_security_group_egress_rule, rc_ds_availability_zones, rc_ds_region,
    rc_ds_caller_identity, rc_ds_vpc, rc_ds_subnets;

static void test_res_net_more__sg_rules(void **state)
{
  (void)state;
  struct rc_value *vcfg = live_cfg(&rc_rt_vpc, "{\"cidr_block\":\"10.7.0.0/16\"}");
  struct rc_value *vpc = live_create(&rc_rt_vpc, "aws_vpc.x", vcfg);
  struct rc_value *gcfg = live_cfgf(&rc_rt_security_group, "{\"name\":\"x\",\"vpc_id\":\"%s\"}",
                                    rc_res_str(vpc, "id"));
  struct rc_value *sg = live_create(&rc_rt_security_group, "aws_security_group.x", gcfg);
  const char *gid = rc_res_str(sg, "id");

  const char *iaddr = "aws_vpc_security_group_ingress_rule.https";
  struct rc_value *icfg = live_cfgf(&rc_rt_vpc_security_group_ingress_rule,
                                    "{\"security_group_id\":\"%s\",\"ip_protocol\":\"tcp\",\"from_port\":443,"
                                    "\"to_port\":443,\"cidr_ipv4\":\"0.0.0.0/0\",\"description\":\"https\","
                                    "\"tags\":{\"Name\":\"https\"}}", gid);
  struct rc_value *in = live_create(&rc_rt_vpc_security_group_ingress_rule, iaddr, icfg);
  assert_true(strncmp(rc_res_str(in, "id"), "sgr-", 4) == 0);
  live_expect_str(in, "ip_protocol", "tcp");
  assert_int_equal(rc_res_int(in, "from_port", 0), 443);
  live_expect_str(in, "cidr_ipv4", "0.0.0.0/0");
  live_check_created(&rc_rt_vpc_security_group_ingress_rule, iaddr, icfg, in, true);
  /* in place: the port and the description */
  struct rc_value *icfg2 = live_cfgf(&rc_rt_vpc_security_group_ingress_rule,
                                     "{\"security_group_id\":\"%s\",\"ip_protocol\":\"tcp\",\"from_port\":8443,"
                                     "\"to_port\":8443,\"cidr_ipv4\":\"0.0.0.0/0\",\"description\":\"alt\","
                                     "\"tags\":{\"Name\":\"https\"}}", gid);
  struct rc_value *in2 = live_update(&rc_rt_vpc_security_group_ingress_rule, iaddr, in, icfg2);
  assert_string_equal(rc_res_str(in2, "id"), rc_res_str(in, "id"));
  assert_int_equal(rc_res_int(in2, "from_port", 0), 8443);
  live_expect_str(in2, "description", "alt");

  const char *eaddr = "aws_vpc_security_group_egress_rule.all";
  struct rc_value *ecfg = live_cfgf(&rc_rt_vpc_security_group_egress_rule,
                                    "{\"security_group_id\":\"%s\",\"ip_protocol\":\"-1\","
                                    "\"referenced_security_group_id\":\"%s\"}", gid, gid);
  struct rc_value *eg = live_create(&rc_rt_vpc_security_group_egress_rule, eaddr, ecfg);
  live_expect_str(eg, "ip_protocol", "-1");
  assert_null(rc_value_str(rc_value_get(eg, "from_port")));
  live_expect_str(eg, "referenced_security_group_id", gid);
  live_check_created(&rc_rt_vpc_security_group_egress_rule, eaddr, ecfg, eg, true);
  /* an egress rule id read as an ingress rule is not there */
  assert_null(live_read(&rc_rt_vpc_security_group_ingress_rule, iaddr, eg));

  live_delete(&rc_rt_vpc_security_group_egress_rule, eaddr, eg);
  live_delete(&rc_rt_vpc_security_group_ingress_rule, iaddr, in2);
  live_delete(&rc_rt_security_group, "aws_security_group.x", sg);
  live_delete(&rc_rt_vpc, "aws_vpc.x", vpc);
  struct rc_value *all[] = {vcfg, vpc, gcfg, sg, icfg, in, icfg2, in2, ecfg, eg};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rc_value_decref(all[i]);
}

static struct rc_value *ds(const struct rc_resource_type *rt, const char *json)
{
  struct rc_rctx ctx = live_ctx(rt->name);
  struct rc_error err = {0};
  struct rc_value *cfg = live_cfg(rt, json), *out = NULL;
  live_ok(rt->read(&ctx, cfg, &out, &err), &err, rt->name);
  rc_value_decref(cfg);
  return out;
}

static void test_res_net_more__data_sources(void **state)
{
  (void)state;
  struct rc_value *azs = ds(&rc_ds_availability_zones, "{\"state\":\"available\"}");
  const struct rc_value *names = rc_value_get(azs, "names");
  assert_true(rc_value_len(names) >= 2);
  assert_string_equal(rc_value_str(rc_value_index(names, 0)), "us-east-1a");
  assert_int_equal(rc_value_len(rc_value_get(azs, "zone_ids")), rc_value_len(names));
  live_expect_str(azs, "id", "us-east-1");
  struct rc_value *azx = ds(&rc_ds_availability_zones, "{\"exclude_names\":[\"us-east-1a\"]}");
  assert_int_equal(rc_value_len(rc_value_get(azx, "names")) + 1, rc_value_len(names));

  struct rc_value *reg = ds(&rc_ds_region, "{}");
  live_expect_str(reg, "name", "us-east-1");
  live_expect_str(reg, "endpoint", "ec2.us-east-1.amazonaws.com");
  live_expect_str(reg, "description", "US East (N. Virginia)");

  struct rc_value *ci = ds(&rc_ds_caller_identity, "{}");
  assert_non_null(rc_res_str(ci, "account_id"));
  assert_string_equal(rc_res_str(ci, "id"), rc_res_str(ci, "account_id"));
  assert_non_null(rc_res_str(ci, "arn"));

  /* a network to look up by tags */
  struct rc_value *vcfg = live_cfg(&rc_rt_vpc, "{\"cidr_block\":\"10.8.0.0/16\",\"tags\":{\"Env\":\"shared\"}}");
  struct rc_value *vpc = live_create(&rc_rt_vpc, "aws_vpc.shared", vcfg);
  struct rc_value *s1c = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.8.1.0/24\",\"tags\":{\"Tier\":\"private\"}}", rc_res_str(vpc, "id"));
  struct rc_value *s2c = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.8.2.0/24\",\"tags\":{\"Tier\":\"public\"}}", rc_res_str(vpc, "id"));
  struct rc_value *s1 = live_create(&rc_rt_subnet, "aws_subnet.a", s1c);
  struct rc_value *s2 = live_create(&rc_rt_subnet, "aws_subnet.b", s2c);
  struct rc_value *dv = ds(&rc_ds_vpc, "{\"tags\":{\"Env\":\"shared\"}}");
  live_expect_str(dv, "id", rc_res_str(vpc, "id"));
  live_expect_str(dv, "cidr_block", "10.8.0.0/16");
  live_expect_str(dv, "main_route_table_id", rc_res_str(vpc, "main_route_table_id"));
  live_expect_bool(dv, "enable_dns_support", true);
  live_expect_bool(dv, "default", false);
  assert_int_equal(rc_value_len(rc_value_get(dv, "cidr_block_associations")), 1);
  {
    struct rc_rctx ctx = live_ctx("data.aws_vpc.none");
    struct rc_error err = {0};
    struct rc_value *cfg = live_cfg(&rc_ds_vpc, "{\"tags\":{\"Env\":\"nowhere\"}}"), *o = NULL;
    assert_int_not_equal(rc_ds_vpc.read(&ctx, cfg, &o, &err), RC_OK);
    assert_non_null(strstr(err.msg, "no matching EC2 VPC found"));
    rc_value_decref(cfg);
  }
  char json[256];
  snprintf(json, sizeof json, "{\"filter\":[{\"name\":\"vpc-id\",\"values\":[\"%s\"]}],\"tags\":{\"Tier\":\"private\"}}",
           rc_res_str(vpc, "id"));
  struct rc_value *sn = ds(&rc_ds_subnets, json);
  const struct rc_value *ids = rc_value_get(sn, "ids");
  assert_int_equal(rc_value_len(ids), 1);
  assert_string_equal(rc_value_str(rc_value_index(ids, 0)), rc_res_str(s1, "id"));

  live_delete(&rc_rt_subnet, "aws_subnet.a", s1);
  live_delete(&rc_rt_subnet, "aws_subnet.b", s2);
  live_delete(&rc_rt_vpc, "aws_vpc.shared", vpc);
  struct rc_value *all[] = {azs, azx, reg, ci, vcfg, vpc, s1c, s2c, s1, s2, dv, sn};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rc_value_decref(all[i]);
}

static int64_t count_of(const struct rc_value *counts, const char *op)
{
  const struct rc_value *v = rc_value_get(counts, op);
  return v ? rc_value_int_get(v) : 0;
}

static void refresh(const struct rc_resource_type *rt, struct rc_value **objs, size_t n,
                    struct rc_aws_client *aws)
{
  struct rc_read_item items[8] = {{0}};
  for (size_t i = 0; i < n; i++) {
    items[i].address = rt->name;
    items[i].id = rc_res_str(objs[i], "id");
    items[i].prior = objs[i];
  }
  struct rc_rctx ctx = live_ctx("refresh");
  ctx.aws = aws;
  live_ok(rt->read_many(&ctx, items, n), &items[0].err, "refresh");
  for (size_t i = 0; i < n; i++) {
    live_expect_equal("refreshed", objs[i], items[i].out);
    rc_value_decref(items[i].out);
  }
}

/* VPC + 4 subnets + IGW + 2 route tables + 2 security groups */
static void test_res_net_more__refresh_call_counts(void **state)
{
  (void)state;
  struct rc_value *vcfg = live_cfg(&rc_rt_vpc, "{\"cidr_block\":\"10.9.0.0/16\"}");
  struct rc_value *vpc = live_create(&rc_rt_vpc, "aws_vpc.c", vcfg);
  const char *vid = rc_res_str(vpc, "id");
  struct rc_value *subs[4], *scfg[4], *rts[2], *rcfg[2], *sgs[2], *gcfg[2];
  for (int i = 0; i < 4; i++) {
    scfg[i] = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.9.%d.0/24\"}", vid, i);
    char a[64];
    snprintf(a, sizeof a, "aws_subnet.c[%d]", i);
    subs[i] = live_create(&rc_rt_subnet, a, scfg[i]);
  }
  struct rc_value *icfg = live_cfgf(&rc_rt_internet_gateway, "{\"vpc_id\":\"%s\"}", vid);
  struct rc_value *igw = live_create(&rc_rt_internet_gateway, "aws_internet_gateway.c", icfg);
  for (int i = 0; i < 2; i++) {
    rcfg[i] = live_cfgf(&rc_rt_route_table, "{\"vpc_id\":\"%s\",\"route\":[{\"cidr_block\":\"0.0.0.0/0\",\"gateway_id\":\"%s\"}]}",
                        vid, rc_res_str(igw, "id"));
    char a[64];
    snprintf(a, sizeof a, "aws_route_table.c[%d]", i);
    rts[i] = live_create(&rc_rt_route_table, a, rcfg[i]);
    gcfg[i] = live_cfgf(&rc_rt_security_group, "{\"name\":\"c%d\",\"vpc_id\":\"%s\",\"ingress\":[{\"protocol\":\"tcp\","
                        "\"from_port\":80,\"to_port\":80,\"cidr_blocks\":[\"0.0.0.0/0\"]}]}", i, vid);
    snprintf(a, sizeof a, "aws_security_group.c[%d]", i);
    sgs[i] = live_create(&rc_rt_security_group, a, gcfg[i]);
  }
  struct rc_aws_settings s = {.region = "us-east-1", .pacing = -1};
  struct rc_aws_client *aws = NULL;
  struct rc_error err = {0};
  live_ok(rc_aws_client_new(&s, &aws, &err), &err, "client");
  refresh(&rc_rt_vpc, &vpc, 1, aws);
  refresh(&rc_rt_subnet, subs, 4, aws);
  refresh(&rc_rt_internet_gateway, &igw, 1, aws);
  refresh(&rc_rt_route_table, rts, 2, aws);
  refresh(&rc_rt_security_group, sgs, 2, aws);
  struct rc_value *counts = rc_aws_client_counts(aws);
  char *txt = rc_value_dump_json(counts);
  printf("refresh of VPC + 4 subnets + IGW + 2 route tables + 2 SGs, calls per operation: %s\n", txt);
  rc_free(txt);
  assert_int_equal(count_of(counts, "ec2.DescribeVpcs"), 1);
  assert_int_equal(count_of(counts, "ec2.DescribeSubnets"), 1);
  assert_int_equal(count_of(counts, "ec2.DescribeInternetGateways"), 1);
  assert_int_equal(count_of(counts, "ec2.DescribeRouteTables"), 2);    /* tables + the VPC's main one */
  assert_int_equal(count_of(counts, "ec2.DescribeSecurityGroups"), 2); /* groups + the VPC's default */
  assert_int_equal(count_of(counts, "ec2.DescribeVpcAttribute"), 3);   /* per VPC: no batch API */
  rc_value_decref(counts);
  rc_aws_client_free(aws);
  for (int i = 0; i < 2; i++) {
    live_delete(&rc_rt_security_group, "aws_security_group.c", sgs[i]);
    live_delete(&rc_rt_route_table, "aws_route_table.c", rts[i]);
  }
  live_delete(&rc_rt_internet_gateway, "aws_internet_gateway.c", igw);
  for (int i = 0; i < 4; i++) live_delete(&rc_rt_subnet, "aws_subnet.c", subs[i]);
  live_delete(&rc_rt_vpc, "aws_vpc.c", vpc);
  for (int i = 0; i < 4; i++) { rc_value_decref(subs[i]); rc_value_decref(scfg[i]); }
  for (int i = 0; i < 2; i++) {
    rc_value_decref(rts[i]); rc_value_decref(rcfg[i]); rc_value_decref(sgs[i]); rc_value_decref(gcfg[i]);
  }
  rc_value_decref(igw); rc_value_decref(icfg); rc_value_decref(vpc); rc_value_decref(vcfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_net_more__sg_rules),
      cmocka_unit_test(test_res_net_more__data_sources),
      cmocka_unit_test(test_res_net_more__refresh_call_counts),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
