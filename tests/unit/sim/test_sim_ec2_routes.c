/* test_sim_ec2_routes.c — EC2 details recon meets: routes to targets
 * recon-sim does not model (peering, transit gateway, GWLB endpoint) stored
 * as given, routes to ENIs, AWS's Malformed errors for badly formed ids;
 * gateway (edge) route-table associations; RevokeSecurityGroup* with a rule
 * set that is partly unknown (InvalidPermission.NotFound, nothing revoked,
 * as AWS answers for a non-default VPC); MissingParameter for the creates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "sim/sim_test_util.h"

static char g_vpc[40], g_subnet[40], g_rtb[40], g_igw[40], g_sg[40];

static void get(const char *tag, char *out, size_t outsz, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void get(const char *tag, char *out, size_t outsz, const char *fmt, ...)
{
  char form[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  struct rc_sim_call *c = tu_ec2("%s", form);
  if (c->resp.status != 200) fprintf(stderr, "%s → %s\n", form, c->resp.body.ptr);
  assert_int_equal(c->resp.status, 200);
  tu_xml(c, tag, out, outsz);
  rc_sim_call_free(c);
}

/* The error answer of a call: "Code|Message". */
static const char *err(char *out, size_t outsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static const char *err(char *out, size_t outsz, const char *fmt, ...)
{
  char form[2048], code[128], msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(form, sizeof form, fmt, ap);
  va_end(ap);
  struct rc_sim_call *c = tu_ec2("%s", form);
  assert_int_equal(c->resp.status, 400);
  tu_xml(c, "Code", code, sizeof code);
  tu_xml(c, "Message", msg, sizeof msg);
  /* the XML text back to characters */
  static const char *const ent[][2] = {{"&apos;", "'"}, {"&quot;", "\""}, {"&amp;", "&"}};
  char *w = msg;
  for (const char *r = msg; *r;) {
    size_t k = 0;
    while (k < 3 && strncmp(r, ent[k][0], strlen(ent[k][0])) != 0) k++;
    if (k < 3) {
      *w++ = ent[k][1][0];
      r += strlen(ent[k][0]);
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
  snprintf(out, outsz, "%s|%s", code, msg);
  rc_sim_call_free(c);
  return out;
}

static int setup(void **st)
{
  (void)st;
  rc_sim_init(21);
  get("vpcId", g_vpc, sizeof g_vpc, "Action=CreateVpc&CidrBlock=10.0.0.0%%2F16");
  get("subnetId", g_subnet, sizeof g_subnet,
      "Action=CreateSubnet&VpcId=%s&CidrBlock=10.0.1.0%%2F24&AvailabilityZone=us-east-1a", g_vpc);
  get("routeTableId", g_rtb, sizeof g_rtb, "Action=CreateRouteTable&VpcId=%s", g_vpc);
  get("internetGatewayId", g_igw, sizeof g_igw, "Action=CreateInternetGateway");
  char tmp[64];
  get("return", tmp, sizeof tmp, "Action=AttachInternetGateway&InternetGatewayId=%s&VpcId=%s",
      g_igw, g_vpc);
  get("groupId", g_sg, sizeof g_sg,
      "Action=CreateSecurityGroup&VpcId=%s&GroupName=app&GroupDescription=app", g_vpc);
  return 0;
}

static bool describe_has(const char *needle)
{
  struct rc_sim_call *c = tu_ec2("Action=DescribeRouteTables&RouteTableId.1=%s", g_rtb);
  bool has = c->resp.body.ptr && strstr(c->resp.body.ptr, needle);
  rc_sim_call_free(c);
  return has;
}

static void test_sim_ec2_routes__unmodelled_targets_stored(void **st)
{
  (void)st;
  char tmp[256], want[256];
  get("return", tmp, sizeof tmp,
      "Action=CreateRoute&RouteTableId=%s&DestinationCidrBlock=10.1.0.0%%2F16&"
      "VpcPeeringConnectionId=pcx-0123456789abcdef0", g_rtb);
  get("return", tmp, sizeof tmp,
      "Action=CreateRoute&RouteTableId=%s&DestinationCidrBlock=10.2.0.0%%2F16&"
      "TransitGatewayId=tgw-0123456789abcdef0", g_rtb);
  get("return", tmp, sizeof tmp,
      "Action=CreateRoute&RouteTableId=%s&DestinationCidrBlock=10.3.0.0%%2F16&"
      "VpcEndpointId=vpce-0123456789abcdef0", g_rtb);
  get("return", tmp, sizeof tmp,
      "Action=CreateRoute&RouteTableId=%s&DestinationCidrBlock=10.4.0.0%%2F16&"
      "GatewayId=vgw-01234567", g_rtb);
  assert_true(describe_has("<vpcPeeringConnectionId>pcx-0123456789abcdef0</vpcPeeringConnectionId>"));
  assert_true(describe_has("<transitGatewayId>tgw-0123456789abcdef0</transitGatewayId>"));
  assert_true(describe_has("<gatewayId>vpce-0123456789abcdef0</gatewayId>"));
  assert_true(describe_has("<gatewayId>vgw-01234567</gatewayId>"));
  /* replaced onto another kind of target */
  get("return", tmp, sizeof tmp,
      "Action=ReplaceRoute&RouteTableId=%s&DestinationCidrBlock=10.1.0.0%%2F16&"
      "TransitGatewayId=tgw-0aaaaaaaaaaaaaaaa", g_rtb);
  assert_false(describe_has("pcx-0123456789abcdef0"));
  /* badly formed ids: AWS's Malformed codes */
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                          "DestinationCidrBlock=10.9.0.0%%2F16&VpcPeeringConnectionId=peer-1",
                          g_rtb),
                      "InvalidVpcPeeringConnectionId.Malformed|Invalid id: \"peer-1\" "
                      "(expecting \"pcx-...\")");
  snprintf(want, sizeof want, "%s", "InvalidTransitGatewayID.Malformed|Invalid id: \"tgw-xyz\" (expecting \"tgw-...\")");
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                          "DestinationCidrBlock=10.9.0.0%%2F16&TransitGatewayId=tgw-xyz", g_rtb),
                      want);
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                          "DestinationCidrBlock=10.9.0.0%%2F16&NetworkInterfaceId=to-set", g_rtb),
                      "InvalidNetworkInterfaceId.Malformed|Invalid id: \"to-set\" "
                      "(expecting \"eni-...\")");
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                          "DestinationCidrBlock=10.9.0.0%%2F16&VpcEndpointId=vpce-1", g_rtb),
                      "InvalidVpcEndpointId.Malformed|Invalid id: \"vpce-1\" "
                      "(expecting \"vpce-...\")");
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                          "DestinationCidrBlock=10.9.0.0%%2F16&GatewayId=gw-1", g_rtb),
                      "InvalidGatewayID.NotFound|The gateway ID 'gw-1' does not exist");
  /* one target exactly */
  assert_non_null(strstr(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                             "DestinationCidrBlock=10.9.0.0%%2F16&GatewayId=%s&"
                             "TransitGatewayId=tgw-0123456789abcdef0", g_rtb, g_igw),
                         "InvalidParameterCombination|"));
  assert_non_null(strstr(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                             "DestinationCidrBlock=10.9.0.0%%2F16", g_rtb),
                         "MissingParameter|"));
  /* they survive the state file */
  const char *path = "/tmp/recon-sim-unit-routes.json";
  assert_int_equal(rc_sim_state_save(path), RC_OK);
  rc_sim_reset_all();
  assert_int_equal(rc_sim_state_load(path), RC_OK);
  remove(path);
  assert_true(describe_has("<transitGatewayId>tgw-0aaaaaaaaaaaaaaaa</transitGatewayId>"));
  assert_true(describe_has("<gatewayId>vpce-0123456789abcdef0</gatewayId>"));
}

