/* Live tests of the network resource types against recon-sim: aws_vpc,
 * aws_subnet (create with tags, read back equal, found by tag, update in
 * place, drift, import, delete). */
#include "net_live.h"

extern const struct rc_resource_type rc_rt_vpc, rc_rt_subnet, rc_rt_internet_gateway, rc_rt_eip,
    rc_rt_nat_gateway, rc_rt_route_table, rc_rt_route, rc_rt_route_table_association,
    rc_rt_security_group;

static void test_res_net__vpc(void **state)
{
  (void)state;
  const char *addr = "module.net.aws_vpc.main";
  struct rc_value *cfg = live_cfg(&rc_rt_vpc,
                                  "{\"cidr_block\":\"10.0.0.0/16\",\"enable_dns_hostnames\":true,"
                                  "\"tags\":{\"Name\":\"main\"}}");
  struct rc_value *out = live_create(&rc_rt_vpc, addr, cfg);
  assert_true(strncmp(rc_res_str(out, "id"), "vpc-", 4) == 0);
  live_expect_str(out, "cidr_block", "10.0.0.0/16");
  live_expect_str(out, "instance_tenancy", "default");
  live_expect_bool(out, "enable_dns_hostnames", true);
  live_expect_bool(out, "enable_dns_support", true);
  live_expect_bool(out, "enable_network_address_usage_metrics", false);
  assert_non_null(rc_res_str(out, "main_route_table_id"));
  assert_string_equal(rc_res_str(out, "main_route_table_id"),
                      rc_res_str(out, "default_route_table_id"));
  assert_non_null(rc_res_str(out, "default_security_group_id"));
  assert_non_null(strstr(rc_res_str(out, "arn"), ":vpc/vpc-"));
  live_expect_str(rc_value_get(out, "tags"), "Name", "main");
  assert_null(rc_value_get(rc_value_get(out, "tags_all"), "recon:stack"));
  live_check_created(&rc_rt_vpc, addr, cfg, out, true);

  /* update in place: a DNS attribute and the tags */
  struct rc_value *cfg2 = live_cfg(&rc_rt_vpc,
                                   "{\"cidr_block\":\"10.0.0.0/16\",\"enable_dns_hostnames\":false,"
                                   "\"tags\":{\"Name\":\"main2\",\"Env\":\"t\"}}");
  struct rc_value *out2 = live_update(&rc_rt_vpc, addr, out, cfg2);
  live_expect_bool(out2, "enable_dns_hostnames", false);
  live_expect_str(rc_value_get(out2, "tags"), "Name", "main2");
  live_expect_str(rc_value_get(out2, "tags"), "Env", "t");

  /* drift: someone turns DNS support off */
  char idp[96];
  snprintf(idp, sizeof idp, "VpcId=%s", rc_res_str(out2, "id"));
  live_ec2("ModifyVpcAttribute", idp, "EnableDnsSupport.Value=false", NULL);
  struct rc_value *drift = live_read(&rc_rt_vpc, addr, out2);
  assert_non_null(drift);
  live_expect_bool(drift, "enable_dns_support", false);
  /* and an update from the refreshed state puts it back */
  struct rc_value *out3 = live_update(&rc_rt_vpc, addr, drift, cfg2);
  rc_value_decref(drift);
  live_expect_bool(out3, "enable_dns_support", true);

  live_delete(&rc_rt_vpc, addr, out3);
  rc_value_decref(out3);
  rc_value_decref(out);
  rc_value_decref(cfg);
  rc_value_decref(cfg2);
  rc_value_decref(out2);
}

/* a VPC for the tests of things that live in one */
static struct rc_value *make_vpc(const char *addr, const char *cidr)
{
  char json[128];
  snprintf(json, sizeof json, "{\"cidr_block\":\"%s\"}", cidr);
  struct rc_value *cfg = live_cfg(&rc_rt_vpc, json);
  struct rc_value *out = live_create(&rc_rt_vpc, addr, cfg);
  rc_value_decref(cfg);
  return out;
}

