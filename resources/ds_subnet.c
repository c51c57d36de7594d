/* ds_subnet — data "aws_subnet": exactly one subnet matched by id,
 * availability_zone, availability_zone_id, cidr_block, default_for_az,
 * ipv6_cidr_block, state, vpc_id, tags and filter {} blocks, with the
 * provider's filter names, in one DescribeSubnets; every attribute comes
 * from that answer. No match or several is an error in the provider's words
 * ("no matching EC2 Subnet found", "multiple EC2 Subnets matched; ..."). */
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr filter_block[] = {
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "values", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

#define OPT_COMP (RC_A_OPTIONAL | RC_A_COMPUTED)
static const struct rc_attr dssubnet_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = OPT_COMP},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "assign_ipv6_address_on_creation", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "availability_zone", .type = RC_T_STRING, .flags = OPT_COMP},
    {.name = "availability_zone_id", .type = RC_T_STRING, .flags = OPT_COMP},
    {.name = "available_ip_address_count", .type = RC_T_NUMBER, .flags = RC_A_COMPUTED},
    {.name = "cidr_block", .type = RC_T_STRING, .flags = OPT_COMP},
    {.name = "customer_owned_ipv4_pool", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "default_for_az", .type = RC_T_BOOL, .flags = OPT_COMP},
    {.name = "enable_dns64", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "enable_lni_at_device_index", .type = RC_T_NUMBER, .flags = RC_A_COMPUTED},
    {.name = "enable_resource_name_dns_a_record_on_launch", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "enable_resource_name_dns_aaaa_record_on_launch", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "filter", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = filter_block},
    {.name = "ipv6_cidr_block", .type = RC_T_STRING, .flags = OPT_COMP},
    {.name = "ipv6_cidr_block_association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "ipv6_native", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "map_customer_owned_ip_on_launch", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "map_public_ip_on_launch", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "outpost_arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "private_dns_hostname_type_on_launch", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "state", .type = RC_T_STRING, .flags = OPT_COMP},
    {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = OPT_COMP},
    {.name = "vpc_id", .type = RC_T_STRING, .flags = OPT_COMP},
    {0}};

static const struct {
  const char *name, *answer;
} bools[] = {
    {"assign_ipv6_address_on_creation", "assignIpv6AddressOnCreation"},
    {"default_for_az", "defaultForAz"},
    {"enable_dns64", "enableDns64"},
    {"ipv6_native", "ipv6Native"},
    {"map_customer_owned_ip_on_launch", "mapCustomerOwnedIpOnLaunch"},
    {"map_public_ip_on_launch", "mapPublicIpOnLaunch"},
};

static const struct {
  const char *name, *answer;
} strs[] = {
    {"id", "subnetId"},
    {"availability_zone", "availabilityZone"},
    {"availability_zone_id", "availabilityZoneId"},
    {"cidr_block", "cidrBlock"},
    {"customer_owned_ipv4_pool", "customerOwnedIpv4Pool"},
    {"outpost_arn", "outpostArn"},
    {"owner_id", "ownerId"},
    {"state", "state"},
    {"vpc_id", "vpcId"},
};