static void test_sim_ec2_routes__to_network_interface(void **st)
{
  (void)st;
  char eni[40], tmp[256], want[256];
  get("networkInterfaceId", eni, sizeof eni, "Action=CreateNetworkInterface&SubnetId=%s",
      g_subnet);
  get("return", tmp, sizeof tmp,
      "Action=CreateRoute&RouteTableId=%s&DestinationCidrBlock=0.0.0.0%%2F0&"
      "NetworkInterfaceId=%s", g_rtb, eni);
  snprintf(want, sizeof want, "<networkInterfaceId>%s</networkInterfaceId>", eni);
  assert_true(describe_has(want));
  assert_true(describe_has("<state>active</state>"));
  snprintf(want, sizeof want,
           "InvalidNetworkInterfaceID.NotFound|The networkInterface ID "
           "'eni-0123456789abcdef0' does not exist");
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateRoute&RouteTableId=%s&"
                          "DestinationCidrBlock=10.8.0.0%%2F16&NetworkInterfaceId="
                          "eni-0123456789abcdef0", g_rtb), want);
  get("return", tmp, sizeof tmp, "Action=DeleteNetworkInterface&NetworkInterfaceId=%s", eni);
  assert_true(describe_has("<state>blackhole</state>"));
}

static void test_sim_ec2_routes__gateway_association(void **st)
{
  (void)st;
  char assoc[40], tmp[256], want[256], rtb2[40];
  get("associationId", assoc, sizeof assoc, "Action=AssociateRouteTable&RouteTableId=%s&"
      "GatewayId=%s", g_rtb, g_igw);
  snprintf(want, sizeof want, "<gatewayId>%s</gatewayId>", g_igw);
  assert_true(describe_has(want));
  /* the same pair again answers the same association */
  get("associationId", tmp, sizeof tmp, "Action=AssociateRouteTable&RouteTableId=%s&"
      "GatewayId=%s", g_rtb, g_igw);
  assert_string_equal(tmp, assoc);
  /* filter by association.gateway-id */
  struct rc_sim_call *c = tu_ec2("Action=DescribeRouteTables&Filter.1.Name=association.gateway-id&"
                                 "Filter.1.Value.1=%s", g_igw);
  assert_string_equal(tu_xml(c, "routeTableId", tmp, sizeof tmp), g_rtb);
  rc_sim_call_free(c);
  /* one table per gateway */
  get("routeTableId", rtb2, sizeof rtb2, "Action=CreateRouteTable&VpcId=%s", g_vpc);
  assert_non_null(strstr(err(tmp, sizeof tmp, "Action=AssociateRouteTable&RouteTableId=%s&"
                             "GatewayId=%s", rtb2, g_igw), "Resource.AlreadyAssociated|"));
  assert_string_equal(err(tmp, sizeof tmp, "Action=AssociateRouteTable&RouteTableId=%s&"
                          "GatewayId=igw-0123456789abcdef0", rtb2),
                      "InvalidGatewayID.NotFound|The gateway ID 'igw-0123456789abcdef0' does "
                      "not exist");
  assert_non_null(strstr(err(tmp, sizeof tmp, "Action=AssociateRouteTable&RouteTableId=%s",
                             rtb2), "MissingParameter|"));
  /* moved with ReplaceRouteTableAssociation, then removed */
  char moved[40];
  get("newAssociationId", moved, sizeof moved, "Action=ReplaceRouteTableAssociation&"
      "AssociationId=%s&RouteTableId=%s", assoc, rtb2);
  assert_false(describe_has(want));
  get("return", tmp, sizeof tmp, "Action=DisassociateRouteTable&AssociationId=%s", moved);
  get("return", tmp, sizeof tmp, "Action=DeleteRouteTable&RouteTableId=%s", rtb2);
}

