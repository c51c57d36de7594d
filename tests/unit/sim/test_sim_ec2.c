/* recon-sim EC2: the NAT gateway state machine on a frozen clock, AWS's
 * dependency rules, CIDR checks, pagination, eventual consistency, ENIs for
 * other services, idempotency and the state export round trip. Handlers run
 * through rc_sim_dispatch, no sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/sim_test_util.h"

#define T0 1790000000000ULL

extern int rc_ec2__nat_delay_ms;

static int setup(void **state)
{
  memset(&rc_sim_config, 0, sizeof rc_sim_config);
  rc_sim_clock_freeze(T0);
  rc_sim_init(3);
  return 0;
}

static int teardown(void **state)
{
  rc_sim_reset_all();
  rc_sim_clock_freeze(0);
  return 0;
}

/* Runs an EC2 call and copies one element of the answer into out. */
__attribute__((format(printf, 4, 5))) static const char *ec2_get(const char *tag, char *out,
                                                                 size_t outsz, const char *fmt,
                                                                 ...)
{
  char form[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  struct rc_sim_call *c = tu_ec2("%s", form);
  if (c->resp.status != 200) fail_msg("%s failed: %s", form, c->resp.body.ptr);
  tu_xml(c, tag, out, outsz);
  rc_sim_call_free(c);
  return out;
}

/* The error code of an EC2 call ("" when it succeeded). */
__attribute__((format(printf, 3, 4))) static const char *ec2_err(char *out, size_t outsz,
                                                                 const char *fmt, ...)
{
  char form[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  struct rc_sim_call *c = tu_ec2("%s", form);
  if (c->resp.status == 200)
    out[0] = '\0';
  else
    tu_xml(c, "Code", out, outsz);
  rc_sim_call_free(c);
  return out;
}

struct net {
  char vpc[40], subnet[40], igw[40], alloc[40];
};

static void make_net(struct net *n)
{
  ec2_get("vpcId", n->vpc, sizeof n->vpc, "Action=CreateVpc&CidrBlock=10.0.0.0%%2F16");
  ec2_get("subnetId", n->subnet, sizeof n->subnet,
          "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0%%2F24&AvailabilityZone=us-east-1a",
          n->vpc);
  ec2_get("internetGatewayId", n->igw, sizeof n->igw, "Action=CreateInternetGateway");
  char tmp[64];
  ec2_get("return", tmp, sizeof tmp, "Action=AttachInternetGateway&InternetGatewayId=%s&VpcId=%s",
          n->igw, n->vpc);
  ec2_get("allocationId", n->alloc, sizeof n->alloc, "Action=AllocateAddress&Domain=vpc");
}

static void test_sim_ec2__nat_state_machine(void **state)
{
  struct net n;
  make_net(&n);
  char nat[40], st[32], err[64], tmp[64];
  struct rc_sim_call *c = tu_ec2("Action=CreateNatGateway&SubnetId=%s&AllocationId=%s"
                                 "&ClientToken=t-1", n.subnet, n.alloc);
  assert_int_equal(c->resp.status, 200);
  tu_xml(c, "natGatewayId", nat, sizeof nat);
  assert_string_equal(tu_xml(c, "state", st, sizeof st), "pending");
  assert_string_equal(tu_xml(c, "clientToken", tmp, sizeof tmp), "t-1");
  rc_sim_call_free(c);
  /* same token → same gateway; another token with the same EIP → refused */
  assert_string_equal(ec2_get("natGatewayId", tmp, sizeof tmp,
                              "Action=CreateNatGateway&SubnetId=%s&AllocationId=%s&ClientToken=t-1",
                              n.subnet, n.alloc), nat);
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateNatGateway&SubnetId=%s&AllocationId=%s",
                              n.subnet, n.alloc), "Resource.AlreadyAssociated");
  rc_sim_clock_advance((uint64_t)rc_ec2__nat_delay_ms - 1);
  assert_string_equal(ec2_get("state", st, sizeof st, "Action=DescribeNatGateways&NatGatewayId.1=%s", nat),
                      "pending");
  rc_sim_clock_advance(1);
  assert_string_equal(ec2_get("state", st, sizeof st, "Action=DescribeNatGateways&NatGatewayId.1=%s", nat),
                      "available");
  /* filters by state */
  c = tu_ec2("Action=DescribeNatGateways&Filter.1.Name=state&Filter.1.Value.1=pending");
  assert_int_equal(tu_count(c, "<natGatewayId>"), 0);
  rc_sim_call_free(c);
  /* the EIP is held: cannot be released; the subnet holds the NAT's ENI */
  assert_string_equal(ec2_err(err, sizeof err, "Action=ReleaseAddress&AllocationId=%s", n.alloc),
                      "InvalidIPAddress.InUse");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSubnet&SubnetId=%s", n.subnet),
                      "DependencyViolation");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DetachInternetGateway&InternetGatewayId=%s&VpcId=%s",
                              n.igw, n.vpc), "DependencyViolation");
  ec2_get("natGatewayId", tmp, sizeof tmp, "Action=DeleteNatGateway&NatGatewayId=%s", nat);
  assert_string_equal(ec2_get("state", st, sizeof st, "Action=DescribeNatGateways&NatGatewayId.1=%s", nat),
                      "deleting");
  rc_sim_clock_advance(60000);
  c = tu_ec2("Action=DescribeNatGateways&NatGatewayId.1=%s", nat);
  assert_string_equal(tu_xml(c, "state", st, sizeof st), "deleted");
  assert_non_null(strstr(c->resp.body.ptr, "<deleteTime>"));
  rc_sim_call_free(c);
  /* everything it held is free again */
  assert_string_equal(ec2_err(err, sizeof err, "Action=ReleaseAddress&AllocationId=%s", n.alloc), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DetachInternetGateway&InternetGatewayId=%s&VpcId=%s",
                              n.igw, n.vpc), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSubnet&SubnetId=%s", n.subnet), "");
}

