/* ds_subnets — data "aws_subnets": the ids of the subnets matching the
 * filter {} blocks and tags (one paginated DescribeSubnets). */
#include "ec2util.h"

static const struct rc_attr filter_block[] = {
    {.name = "name", .type = RC_T_STRING, .flags = RC_A_REQUIRED},
    {.name = "values", .type = RC_T_SET, .elem = RC_T_STRING, .flags = RC_A_REQUIRED},
    {0}};

static const struct rc_attr subnets_schema[] = {
    {.name = "id", .type = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "filter", .type = RC_T_BLOCK_SET, .flags = RC_A_OPTIONAL, .block = filter_block},
    {.name = "ids", .type = RC_T_LIST, .elem = RC_T_STRING, .flags = RC_A_COMPUTED},
    {.name = "tags", .type = RC_T_MAP, .elem = RC_T_STRING, .flags = RC_A_OPTIONAL | RC_A_COMPUTED},
    {0}};

static rc_status subnets_read(struct rc_rctx *ctx, const struct rc_value *config,
                              struct rc_value **out, struct rc_error *err)
{
  *out = NULL;
  struct rc_value *p = rc_value_obj_new(RC_OBJECT), *list = NULL;
  rc_ec2u_ds_filters(p, 1, config);
  rc_status st = rc_aws_call_all(ctx->aws, "ec2", "DescribeSubnets", p, "subnetSet", &list, err);
  rc_value_decref(p);
  if (st) return st;
  struct rc_value *ids = rc_value_seq_new(RC_LIST);
  for (size_t i = 0; i < rc_value_len(list); i++) {
    const char *id = rc_aws_str(rc_value_index(list, i), "subnetId");
    if (id) rc_value_seq_push(ids, rc_value_string(id));
  }
  rc_value_decref(list);
  struct rc_value *o = rc_value_copy(config);
  const char *region = ctx->region && *ctx->region ? ctx->region : rc_aws_client_region(ctx->aws);
  rc_ec2u_put_str(o, "id", region);
  rc_value_obj_put(o, "ids", ids);
  *out = o;
  return RC_OK;
}

const struct rc_resource_type rc_ds_subnets = {
    .name = "aws_subnets",
    .flags = RC_RT_DATA,
    .schema = subnets_schema,
    .read = subnets_read,
};
