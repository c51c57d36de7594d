/* eip — aws_eip: AllocateAddress (domain vpc) with tags at birth; the id is
 * the allocation id; optional association with an instance or a network
 * interface (AssociateAddress/DisassociateAddress); delete disassociates,
 * then ReleaseAddress, retried while a NAT gateway still holds the address. */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr eip_schema[] = {
    RC_EC2U_ID,
    {.name = "address", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "allocation_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "associate_with_private_ip", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "carrier_ip", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "customer_owned_ip", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "customer_owned_ipv4_pool", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "domain", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "instance", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "ipam_pool_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "network_border_group", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "network_interface", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "private_dns", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "private_ip", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "ptr_record", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "public_dns", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "public_ip", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "public_ipv4_pool", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "vpc", .type = RC_T_BOOL, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    RC_EC2U_TAGS,
    {0}};

/* the provider's DNS names: ec2-1-2-3-4.compute-1.amazonaws.com in
 * us-east-1, ec2-1-2-3-4.<region>.compute.amazonaws.com elsewhere */
static struct rc_value *dns_name(const char *region, const char *ip, bool public_name)
{
  if (!ip || !*ip) return rc_value_null();
  char dashed[64];
  snprintf(dashed, sizeof dashed, "%s", ip);
  for (char *c = dashed; *c; c++)
    if (*c == '.') *c = '-';
  bool east = region && strcmp(region, "us-east-1") == 0;
  char *s;
  if (public_name)
    s = east ? rc_asprintf("ec2-%s.compute-1.amazonaws.com", dashed)
             : rc_asprintf("ec2-%s.%s.compute.amazonaws.com", dashed, region ? region : "");
  else
    s = east ? rc_asprintf("ip-%s.ec2.internal", dashed)
             : rc_asprintf("ip-%s.%s.compute.internal", dashed, region ? region : "");
  return rc_value_string_steal(s);
}

static struct rc_value *eip_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                     const struct rc_value *prior)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "allocationId");
  const char *region = ctx->region && *ctx->region ? ctx->region : rc_aws_client_region(ctx->aws);
  rc_ec2u_put_str(o, "id", id);
  rc_ec2u_put_str(o, "allocation_id", id);
  rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(ctx, rc_aws_str(it, "ownerId") ? rc_aws_str(it, "ownerId") : rc_aws_str(it, "networkInterfaceOwnerId"), "elastic-ip", id)));
  rc_ec2u_carry(o, prior, "address");
  rc_ec2u_carry(o, prior, "associate_with_private_ip");
  rc_ec2u_carry(o, prior, "ipam_pool_id");
  rc_ec2u_put_str(o, "association_id", rc_aws_str(it, "associationId"));
  rc_ec2u_put_str(o, "carrier_ip", rc_aws_str(it, "carrierIp"));
  rc_ec2u_put_str(o, "customer_owned_ip", rc_aws_str(it, "customerOwnedIp"));
  rc_ec2u_put_str(o, "customer_owned_ipv4_pool", rc_aws_str(it, "customerOwnedIpv4Pool"));
  const char *domain = rc_aws_str(it, "domain");
  rc_ec2u_put_str(o, "domain", domain);
  rc_value_obj_put(o, "vpc", rc_value_bool(domain && strcmp(domain, "vpc") == 0));
  rc_ec2u_put_str(o, "instance", rc_aws_str(it, "instanceId"));
  rc_ec2u_put_str(o, "network_border_group", rc_aws_str(it, "networkBorderGroup"));
  rc_ec2u_put_str(o, "network_interface", rc_aws_str(it, "networkInterfaceId"));
  const char *priv = rc_aws_str(it, "privateIpAddress"), *pub = rc_aws_str(it, "publicIp");
  rc_ec2u_put_str(o, "private_ip", priv);
  rc_value_obj_put(o, "private_dns", dns_name(region, priv, false));
  rc_ec2u_put_str(o, "public_ip", pub);
  rc_value_obj_put(o, "public_dns", dns_name(region, pub, true));
  rc_ec2u_put_str(o, "public_ipv4_pool", rc_aws_str(it, "publicIpv4Pool"));
  rc_ec2u_put_str(o, "ptr_record", NULL);
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const struct rc_ec2u_kind eip_kind = {
    .describe_op = "DescribeAddresses",
    .list_key = "addressesSet",
    .id_filter = "allocation-id",
    .id_key = "allocationId",
    .to_state = eip_to_state,
};

static rc_status eip_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &eip_kind, items, n);
}

static rc_status eip_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &eip_kind, config, out, err);
}