static void test_sim_ec2__nat_fails_without_igw(void **state)
{
  struct net n;
  make_net(&n);
  char tmp[64], nat[40], st[32];
  ec2_get("return", tmp, sizeof tmp, "Action=DetachInternetGateway&InternetGatewayId=%s&VpcId=%s",
          n.igw, n.vpc);
  ec2_get("natGatewayId", nat, sizeof nat, "Action=CreateNatGateway&SubnetId=%s&AllocationId=%s",
          n.subnet, n.alloc);
  rc_sim_clock_advance(100000);
  struct rc_sim_call *c = tu_ec2("Action=DescribeNatGateways&NatGatewayId.1=%s", nat);
  assert_string_equal(tu_xml(c, "state", st, sizeof st), "failed");
  assert_string_equal(tu_xml(c, "failureCode", tmp, sizeof tmp), "Gateway.NotAttached");
  rc_sim_call_free(c);
}

static void test_sim_ec2__dependency_rules(void **state)
{
  struct net n;
  make_net(&n);
  char err[64], tmp[256], sg1[40], sg2[40], rtb[40], assoc[40];

  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteVpc&VpcId=%s", n.vpc),
                      "DependencyViolation");
  struct rc_sim_call *c = tu_ec2("Action=DeleteVpc&VpcId=%s", n.vpc);
  char want[160];
  snprintf(want, sizeof want, "The vpc &apos;%s&apos; has dependencies and cannot be deleted.", n.vpc);
  assert_string_equal(tu_xml(c, "Message", tmp, sizeof tmp), want);
  rc_sim_call_free(c);
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteInternetGateway&InternetGatewayId=%s", n.igw),
                      "DependencyViolation");
  /* security groups: referenced by another group, then in use by an ENI */
  ec2_get("groupId", sg1, sizeof sg1, "Action=CreateSecurityGroup&GroupName=alb&GroupDescription=a&VpcId=%s", n.vpc);
  ec2_get("groupId", sg2, sizeof sg2, "Action=CreateSecurityGroup&GroupName=app&GroupDescription=b&VpcId=%s", n.vpc);
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSecurityGroup&GroupName=alb&GroupDescription=a&VpcId=%s",
                              n.vpc), "InvalidGroup.Duplicate");
  c = tu_ec2("Action=AuthorizeSecurityGroupIngress&GroupId=%s&IpPermissions.1.IpProtocol=tcp"
             "&IpPermissions.1.FromPort=3000&IpPermissions.1.ToPort=3000"
             "&IpPermissions.1.Groups.1.GroupId=%s", sg2, sg1);
  assert_int_equal(c->resp.status, 200);
  assert_string_equal(tu_xml(c, "isEgress", tmp, sizeof tmp), "false");
  rc_sim_call_free(c);
  assert_string_equal(ec2_err(err, sizeof err,
                              "Action=AuthorizeSecurityGroupIngress&GroupId=%s&IpPermissions.1.IpProtocol=tcp"
                              "&IpPermissions.1.FromPort=3000&IpPermissions.1.ToPort=3000"
                              "&IpPermissions.1.Groups.1.GroupId=%s", sg2, sg1),
                      "InvalidPermission.Duplicate");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSecurityGroup&GroupId=%s", sg1),
                      "DependencyViolation");
  /* an ENI made for another service (ALB/ECS) pins its subnet and groups */
  char eni[40], ip[20];
  rc_sim_lock();
  const char *groups[] = {sg2};
  assert_int_equal(rc_sim_ec2_eni_create(n.subnet, groups, 1, "ELB app/x", eni, sizeof eni, ip,
                                         sizeof ip), RC_OK);
  assert_int_equal(rc_sim_ec2_eni_create("subnet-nope", groups, 1, "x", NULL, 0, NULL, 0),
                   RC_NOT_FOUND);
  struct rc_sim_subnet_info si;
  assert_int_equal(rc_sim_ec2_subnet_info(n.subnet, &si), RC_OK);
  assert_string_equal(si.vpc_id, n.vpc);
  assert_string_equal(si.az, "us-east-1a");
  rc_sim_unlock();
  assert_true(strncmp(ip, "10.0.1.", 7) == 0);
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSubnet&SubnetId=%s", n.subnet),
                      "DependencyViolation");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteNetworkInterface&NetworkInterfaceId=%s", eni),
                      "InvalidNetworkInterface.InUse");
  c = tu_ec2("Action=DescribeNetworkInterfaces&Filter.1.Name=group-id&Filter.1.Value.1=%s", sg2);
  assert_string_equal(tu_xml(c, "networkInterfaceId", tmp, sizeof tmp), eni);
  assert_string_equal(tu_xml(c, "privateIpAddress", tmp, sizeof tmp), ip);
  rc_sim_call_free(c);
  /* route tables: an associated table cannot go; the main one never */
  ec2_get("routeTableId", rtb, sizeof rtb, "Action=CreateRouteTable&VpcId=%s", n.vpc);
  ec2_get("associationId", assoc, sizeof assoc, "Action=AssociateRouteTable&RouteTableId=%s&SubnetId=%s",
          rtb, n.subnet);
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteRouteTable&RouteTableId=%s", rtb),
                      "DependencyViolation");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateRoute&RouteTableId=%s"
                              "&DestinationCidrBlock=0.0.0.0%%2F0&GatewayId=%s", rtb, n.igw), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateRoute&RouteTableId=%s"
                              "&DestinationCidrBlock=0.0.0.0%%2F0&GatewayId=%s", rtb, n.igw),
                      "RouteAlreadyExists");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteRoute&RouteTableId=%s"
                              "&DestinationCidrBlock=10.0.0.0%%2F16", rtb), "InvalidParameterValue");
  c = tu_ec2("Action=DescribeRouteTables&Filter.1.Name=association.main&Filter.1.Value.1=true"
             "&Filter.2.Name=vpc-id&Filter.2.Value.1=%s", n.vpc);
  assert_int_equal(tu_count(c, "<routeTableId>"), 2); /* the table and its association item */
  assert_null(strstr(c->resp.body.ptr, rtb));
  char main_assoc[40];
  tu_xml(c, "routeTableAssociationId", main_assoc, sizeof main_assoc);
  rc_sim_call_free(c);
  assert_string_equal(ec2_err(err, sizeof err, "Action=DisassociateRouteTable&AssociationId=%s", main_assoc),
                      "InvalidParameterValue");
  /* unwind in order: everything then succeeds */
  assert_string_equal(ec2_err(err, sizeof err, "Action=DisassociateRouteTable&AssociationId=%s", assoc), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteRouteTable&RouteTableId=%s", rtb), "");
  rc_sim_lock();
  assert_int_equal(rc_sim_ec2_eni_delete(eni), RC_OK);
  rc_sim_unlock();
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSecurityGroup&GroupId=%s", sg2), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSecurityGroup&GroupId=%s", sg1), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSubnet&SubnetId=%s", n.subnet), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteVpc&VpcId=%s", n.vpc), "DependencyViolation");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DetachInternetGateway&InternetGatewayId=%s&VpcId=%s",
                              n.igw, n.vpc), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteVpc&VpcId=%s", n.vpc), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeVpcs&VpcId.1=%s", n.vpc),
                      "InvalidVpcID.NotFound");
  /* the VPC's main table and default group went with it */
  c = tu_ec2("Action=DescribeRouteTables");
  assert_int_equal(tu_count(c, "<routeTableId>"), 0);
  rc_sim_call_free(c);
  c = tu_ec2("Action=DescribeSecurityGroupRules");
  assert_int_equal(tu_count(c, "<securityGroupRuleId>"), 0);
  rc_sim_call_free(c);

}

