/* internet_gateway — aws_internet_gateway: CreateInternetGateway with tags
 * at birth, then attached to vpc_id when set; a vpc_id change detaches and
 * attaches; delete detaches first (retrying DependencyViolation while
 * public addresses are still mapped) and then deletes. */
#include <stdio.h>
#include <string.h>

#include "ec2util.h"
#include "rc_alloc.h"

static const struct rc_attr igw_schema[] = {
    RC_EC2U_ID,
    {.name = "arn", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "owner_id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "vpc_id", .type = RC_T_STRING, .flags = RC_A_OPTIONAL},
    RC_EC2U_TAGS,
    {0}};

static struct rc_value *igw_to_state(struct rc_rctx *ctx, const struct rc_value *it,
                                     const struct rc_value *prior)
{
  (void)prior;
  struct rc_value *o = rc_value_obj_new(RC_OBJECT);
  const char *id = rc_aws_str(it, "internetGatewayId"), *owner = rc_aws_str(it, "ownerId");
  rc_ec2u_put_str(o, "id", id);
  rc_value_obj_put(o, "arn",
                   rc_value_string_steal(rc_ec2u_arn(ctx, owner, "internet-gateway", id)));
  rc_ec2u_put_str(o, "owner_id", owner);
  const char *vpc = NULL;
  const struct rc_value *att = rc_aws_list(it, "attachmentSet");
  for (size_t i = 0; i < rc_value_len(att) && !vpc; i++) {
    const char *st = rc_aws_str(rc_value_index(att, i), "state");
    if (st && strcmp(st, "detached") != 0 && strcmp(st, "detaching") != 0)
      vpc = rc_aws_str(rc_value_index(att, i), "vpcId");
  }
  rc_ec2u_put_str(o, "vpc_id", vpc);
  rc_ec2u_put_tags(ctx, o, it);
  return o;
}

static const struct rc_ec2u_kind igw_kind = {
    .describe_op = "DescribeInternetGateways",
    .list_key = "internetGatewaySet",
    .id_filter = "internet-gateway-id",
    .id_key = "internetGatewayId",
    .to_state = igw_to_state,
};

static rc_status igw_read_many(struct rc_rctx *ctx, struct rc_read_item *items, size_t n)
{
  return rc_ec2u_read_many(ctx, &igw_kind, items, n);
}

static rc_status igw_find(struct rc_rctx *ctx, const struct rc_value *config,
                          struct rc_value **out, struct rc_error *err)
{
  return rc_ec2u_find_tagged(ctx, &igw_kind, config, out, err);
}

static rc_status attach(struct rc_rctx *ctx, const char *op, const char *igw, const char *vpc,
                        int timeout_s, struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *out = NULL;
  rc_aws_param(p, "InternetGatewayId", igw);
  rc_aws_param(p, "VpcId", vpc);
  /* retries NotFound too: a new gateway may not be visible yet */
  rc_status st = rc_res_call_retrying(ctx, "ec2", op, p, retry, timeout_s < RC_EC2U_VISIBLE_S ? timeout_s : RC_EC2U_VISIBLE_S, &out, err);
  rc_value_decref(out);
  rc_value_decref(p);
  return st;
}

/* detach from vpc; an attachment already gone is success */
static rc_status detach(struct rc_rctx *ctx, const char *igw, const char *vpc, int timeout_s,
                        struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  struct rc_error e = {0};
  struct rc_value *p = rc_value_obj_new(RC_OBJECT);
  rc_aws_param(p, "InternetGatewayId", igw);
  rc_aws_param(p, "VpcId", vpc);
  rc_status st = rc_ec2u_call_retry(ctx, "DetachInternetGateway", p, retry, timeout_s, &e);
  rc_value_decref(p);
  if (st == RC_NOT_FOUND || strcmp(e.aws_code, "Gateway.NotAttached") == 0) return RC_OK;
  if (st && err && err->code == RC_OK) *err = e;
  return st;
}

static rc_status igw_create(struct rc_rctx *ctx, const struct rc_value *config,
                            struct rc_value **out, struct rc_error *err)
{
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *ans = NULL;
  *out = NULL;
  rc_res_ec2_tag_spec(ctx, p, 1, "internet-gateway", config);
  rc_status st = rc_aws_call(ctx->aws, "ec2", "CreateInternetGateway", p, &ans, err);
  rc_value_decref(p);
  if (st) return st;
  char *id = rc_strdup(rc_value_str(rc_value_path(ans, "internetGateway.internetGatewayId")));
  rc_value_decref(ans);
  if (!id) return rc_error_set(err, RC_AWS, "CreateInternetGateway answered without an id");
  const char *vpc = rc_res_str(config, "vpc_id");
  if (vpc && *vpc)
    st = attach(ctx, "AttachInternetGateway", id, vpc, rc_res_timeout(ctx, "create", 1200), err);
  if (!st) st = rc_ec2u_read_one(ctx, &igw_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  rc_free(id);
  return st;
}

static rc_status igw_update(struct rc_rctx *ctx, const struct rc_value *prior,
                            const struct rc_value *config, struct rc_value **out,
                            struct rc_error *err)
{
  const char *id = rc_res_str(prior, "id");
  const char *had = rc_res_str(prior, "vpc_id"), *want = rc_res_str(config, "vpc_id");
  *out = NULL;
  rc_status st = RC_OK;
  bool same = (had && want && strcmp(had, want) == 0) || ((!had || !*had) && (!want || !*want));
  if (!same && had && *had) st = detach(ctx, id, had, rc_res_timeout(ctx, "update", 1200), err);
  if (!st && !same && want && *want)
    st = attach(ctx, "AttachInternetGateway", id, want, rc_res_timeout(ctx, "update", 1200), err);
  if (!st) {
    struct rc_value *tags = rc_res_tags_all(ctx, config);
    st = rc_res_ec2_update_tags(ctx, id, rc_value_get(prior, "tags_all"), tags, err);
    rc_value_decref(tags);
  }
  if (!st) st = rc_ec2u_read_one(ctx, &igw_kind, id, config, RC_EC2U_VISIBLE_S, out, err);
  return st;
}

static rc_status igw_delete(struct rc_rctx *ctx, const struct rc_value *state,
                            struct rc_error *err)
{
  static const char *const retry[] = {"DependencyViolation", NULL};
  const char *id = rc_res_str(state, "id");
  int timeout = rc_res_timeout(ctx, "delete", 1200);
  /* detach from whatever VPC it is attached to now, not only the recorded one */
  struct rc_value *now = NULL;
  rc_status st = rc_ec2u_read_one(ctx, &igw_kind, id, NULL, 0, &now, err);
  if (st == RC_NOT_FOUND) {
    rc_error_clear(err);
    return RC_OK;
  }
  if (st) return st;
  const char *vpc = rc_res_str(now, "vpc_id");
  if (vpc) st = detach(ctx, id, vpc, timeout, err);
  rc_value_decref(now);
  if (st) return st;
  return rc_ec2u_delete(ctx, "DeleteInternetGateway", "InternetGatewayId", id, retry, timeout,
                        err);
}

static rc_status igw_import(struct rc_rctx *ctx, const char *id, struct rc_value **out,
                            struct rc_error *err)
{
  return rc_ec2u_read_one(ctx, &igw_kind, id, NULL, 0, out, err);
}

const struct rc_resource_type rc_rt_internet_gateway = {
    .name = "aws_internet_gateway",
    .flags = RC_RT_TAGGABLE,
    .schema = igw_schema,
    .read_many = igw_read_many,
    .find = igw_find,
    .create = igw_create,
    .update = igw_update,
    .delete = igw_delete,
    .import = igw_import,
};