static struct rc_value *subnet_attrs(struct rc_rctx *ctx, const struct rc_value *config,
                                     const struct rc_value *it)
{
  struct rc_value *o = rc_value_copy(config);
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
    rc_ec2u_put_str(o, strs[i].name, rc_aws_str(it, strs[i].answer));
  for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
    rc_ec2u_put_bool(o, bools[i].name, rc_aws_str(it, bools[i].answer), false);
  const char *arn = rc_aws_str(it, "subnetArn");
  if (arn)
    rc_ec2u_put_str(o, "arn", arn);
  else
    rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(ctx, rc_aws_str(it, "ownerId"),
                                                                 "subnet", rc_aws_str(it, "subnetId"))));
  rc_ec2u_put_int(o, "available_ip_address_count", rc_aws_str(it, "availableIpAddressCount"));
  rc_ec2u_put_int(o, "enable_lni_at_device_index", rc_aws_str(it, "enableLniAtDeviceIndex"));
  const struct rc_value *dns = rc_value_get(it, "privateDnsNameOptionsOnLaunch");
  if (dns && rc_value_is_obj(dns)) {
    rc_ec2u_put_bool(o, "enable_resource_name_dns_a_record_on_launch",
                     rc_aws_str(dns, "enableResourceNameDnsARecord"), false);
    rc_ec2u_put_bool(o, "enable_resource_name_dns_aaaa_record_on_launch",
                     rc_aws_str(dns, "enableResourceNameDnsAAAARecord"), false);
    rc_ec2u_put_str(o, "private_dns_hostname_type_on_launch", rc_aws_str(dns, "hostnameType"));
  } else {
    rc_value_obj_put(o, "enable_resource_name_dns_a_record_on_launch", rc_value_null());
    rc_value_obj_put(o, "enable_resource_name_dns_aaaa_record_on_launch", rc_value_null());
    rc_value_obj_put(o, "private_dns_hostname_type_on_launch", rc_value_null());
  }
  rc_value_obj_put(o, "ipv6_cidr_block", rc_value_null());
  rc_value_obj_put(o, "ipv6_cidr_block_association_id", rc_value_null());
  const struct rc_value *v6 = rc_aws_list(it, "ipv6CidrBlockAssociationSet");
  for (size_t i = 0; i < rc_value_len(v6); i++) {
    const struct rc_value *a = rc_value_index(v6, i);
    const struct rc_value *st = rc_value_path(a, "ipv6CidrBlockState.state");
    if (!st || !rc_value_str(st) || strcmp(rc_value_str(st), "associated") != 0) continue;
    rc_ec2u_put_str(o, "ipv6_cidr_block", rc_aws_str(a, "ipv6CidrBlock"));
    rc_ec2u_put_str(o, "ipv6_cidr_block_association_id", rc_aws_str(a, "associationId"));
  }
  struct rc_value *aws_tags = rc_res_ec2_tags(it);
  rc_value_obj_put(o, "tags", rc_res_visible_tags(aws_tags));
  rc_value_decref(aws_tags);
  if (!rc_value_get(o, "filter")) rc_value_obj_put(o, "filter", rc_value_null());
  return o;
}

static rc_status dssubnet_read(struct rc_rctx *ctx, const struct rc_value *config,
                               struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  const char *id = rc_res_str(config, "id");
  if (id && *id) rc_aws_param(p, "SubnetId.1", id);
  /* the provider's attribute filters; default_for_az only filters when true */
  int n = rc_ec2u_filter1(p, 1, "availabilityZone", rc_res_str(config, "availability_zone"));
  n = rc_ec2u_filter1(p, n, "availabilityZoneId", rc_res_str(config, "availability_zone_id"));
  n = rc_ec2u_filter1(p, n, "defaultForAz", rc_res_bool(config, "default_for_az", false) ? "true" : NULL);
  n = rc_ec2u_filter1(p, n, "state", rc_res_str(config, "state"));
  n = rc_ec2u_filter1(p, n, "vpc-id", rc_res_str(config, "vpc_id"));
  n = rc_ec2u_filter1(p, n, "cidrBlock", rc_res_str(config, "cidr_block"));
  n = rc_ec2u_filter1(p, n, "ipv6-cidr-block-association.ipv6-cidr-block",
                      rc_res_str(config, "ipv6_cidr_block"));
  rc_ec2u_ds_filters(p, n, config);
  rc_status st = rc_aws_call_all(ctx->aws, "ec2", "DescribeSubnets", p, "subnetSet", &list, err);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) { /* an id that does not exist: no match */
    rc_value_decref(list);
    list = NULL;
    rc_error_clear(err);
    st = RC_OK;
  }
  if (st) return st;
  size_t cnt = list ? rc_value_len(list) : 0;
  if (cnt != 1) {
    rc_value_decref(list);
    return rc_error_set(err, cnt ? RC_CONFLICT : RC_NOT_FOUND, "%s",
                        cnt ? "multiple EC2 Subnets matched; use additional constraints to reduce "
                              "matches to a single EC2 Subnet"
                            : "no matching EC2 Subnet found");
  }
  *out = subnet_attrs(ctx, config, rc_value_index(list, 0));
  rc_value_decref(list);
  return RC_OK;
}

const struct rc_resource_type rc_ds_subnet = {
    .name = "aws_subnet",
    .flags = RC_RT_DATA,
    .schema = dssubnet_schema,
    .read = dssubnet_read,
};