static void test_res_net__subnet(void **state)
{
  (void)state;
  struct rc_value *vpc = make_vpc("aws_vpc.s", "10.1.0.0/16");
  const char *addr = "aws_subnet.public[0]";
  char json[512];
  snprintf(json, sizeof json,
           "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.1.1.0/24\",\"availability_zone\":"
           "\"us-east-1a\",\"map_public_ip_on_launch\":true,\"tags\":{\"Name\":\"pub\"}}",
           rc_res_str(vpc, "id"));
  struct rc_value *cfg = live_cfg(&rc_rt_subnet, json);
  struct rc_value *out = live_create(&rc_rt_subnet, addr, cfg);
  assert_true(strncmp(rc_res_str(out, "id"), "subnet-", 7) == 0);
  live_expect_str(out, "vpc_id", rc_res_str(vpc, "id"));
  live_expect_str(out, "cidr_block", "10.1.1.0/24");
  live_expect_str(out, "availability_zone", "us-east-1a");
  assert_non_null(rc_res_str(out, "availability_zone_id"));
  live_expect_bool(out, "map_public_ip_on_launch", true);
  live_expect_bool(out, "assign_ipv6_address_on_creation", false);
  assert_non_null(strstr(rc_res_str(out, "arn"), ":subnet/subnet-"));
  live_check_created(&rc_rt_subnet, addr, cfg, out, true);

  /* update: map_public_ip_on_launch off, tag changed */
  snprintf(json, sizeof json,
           "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.1.1.0/24\",\"availability_zone\":"
           "\"us-east-1a\",\"map_public_ip_on_launch\":false,\"tags\":{\"Name\":\"priv\"}}",
           rc_res_str(vpc, "id"));
  struct rc_value *cfg2 = live_cfg(&rc_rt_subnet, json);
  struct rc_value *out2 = live_update(&rc_rt_subnet, addr, out, cfg2);
  live_expect_bool(out2, "map_public_ip_on_launch", false);
  live_expect_str(rc_value_get(out2, "tags"), "Name", "priv");

  /* drift seen by read */
  char idp[96];
  snprintf(idp, sizeof idp, "SubnetId=%s", rc_res_str(out2, "id"));
  live_ec2("ModifySubnetAttribute", idp, "MapPublicIpOnLaunch.Value=true", NULL);
  struct rc_value *drift = live_read(&rc_rt_subnet, addr, out2);
  live_expect_bool(drift, "map_public_ip_on_launch", true);
  rc_value_decref(drift);

  /* the VPC cannot go while the subnet is there */
  struct rc_rctx ctx = live_ctx("aws_vpc.s");
  ctx.timeouts = NULL;
  live_delete(&rc_rt_subnet, addr, out2);
  live_delete(&rc_rt_vpc, "aws_vpc.s", vpc);
  (void)ctx;
  rc_value_decref(out);
  rc_value_decref(out2);
  rc_value_decref(cfg);
  rc_value_decref(cfg2);
  rc_value_decref(vpc);
}