static size_t rule_count(void)
{
  struct rc_sim_call *c = tu_ec2("Action=DescribeSecurityGroupRules&Filter.1.Name=group-id&"
                                 "Filter.1.Value.1=%s", g_sg);
  size_t n = 0;
  for (const char *p = c->resp.body.ptr; (p = strstr(p, "<securityGroupRuleId>")); p++) n++;
  rc_sim_call_free(c);
  return n;
}

static void test_sim_ec2_routes__revoke_partly_unknown(void **st)
{
  (void)st;
  char tmp[256];
  get("return", tmp, sizeof tmp,
      "Action=AuthorizeSecurityGroupIngress&GroupId=%s&"
      "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80&"
      "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%%2F0&"
      "IpPermissions.2.IpProtocol=tcp&IpPermissions.2.FromPort=443&IpPermissions.2.ToPort=443&"
      "IpPermissions.2.IpRanges.1.CidrIp=0.0.0.0%%2F0", g_sg);
  size_t before = rule_count(); /* 2 ingress + the default egress */
  assert_int_equal(before, 3);
  /* one known, one unknown: the whole call fails and nothing is revoked */
  assert_string_equal(err(tmp, sizeof tmp, "Action=RevokeSecurityGroupIngress&GroupId=%s&"
      "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80&"
      "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%%2F0&"
      "IpPermissions.2.IpProtocol=tcp&IpPermissions.2.FromPort=8080&IpPermissions.2.ToPort=8080&"
      "IpPermissions.2.IpRanges.1.CidrIp=0.0.0.0%%2F0", g_sg),
      "InvalidPermission.NotFound|The specified rule does not exist in this security group.");
  assert_int_equal(rule_count(), before);
  /* an egress rule named in an ingress revoke is unknown too */
  assert_non_null(strstr(err(tmp, sizeof tmp, "Action=RevokeSecurityGroupIngress&GroupId=%s&"
      "IpPermissions.1.IpProtocol=-1&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%%2F0", g_sg),
      "InvalidPermission.NotFound|"));
  /* the known ones alone go */
  get("return", tmp, sizeof tmp, "Action=RevokeSecurityGroupIngress&GroupId=%s&"
      "IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80&"
      "IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%%2F0", g_sg);
  assert_string_equal(tmp, "true");
  assert_int_equal(rule_count(), before - 1);
}

