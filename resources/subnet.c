/* subnet — aws_subnet: CreateSubnet with tags at birth, then the launch
 * attributes through ModifySubnetAttribute (one attribute per call, only
 * those that differ from what the subnet has); refresh is one
 * DescribeSubnets for every subnet; delete retries DependencyViolation while
 * ENIs are released. */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr subnet_schema[] = {
    RC_EC2U_ID,
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "assign_ipv6_address_on_creation", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "availability_zone", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "availability_zone_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .normalise = rc_ec2u_norm_cidr},
    {.name = "customer_owned_ipv4_pool", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "enable_dns64", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_lni_at_device_index", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "enable_resource_name_dns_a_record_on_launch", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "enable_resource_name_dns_aaaa_record_on_launch", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "ipv6_cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED, .normalise = rc_ec2u_norm_cidr},
    {.name = "ipv6_cidr_block_association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "ipv6_native", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .default_json = "false"},
    {.name = "map_customer_owned_ip_on_launch", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL},
    {.name = "map_public_ip_on_launch", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "false"},
    {.name = "outpost_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "private_dns_hostname_type_on_launch", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "vpc_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    RC_EC2U_TAGS,
    {0}};

/* the bool attributes ModifySubnetAttribute changes, one per call */
static const struct {
  const char *name, *wire, *answer;
} subnet_bools[] = {
    {"map_public_ip_on_launch", "MapPublicIpOnLaunch", "mapPublicIpOnLaunch"},
    {"assign_ipv6_address_on_creation", "AssignIpv6AddressOnCreation", "assignIpv6AddressOnCreation"},
    {"enable_dns64", "EnableDns64", "enableDns64"},
    {"enable_resource_name_dns_a_record_on_launch", "EnableResourceNameDnsARecordOnLaunch",
     "privateDnsNameOptionsOnLaunch.enableResourceNameDnsARecord"},
    {"enable_resource_name_dns_aaaa_record_on_launch", "EnableResourceNameDnsAAAARecordOnLaunch",
     "privateDnsNameOptionsOnLaunch.enableResourceNameDnsAAAARecord"},
};
#define NBOOLS (sizeof subnet_bools / sizeof *subnet_bools)

static struct rc_value *subnet_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                        const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "subnetId"), *owner = rc_aws_str(it, "ownerId");
  rc_ec2u_put_str(o, "id", id);
  const char *arn = rc_aws_str(it, "subnetArn");
  if (arn)
    rc_ec2u_put_str(o, "arn", arn);
  else
    rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(ctx, owner, "subnet", id)));
  rc_ec2u_put_str(o, "availability_zone", rc_aws_str(it, "availabilityZone"));
  rc_ec2u_put_str(o, "availability_zone_id", rc_aws_str(it, "availabilityZoneId"));
  rc_ec2u_put_str(o, "cidr_block", rc_aws_str(it, "cidrBlock"));
  rc_ec2u_put_str(o, "customer_owned_ipv4_pool", rc_aws_str(it, "customerOwnedIpv4Pool"));
  for (size_t i = 0; i < NBOOLS; i++) {
    const struct rc_value *v = rc_value_path(it, subnet_bools[i].answer);
    rc_ec2u_put_bool(o, subnet_bools[i].name, v ? rc_value_str(v) : NULL, false);
  }
  rc_ec2u_put_int(o, "enable_lni_at_device_index", rc_aws_str(it, "enableLniAtDeviceIndex"));
  rc_ec2u_put_bool(o, "ipv6_native", rc_aws_str(it, "ipv6Native"), false);
  /* map_customer_owned_ip_on_launch is only meaningful with a CoIP pool */
  if (rc_aws_str(it, "customerOwnedIpv4Pool"))
    rc_ec2u_put_bool(o, "map_customer_owned_ip_on_launch",
                     rc_aws_str(it, "mapCustomerOwnedIpOnLaunch"), false);
  else
    rc_ec2u_carry(o, prior, "map_customer_owned_ip_on_launch");
  rc_ec2u_put_str(o, "outpost_arn", rc_aws_str(it, "outpostArn"));
  rc_ec2u_put_str(o, "owner_id", owner);
  const struct rc_value *ht = rc_value_path(it, "privateDnsNameOptionsOnLaunch.hostnameType");
  rc_ec2u_put_str(o, "private_dns_hostname_type_on_launch", ht ? rc_value_str(ht) : NULL);
  rc_ec2u_put_str(o, "vpc_id", rc_aws_str(it, "vpcId"));
  rc_ec2u_put_str(o, "ipv6_cidr_block", NULL);
  rc_ec2u_put_str(o, "ipv6_cidr_block_association_id", NULL);
  const struct rc_value *v6 = rc_aws_list(it, "ipv6CidrBlockAssociationSet");
  for (size_t i = 0; i < rc_value_len(v6); i++) {
    const struct rc_value *a = rc_value_index(v6, i);
    const struct rc_value *st = rc_value_path(a, "ipv6CidrBlockState.state");
    if (st && rc_value_str(st) && strcmp(rc_value_str(st), "associated") != 0) continue;
    rc_ec2u_put_str(o, "ipv6_cidr_block", rc_aws_str(a, "ipv6CidrBlock"));
    rc_ec2u_put_str(o, "ipv6_cidr_block_association_id", rc_aws_str(a, "associationId"));
    break;
  }
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const struct rc_ec2u_kind subnet_kind = {
    .describe_op = "DescribeSubnets",
    .list_key = "subnetSet",
    .id_filter = "subnet-id",
    .id_key = "subnetId",
    .to_state = subnet_to_state,
};

