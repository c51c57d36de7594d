/* nat_gateway — aws_nat_gateway: CreateNatGateway with tags at birth and a
 * ClientToken derived from the idempotency seed (a retried call cannot
 * create twice); wait until available (default 10m; "failed" is an error
 * carrying AWS's failureMessage) and, on delete, until deleted (default
 * 30m). A gateway that is deleting, deleted or failed reads as gone. */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr nat_schema[] = {
    RC_EC2U_ID,
    {.name = "allocation_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW},
    {.name = "association_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "connectivity_type",
     .type = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_FORCE_NEW,
     .default_json = "\"public\""},
    {.name = "network_interface_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "private_ip", .type = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED | RC_A_FORCE_NEW},
    {.name = "public_ip", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "secondary_allocation_ids", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL},
    {.name = "secondary_private_ip_address_count", .type = RC_T_NUMBER, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "secondary_private_ip_addresses",
     .type = RC_T_SET,
     .elem = RC_T_STRING,
     .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {.name = "subnet_id", .type = RC_T_STRING, .flags = RC_A_REQUIRED | RC_A_FORCE_NEW},
    RC_EC2U_TAGS,
    {0}};

static bool nat_live(const struct rc_value *it)
{
  const char *s = rc_aws_str(it, "state");
  return !s || (strcmp(s, "deleted") != 0 && strcmp(s, "deleting") != 0 && strcmp(s, "failed") != 0);
}

static struct rc_value *nat_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                     const struct rc_value *prior)
{
  (void)prior;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  rc_ec2u_put_str(o, "id", rc_aws_str(it, "natGatewayId"));
  const char *ct = rc_aws_str(it, "connectivityType");
  rc_ec2u_put_str(o, "connectivity_type", ct ? ct : "public");
  rc_ec2u_put_str(o, "subnet_id", rc_aws_str(it, "subnetId"));
  static const char *const primary[] = {"allocation_id", "association_id",
                                        "network_interface_id", "private_ip", "public_ip"};
  for (size_t i = 0; i < sizeof primary / sizeof *primary; i++)
    rc_value_obj_put(o, primary[i], rc_value_null());
  struct rc_value *sec_alloc = rc_value_seq_new(RC_SET), *sec_ips = rc_value_seq_new(RC_SET);
  int nsec = 0;
  const struct rc_value *addrs = rc_aws_list(it, "natGatewayAddressSet");
  for (size_t i = 0; i < rc_value_len(addrs); i++) {
    const struct rc_value *a = rc_value_index(addrs, i);
    const char *isp = rc_aws_str(a, "isPrimary");
    bool is_primary = isp ? strcmp(isp, "true") == 0 : i == 0;
    if (is_primary) {
      rc_ec2u_put_str(o, "allocation_id", rc_aws_str(a, "allocationId"));
      rc_ec2u_put_str(o, "association_id", rc_aws_str(a, "associationId"));
      rc_ec2u_put_str(o, "network_interface_id", rc_aws_str(a, "networkInterfaceId"));
      rc_ec2u_put_str(o, "private_ip", rc_aws_str(a, "privateIp"));
      rc_ec2u_put_str(o, "public_ip", rc_aws_str(a, "publicIp"));
      continue;
    }
    const char *al = rc_aws_str(a, "allocationId"), *ip = rc_aws_str(a, "privateIp");
    if (al) rc_value_seq_push(sec_alloc, rc_value_string(al));
    if (ip) {
      rc_value_seq_push(sec_ips, rc_value_string(ip));
      nsec++;
    }
  }
  rc_value_obj_put(o, "secondary_allocation_ids", rc_value_seq_seal(sec_alloc));
  rc_value_obj_put(o, "secondary_private_ip_addresses", rc_value_seq_seal(sec_ips));
  rc_value_obj_put(o, "secondary_private_ip_address_count", rc_value_int(nsec));
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const struct rc_ec2u_kind nat_kind = {
    .describe_op = "DescribeNatGateways",
    .list_key = "natGatewaySet",
    .id_filter = "nat-gateway-id",
    .id_key = "natGatewayId",
    .to_state = nat_to_state,
    .live = nat_live,
};

/* every state, for the waits */
static const struct rc_ec2u_kind nat_any_kind = {
    .describe_op = "DescribeNatGateways",
    .list_key = "natGatewaySet",
    .id_filter = "nat-gateway-id",
    .id_key = "natGatewayId",
    .to_state = nat_to_state,
};

static rc_status nat_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &nat_kind, items, n);
}

static rc_status nat_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &nat_kind, config, out, err);
}

