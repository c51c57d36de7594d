/* route_table_association — aws_route_table_association: a subnet's (or a
 * gateway's) association with a route table. The id is the association id;
 * a route_table_id change is a ReplaceRouteTableAssociation (which gives a
 * new association id). Found before a create by its natural key (subnet or
 * gateway + route table). Refresh: one DescribeRouteTables filtered by every
 * association id. Import ids are "subnet-.../rtb-..." or "igw-.../rtb-...". */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr rta_schema[] = {
    RC_EC2U_ID,
    {.name = "gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "route_table_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "subnet_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {0}};

static const struct rc_ec2u_kind tables = {.describe_op = "DescribeRouteTables",
                                           .list_key = "routeTableSet",
                                           .id_filter = "association.route-table-association-id",
                                           .id_key = "routeTableId"};

static bool assoc_live(const struct rc_value *a)
{
  const struct rc_value *s = rc_value_path(a, "associationState.state");
  const char *st = s ? rc_value_str(s) : NULL;
  return !st || strcmp(st, "associated") == 0 || strcmp(st, "associating") == 0;
}

static struct rc_value *to_state(const struct rc_value *a)
{
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_ec2u_put_str(o, "id", rc_aws_str(a, "routeTableAssociationId"));
  rc_ec2u_put_str(o, "gateway_id", rc_aws_str(a, "gatewayId"));
  rc_ec2u_put_str(o, "route_table_id", rc_aws_str(a, "routeTableId"));
  rc_ec2u_put_str(o, "subnet_id", rc_aws_str(a, "subnetId"));
  return o;
}

/* an association in a list of tables: by id, or (id NULL) by owner + table */
static const struct rc_value *find_assoc(const struct rc_value *list, const char *id,
                                         const char *owner, const char *rtb)
{
  for (size_t i = 0; i < rc_value_len(list); i++) {
    const struct rc_value *as = rc_aws_list(rc_value_index(list, i), "associationSet");
    for (size_t j = 0; j < rc_value_len(as); j++) {
      const struct rc_value *a = rc_value_index(as, j);
      if (!assoc_live(a)) continue;
      const char *aid = rc_aws_str(a, "routeTableAssociationId");
      if (id) {
        if (aid && strcmp(aid, id) == 0) return a;
        continue;
      }
      const char *s = rc_aws_str(a, "subnetId"), *g = rc_aws_str(a, "gatewayId");
      const char *t = rc_aws_str(a, "routeTableId");
      bool mine = (s && strcmp(s, owner) == 0) || (g && strcmp(g, owner) == 0);
      if (mine && (!rtb || (t && strcmp(t, rtb) == 0))) return a;
    }
  }
  return NULL;
}

static rc_status rta_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  const char **ids = rc_calloc(n + 1, sizeof *ids);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (items[i].id && *items[i].id) ids[m++] = items[i].id;
  struct rc_value *list = NULL;
  struct rc_error err = {0};
  rc_status st = m ? rc_ec2u_describe_ids(ctx, &tables, ids, m, &list, &err) : RC_OK;
  for (size_t i = 0; i < n; i++) {
    items[i].status = st;
    items[i].out = NULL;
    if (st) {
      items[i].err = err;
      continue;
    }
    const struct rc_value *a = items[i].id ? find_assoc(list, items[i].id, NULL, NULL) : NULL;
    if (a) items[i].out = to_state(a);
  }
  rc_value_decref(list);
  rc_free(ids);
  return st;
}

/* by owner (subnet or gateway) and, when given, route table */
static rc_status read_by_owner(struct rc_rctx *ctx, const char *owner, const char *rtb,
                               struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  bool gw = strncmp(owner, "subnet-", 7) != 0;
  rc_aws_param(p, "Filter.1.Name", gw ? "association.gateway-id" : "association.subnet-id");
  rc_aws_param(p, "Filter.1.Value.1", owner);
  rc_status st = rc_ec2u_describe(ctx, &tables, p, &list, err);
  rc_value_decref(p);
  if (st) return st;
  const struct rc_value *a = find_assoc(list, NULL, owner, rtb);
  if (a) *out = to_state(a);
  rc_value_decref(list);
  return RC_OK;
}

static const char *owner_of(const struct rc_value *config)
{
  const char *s = rc_res_str(config, "subnet_id");
  if (s && *s) return s;
  s = rc_res_str(config, "gateway_id");
  return s && *s ? s : NULL;
}

static rc_status rta_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  const char *owner = owner_of(config);
  *out = NULL;
  if (!owner) return RC_OK;
  return read_by_owner(ctx, owner, rc_res_str(config, "route_table_id"), out, err);
}

static rc_status read_id(struct rc_rctx *ctx, const char *id, int wait_s, struct rc_value **out,
                         struct rc_error *err)
{
  struct rc_read_item it = {.id = id};
  int64_t deadline = rc_res_now_ms() + (int64_t)wait_s * 1000;
  for (;;) {
    rc_status st = rta_read_many(ctx, &it, 1);
    if (st) {
      if (err && err->code == RC_OK) *err = it.err;
      return st;
    }
    if (it.out || rc_res_now_ms() + 300 > deadline) break;
    if (rc_res_sleep(ctx, 300)) return rc_error_set(err, RC_CANCELLED, "cancelled");
  }
  *out = it.out;
  return it.out ? RC_OK : rc_error_set(err, RC_NOT_FOUND, "route table association %s not found", id);
}

static rc_status rta_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  const char *s = rc_res_str(config, "subnet_id"), *g = rc_res_str(config, "gateway_id");
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "RouteTableId", rc_res_str(config, "route_table_id"));
  if (s && *s) rc_aws_param(p, "SubnetId", s);
  if (g && *g) rc_aws_param(p, "GatewayId", g);
  rc_status st = rc_res_call_retrying(ctx, "ec2", "AssociateRouteTable", p, NULL,
                                      RC_EC2U_VISIBLE_S, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_aws_str(ans, "associationId"));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "AssociateRouteTable answered without an associationId");
  st = read_id(ctx, id, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status rta_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  rc_aws_param(p, "AssociationId", rc_res_str(prior, "id"));
  rc_aws_param(p, "RouteTableId", rc_res_str(config, "route_table_id"));
  rc_status st = rc_res_call_retrying(ctx, "ec2", "ReplaceRouteTableAssociation", p, NULL,
                                      RC_EC2U_VISIBLE_S, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_aws_str(ans, "newAssociationId"));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "ReplaceRouteTableAssociation gave no new id");
  st = read_id(ctx, id, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status rta_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  return rc_ec2u_delete(ctx, "DisassociateRouteTable", "AssociationId", rc_res_str(state, "id"),
                        NULL, 0, err);
}

static rc_status rta_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  *out = NULL;
  const char *slash = strchr(id, '/');
  if (!slash) return read_id(ctx, id, 0, out, err); /* an association id */
  char *owner = rc_strndup(id, (size_t)(slash - id));
  rc_status st = read_by_owner(ctx, owner, slash + 1, out, err);
  rc_free(owner);
  if (!st && !*out) st = rc_error_set(err, RC_NOT_FOUND, "no association %s", id);
  return st;
}

const struct rc_resource_type rc_rt_route_table_association = {
    .name = "aws_route_table_association",
    .schema = rta_schema,
    .read_many = rta_read_many,
    .find = rta_find,
    .create = rta_create,
    .update = rta_update,
    .delete = rta_delete,
    .import = rta_import,
};
