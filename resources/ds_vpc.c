/* ds_vpc — data "aws_vpc": exactly one VPC matched by id, cidr_block,
 * default, dhcp_options_id, state, tags and filter {} blocks (one
 * DescribeVpcs), then read in full as the aws_vpc resource reads it (DNS
 * attributes, main route table). No match or several is an error, in the
 * provider's words. */
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

extern const struct rc_resource_type rc_rt_vpc;

static const struct rc_attr filter_block[] = {
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "values", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr assoc_block[] = {
    {.name = "association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "cidr_block", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "state", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {0}};

static const struct rc_attr dsvpc_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "cidr_block_associations", .type = RC_T_BLOCK_LIST, .flags = RC_A_COMPUTED, .block = assoc_block},
    {.name = "default", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "dhcp_options_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "enable_dns_hostnames", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "enable_dns_support", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "enable_network_address_usage_metrics", .type = RC_T_BOOL, .flags = RC_A_COMPUTED},
    {.name = "filter", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = filter_block},
    {.name = "instance_tenancy", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "ipv6_association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "ipv6_cidr_block", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "main_route_table_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "state", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {0}};

static rc_status dsvpc_read(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  const char *id = rc_res_str(config, "id");
  if (id && *id) rc_aws_param(p, "VpcId.1", id);
  int n = rc_ec2u_filter1(p, 1, "cidr", rc_res_str(config, "cidr_block"));
  n = rc_ec2u_filter1(p, n, "dhcp-options-id", rc_res_str(config, "dhcp_options_id"));
  n = rc_ec2u_filter1(p, n, "state", rc_res_str(config, "state"));
  const struct rc_value *dv = rc_value_get(config, "default");
  if (dv && rc_value_kind(dv) == RC_BOOL)
    n = rc_ec2u_filter1(p, n, "is-default", rc_value_bool_get(dv) ? "true" : "false");
  rc_ec2u_ds_filters(p, n, config);
  rc_status st = rc_aws_call_all(ctx->aws, "ec2", "DescribeVpcs", p, "vpcSet", &list, err);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    return rc_error_set(err, RC_NOT_FOUND, "no matching EC2 VPC found");
  }
  if (st) return st;
  size_t cnt = rc_value_len(list);
  if (cnt != 1) {
    rc_value_decref(list);
    return rc_error_set(err, cnt ? RC_CONFLICT : RC_NOT_FOUND, "%s",
                        cnt ? "multiple EC2 VPCs matched; use additional constraints to reduce "
                              "matches to a single EC2 VPC"
                            : "no matching EC2 VPC found");
  }
  const struct rc_value *it = rc_value_index(list, 0);
  struct rc_value *full = NULL;
  st = rc_rt_vpc.import(ctx, rc_aws_str(it, "vpcId"), &full, err);
  if (st) {
    rc_value_decref(list);
    return st;
  }
  struct rc_value *o = rc_value_copy(config);
  static const char *const copy[] = {"id", "arn", "cidr_block", "dhcp_options_id",
                                     "enable_dns_hostnames", "enable_dns_support",
                                     "enable_network_address_usage_metrics", "instance_tenancy",
                                     "ipv6_association_id", "ipv6_cidr_block",
                                     "main_route_table_id", "owner_id", "tags"};
  for (size_t i = 0; i < sizeof copy / sizeof *copy; i++) {
    const struct rc_value *v = rc_value_get(full, copy[i]);
    rc_value_obj_put(o, copy[i], v ? rc_value_incref(v) : rc_value_null());
  }
  const char *isd = rc_aws_str(it, "isDefault");
  rc_value_obj_put(o, "default", rc_value_bool(isd && strcmp(isd, "true") == 0));
  rc_ec2u_put_str(o, "state", rc_aws_str(it, "state"));
  struct rc_value *assocs = rc_value_seq_new(RC_TUPLE);
  const struct rc_value *al = rc_aws_list(it, "cidrBlockAssociationSet");
  for (size_t i = 0; i < rc_value_len(al); i++) {
    const struct rc_value *a = rc_value_index(al, i);
    struct rc_value *e = rc_value_obj_new(RC_OBJECT);
    rc_ec2u_put_str(e, "association_id", rc_aws_str(a, "associationId"));
    rc_ec2u_put_str(e, "cidr_block", rc_aws_str(a, "cidrBlock"));
    const struct rc_value *s = rc_value_path(a, "cidrBlockState.state");
    rc_ec2u_put_str(e, "state", s ? rc_value_str(s) : NULL);
    rc_value_seq_push(assocs, e);
  }
  rc_value_obj_put(o, "cidr_block_associations", assocs);
  rc_value_decref(full);
  rc_value_decref(list);
  *out = o;
  return RC_OK;
}

const struct rc_resource_type rc_ds_vpc = {
    .name = "aws_vpc",
    .flags = RC_RT_DATA,
    .schema = dsvpc_schema,
    .read = dsvpc_read,
};