static void test_sim_ec2__subnet_cidrs(void **state)
{
  char vpc[40], err[64];
  ec2_get("vpcId", vpc, sizeof vpc, "Action=CreateVpc&CidrBlock=10.1.0.0%%2F16");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateVpc&CidrBlock=10.1.0.0%%2F8"), "InvalidVpc.Range");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.1.0.0%%2F20", vpc), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.1.8.0%%2F24", vpc),
                      "InvalidSubnet.Conflict");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.2.0.0%%2F24", vpc),
                      "InvalidSubnet.Range");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.1.16.0%%2F29", vpc),
                      "InvalidSubnet.Range");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.1.16.0%%2F24"
                              "&AvailabilityZone=us-east-1z", vpc), "InvalidParameterValue");
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=vpc-0000&CidrBlock=10.1.16.0%%2F24"),
                      "InvalidVpcID.NotFound");
  char az[32];
  assert_string_equal(ec2_get("availabilityZone", az, sizeof az, "Action=CreateSubnet&VpcId=%s"
                              "&CidrBlock=10.1.16.0%%2F24&AvailabilityZoneId=use1-az2", vpc), "us-east-1b");
}

static void test_sim_ec2__pagination_and_filters(void **state)
{
  char vpc[40], tmp[64], tok[64], err[64];
  ec2_get("vpcId", vpc, sizeof vpc, "Action=CreateVpc&CidrBlock=10.0.0.0%%2F16");
  for (int i = 0; i < 12; i++)
    ec2_get("subnetId", tmp, sizeof tmp, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.%d.0%%2F24"
            "&TagSpecification.1.ResourceType=subnet&TagSpecification.1.Tag.1.Key=tier"
            "&TagSpecification.1.Tag.1.Value=%s", vpc, i, i % 3 ? "private" : "public");
  struct rc_sim_call *c = tu_ec2("Action=DescribeSubnets&MaxResults=5");
  assert_int_equal(tu_count(c, "<subnetId>"), 5);
  tu_xml(c, "nextToken", tok, sizeof tok);
  rc_sim_call_free(c);
  assert_true(tok[0]);
  c = tu_ec2("Action=DescribeSubnets&MaxResults=5&NextToken=%s", tok);
  assert_int_equal(tu_count(c, "<subnetId>"), 5);
  tu_xml(c, "nextToken", tok, sizeof tok);
  rc_sim_call_free(c);
  c = tu_ec2("Action=DescribeSubnets&MaxResults=5&NextToken=%s", tok);
  assert_int_equal(tu_count(c, "<subnetId>"), 2);
  assert_null(strstr(c->resp.body.ptr, "<nextToken>"));
  rc_sim_call_free(c);
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeSubnets&MaxResults=4"), "InvalidParameterValue");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeSubnets&MaxResults=1001"), "InvalidParameterValue");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeSubnets&NextToken=garbage"), "InvalidParameterValue");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeSubnets&Filter.1.Name=bogus&Filter.1.Value.1=x"),
                      "InvalidParameterValue");
  c = tu_ec2("Action=DescribeSubnets&Filter.1.Name=tag%%3Atier&Filter.1.Value.1=public"
             "&Filter.2.Name=vpc-id&Filter.2.Value.1=%s", vpc);
  assert_int_equal(tu_count(c, "<subnetId>"), 4);
  rc_sim_call_free(c);
  c = tu_ec2("Action=DescribeSubnets&Filter.1.Name=tag-key&Filter.1.Value.1=ti*"
             "&Filter.2.Name=cidr-block&Filter.2.Value.1=10.0.1.0%%2F24&Filter.2.Value.2=10.0.2.0%%2F24");
  assert_int_equal(tu_count(c, "<subnetId>"), 2);
  rc_sim_call_free(c);
  c = tu_ec2("Action=DescribeTags&Filter.1.Name=resource-type&Filter.1.Value.1=subnet"
             "&Filter.2.Name=value&Filter.2.Value.1=public");
  assert_int_equal(tu_count(c, "<resourceId>"), 4);
  rc_sim_call_free(c);
}

