/* vpc — aws_vpc: CreateVpc with tags at birth, the DNS attributes through
 * ModifyVpcAttribute (one attribute per call) and DescribeVpcAttribute (all
 * VPCs' attributes fetched concurrently), the main route table, default
 * security group and default network ACL found with one filtered Describe
 * each for the whole batch. */
#include <ctype.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr vpc_schema[] = {
    RC_EC2U_ID,
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "assign_generated_ipv6_cidr_block", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL},
    {.name = "cidr_block",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW,
     .normalise = rc_ec2u_norm_cidr},
    {.name = "default_network_acl_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "default_route_table_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "default_security_group_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "dhcp_options_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "enable_dns_hostnames", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "enable_dns_support", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL, .default_json = "true"},
    {.name = "enable_network_address_usage_metrics",
     .type = RC_T_BOOL,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "instance_tenancy", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .default_json = "\"default\""},
    {.name = "ipv4_ipam_pool_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "ipv4_netmask_length", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "ipv6_association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "ipv6_cidr_block",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED,
     .normalise = rc_ec2u_norm_cidr},
    {.name = "ipv6_cidr_block_network_border_group",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "ipv6_ipam_pool_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "ipv6_netmask_length", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL},
    {.name = "main_route_table_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    RC_EC2U_TAGS,
    {0}};

static struct rc_value *vpc_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                     const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "vpcId"), *owner = rc_aws_str(it, "ownerId");
  rc_ec2u_put_str(o, "id", id);
  rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(ctx, owner, "vpc", id)));
  rc_ec2u_put_str(o, "cidr_block", rc_aws_str(it, "cidrBlock"));
  rc_ec2u_put_str(o, "dhcp_options_id", rc_aws_str(it, "dhcpOptionsId"));
  rc_ec2u_put_str(o, "instance_tenancy", rc_aws_str(it, "instanceTenancy"));
  rc_ec2u_put_str(o, "owner_id", owner);
  /* filled by enrich */
  static const char *const later[] = {"default_network_acl_id", "default_route_table_id",
                                      "default_security_group_id", "main_route_table_id",
                                      "enable_dns_hostnames", "enable_dns_support",
                                      "enable_network_address_usage_metrics"};
  for (size_t i = 0; i < sizeof later / sizeof *later; i++)
    rc_value_obj_put(o, later[i], rc_value_null());
  /* configuration-only (IPAM inputs) */
  rc_ec2u_carry(o, prior, "ipv4_ipam_pool_id");
  rc_ec2u_carry(o, prior, "ipv4_netmask_length");
  rc_ec2u_carry(o, prior, "ipv6_netmask_length");
  rc_ec2u_carry(o, prior, "ipv6_ipam_pool_id");
  rc_ec2u_carry(o, prior, "assign_generated_ipv6_cidr_block");
  rc_ec2u_put_str(o, "ipv6_association_id", NULL);
  rc_ec2u_put_str(o, "ipv6_cidr_block", NULL);
  rc_ec2u_put_str(o, "ipv6_cidr_block_network_border_group", NULL);
  const struct rc_value *v6 = rc_aws_list(it, "ipv6CidrBlockAssociationSet");
  for (size_t i = 0; i < rc_value_len(v6); i++) {
    const struct rc_value *a = rc_value_index(v6, i);
    const struct rc_value *st = rc_value_path(a, "ipv6CidrBlockState.state");
    if (st && rc_value_str(st) && strcmp(rc_value_str(st), "associated") != 0) continue;
    rc_ec2u_put_str(o, "ipv6_association_id", rc_aws_str(a, "associationId"));
    rc_ec2u_put_str(o, "ipv6_cidr_block", rc_aws_str(a, "ipv6CidrBlock"));
    rc_ec2u_put_str(o, "ipv6_cidr_block_network_border_group",
                    rc_aws_str(a, "networkBorderGroup"));
    const char *pool = rc_aws_str(a, "ipv6Pool");
    if (pool && strcmp(pool, "Amazon") == 0)
      rc_value_obj_put(o, "assign_generated_ipv6_cidr_block", rc_value_bool(true));
    break;
  }
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const char *const vpc_attrs[][2] = {
    {"enableDnsSupport", "enable_dns_support"},
    {"enableDnsHostnames", "enable_dns_hostnames"},
    {"enableNetworkAddressUsageMetrics", "enable_network_address_usage_metrics"},
};
#define NATTRS (sizeof vpc_attrs / sizeof *vpc_attrs)