static rc_status subnet_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &subnet_kind, items, n);
}

static rc_status subnet_find(struct rc_rctx *ctx, const struct rc_value *config,
                             struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &subnet_kind, config, out, err);
}

static rc_status modify(struct rc_rctx *ctx, const char *id, const char *key, const char *val,
                        struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "SubnetId", id);
  rc_aws_param(p, key, val);
  rc_status st = rc_ec2u_call(ctx, "ModifySubnetAttribute", p, err);
  rc_value_decref(p);
  return st;
}

/* ModifySubnetAttribute for every configured attribute that differs from have */
static rc_status apply_attrs(struct rc_rctx *ctx, const char *id, const struct rc_value *have,
                             const struct rc_value *config, struct rc_error *err)
{
  char key[96];
  for (size_t i = 0; i < NBOOLS; i++) {
    const struct rc_value *cv = rc_value_get(config, subnet_bools[i].name);
    if (!cv || rc_value_is_null(cv) || !rc_value_is_known(cv)) continue;
    bool want = rc_res_bool(config, subnet_bools[i].name, false);
    if (want == rc_res_bool(have, subnet_bools[i].name, false)) continue;
    snprintf(key, sizeof key, "%s.Value", subnet_bools[i].wire);
    rc_status st = modify(ctx, id, key, want ? "true" : "false", err);
    if (st) return st;
  }
  const char *ht = rc_res_str(config, "private_dns_hostname_type_on_launch");
  const char *had = rc_res_str(have, "private_dns_hostname_type_on_launch");
  if (ht && (!had || strcmp(ht, had) != 0)) {
    rc_status st = modify(ctx, id, "PrivateDnsHostnameTypeOnLaunch", ht, err);
    if (st) return st;
  }
  int64_t lni = rc_res_int(config, "enable_lni_at_device_index", 0);
  if (lni > 0 && lni != rc_res_int(have, "enable_lni_at_device_index", 0)) {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)lni);
    rc_status st = modify(ctx, id, "EnableLniAtDeviceIndex", n, err);
    if (st) return st;
  }
  return RC_OK;
}

static rc_status subnet_create(struct rc_rctx *ctx, const struct rc_value *config,
                               struct rc_value **out, struct rc_error *err)
{
  static const struct {
    const char *name, *wire;
  } strs[] = {{"vpc_id", "VpcId"},
              {"cidr_block", "CidrBlock"},
              {"availability_zone", "AvailabilityZone"},
              {"availability_zone_id", "AvailabilityZoneId"},
              {"ipv6_cidr_block", "Ipv6CidrBlock"},
              {"outpost_arn", "OutpostArn"}};
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  *out = NULL;
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
    const char *s = rc_res_str(config, strs[i].name);
    if (s && *s) rc_aws_param(p, strs[i].wire, s);
  }
  if (rc_res_bool(config, "ipv6_native", false)) rc_aws_param(p, "Ipv6Native", "true");
  rc_res_ec2_tag_spec(ctx, p, 1, "subnet", config);
  rc_status st = rc_aws_call(ctx->aws, "ec2", "CreateSubnet", p, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_value_str(rc_value_path(ans, "subnet.subnetId")));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "CreateSubnet answered without a subnetId");
  struct rc_value *now = NULL;
  st = rc_ec2u_read_one(ctx, &subnet_kind, id, config, RC_EC2U_VISIBLE_S, &now, err);
  if (!st) st = apply_attrs(ctx, id, now, config, err);
  rc_value_decref(now);
  if (!st) st = rc_ec2u_read_one(ctx, &subnet_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status subnet_update(struct rc_rctx *ctx, const struct rc_value *prior,
                               const struct rc_value *config, struct rc_value **out,
                               struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  *out = NULL;
  rc_status st = apply_attrs(ctx, id, prior, config, err);
  if (!st) {
    struct rc_value *want = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), want, err);
    rc_value_decref(want);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &subnet_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status subnet_delete(struct rc_rctx *ctx, const struct rc_value *state,
                               struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  return rc_ec2u_delete(ctx, "DeleteSubnet", "SubnetId", rc_res_str(state, "id"), retry,
                        rc_res_timeout(ctx, "delete", 1200), err);
}

static rc_status subnet_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                               struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &subnet_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_subnet = {
    .name = "aws_subnet",
    .flags = RC_RT_TAGGABLE,
    .schema = subnet_schema,
    .read_many = subnet_read_many,
    .find = subnet_find,
    .create = subnet_create,
    .update = subnet_update,
    .delete = subnet_delete,
    .import = subnet_import,
};