static void test_sim_ec2__consistency_delay(void **state)
{
  rc_sim_config.consistency_delay_ms = 1000;
  char vpc[40], err[64];
  ec2_get("vpcId", vpc, sizeof vpc, "Action=CreateVpc&CidrBlock=10.0.0.0%%2F16");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeVpcs&VpcId.1=%s", vpc), "InvalidVpcID.NotFound");
  struct rc_sim_call *c = tu_ec2("Action=DescribeVpcs");
  assert_null(strstr(c->resp.body.ptr, vpc));
  rc_sim_call_free(c);
  /* writes that name it still work, as with AWS's read-after-write on ids */
  assert_string_equal(ec2_err(err, sizeof err, "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.0.0%%2F24", vpc), "");
  rc_sim_clock_advance(1000);
  assert_string_equal(ec2_err(err, sizeof err, "Action=DescribeVpcs&VpcId.1=%s", vpc), "");
  rc_sim_config.consistency_delay_ms = 0;
}

static void test_sim_ec2__state_round_trip(void **state)
{
  struct net n;
  make_net(&n);
  char tmp[64];
  ec2_get("natGatewayId", tmp, sizeof tmp, "Action=CreateNatGateway&SubnetId=%s&AllocationId=%s",
          n.subnet, n.alloc);
  ec2_get("return", tmp, sizeof tmp, "Action=CreateTags&ResourceId.1=%s&Tag.1.Key=k&Tag.1.Value=v", n.vpc);
  json_t *before = rc_sim_state_export();
  const char *path = "/tmp/recon-sim-unit-state.json";
  assert_int_equal(rc_sim_state_save(path), RC_OK);
  rc_sim_reset_all();
  json_t *empty = rc_sim_state_export();
  assert_int_equal(json_array_size(json_object_get(json_object_get(empty, "ec2"), "vpcs")), 0);
  json_decref(empty);
  assert_int_equal(rc_sim_state_load(path), RC_OK);
  json_t *after = rc_sim_state_export();
  assert_true(json_equal(json_object_get(before, "ec2"), json_object_get(after, "ec2")));
  json_t *vpcs = json_object_get(json_object_get(after, "ec2"), "vpcs");
  assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(vpcs, 0), "tags"), "k")), "v");
  json_decref(before);
  json_decref(after);
  remove(path);
  /* a restarted simulator (same seed) never hands out a loaded id again */
  assert_int_equal(rc_sim_state_save(path), RC_OK);
  rc_sim_init(3);
  assert_int_equal(rc_sim_state_load(path), RC_OK);
  char vpc2[40];
  ec2_get("vpcId", vpc2, sizeof vpc2, "Action=CreateVpc&CidrBlock=10.7.0.0%%2F16");
  assert_string_not_equal(vpc2, n.vpc);
  remove(path);
  /* the loaded world still works: the NAT comes up */
  rc_sim_clock_advance(100000);
  struct rc_sim_call *c = tu_ec2("Action=DescribeNatGateways");
  assert_string_equal(tu_xml(c, "state", tmp, sizeof tmp), "available");
  rc_sim_call_free(c);
}