static struct rc_value *by_vpc_filter(struct rc_value **states, size_t n, const char *extra,
                                      const char *extra_val)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "Filter.1.Name", "vpc-id");
  for (size_t i = 0; i < n; i++)
    rc_aws_paramf(p, rc_res_str(states[i], "id"), "Filter.1.Value.%zu", i + 1);
  rc_aws_param(p, "Filter.2.Name", extra);
  rc_aws_param(p, "Filter.2.Value.1", extra_val);
  return p;
}

static struct rc_value *state_of(struct rc_value **states, size_t n, const char *vpc)
{
  for (size_t i = 0; vpc && i < n; i++)
    if (strcmp(rc_res_str(states[i], "id"), vpc) == 0) return states[i];
  return NULL;
}

/* one chunk of at most RC_EC2U_FILTER_MAX VPCs: 3 attribute calls per VPC
 * and three filtered Describes, all concurrently */
static rc_status enrich_chunk(struct rc_rctx *ctx, struct rc_value **states, size_t n,
                              struct rc_error *err)
{
  size_t nreq = n * NATTRS + 3;
  struct rc_aws_req *reqs = rc_calloc(nreq, sizeof *reqs);
  struct rc_value **params = rc_calloc(nreq, sizeof *params);
  for (size_t i = 0; i < n; i++) {
    for (size_t a = 0; a < NATTRS; a++) {
      struct rc_value *p = rc_value_obj_new(RC_OBJECT);
      rc_aws_param(p, "VpcId", rc_res_str(states[i], "id"));
      rc_aws_param(p, "Attribute", vpc_attrs[a][0]);
      params[i * NATTRS + a] = p;
      reqs[i * NATTRS + a] = (struct rc_aws_req){.service = "ec2", .op = "DescribeVpcAttribute",
                                                 .params = p};
    }
  }
  size_t b = n * NATTRS;
  params[b] = by_vpc_filter(states, n, "association.main", "true");
  params[b + 1] = by_vpc_filter(states, n, "group-name", "default");
  params[b + 2] = by_vpc_filter(states, n, "default", "true");
  reqs[b] = (struct rc_aws_req){.service = "ec2", .op = "DescribeRouteTables", .params = params[b]};
  reqs[b + 1] = (struct rc_aws_req){
      .service = "ec2", .op = "DescribeSecurityGroups", .params = params[b + 1]};
  reqs[b + 2] = (struct rc_aws_req){
      .service = "ec2", .op = "DescribeNetworkAcls", .params = params[b + 2]};
  rc_aws_call_many(ctx->aws, reqs, nreq);