static rc_status nat_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  *out = NULL;
  const char *s;
  rc_aws_param(p, "SubnetId", rc_res_str(config, "subnet_id"));
  if ((s = rc_res_str(config, "allocation_id")) && *s) rc_aws_param(p, "AllocationId", s);
  if ((s = rc_res_str(config, "connectivity_type")) && *s) rc_aws_param(p, "ConnectivityType", s);
  if ((s = rc_res_str(config, "private_ip")) && *s) rc_aws_param(p, "PrivateIpAddress", s);
  const struct rc_value *sa = rc_value_get(config, "secondary_allocation_ids");
  for (size_t i = 0; sa && rc_value_is_seq(sa) && i < rc_value_len(sa); i++)
    rc_aws_paramf(p, rc_value_str(rc_value_index(sa, i)), "SecondaryAllocationId.%zu", i + 1);
  int64_t cnt = rc_res_int(config, "secondary_private_ip_address_count", 0);
  if (cnt > 0) rc_value_obj_put(p, "SecondaryPrivateIpAddressCount", rc_value_int(cnt));
  const struct rc_value *sp = rc_value_get(config, "secondary_private_ip_addresses");
  for (size_t i = 0; sp && rc_value_is_seq(sp) && i < rc_value_len(sp); i++)
    rc_aws_paramf(p, rc_value_str(rc_value_index(sp, i)), "SecondaryPrivateIpAddress.%zu", i + 1);
  char token[65];
  rc_ec2u_client_token(ctx, "aws_nat_gateway", token, 64);
  rc_aws_param(p, "ClientToken", token);
  rc_res_ec2_tag_spec(ctx, p, 1, "natgateway", config);
  /* a new subnet or address may not be visible yet: retry NotFound for a while */
  rc_status st = rc_res_call_retrying(ctx, "ec2", "CreateNatGateway", p, NULL, RC_EC2U_VISIBLE_S,
                                      &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_value_str(rc_value_path(ans, "natGateway.natGatewayId")));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "CreateNatGateway answered without an id");
  st = rc_ec2u_read_one(ctx, &nat_any_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status nat_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  *out = NULL;
  struct rc_value *tags = rc_res_tags_all(ctx, config);
  rc_status st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), tags, err);
  rc_value_decref(tags);
  if (!st) st = rc_ec2u_read_one(ctx, &nat_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status nat_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  return rc_ec2u_delete(ctx, "DeleteNatGateway", "NatGatewayId", rc_res_str(state, "id"), NULL,
                        0, err);
}

struct nat_wait {
  const char *id;
  bool for_delete;
  struct rc_value *last; /* the last item seen */
};

static rc_status nat_poll(struct rc_rctx *ctx, void *ud, char *seen, size_t seen_sz,
                          struct rc_error *err)
{
  struct nat_wait *w = ud;
  struct rc_value *list = NULL;
  const char *ids[1] = {w->id};
  rc_status st = rc_ec2u_describe_ids(ctx, &nat_any_kind, ids, 1, &list, err);
  if (st) return st;
  const struct rc_value *it = rc_value_len(list) ? rc_value_index(list, 0) : NULL;
  const char *state = it ? rc_aws_str(it, "state") : NULL;
  snprintf(seen, seen_sz, "%s", state ? state : "not found");
  rc_value_decref(w->last);
  w->last = it ? rc_value_incref(it) : NULL;
  rc_value_decref(list);
  if (w->for_delete) return !state || strcmp(state, "deleted") == 0 ? RC_OK : RC_NOT_READY;
  if (!state) return RC_NOT_READY; /* not visible yet */
  if (strcmp(state, "available") == 0) return RC_OK;
  if (strcmp(state, "failed") == 0 || strcmp(state, "deleted") == 0 || strcmp(state, "deleting") == 0) {
    const char *code = rc_aws_str(it, "failureCode"), *msg = rc_aws_str(it, "failureMessage");
    return rc_error_set(err, RC_AWS, "NAT gateway %s is %s: %s%s%s", w->id, state,
                        code ? code : "", code && msg ? ": " : "", msg ? msg : "no failure message");
  }
  if (ctx->progress) ctx->progress(ctx->progress_ud, ctx->address, seen);
  return RC_NOT_READY;
}

static rc_status nat_wait(struct rc_rctx *ctx, enum rc_wait_for what, const struct rc_value *state,
                          struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct nat_wait w = {.id = rc_res_str(state, "id"), .for_delete = what == RC_WAIT_DELETE};
  if (!w.id) return RC_OK;
  char label[96];
  snprintf(label, sizeof label, "NAT gateway %s %s", w.id, w.for_delete ? "deleted" : "available");
  int timeout = w.for_delete ? rc_res_timeout(ctx, "delete", 1800)
                             : rc_res_timeout(ctx, what == RC_WAIT_CREATE ? "create" : "update", 600);
  rc_status st = rc_res_poll(ctx, label, timeout, 1000, nat_poll, &w, err);
  if (!st && !w.for_delete && w.last) *out = nat_to_state(ctx, w.last, state);
  rc_value_decref(w.last);
  return st;
}

static rc_status nat_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &nat_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_nat_gateway = {
    .name = "aws_nat_gateway",
    .flags = RC_RT_TAGGABLE,
    .schema = nat_schema,
    .read_many = nat_read_many,
    .find = nat_find,
    .create = nat_create,
    .update = nat_update,
    .delete = nat_delete,
    .wait = nat_wait,
    .import = nat_import,
};