static void test_sim_ec2__security_group_shapes(void **state)
{
  char vpc[40], sg[40], tmp[128], rule[40];
  ec2_get("vpcId", vpc, sizeof vpc, "Action=CreateVpc&CidrBlock=10.0.0.0%%2F16");
  ec2_get("groupId", sg, sizeof sg, "Action=CreateSecurityGroup&GroupName=web&GroupDescription=w&VpcId=%s", vpc);
  struct rc_sim_call *c = tu_ec2("Action=AuthorizeSecurityGroupIngress&GroupId=%s"
                                 "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=443&IpPermissions.1.ToPort=443"
                                 "&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%%2F0&IpPermissions.1.IpRanges.1.Description=a%%26b"
                                 "&IpPermissions.1.IpRanges.2.CidrIp=10.0.0.0%%2F8"
                                 "&TagSpecification.1.ResourceType=security-group-rule"
                                 "&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=r", sg);
  assert_int_equal(c->resp.status, 200);
  assert_int_equal(tu_count(c, "<securityGroupRuleId>"), 2);
  tu_xml(c, "securityGroupRuleId", rule, sizeof rule);
  rc_sim_call_free(c);
  c = tu_ec2("Action=DescribeSecurityGroups&GroupId.1=%s", sg);
  /* two ranges folded into one permission; default egress has no ports */
  assert_non_null(strstr(c->resp.body.ptr, "<ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort>"
                                           "<toPort>443</toPort><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp>"
                                           "<description>a&amp;b</description></item><item><cidrIp>10.0.0.0/8</cidrIp>"
                                           "</item></ipRanges>"));
  assert_non_null(strstr(c->resp.body.ptr, "<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/>"
                                           "<ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges>"));
  rc_sim_call_free(c);
  c = tu_ec2("Action=DescribeSecurityGroupRules&SecurityGroupRuleId.1=%s", rule);
  assert_string_equal(tu_xml(c, "value", tmp, sizeof tmp), "r");
  assert_string_equal(tu_xml(c, "cidrIpv4", tmp, sizeof tmp), "0.0.0.0/0");
  rc_sim_call_free(c);
  char err[64];
  assert_string_equal(ec2_err(err, sizeof err, "Action=RevokeSecurityGroupIngress&GroupId=%s"
                              "&SecurityGroupRuleId.1=%s", sg, rule), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=RevokeSecurityGroupIngress&GroupId=%s"
                              "&SecurityGroupRuleId.1=%s", sg, rule), "InvalidSecurityGroupRuleId.NotFound");
  assert_string_equal(ec2_err(err, sizeof err, "Action=RevokeSecurityGroupIngress&GroupId=%s"
                              "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=443&IpPermissions.1.ToPort=443"
                              "&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%%2F8", sg), "");
  assert_string_equal(ec2_err(err, sizeof err, "Action=AuthorizeSecurityGroupIngress&GroupId=%s"
                              "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.IpRanges.1.CidrIp=1.2.3.4%%2F32", sg),
                      "InvalidParameterValue");
  assert_string_equal(ec2_err(err, sizeof err, "Action=DeleteSecurityGroup&GroupName=default"), "CannotDelete");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sim_ec2__nat_state_machine, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__nat_fails_without_igw, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__dependency_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__subnet_cidrs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__pagination_and_filters, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__consistency_delay, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__state_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sim_ec2__security_group_shapes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