static void test_res_net__internet_gateway(void **state)
{
  (void)state;
  struct rc_value *v1 = make_vpc("aws_vpc.i1", "10.2.0.0/16"), *v2 = make_vpc("aws_vpc.i2", "10.3.0.0/16");
  const char *addr = "aws_internet_gateway.gw";
  struct rc_value *cfg = live_cfgf(&rc_rt_internet_gateway, "{\"vpc_id\":\"%s\",\"tags\":{\"Name\":\"gw\"}}",
                                   rc_res_str(v1, "id"));
  struct rc_value *out = live_create(&rc_rt_internet_gateway, addr, cfg);
  assert_true(strncmp(rc_res_str(out, "id"), "igw-", 4) == 0);
  live_expect_str(out, "vpc_id", rc_res_str(v1, "id"));
  assert_non_null(strstr(rc_res_str(out, "arn"), ":internet-gateway/igw-"));
  live_check_created(&rc_rt_internet_gateway, addr, cfg, out, true);
  /* move it to the other VPC in place */
  struct rc_value *cfg2 = live_cfgf(&rc_rt_internet_gateway, "{\"vpc_id\":\"%s\",\"tags\":{\"Name\":\"gw\"}}",
                                    rc_res_str(v2, "id"));
  struct rc_value *out2 = live_update(&rc_rt_internet_gateway, addr, out, cfg2);
  live_expect_str(out2, "vpc_id", rc_res_str(v2, "id"));
  assert_string_equal(rc_res_str(out2, "id"), rc_res_str(out, "id"));
  /* detached: vpc_id null */
  struct rc_value *cfg3 = live_cfgf(&rc_rt_internet_gateway, "{\"tags\":{\"Name\":\"gw\"}}");
  struct rc_value *out3 = live_update(&rc_rt_internet_gateway, addr, out2, cfg3);
  live_expect_str(out3, "vpc_id", NULL);
  struct rc_value *out4 = live_update(&rc_rt_internet_gateway, addr, out3, cfg);
  /* delete detaches first */
  live_delete(&rc_rt_internet_gateway, addr, out4);
  live_delete(&rc_rt_vpc, "aws_vpc.i1", v1);
  live_delete(&rc_rt_vpc, "aws_vpc.i2", v2);
  rc_value_decref(out); rc_value_decref(out2); rc_value_decref(out3); rc_value_decref(out4);
  rc_value_decref(cfg); rc_value_decref(cfg2); rc_value_decref(cfg3);
  rc_value_decref(v1); rc_value_decref(v2);
}

static void test_res_net__eip_and_nat(void **state)
{
  (void)state;
  struct rc_value *vpc = make_vpc("aws_vpc.n", "10.4.0.0/16");
  struct rc_value *scfg = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.4.0.0/24\"}",
                                    rc_res_str(vpc, "id"));
  struct rc_value *sub = live_create(&rc_rt_subnet, "aws_subnet.n", scfg);
  struct rc_value *gcfg = live_cfgf(&rc_rt_internet_gateway, "{\"vpc_id\":\"%s\"}", rc_res_str(vpc, "id"));
  struct rc_value *igw = live_create(&rc_rt_internet_gateway, "aws_internet_gateway.n", gcfg);

  const char *eaddr = "aws_eip.nat[\"a\"]";
  struct rc_value *ecfg = live_cfg(&rc_rt_eip, "{\"domain\":\"vpc\",\"tags\":{\"Name\":\"nat\"}}");
  struct rc_value *eip = live_create(&rc_rt_eip, eaddr, ecfg);
  assert_true(strncmp(rc_res_str(eip, "id"), "eipalloc-", 9) == 0);
  assert_string_equal(rc_res_str(eip, "id"), rc_res_str(eip, "allocation_id"));
  live_expect_str(eip, "domain", "vpc");
  assert_non_null(rc_res_str(eip, "public_ip"));
  assert_non_null(strstr(rc_res_str(eip, "public_dns"), ".compute-1.amazonaws.com"));
  live_check_created(&rc_rt_eip, eaddr, ecfg, eip, true);
  struct rc_value *ecfg2 = live_cfg(&rc_rt_eip, "{\"domain\":\"vpc\",\"tags\":{\"Name\":\"nat2\"}}");
  struct rc_value *eip2 = live_update(&rc_rt_eip, eaddr, eip, ecfg2);
  live_expect_str(rc_value_get(eip2, "tags"), "Name", "nat2");

  const char *naddr = "aws_nat_gateway.n";
  struct rc_value *ncfg = live_cfgf(&rc_rt_nat_gateway,
                                    "{\"allocation_id\":\"%s\",\"subnet_id\":\"%s\",\"tags\":{\"Name\":\"n\"}}",
                                    rc_res_str(eip, "id"), rc_res_str(sub, "id"));
  struct rc_value *nat = live_create(&rc_rt_nat_gateway, naddr, ncfg);
  assert_true(strncmp(rc_res_str(nat, "id"), "nat-", 4) == 0);
  struct rc_rctx ctx = live_ctx(naddr);
  struct rc_error err = {0};
  struct rc_value *ready = NULL;
  live_ok(rc_rt_nat_gateway.wait(&ctx, RC_WAIT_CREATE, nat, &ready, &err), &err, "wait available");
  assert_non_null(ready);
  live_expect_str(ready, "public_ip", rc_res_str(eip, "public_ip"));
  live_expect_str(ready, "connectivity_type", "public");
  assert_non_null(rc_res_str(ready, "network_interface_id"));
  live_check_created(&rc_rt_nat_gateway, naddr, ncfg, ready, true);

  /* the address is in use: the NAT goes first, then the EIP (release retried) */
  live_ok(rc_rt_nat_gateway.delete(&ctx, ready, &err), &err, "nat delete");
  struct rc_value *w = NULL;
  live_ok(rc_rt_nat_gateway.wait(&ctx, RC_WAIT_DELETE, ready, &w, &err), &err, "wait deleted");
  struct rc_value *gone = live_read(&rc_rt_nat_gateway, naddr, ready);
  assert_null(gone);
  live_delete(&rc_rt_eip, eaddr, eip2);
  live_delete(&rc_rt_internet_gateway, "aws_internet_gateway.n", igw);
  live_delete(&rc_rt_subnet, "aws_subnet.n", sub);
  live_delete(&rc_rt_vpc, "aws_vpc.n", vpc);
  rc_value_decref(ready); rc_value_decref(nat); rc_value_decref(ncfg);
  rc_value_decref(eip); rc_value_decref(eip2); rc_value_decref(ecfg); rc_value_decref(ecfg2);
  rc_value_decref(igw); rc_value_decref(gcfg); rc_value_decref(sub); rc_value_decref(scfg);
  rc_value_decref(vpc);
}