  rc_status st = RC_OK;
  for (size_t i = 0; i < n * NATTRS; i++) {
    struct rc_aws_req *r = &reqs[i];
    if (r->status == RC_NOT_FOUND) continue; /* deleted meanwhile: the next read says so */
    if (r->status) {
      if (!st) {
        st = r->status;
        if (err && err->code == RC_OK) *err = r->err;
      }
      continue;
    }
    const char *const *a = vpc_attrs[i % NATTRS];
    const struct rc_value *v = rc_value_get(r->out, a[0]);
    const char *s = v ? rc_aws_str(v, "value") : NULL;
    rc_ec2u_put_bool(states[i / NATTRS], a[1], s, false);
  }
  if (!reqs[b].status) {
    const struct rc_value *l = rc_aws_list(reqs[b].out, "routeTableSet");
    for (size_t i = 0; i < rc_value_len(l); i++) {
      const struct rc_value *t = rc_value_index(l, i);
      struct rc_value *s = state_of(states, n, rc_aws_str(t, "vpcId"));
      if (!s) continue;
      rc_ec2u_put_str(s, "main_route_table_id", rc_aws_str(t, "routeTableId"));
      rc_ec2u_put_str(s, "default_route_table_id", rc_aws_str(t, "routeTableId"));
    }
  }
  if (!reqs[b + 1].status) {
    const struct rc_value *l = rc_aws_list(reqs[b + 1].out, "securityGroupInfo");
    for (size_t i = 0; i < rc_value_len(l); i++) {
      const struct rc_value *g = rc_value_index(l, i);
      struct rc_value *s = state_of(states, n, rc_aws_str(g, "vpcId"));
      const char *name = rc_aws_str(g, "groupName");
      if (s && name && strcmp(name, "default") == 0)
        rc_ec2u_put_str(s, "default_security_group_id", rc_aws_str(g, "groupId"));
    }
  }
  /* the default network ACL is informative: an endpoint without NACLs
   * (recon-sim) leaves it null, as the provider does when it cannot read it */
  if (!reqs[b + 2].status) {
    const struct rc_value *l = rc_aws_list(reqs[b + 2].out, "networkAclSet");
    for (size_t i = 0; i < rc_value_len(l); i++) {
      const struct rc_value *acl = rc_value_index(l, i);
      struct rc_value *s = state_of(states, n, rc_aws_str(acl, "vpcId"));
      if (s) rc_ec2u_put_str(s, "default_network_acl_id", rc_aws_str(acl, "networkAclId"));
    }
  }
  for (size_t i = 0; i < nreq; i++) {
    rc_value_decref(reqs[i].out);
    rc_value_decref(params[i]);
  }
  rc_free(reqs);
  rc_free(params);
  return st;
}

static rc_status vpc_enrich(struct rc_rctx *ctx, struct rc_value **states, size_t n,
                            struct rc_error *err)
{
  for (size_t at = 0; at < n; at += RC_EC2U_FILTER_MAX) {
    size_t m = n - at < RC_EC2U_FILTER_MAX ? n - at : RC_EC2U_FILTER_MAX;
    rc_status st = enrich_chunk(ctx, states + at, m, err);
    if (st) return st;
  }
  return RC_OK;
}

static const struct rc_ec2u_kind vpc_kind = {
    .describe_op = "DescribeVpcs",
    .list_key = "vpcSet",
    .id_filter = "vpc-id",
    .id_key = "vpcId",
    .to_state = vpc_to_state,
    .enrich = vpc_enrich,
};

static rc_status vpc_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &vpc_kind, items, n);
}

static rc_status vpc_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &vpc_kind, config, out, err);
}

static rc_status modify_attr(struct rc_rctx *ctx, const char *id, const char *wire, bool val,
                             struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "VpcId", id);
  /* DescribeVpcAttribute names it enableDnsSupport, ModifyVpcAttribute EnableDnsSupport */
  rc_aws_paramf(p, val ? "true" : "false", "%c%s.Value", toupper((unsigned char)wire[0]), wire + 1);
  rc_status st = rc_ec2u_call(ctx, "ModifyVpcAttribute", p, err);
  rc_value_decref(p);
  return st;
}

/* Sets the attributes the configuration names and that differ from what the
 * VPC has (prior NULL: a new VPC with AWS's defaults). */
static rc_status apply_attrs(struct rc_rctx *ctx, const char *id, const struct rc_value *prior,
                             const struct rc_value *config, struct rc_error *err)
{
  static const bool born[] = {true, false, false};
  for (size_t a = 0; a < NATTRS; a++) {
    const char *name = vpc_attrs[a][1];
    const struct rc_value *cv = rc_value_get(config, name);
    if (!cv || rc_value_is_null(cv) || !rc_value_is_known(cv)) continue;
    bool want = rc_res_bool(config, name, born[a]);
    bool have = prior ? rc_res_bool(prior, name, born[a]) : born[a];
    if (want == have) continue;
    rc_status st = modify_attr(ctx, id, vpc_attrs[a][0], want, err);
    if (st) return st;
  }
  return RC_OK;
}