static rc_status associate(struct rc_rctx *ctx, const char *id, const struct rc_value *config,
                           struct rc_error *err)
{
  const char *inst = rc_res_str(config, "instance"), *eni = rc_res_str(config, "network_interface");
  if ((!inst || !*inst) && (!eni || !*eni)) return RC_OK;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "AllocationId", id);
  if (inst && *inst) rc_aws_param(p, "InstanceId", inst);
  if (eni && *eni) rc_aws_param(p, "NetworkInterfaceId", eni);
  const char *pip = rc_res_str(config, "associate_with_private_ip");
  if (pip && *pip) rc_aws_param(p, "PrivateIpAddress", pip);
  rc_status st = rc_ec2u_call(ctx, "AssociateAddress", p, err);
  rc_value_decref(p);
  return st;
}

static rc_status disassociate(struct rc_rctx *ctx, const char *assoc, struct rc_error *err)
{
  if (!assoc || !*assoc) return RC_OK;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "AssociationId", assoc);
  rc_status st = rc_ec2u_call(ctx, "DisassociateAddress", p, err);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    st = RC_OK;
  }
  return st;
}

static rc_status eip_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  *out = NULL;
  const char *domain = rc_res_str(config, "domain");
  if (!domain && rc_res_bool(config, "vpc", true)) domain = "vpc";
  if (domain) rc_aws_param(p, "Domain", domain);
  static const struct {
    const char *name, *wire;
  } strs[] = {{"address", "Address"},
              {"customer_owned_ipv4_pool", "CustomerOwnedIpv4Pool"},
              {"network_border_group", "NetworkBorderGroup"},
              {"public_ipv4_pool", "PublicIpv4Pool"},
              {"ipam_pool_id", "IpamPoolId"}};
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
    const char *s = rc_res_str(config, strs[i].name);
    if (s && *s) rc_aws_param(p, strs[i].wire, s);
  }
  rc_res_ec2_tag_spec(ctx, p, 1, "elastic-ip", config);
  rc_status st = rc_aws_call(ctx->aws, "ec2", "AllocateAddress", p, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_aws_str(ans, "allocationId"));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "AllocateAddress answered without an allocationId");
  struct rc_value *now = NULL;
  st = rc_ec2u_read_one(ctx, &eip_kind, id, config, RC_EC2U_VISIBLE_S, &now, err);
  rc_value_decref(now);
  if (!st) st = associate(ctx, id, config, err);
  if (!st) st = rc_ec2u_read_one(ctx, &eip_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static bool str_changed(const struct rc_value *a, const struct rc_value *b, const char *k)
{
  const char *x = rc_res_str(a, k), *y = rc_res_str(b, k);
  if (!y || !*y) return false; /* unset: Optional+Computed, AWS decides */
  return !x || strcmp(x, y) != 0;
}

static rc_status eip_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  *out = NULL;
  rc_status st = RC_OK;
  if (str_changed(prior, config, "instance") || str_changed(prior, config, "network_interface") ||
      str_changed(prior, config, "associate_with_private_ip")) {
    st = disassociate(ctx, rc_res_str(prior, "association_id"), err);
    if (!st) st = associate(ctx, id, config, err);
  }
  if (!st) {
    struct rc_value *tags = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), tags, err);
    rc_value_decref(tags);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &eip_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status eip_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  /* a NAT gateway being deleted keeps its address for a while */
  static const char *const retry[] = {"InvalidIPAddress.InUse", "AuthFailure", NULL};
  const char *id = rc_res_str(state, "id");
  struct rc_value *now = NULL;
  rc_status st = rc_ec2u_read_one(ctx, &eip_kind, id, NULL, 0, &now, err);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    return RC_OK;
  }
  if (st) return st;
  /* undo an association with an instance or ENI; a NAT gateway's own
   * association cannot be undone (it goes with the NAT), so this is best effort */
  const char *assoc = rc_res_str(now, "association_id");
  if (assoc) {
    struct rc_error ignored = {0};
    disassociate(ctx, assoc, &ignored);
  }
  rc_value_decref(now);
  if (st) return st;
  return rc_ec2u_delete(ctx, "ReleaseAddress", "AllocationId", id, retry,
                        rc_res_timeout(ctx, "delete", 180), err);
}

static rc_status eip_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &eip_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_eip = {
    .name = "aws_eip",
    .flags = RC_RT_TAGGABLE,
    .schema = eip_schema,
    .read_many = eip_read_many,
    .find = eip_find,
    .create = eip_create,
    .update = eip_update,
    .delete = eip_delete,
    .import = eip_import,
};
