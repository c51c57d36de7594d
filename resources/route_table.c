/* route_table — aws_route_table: CreateRouteTable with tags at birth and
 * the inline route {} blocks reconciled by CreateRoute / ReplaceRoute /
 * DeleteRoute of the difference (keyed by destination). The local route and
 * propagated routes are left out of state, as the provider does. Refresh is
 * one DescribeRouteTables for every table. */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr route_block[] = {
    {.name = "carrier_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = rc_ec2u_norm_cidr},
    {.name = "core_network_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "destination_prefix_list_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "egress_only_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "ipv6_cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL, .normalise = rc_ec2u_norm_cidr},
    {.name = "local_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "nat_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "network_interface_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "transit_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "vpc_endpoint_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "vpc_peering_connection_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {0}};

static const struct rc_attr rtb_schema[] = {
    RC_EC2U_ID,
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "propagating_vgws", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "route", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL | RC_A_COMPUTED, .block = route_block},
    {.name = "vpc_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    RC_EC2U_TAGS,
    {0}};

static struct rc_value *rtb_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                     const struct rc_value *prior)
{
  (void)prior;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "routeTableId"), *owner = rc_aws_str(it, "ownerId");
  rc_ec2u_put_str(o, "id", id);
  rc_value_obj_put(o, "arn", rc_value_string_steal(rc_ec2u_arn(ctx, owner, "route-table", id)));
  rc_ec2u_put_str(o, "owner_id", owner);
  rc_ec2u_put_str(o, "vpc_id", rc_aws_str(it, "vpcId"));
  struct rc_value *vgws = rc_value_seq_new(RC_SET);
  const struct rc_value *pv = rc_aws_list(it, "propagatingVgwSet");
  for (size_t i = 0; i < rc_value_len(pv); i++) {
    const char *g = rc_aws_str(rc_value_index(pv, i), "gatewayId");
    if (g) rc_value_seq_push(vgws, rc_value_string(g));
  }
  rc_value_obj_put(o, "propagating_vgws", rc_value_seq_seal(vgws));
  struct rc_value *routes = rc_value_seq_new(RC_SET);
  const struct rc_value *rs = rc_aws_list(it, "routeSet");
  for (size_t i = 0; i < rc_value_len(rs); i++) {
    const struct rc_value *r = rc_value_index(rs, i);
    if (rc_ec2u_route_hidden(r)) continue;
    rc_value_seq_push(routes, rc_ec2u_route_obj(r, true));
  }
  rc_value_obj_put(o, "route", rc_value_seq_seal(routes));
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const struct rc_ec2u_kind rtb_kind = {
    .describe_op = "DescribeRouteTables",
    .list_key = "routeTableSet",
    .id_filter = "route-table-id",
    .id_key = "routeTableId",
    .to_state = rtb_to_state,
};

static rc_status rtb_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &rtb_kind, items, n);
}

static rc_status rtb_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &rtb_kind, config, out, err);
}

static const struct rc_value *by_dest(const struct rc_value *routes, const char *dest)
{
  for (size_t i = 0; routes && rc_value_is_seq(routes) && i < rc_value_len(routes); i++) {
    const struct rc_value *r = rc_value_index(routes, i);
    const char *d = rc_ec2u_route_dest(r, true);
    if (!d || !dest) continue;
    if (strcmp(d, dest) == 0) return r;
    /* compare CIDRs canonically: 10.0.0.1/16 is 10.0.0.0/16 */
    struct rc_value *a = rc_value_string(d), *b = rc_value_string(dest);
    struct rc_value *na = rc_ec2u_norm_cidr(a), *nb = rc_ec2u_norm_cidr(b);
    bool eq = na && nb && rc_value_equal(na, nb);
    rc_value_decref(a);
    rc_value_decref(b);
    rc_value_decref(na);
    rc_value_decref(nb);
    if (eq) return r;
  }
  return NULL;
}

static bool same_target(const struct rc_value *a, const struct rc_value *b)
{
  for (const struct rc_ec2u_route_field *f = rc_ec2u_route_fields; f->block; f++) {
    if (f->dest) continue;
    const char *x = rc_res_str(a, f->block), *y = rc_res_str(b, f->block);
    if (!x) x = "";
    if (!y) y = "";
    if (strcmp(x, y) != 0) return false;
  }
  return true;
}

