/* route — aws_route: one route of a route table, found by its natural key
 * (route table + destination), so a create is idempotent without tags; a
 * target change is a ReplaceRoute. The id is the provider's:
 * "r-" + route table id + CRC-32 of the destination. Refresh is one
 * DescribeRouteTables for every table the routes live in. Import ids are
 * "rtb-..._<destination>". */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr route_schema[] = {
    RC_EC2U_ID,
    {.name = "carrier_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "core_network_arn", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "destination_cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .normalise = rc_ec2u_norm_cidr},
    {.name = "destination_ipv6_cidr_block", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW, .normalise = rc_ec2u_norm_cidr},
    {.name = "destination_prefix_list_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "egress_only_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "instance_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "instance_owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "local_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "nat_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "network_interface_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "origin", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "route_table_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    {.name = "state", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "transit_gateway_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "vpc_endpoint_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "vpc_peering_connection_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {0}};

static char *route_id(const char *rtb, const char *dest)
{
  return rc_asprintf("r-%s%u", rtb, rc_ec2u_crc32(dest));
}

/* the route with destination dest in a routeSet, canonical CIDR compare */
static const struct rc_value *find_route(const struct rc_value *table, const char *dest)
{
  struct rc_value *dv = rc_value_string(dest), *nd = rc_ec2u_norm_cidr(dv);
  const char *want = nd ? rc_value_str(nd) : dest;
  const struct rc_value *hit = NULL;
  const struct rc_value *rs = rc_aws_list(table, "routeSet");
  for (size_t i = 0; i < rc_value_len(rs) && !hit; i++) {
    const struct rc_value *r = rc_value_index(rs, i);
    for (const struct rc_ec2u_route_field *f = rc_ec2u_route_fields; f->block && f->dest; f++) {
      const char *d = rc_aws_str(r, f->answer);
      if (!d) continue;
      struct rc_value *x = rc_value_string(d), *nx = rc_ec2u_norm_cidr(x);
      if (strcmp(nx ? rc_value_str(nx) : d, want) == 0) hit = r;
      rc_value_decref(x);
      rc_value_decref(nx);
    }
  }
  rc_value_decref(dv);
  rc_value_decref(nd);
  return hit;
}

static struct rc_value *to_state(const char *rtb, const struct rc_value *r,
                                 const struct rc_value *prior)
{
  struct rc_value *o = rc_ec2u_route_obj(r, false);
  const char *dest = rc_ec2u_route_dest(o, false);
  rc_value_obj_put(o, "id", rc_value_string_steal(route_id(rtb, dest ? dest : "")));
  rc_ec2u_put_str(o, "route_table_id", rtb);
  rc_ec2u_put_str(o, "instance_id", rc_aws_str(r, "instanceId"));
  rc_ec2u_put_str(o, "instance_owner_id", rc_aws_str(r, "instanceOwnerId"));
  rc_ec2u_put_str(o, "origin", rc_aws_str(r, "origin"));
  rc_ec2u_put_str(o, "state", rc_aws_str(r, "state"));
  /* keep the configuration's spelling of an equal CIDR */
  for (const struct rc_ec2u_route_field *f = rc_ec2u_route_fields; f->block && f->dest; f++) {
    const char *pv = rc_res_str(prior, f->attr), *nv = rc_res_str(o, f->attr);
    if (pv && nv && strcmp(pv, nv) != 0) {
      struct rc_value *a = rc_value_string(pv), *na = rc_ec2u_norm_cidr(a);
      if (na && strcmp(rc_value_str(na), nv) == 0) rc_ec2u_put_str(o, f->attr, pv);
      rc_value_decref(a);
      rc_value_decref(na);
    }
  }
  return o;
}

static rc_status describe_tables(struct rc_rctx *ctx, const char *const *ids, size_t n,
                                 struct rc_value **list, struct rc_error *err)
{
  static const struct rc_ec2u_kind k = {.describe_op = "DescribeRouteTables",
                                        .list_key = "routeTableSet",
                                        .id_filter = "route-table-id",
                                        .id_key = "routeTableId"};
  return rc_ec2u_describe_ids(ctx, &k, ids, n, list, err);
}

static const struct rc_value *table_of(const struct rc_value *list, const char *rtb)
{
  for (size_t i = 0; rtb && i < rc_value_len(list); i++) {
    const char *t = rc_aws_str(rc_value_index(list, i), "routeTableId");
    if (t && strcmp(t, rtb) == 0) return rc_value_index(list, i);
  }
  return NULL;
}

static rc_status route_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  const char **ids = rc_calloc(n + 1, sizeof *ids);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const char *t = rc_res_str(items[i].prior, "route_table_id");
    bool dup = false;
    for (size_t j = 0; j < m && !dup; j++) dup = strcmp(ids[j], t) == 0;
    if (t && !dup) ids[m++] = t;
  }
  struct rc_value *list = NULL;
  struct rc_error err = {0};
  rc_status st = m ? describe_tables(ctx, ids, m, &list, &err) : RC_OK;
  for (size_t i = 0; i < n; i++) {
    items[i].status = st;
    items[i].out = NULL;
    if (st) {
      items[i].err = err;
      continue;
    }
    const char *rtb = rc_res_str(items[i].prior, "route_table_id");
    const char *dest = rc_ec2u_route_dest(items[i].prior, false);
    const struct rc_value *t = table_of(list, rtb);
    const struct rc_value *r = t && dest ? find_route(t, dest) : NULL;
    if (r) items[i].out = to_state(rtb, r, items[i].prior);
  }
  rc_value_decref(list);
  rc_free(ids);
  return st;
}

/* the live route for rtb + dest; *out NULL when there is none */
static rc_status read_route(struct rc_rctx *ctx, const char *rtb, const char *dest,
                            const struct rc_value *prior, int wait_s, struct rc_value **out,
                            struct rc_error *err)
{
  *out = NULL;
  int64_t deadline = rc_res_now_ms() + (int64_t)wait_s * 1000;
  for (;;) {
    struct rc_value *list = NULL;
    const char *ids[1] = {rtb};
    rc_status st = describe_tables(ctx, ids, 1, &list, err);
    if (st) return st;
    const struct rc_value *t = table_of(list, rtb);
    const struct rc_value *r = t ? find_route(t, dest) : NULL;
    if (r) *out = to_state(rtb, r, prior);
    rc_value_decref(list);
    if (*out || rc_res_now_ms() + 300 > deadline) return RC_OK;
    if (rc_res_sleep(ctx, 300)) return rc_error_set(err, RC_CANCELLED, "cancelled");
  }
}

static rc_status route_find(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  const char *rtb = rc_res_str(config, "route_table_id"), *dest = rc_ec2u_route_dest(config, false);
  *out = NULL;
  if (!rtb || !dest) return RC_OK;
  rc_status st = read_route(ctx, rtb, dest, config, 0, out, err);
  if (st == RC_NOT_FOUND) { /* the table itself is not there (yet) */
    rc_error_clear(err);
    st = RC_OK;
  }
  return st;
}

static rc_status call_route(struct rc_rctx *ctx, const char *op, const struct rc_value *config,
                            struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *out = NULL;
  rc_ec2u_route_params(p, rc_res_str(config, "route_table_id"), config, false,
                       strcmp(op, "DeleteRoute") != 0);
  rc_status st = strcmp(op, "DeleteRoute") == 0
                     ? rc_aws_call(ctx->aws, "ec2", op, p, &out, err)
                     : rc_res_call_retrying(ctx, "ec2", op, p, NULL, RC_EC2U_VISIBLE_S, &out, err);
  rc_value_decref(out);
  rc_value_decref(p);
  return st;
}

static rc_status route_create(struct rc_rctx *ctx, const struct rc_value *config,
                              struct rc_value **out, struct rc_error *err)
{
  const char *rtb = rc_res_str(config, "route_table_id"), *dest = rc_ec2u_route_dest(config, false);
  *out = NULL;
  if (!rtb || !dest)
    return rc_error_set(err, RC_USAGE, "aws_route needs route_table_id and one of "
                                       "destination_cidr_block, destination_ipv6_cidr_block, "
                                       "destination_prefix_list_id");
  rc_status st = call_route(ctx, "CreateRoute", config, err);
  if (st) return st;
  st = read_route(ctx, rtb, dest, config, RC_EC2U_VISIBLE_S, out, err);
  if (!st && !*out)
    st = rc_error_set(err, RC_NOT_FOUND, "route %s in %s not found after CreateRoute", dest, rtb);
  return st;
}

static rc_status route_update(struct rc_rctx *ctx, const struct rc_value *prior,
                              const struct rc_value *config, struct rc_value **out,
                              struct rc_error *err)
{
  (void)prior;
  *out = NULL;
  rc_status st = call_route(ctx, "ReplaceRoute", config, err);
  if (st) return st;
  st = read_route(ctx, rc_res_str(config, "route_table_id"), rc_ec2u_route_dest(config, false),
                  config, RC_EC2U_VISIBLE_S, out, err);
  if (!st && !*out) st = rc_error_set(err, RC_NOT_FOUND, "route gone after ReplaceRoute");
  return st;
}

static rc_status route_delete(struct rc_rctx *ctx, const struct rc_value *state,
                              struct rc_error *err)
{
  struct rc_error e = {0};
  rc_status st = call_route(ctx, "DeleteRoute", state, &e);
  if (st == RC_NOT_FOUND) return RC_OK;
  if (st && err && err->code == RC_OK) *err = e;
  return st;
}

static rc_status route_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                              struct rc_error *err)
{
  *out = NULL;
  const char *us = strchr(id, '_');
  if (!us) return rc_error_set(err, RC_USAGE, "import id %s: expected ROUTETABLEID_DESTINATION", id);
  char *rtb = rc_strndup(id, (size_t)(us - id));
  rc_status st = read_route(ctx, rtb, us + 1, NULL, 0, out, err);
  if (!st && !*out) st = rc_error_set(err, RC_NOT_FOUND, "route %s not found", id);
  rc_free(rtb);
  return st;
}

const struct rc_resource_type rc_rt_route = {
    .name = "aws_route",
    .schema = route_schema,
    .read_many = route_read_many,
    .find = route_find,
    .create = route_create,
    .update = route_update,
    .delete = route_delete,
    .import = route_import,
};