static void test_res_net__routes(void **state)
{
  (void)state;
  struct rc_value *vpc = make_vpc("aws_vpc.r", "10.5.0.0/16");
  const char *vid = rc_res_str(vpc, "id");
  struct rc_value *gcfg = live_cfgf(&rc_rt_internet_gateway, "{\"vpc_id\":\"%s\"}", vid);
  struct rc_value *igw = live_create(&rc_rt_internet_gateway, "aws_internet_gateway.r", gcfg);
  const char *gid = rc_res_str(igw, "id");
  struct rc_value *scfg = live_cfgf(&rc_rt_subnet, "{\"vpc_id\":\"%s\",\"cidr_block\":\"10.5.1.0/24\"}", vid);
  struct rc_value *sub = live_create(&rc_rt_subnet, "aws_subnet.r", scfg);
  struct rc_value *ecfg = live_cfg(&rc_rt_eip, "{\"domain\":\"vpc\"}");
  struct rc_value *eip = live_create(&rc_rt_eip, "aws_eip.r", ecfg);
  struct rc_value *ncfg = live_cfgf(&rc_rt_nat_gateway, "{\"allocation_id\":\"%s\",\"subnet_id\":\"%s\"}",
                                    rc_res_str(eip, "id"), rc_res_str(sub, "id"));
  struct rc_value *nat = live_create(&rc_rt_nat_gateway, "aws_nat_gateway.r", ncfg);

  /* a table with one inline route */
  const char *taddr = "aws_route_table.public";
  struct rc_value *tcfg = live_cfgf(&rc_rt_route_table,
                                    "{\"vpc_id\":\"%s\",\"route\":[{\"cidr_block\":\"0.0.0.0/0\","
                                    "\"gateway_id\":\"%s\"}],\"tags\":{\"Name\":\"pub\"}}", vid, gid);
  struct rc_value *rt = live_create(&rc_rt_route_table, taddr, tcfg);
  const struct rc_value *routes = rc_value_get(rt, "route");
  assert_int_equal(rc_value_len(routes), 1); /* the local route is not in state */
  live_expect_str(rc_value_index(routes, 0), "gateway_id", gid);
  live_expect_str(rc_value_index(routes, 0), "nat_gateway_id", NULL);
  live_check_created(&rc_rt_route_table, taddr, tcfg, rt, true);
  /* update: a second route, and the first moved to a different destination */
  struct rc_value *tcfg2 = live_cfgf(&rc_rt_route_table,
                                     "{\"vpc_id\":\"%s\",\"route\":[{\"cidr_block\":\"192.168.0.0/16\","
                                     "\"gateway_id\":\"%s\"},{\"cidr_block\":\"172.16.0.0/12\","
                                     "\"gateway_id\":\"%s\"}],\"tags\":{\"Name\":\"pub\"}}", vid, gid, gid);
  struct rc_value *rt2 = live_update(&rc_rt_route_table, taddr, rt, tcfg2);
  assert_int_equal(rc_value_len(rc_value_get(rt2, "route")), 2);
  live_expect_str(rc_value_index(rc_value_get(rt2, "route"), 0), "cidr_block", "172.16.0.0/12");

  /* aws_route in another table: create, found by natural key, replace target */
  struct rc_value *t2cfg = live_cfgf(&rc_rt_route_table, "{\"vpc_id\":\"%s\"}", vid);
  struct rc_value *t2 = live_create(&rc_rt_route_table, "aws_route_table.private", t2cfg);
  assert_int_equal(rc_value_len(rc_value_get(t2, "route")), 0);
  const char *raddr = "aws_route.default";
  struct rc_value *rcfg = live_cfgf(&rc_rt_route,
                                    "{\"route_table_id\":\"%s\",\"destination_cidr_block\":\"0.0.0.0/0\","
                                    "\"gateway_id\":\"%s\"}", rc_res_str(t2, "id"), gid);
  struct rc_value *route = live_create(&rc_rt_route, raddr, rcfg);
  char want_id[96];
  snprintf(want_id, sizeof want_id, "r-%s1080289494", rc_res_str(t2, "id"));
  live_expect_str(route, "id", want_id);
  live_expect_str(route, "origin", "CreateRoute");
  live_expect_str(route, "state", "active");
  live_check_created(&rc_rt_route, raddr, rcfg, route, false);
  struct rc_value *rcfg2 = live_cfgf(&rc_rt_route,
                                     "{\"route_table_id\":\"%s\",\"destination_cidr_block\":\"0.0.0.0/0\","
                                     "\"nat_gateway_id\":\"%s\"}", rc_res_str(t2, "id"), rc_res_str(nat, "id"));
  struct rc_value *route2 = live_update(&rc_rt_route, raddr, route, rcfg2);
  live_expect_str(route2, "nat_gateway_id", rc_res_str(nat, "id"));
  live_expect_str(route2, "gateway_id", NULL);
  char imp[128];
  snprintf(imp, sizeof imp, "%s_0.0.0.0/0", rc_res_str(t2, "id"));
  {
    struct rc_rctx ctx = live_ctx(raddr);
    struct rc_error err = {0};
    struct rc_value *iv = NULL;
    live_ok(rc_rt_route.import(&ctx, imp, &iv, &err), &err, "route import");
    live_expect_equal("imported route", route2, iv);
    rc_value_decref(iv);
  }

  /* association: subnet with table 1, then moved to table 2 */
  const char *aaddr = "aws_route_table_association.a";
  struct rc_value *acfg = live_cfgf(&rc_rt_route_table_association,
                                    "{\"subnet_id\":\"%s\",\"route_table_id\":\"%s\"}",
                                    rc_res_str(sub, "id"), rc_res_str(rt2, "id"));
  struct rc_value *as = live_create(&rc_rt_route_table_association, aaddr, acfg);
  assert_true(strncmp(rc_res_str(as, "id"), "rtbassoc-", 9) == 0);
  live_check_created(&rc_rt_route_table_association, aaddr, acfg, as, false);
  struct rc_value *acfg2 = live_cfgf(&rc_rt_route_table_association,
                                     "{\"subnet_id\":\"%s\",\"route_table_id\":\"%s\"}",
                                     rc_res_str(sub, "id"), rc_res_str(t2, "id"));
  struct rc_value *as2 = live_update(&rc_rt_route_table_association, aaddr, as, acfg2);
  live_expect_str(as2, "route_table_id", rc_res_str(t2, "id"));
  struct rc_value *old = live_read(&rc_rt_route_table_association, aaddr, as);
  assert_null(old);

  live_delete(&rc_rt_route_table_association, aaddr, as2);
  live_delete(&rc_rt_route, raddr, route2);
  live_delete(&rc_rt_route_table, "aws_route_table.private", t2);
  live_delete(&rc_rt_route_table, taddr, rt2);
  {
    struct rc_rctx ctx = live_ctx("aws_nat_gateway.r");
    struct rc_error err = {0};
    struct rc_value *w = NULL;
    live_ok(rc_rt_nat_gateway.delete(&ctx, nat, &err), &err, "nat delete");
    live_ok(rc_rt_nat_gateway.wait(&ctx, RC_WAIT_DELETE, nat, &w, &err), &err, "nat deleted");
  }
  live_delete(&rc_rt_eip, "aws_eip.r", eip);
  live_delete(&rc_rt_subnet, "aws_subnet.r", sub);
  live_delete(&rc_rt_internet_gateway, "aws_internet_gateway.r", igw);
  live_delete(&rc_rt_vpc, "aws_vpc.r", vpc);
  struct rc_value *all[] = {vpc, gcfg, igw, ecfg, eip, ncfg, nat, tcfg, rt, tcfg2, rt2, t2cfg, t2, rcfg,
                            route, rcfg2, route2, scfg, sub, acfg, as, acfg2, as2};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rc_value_decref(all[i]);
}