static rc_status route_call(struct rc_rctx *ctx, const char *op, const char *rtb,
                            const struct rc_value *route, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *out = NULL;
  rc_ec2u_route_params(p, rtb, route, true, strcmp(op, "DeleteRoute") != 0);
  rc_status st;
  if (strcmp(op, "DeleteRoute") == 0) {
    st = rc_ec2u_call(ctx, op, p, err);
    if (st == RC_NOT_FOUND) {
      rc_error_clear(err);
      st = RC_OK;
    }
  } else { /* a target created a moment ago may not be visible yet */
    st = rc_res_call_retrying(ctx, "ec2", op, p, NULL, RC_EC2U_VISIBLE_S, &out, err);
  }
  rc_value_decref(out);
  rc_value_decref(p);
  return st;
}

/* Makes the table's routes those of want (a sequence of route blocks),
 * starting from have. */
static rc_status reconcile(struct rc_rctx *ctx, const char *rtb, const struct rc_value *have,
                           const struct rc_value *want, struct rc_error *err)
{
  rc_status st = RC_OK;
  for (size_t i = 0; !st && have && rc_value_is_seq(have) && i < rc_value_len(have); i++) {
    const struct rc_value *r = rc_value_index(have, i);
    if (!by_dest(want, rc_ec2u_route_dest(r, true))) st = route_call(ctx, "DeleteRoute", rtb, r, err);
  }
  for (size_t i = 0; !st && want && rc_value_is_seq(want) && i < rc_value_len(want); i++) {
    const struct rc_value *r = rc_value_index(want, i);
    const struct rc_value *old = by_dest(have, rc_ec2u_route_dest(r, true));
    if (!old)
      st = route_call(ctx, "CreateRoute", rtb, r, err);
    else if (!same_target(old, r))
      st = route_call(ctx, "ReplaceRoute", rtb, r, err);
  }
  return st;
}

static rc_status vgw_propagation(struct rc_rctx *ctx, const char *rtb, const struct rc_value *have,
                                 const struct rc_value *want, struct rc_error *err)
{
  rc_status st = RC_OK;
  for (int pass = 0; pass < 2 && !st; pass++) {
    const struct rc_value *from = pass ? want : have, *other = pass ? have : want;
    for (size_t i = 0; !st && from && rc_value_is_seq(from) && i < rc_value_len(from); i++) {
      const struct rc_value *g = rc_value_index(from, i);
      bool there = false;
      for (size_t j = 0; other && rc_value_is_seq(other) && j < rc_value_len(other) && !there; j++)
        there = rc_value_equal(g, rc_value_index(other, j));
      if (there) continue;
      struct rc_value *p = rc_value_obj_new(RC_OBJECT);
      rc_aws_param(p, "RouteTableId", rtb);
      rc_aws_param(p, "GatewayId", rc_value_str(g));
      st = rc_ec2u_call(ctx, pass ? "EnableVgwRoutePropagation" : "DisableVgwRoutePropagation", p,
                        err);
      rc_value_decref(p);
    }
  }
  return st;
}

static rc_status rtb_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  *out = NULL;
  rc_aws_param(p, "VpcId", rc_res_str(config, "vpc_id"));
  rc_res_ec2_tag_spec(ctx, p, 1, "route-table", config);
  rc_status st = rc_res_call_retrying(ctx, "ec2", "CreateRouteTable", p, NULL, RC_EC2U_VISIBLE_S,
                                      &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_value_str(rc_value_path(ans, "routeTable.routeTableId")));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "CreateRouteTable answered without an id");
  st = vgw_propagation(ctx, id, NULL, rc_value_get(config, "propagating_vgws"), err);
  if (!st) st = reconcile(ctx, id, NULL, rc_value_get(config, "route"), err);
  if (!st) st = rc_ec2u_read_one(ctx, &rtb_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status rtb_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  *out = NULL;
  rc_status st = RC_OK;
  const struct rc_value *vg = rc_value_get(config, "propagating_vgws");
  if (vg && !rc_value_is_null(vg))
    st = vgw_propagation(ctx, id, rc_value_get(prior, "propagating_vgws"), vg, err);
  const struct rc_value *want = rc_value_get(config, "route");
  if (!st && want && !rc_value_is_null(want))
    st = reconcile(ctx, id, rc_value_get(prior, "route"), want, err);
  if (!st) {
    struct rc_value *tags = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), tags, err);
    rc_value_decref(tags);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &rtb_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status rtb_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  return rc_ec2u_delete(ctx, "DeleteRouteTable", "RouteTableId", rc_res_str(state, "id"), retry,
                        rc_res_timeout(ctx, "delete", 300), err);
}

static rc_status rtb_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &rtb_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_route_table = {
    .name = "aws_route_table",
    .flags = RC_RT_TAGGABLE,
    .schema = rtb_schema,
    .read_many = rtb_read_many,
    .find = rtb_find,
    .create = rtb_create,
    .update = rtb_update,
    .delete = rtb_delete,
    .import = rtb_import,
};