static void test_sim_ec2_routes__create_missing_parameters(void **st)
{
  (void)st;
  char tmp[512];
  static const struct {
    const char *form, *want;
  } cases[] = {
      {"Action=CreateVpc", "MissingParameter|Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided."},
      {"Action=CreateSubnet&CidrBlock=10.0.9.0%2F24", "MissingParameter|The request must contain the parameter VpcId"},
      {"Action=CreateSecurityGroup&GroupDescription=x", "MissingParameter|The request must contain the parameter GroupName"},
      {"Action=CreateSecurityGroup&GroupName=x", "MissingParameter|The request must contain the parameter GroupDescription"},
      {"Action=CreateRouteTable", "MissingParameter|The request must contain the parameter VpcId"},
      {"Action=CreateRoute&DestinationCidrBlock=0.0.0.0%2F0", "MissingParameter|The request must contain the parameter RouteTableId"},
      {"Action=CreateNatGateway", "MissingParameter|The request must contain the parameter SubnetId"},
      {"Action=CreateNetworkInterface", "MissingParameter|The request must contain the parameter SubnetId"},
      {"Action=CreateTags&Tag.1.Key=k", "MissingParameter|The request must contain the parameter ResourceId"},
      {"Action=AttachInternetGateway&VpcId=vpc-1", "MissingParameter|The request must contain the parameter InternetGatewayId"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    assert_string_equal(err(tmp, sizeof tmp, "%s", cases[i].form), cases[i].want);
  char want[256];
  snprintf(want, sizeof want, "MissingParameter|The request must contain the parameter CidrBlock");
  assert_string_equal(err(tmp, sizeof tmp, "Action=CreateSubnet&VpcId=%s", g_vpc), want);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_sim_ec2_routes__unmodelled_targets_stored, setup),
      cmocka_unit_test_setup(test_sim_ec2_routes__to_network_interface, setup),
      cmocka_unit_test_setup(test_sim_ec2_routes__gateway_association, setup),
      cmocka_unit_test_setup(test_sim_ec2_routes__revoke_partly_unknown, setup),
      cmocka_unit_test_setup(test_sim_ec2_routes__create_missing_parameters, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