static const struct rc_value *rule_with(const struct rc_value *rules, const char *proto, int from)
{
  for (size_t i = 0; i < rc_value_len(rules); i++) {
    const struct rc_value *r = rc_value_index(rules, i);
    if (strcmp(rc_res_str(r, "protocol"), proto) == 0 && rc_res_int(r, "from_port", -9) == from)
      return r;
  }
  return NULL;
}

static void test_res_net__security_group(void **state)
{
  (void)state;
  struct rc_value *vpc = make_vpc("aws_vpc.g", "10.6.0.0/16");
  const char *vid = rc_res_str(vpc, "id");
  /* the ALB group: no egress configured → AWS's default egress is revoked, as the provider does */
  struct rc_value *acfg = live_cfgf(&rc_rt_security_group,
                                    "{\"name\":\"alb\",\"vpc_id\":\"%s\",\"ingress\":[{\"protocol\":\"6\","
                                    "\"from_port\":443,\"to_port\":443,\"cidr_blocks\":[\"0.0.0.0/0\"],"
                                    "\"description\":\"https\"}]}", vid);
  struct rc_value *alb = live_create(&rc_rt_security_group, "aws_security_group.alb", acfg);
  live_expect_str(alb, "description", "Managed by Terraform");
  live_expect_str(alb, "name", "alb");
  assert_int_equal(rc_value_len(rc_value_get(alb, "ingress")), 1);
  assert_int_equal(rc_value_len(rc_value_get(alb, "egress")), 0);
  const struct rc_value *r443 = rule_with(rc_value_get(alb, "ingress"), "tcp", 443);
  assert_non_null(r443);
  live_expect_str(r443, "description", "https");
  live_check_created(&rc_rt_security_group, "aws_security_group.alb", acfg, alb, true);

  /* the service group: from the ALB group, itself, all egress; name_prefix */
  const char *saddr = "module.ecs.aws_security_group.svc[\"api\"]";
  struct rc_value *scfg = live_cfgf(&rc_rt_security_group,
                                    "{\"name_prefix\":\"svc-\",\"description\":\"svc\",\"vpc_id\":\"%s\","
                                    "\"revoke_rules_on_delete\":true,"
                                    "\"ingress\":[{\"protocol\":\"tcp\",\"from_port\":8080,\"to_port\":8080,"
                                    "\"security_groups\":[\"%s\"]},{\"protocol\":\"all\",\"from_port\":0,"
                                    "\"to_port\":0,\"self\":true}],"
                                    "\"egress\":[{\"protocol\":\"-1\",\"from_port\":0,\"to_port\":0,"
                                    "\"cidr_blocks\":[\"0.0.0.0/0\"]}],\"tags\":{\"Name\":\"svc\"}}",
                                    vid, rc_res_str(alb, "id"));
  struct rc_value *svc = live_create(&rc_rt_security_group, saddr, scfg);
  assert_true(strncmp(rc_res_str(svc, "name"), "svc-", 4) == 0);
  live_expect_str(svc, "name_prefix", "svc-");
  const struct rc_value *self = rule_with(rc_value_get(svc, "ingress"), "-1", 0);
  assert_non_null(self);
  live_expect_bool(self, "self", true);
  assert_int_equal(rc_value_len(rc_value_get(svc, "egress")), 1);
  live_check_created(&rc_rt_security_group, saddr, scfg, svc, true);

  /* update: change the ALB group's port and add egress */
  struct rc_value *acfg2 = live_cfgf(&rc_rt_security_group,
                                     "{\"name\":\"alb\",\"vpc_id\":\"%s\",\"ingress\":[{\"protocol\":\"tcp\","
                                     "\"from_port\":80,\"to_port\":80,\"cidr_blocks\":[\"0.0.0.0/0\",\"10.0.0.1/8\"]}],"
                                     "\"egress\":[{\"protocol\":\"tcp\",\"from_port\":8080,\"to_port\":8080,"
                                     "\"cidr_blocks\":[\"10.6.0.0/16\"]}]}", vid);
  struct rc_value *alb2 = live_update(&rc_rt_security_group, "aws_security_group.alb", alb, acfg2);
  assert_null(rule_with(rc_value_get(alb2, "ingress"), "tcp", 443));
  const struct rc_value *r80 = rule_with(rc_value_get(alb2, "ingress"), "tcp", 80);
  assert_non_null(r80);
  assert_int_equal(rc_value_len(rc_value_get(r80, "cidr_blocks")), 2);
  assert_int_equal(rc_value_len(rc_value_get(alb2, "egress")), 1);

  /* the ALB group is still referenced by svc: the delete retries DependencyViolation
   * for the delete timeout, then fails saying why */
  {
    struct rc_rctx ctx = live_ctx("aws_security_group.alb");
    struct rc_value *t = live_cfg(&rc_rt_vpc, "{\"delete\":\"1s\"}");
    ctx.timeouts = t;
    struct rc_error err = {0};
    int64_t t0 = rc_res_now_ms();
    rc_status st = rc_rt_security_group.delete(&ctx, alb2, &err);
    assert_int_not_equal(st, RC_OK);
    assert_string_equal(err.aws_code, "DependencyViolation");
    assert_true(rc_res_now_ms() - t0 < 5000);
    rc_value_decref(t);
  }
  live_delete(&rc_rt_security_group, saddr, svc);
  live_delete(&rc_rt_security_group, "aws_security_group.alb", alb2);
  live_delete(&rc_rt_vpc, "aws_vpc.g", vpc);
  struct rc_value *all[] = {vpc, acfg, alb, scfg, svc, acfg2, alb2};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) rc_value_decref(all[i]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_res_net__vpc),
      cmocka_unit_test(test_res_net__subnet),
      cmocka_unit_test(test_res_net__internet_gateway),
      cmocka_unit_test(test_res_net__eip_and_nat),
      cmocka_unit_test(test_res_net__routes),
      cmocka_unit_test(test_res_net__security_group),
  };
  return cmocka_run_group_tests(tests, live_setup, live_teardown);
}