static rc_status vpc_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  const char *s;
  *out = NULL;
  if ((s = rc_res_str(config, "cidr_block"))) rc_aws_param(p, "CidrBlock", s);
  if ((s = rc_res_str(config, "instance_tenancy"))) rc_aws_param(p, "InstanceTenancy", s);
  if (rc_res_bool(config, "assign_generated_ipv6_cidr_block", false))
    rc_aws_param(p, "AmazonProvidedIpv6CidrBlock", "true");
  if ((s = rc_res_str(config, "ipv4_ipam_pool_id"))) rc_aws_param(p, "Ipv4IpamPoolId", s);
  if (rc_res_int(config, "ipv4_netmask_length", 0) > 0)
    rc_value_obj_put(p, "Ipv4NetmaskLength", rc_value_int(rc_res_int(config, "ipv4_netmask_length", 0)));
  if ((s = rc_res_str(config, "ipv6_cidr_block"))) rc_aws_param(p, "Ipv6CidrBlock", s);
  if ((s = rc_res_str(config, "ipv6_ipam_pool_id"))) rc_aws_param(p, "Ipv6IpamPoolId", s);
  if ((s = rc_res_str(config, "ipv6_cidr_block_network_border_group")))
    rc_aws_param(p, "Ipv6CidrBlockNetworkBorderGroup", s);
  if (rc_res_int(config, "ipv6_netmask_length", 0) > 0)
    rc_value_obj_put(p, "Ipv6NetmaskLength", rc_value_int(rc_res_int(config, "ipv6_netmask_length", 0)));
  rc_res_ec2_tag_spec(ctx, p, 1, "vpc", config);
  rc_status st = rc_aws_call(ctx->aws, "ec2", "CreateVpc", p, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_value_str(rc_value_path(ans, "vpc.vpcId")));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "CreateVpc answered without a vpcId");
  /* a new VPC may not be visible to ModifyVpcAttribute at once */
  struct rc_value *now = NULL;
  st = rc_ec2u_read_one(ctx, &vpc_kind, id, config, RC_EC2U_VISIBLE_S, &now, err);
  if (!st) st = apply_attrs(ctx, id, now, config, err);
  rc_value_decref(now);
  if (!st) st = rc_ec2u_read_one(ctx, &vpc_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status vpc_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  *out = NULL;
  rc_status st = apply_attrs(ctx, id, prior, config, err);
  const char *ten = rc_res_str(config, "instance_tenancy");
  const char *had = rc_res_str(prior, "instance_tenancy");
  if (!st && ten && (!had || strcmp(ten, had) != 0)) {
    struct rc_value *p = rc_value_obj_new(RC_OBJECT);
    rc_aws_param(p, "VpcId", id);
    rc_aws_param(p, "InstanceTenancy", ten);
    st = rc_ec2u_call(ctx, "ModifyVpcTenancy", p, err);
    rc_value_decref(p);
  }
  if (!st) {
    struct rc_value *want = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), want, err);
    rc_value_decref(want);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &vpc_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status vpc_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  return rc_ec2u_delete(ctx, "DeleteVpc", "VpcId", rc_res_str(state, "id"), retry,
                        rc_res_timeout(ctx, "delete", 300), err);
}

static rc_status vpc_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &vpc_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_vpc = {
    .name = "aws_vpc",
    .flags = RC_RT_TAGGABLE,
    .schema = vpc_schema,
    .read_many = vpc_read_many,
    .find = vpc_find,
    .create = vpc_create,
    .update = vpc_update,
    .delete = vpc_delete,
    .import = vpc_import,
};
